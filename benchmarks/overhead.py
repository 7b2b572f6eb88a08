"""Everything `cifar_resnet_train` spends outside its training steps, against a base commit, in one run.

Runs the real command on a tiny CPU configuration, in fresh processes, once with the learning rates given and once with
the LR range test, for this working tree and for a `git worktree` of `--base`. Each process runs under
`python -X importtime` (every import, wherever it happens, lazy ones included), and a driver wraps the library's own
functions by name to time the phases: data, range test, each checkpoint, the weights, plots, metrics, evaluation and the
training steps. Bytes written are counted at the rename that ends every atomic write.

    python benchmarks/overhead.py [--base 69bb1ea] [--data path/to/cifar10] [--repeats 1]
"""
import os, re, sys, json, time, shutil, argparse, tempfile, subprocess, statistics
from pathlib import Path

DRIVER = r'''
import sys, os, time, json, importlib
T0 = time.time(); print('@@driver', file=sys.stderr, flush=True)
root, out_json, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, root)
mods = [importlib.import_module(f'cifar_resnet.{m}') for m in ('core', 'data', 'augment', 'model', 'lrfind', 'checkpoint', 'train', 'cli')
        if os.path.exists(f'{root}/cifar_resnet/{m}.py')]
rec, written = {}, {}
def timed(f, phase):
    def g(*a, **k):
        t = time.perf_counter()
        try: return f(*a, **k)
        finally: rec.setdefault(phase(*a, **k) if callable(phase) else phase, []).append(time.perf_counter() - t)
    return g
def patch(name, phase):
    "Wrap function `name` in every module that binds it"
    orig = next((getattr(m, name) for m in mods if hasattr(m, name)), None)
    if orig is None: return
    g = timed(orig, phase)
    for m in mods:
        if getattr(m, name, None) is orig: setattr(m, name, g)
ckpt = lambda obj, fn, *a, **k: 'weights' if str(fn).endswith('model.pt') else f'checkpoint {os.path.basename(str(fn))}'
patch('load_cifar10', 'data'); patch('find_lr', 'range test'); patch('save_atomic', ckpt); patch('save_weights', 'weights')
patch('_save_fig', 'plots'); patch('evaluate', 'evaluation')
patch('write_atomic', lambda fn, *a, **k: 'metrics' if str(fn).endswith('metrics.json') else 'other writes')
tr = next(m for m in mods if hasattr(m, 'Trainer')).Trainer
tr.one_batch = timed(tr.one_batch, 'training steps')
replace = os.replace
def counting(src, dst, *a, **k):
    replace(src, dst, *a, **k); n = os.path.basename(str(dst)); written[n] = written.get(n, 0) + os.path.getsize(dst)
os.replace = counting
main = next(m for m in reversed(mods) if hasattr(m, 'main')).main
try: main(argv)
except SystemExit as e: rec['exit'] = [e.code]
json.dump(dict(t0=T0, t_end=time.time(), phases=rec, written=written), open(out_json, 'w'))
'''

def import_seconds(stderr:str) -> float:
    "Seconds of the top-level imports after the driver started, from `-X importtime`'s report"
    s = stderr.split('@@driver', 1)[-1]
    return sum(int(m.group(1)) for m in re.finditer(r'^import time:\s+\d+ \|\s+(\d+) \| (\S.*)$', s, re.M)) / 1e6

def run_once(root:Path, argv:list, work:Path) -> dict:
    "One fresh process of the command from the package in `root`: its phases in seconds, and the bytes it wrote"
    out_json = work/'driver.json'
    t = time.time()
    p = subprocess.run([sys.executable, '-X', 'importtime', '-c', DRIVER, str(root), str(out_json), *argv], capture_output=True, text=True)
    wall = time.time() - t
    if p.returncode: sys.exit(f'the command failed in {root}:\n{p.stderr[-2000:]}')
    d = json.loads(out_json.read_text())
    ph = {k: v for k, v in d['phases'].items() if k != 'exit'}
    r = {'interpreter start': d['t0'] - t, 'imports': import_seconds(p.stderr)}
    for k in ('data', 'range test', *sorted(k for k in ph if k.startswith('checkpoint')), 'weights', 'plots', 'metrics', 'evaluation', 'training steps'):
        if k in ph: r[k + (f' ({len(ph[k])}x)' if k.startswith('checkpoint') else '')] = sum(ph[k])
    r['wall'] = wall
    r['wall - training steps'] = wall - sum(ph.get('training steps', [0]))
    r['bytes written'] = sum(d['written'].values())
    return r

