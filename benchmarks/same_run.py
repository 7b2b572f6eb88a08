"""Whether runs recorded at an older commit stand for this tree: the same small run, bit for bit, from both.

Runs the real `cifar_resnet_train`, range test included, on a small CPU configuration in fresh processes: once with the
package of `BASE` (`git archive`d into a temporary folder, as `cpu_seeds.sh` runs its seeds) and once with this working
tree's. Then it compares what defines a result: the range test's curve and bounds, each epoch's losses and accuracies,
every tensor of `model.safetensors`, and the test predictions (`test_preds.npz`). Seconds, dates and the run folder's name
are left out. One thread per process, as `torch`'s kernels then add in one order.

    python benchmarks/same_run.py BASE [--seed 0] [--data path/to/cifar10]     # exit 0: identical, 1: they differ
    python benchmarks/same_run.py cf81a0c --args "--lr-rule late-fall"   # options given to both runs: a lever's,
                                                                          # or a default that changed since BASE
"""
import os, sys, json, shlex, argparse, tempfile, subprocess
from pathlib import Path

import numpy as np, torch
from safetensors.torch import load_file

TRAIN = 'from cifar_resnet.cli import main; main()'
REPO = Path(__file__).resolve().parents[1]

def export(commit:str, dest:Path) -> str:
    "The tree of `commit` in `dest`; its short hash"
    short = subprocess.run(['git', '-C', str(REPO), 'rev-parse', '--short', commit], capture_output=True, text=True,
                           check=True).stdout.strip()
    archive = subprocess.run(['git', '-C', str(REPO), 'archive', short], capture_output=True, check=True).stdout
    subprocess.run(['tar', '-x', '-C', str(dest)], input=archive, check=True)
    return short

def train(root:Path, argv:list, out:Path):
    "One fresh process of the command with the package in `root` first on the path, into `out`"
    env = os.environ | dict(PYTHONPATH=str(root), OMP_NUM_THREADS='1', NO_ALBUMENTATIONS_UPDATE='1', MPLBACKEND='Agg')
    # cwd: not the checkout, where `python -c` would put this tree's package ahead of `root`'s
    p = subprocess.run([sys.executable, '-c', TRAIN, *argv, '--out', str(out)], capture_output=True, text=True, env=env,
                       cwd=out.parent)
    if p.returncode: sys.exit(f'same_run: the command failed with the package in {root}:\n{p.stderr[-2000:]}')

def result(out:Path) -> dict:
    "What defines a run's result, without its seconds: comparable across code versions with `==`"
    m, lr = json.loads((out/'metrics.json').read_text()), json.loads((out/'lr_find.json').read_text())
    return {'range test curve': lr['history'],
            'LRMIN, LRMAX': (m['lr_min'], m['lr_max']),
            'epochs (losses, accuracies, rates)': [{k: v for k, v in e.items() if 'seconds' not in k} for e in m['history']],
            'test and flip TTA accuracy': (m['test_acc'], m.get('tta_acc')),
            'weights': load_file(out/'model.safetensors'),
            'test predictions': dict(np.load(out/'test_preds.npz'))}

def same(a, b) -> bool:
    "Equal, tensors and arrays bit for bit"
    if isinstance(a, dict): return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, torch.Tensor): return a.dtype == b.dtype and torch.equal(a, b)
    if isinstance(a, np.ndarray): return a.dtype == b.dtype and np.array_equal(a, b)
    return a == b

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('base', help='the commit whose records are in question, e.g. 550a090')
    ap.add_argument('--seed', type=int, default=0, help="the run's seed")
    ap.add_argument('--data', default=os.environ.get('CIFAR10_DIR', str(REPO.parent/'shared/datasets/cifar10')))
    ap.add_argument('--args', default='', help='more options for both runs, e.g. "--lr-rule late-fall"')
    a = ap.parse_args()
    argv = ['--data', a.data, '--subset', '2000', '--test-subset', '500', '--epochs', '2', '--batch-size', '100',
            '--device', 'cpu', '--seed', str(a.seed), '--no-progress', *shlex.split(a.args)]
    with tempfile.TemporaryDirectory(prefix='same-run-') as tmp:
        tmp = Path(tmp); (tmp/'code').mkdir()
        commit = export(a.base, tmp/'code')
        train(tmp/'code', argv, tmp/'base'); train(REPO, argv, tmp/'tree')
        base, tree = result(tmp/'base'), result(tmp/'tree')
    print(f"cifar_resnet_train {' '.join(argv)}\nthe package of {commit} against this tree, one thread each:")
    alike = {k: same(base[k], tree[k]) for k in base}
    for k, ok in alike.items(): print(f"  {k:<36} {'identical' if ok else 'DIFFERENT'}")
    print(f"  LRMIN {base['LRMIN, LRMAX'][0]:.3e}, LRMAX {base['LRMIN, LRMAX'][1]:.3e}, "
          f"test accuracy {base['test and flip TTA accuracy'][0]:.4f} ({commit}) and "
          f"{tree['test and flip TTA accuracy'][0]:.4f} (this tree)")
    sys.exit(0 if all(alike.values()) else 1)

if __name__ == '__main__': main()
