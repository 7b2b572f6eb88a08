"""Where `cifar_resnet_train` spends its time outside the training steps, for this tree against a base commit, side by side.

Runs the real command on a tiny CPU configuration in fresh processes, once with the learning rates given and once with the
range test, for this working tree and for a `git worktree` of `--base`, each under `python -X importtime`. The phases come from
the run's own `metrics.json`: `phases` (data, range test, training, evaluation, weights, figures; recorded since the house
was rebuilt) and each epoch's training and evaluation seconds. The imports come from `-X importtime`, the wall time from
outside the process, the bytes from the run folder. Nothing in the library is wrapped or patched.

    python benchmarks/overhead.py [--base e35583d] [--data path/to/cifar10] [--repeats 1]
"""
import os, re, sys, json, time, shutil, argparse, tempfile, subprocess, statistics
from pathlib import Path

TRAIN = 'from cifar_resnet.cli import main; main()'

def import_seconds(stderr:str) -> float:
    "Seconds of the top-level imports, from `-X importtime`'s report (nested imports are inside their parents' cumulative time)"
    return sum(int(m.group(1)) for m in re.finditer(r'^import time:\s+\d+ \|\s+(\d+) \| (\S.*)$', stderr, re.M)) / 1e6

def run_once(root:Path, argv:list, out:Path) -> dict:
    "One fresh process of the command from the package in `root`: its phases in seconds, and the bytes it left"
    env = os.environ | dict(PYTHONPATH=str(root))   # the package in `root`, ahead of any installed one
    t = time.perf_counter()
    p = subprocess.run([sys.executable, '-X', 'importtime', '-c', TRAIN, *argv, '--out', str(out)], capture_output=True, text=True, env=env,
                       cwd=out.parent)   # not the checkout: `python -c` puts the working folder first on the path
    wall = time.perf_counter() - t
    if p.returncode: sys.exit(f'the command failed in {root}:\n{p.stderr[-2000:]}')
    m = json.loads((out/'metrics.json').read_text())
    steps, evals = sum(e['seconds'] for e in m['history']), sum(e['eval_seconds'] for e in m['history'])
    r = {'imports': import_seconds(p.stderr)}
    ph = m.get('phases', {})
    for k in ('data', 'range test', 'evaluation', 'weights', 'figures'):
        if k in ph: r['flip TTA evaluation' if k == 'evaluation' else k] = ph[k]
    r['training steps'], r['evaluation per epoch'] = steps, evals
    if 'training' in ph: r['checkpoints and the rest of training'] = ph['training'] - steps - evals
    r['wall'], r['wall - training steps'] = wall, wall - steps
    r['bytes in the run folder'] = sum(f.stat().st_size for f in out.iterdir())
    return r

def fmt(k, v): return f'{v/1e6:9.1f} MB' if k.startswith('bytes') else f'{v:9.2f} s '

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--base', default='e35583d', help='the commit to compare with')
    ap.add_argument('--data', default=os.environ.get('CIFAR10_DIR', '../shared/datasets/cifar10'))
    ap.add_argument('--repeats', type=int, default=1, help='runs of each configuration; the table shows medians')
    a = ap.parse_args()
    repo = Path(__file__).resolve().parents[1]
    work = Path(tempfile.mkdtemp(prefix='overhead-')); base = work/'base'
    subprocess.run(['git', '-C', str(repo), 'worktree', 'add', '--detach', str(base), a.base], check=True, capture_output=True)
    commit = subprocess.run(['git', '-C', str(base), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    try:
        tiny = ['--data', a.data, '--subset', '256', '--test-subset', '200', '--batch-size', '32', '--epochs', '2', '--device', 'cpu', '--no-progress']
        configs = {'LRs given': tiny + ['--lr-min', '4e-4', '--lr-max', '4e-3'], 'range test': tiny}
        print(f'cifar_resnet_train {" ".join(tiny)} [--lr-min 4e-4 --lr-max 4e-3]; base {commit}, this tree; '
              f'{os.cpu_count()} cores, {time.strftime("%Y-%m-%d")}; medians of {a.repeats}\n')
        for name, argv in configs.items():
            res = {}
            for i in range(a.repeats):
                for label, root in (('base', base), ('now', repo)):
                    res.setdefault(label, []).append(run_once(root, argv, work/f'{label}-{name}-{i}'.replace(' ', '_')))
            med = {lab: {k: statistics.median(r[k] for r in rs if k in r) for k in rs[0]} for lab, rs in res.items()}
            print(f'{name:<40}{"base " + commit:>14}{"this tree":>14}{"ratio":>8}')
            for k in dict.fromkeys([*med['base'], *med['now']]):
                b, n = med['base'].get(k), med['now'].get(k)
                ratio = f'{n/b:7.2f}x' if b and n is not None else ''
                print(f'{k:<40}{fmt(k, b) if b is not None else "-":>14}{fmt(k, n) if n is not None else "-":>14}{ratio:>8}')
            print()
    finally:
        subprocess.run(['git', '-C', str(repo), 'worktree', 'remove', '--force', str(base)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)    # the runs are about 0.5 GB

if __name__ == '__main__': main()