def fresh_seconds(code:str, root:Path, n=3) -> float:
    "Median wall seconds of `n` fresh processes running `code` with the package in `root`"
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([sys.executable, '-c', f'import sys; sys.path.insert(0, {str(root)!r})\n{code}'], check=True, capture_output=True)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)

HELP = ('import os\nm = "cifar_resnet.cli" if os.path.exists(sys.path[0] + "/cifar_resnet/cli.py") else "cifar_resnet.train"\n'
        'try: __import__(m, fromlist=["main"]).main(["--help"])\nexcept SystemExit: pass')

def imports_table(base:Path, repo:Path, commit:str):
    "Fresh-process times of `import torch`, `import cifar_resnet.train` and `cifar_resnet_train --help`, base against this tree"
    torch_s = fresh_seconds('import torch', repo)
    print(f'{"fresh processes, median of 3":<34}{"base " + commit:>12}{"this tree":>12}   (import torch: {torch_s:.2f} s)')
    for name, code in (('import cifar_resnet.train', 'import cifar_resnet.train'), ('cifar_resnet_train --help', HELP)):
        b, n = fresh_seconds(code, base), fresh_seconds(code, repo)
        print(f'{name:<34}{b:10.2f} s{n:10.2f} s   {b/torch_s:.2f}x and {n/torch_s:.2f}x import torch')
    print()

def fmt(k, v): return f'{v/1e6:9.1f} MB' if k == 'bytes written' else f'{v:9.2f} s '

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--base', default='69bb1ea', help='the commit to compare with (default: the last one before the overhead work)')
    ap.add_argument('--data', default=os.environ.get('CIFAR10_DIR', '../shared/datasets/cifar10'))
    ap.add_argument('--repeats', type=int, default=1, help='runs of each configuration; the table shows medians')
    a = ap.parse_args()
    repo = Path(__file__).resolve().parents[1]
    work = Path(tempfile.mkdtemp(prefix='overhead-'))
    base = work/'base'
    subprocess.run(['git', '-C', str(repo), 'worktree', 'add', '--detach', str(base), a.base], check=True, capture_output=True)
    commit = subprocess.run(['git', '-C', str(base), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    try:
        tiny = ['--data', a.data, '--subset', '256', '--test-subset', '200', '--batch-size', '32', '--epochs', '2', '--device', 'cpu', '--no-progress']
        configs = {'LRs given': tiny + ['--lr-min', '4e-4', '--lr-max', '4e-3'], 'range test': tiny}
        for root in (base, repo):   # build each version's data cache first: the table is about a warm start
            subprocess.run([sys.executable, '-c', f'import sys; sys.path.insert(0, {str(root)!r}); from cifar_resnet.data import load_cifar10; load_cifar10({a.data!r})'], check=True)
        print(f'cifar_resnet_train {" ".join(tiny)} [--lr-min 4e-4 --lr-max 4e-3]; base {commit}, this tree; '
              f'{os.cpu_count()} cores, {time.strftime("%Y-%m-%d")}; medians of {a.repeats}\n')
        imports_table(base, repo, commit)
        for name, argv in configs.items():
            res = {}
            for i in range(a.repeats):
                for label, root in (('base', base), ('now', repo)):
                    res.setdefault(label, []).append(run_once(root, argv + ['--out', str(work/f'{label}-{name}-{i}'.replace(' ', '_'))], work))
            med = {lab: {k: statistics.median(r[k] for r in rs if k in r) for k in rs[0]} for lab, rs in res.items()}
            keys = list(dict.fromkeys([*med['base'], *med['now']]))
            print(f'{name:<30}{"base " + commit:>14}{"this tree":>14}{"ratio":>8}')
            for k in keys:
                b, n = med['base'].get(k), med['now'].get(k)
                ratio = f'{n/b:7.2f}x' if b and n is not None else ''
                print(f'{k:<30}{fmt(k, b) if b is not None else "-":>14}{fmt(k, n) if n is not None else "-":>14}{ratio:>8}')
            print()
    finally:
        subprocess.run(['git', '-C', str(repo), 'worktree', 'remove', '--force', str(base)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)    # the runs are about 0.5 GB

if __name__ == '__main__': main()
