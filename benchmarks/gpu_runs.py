"""Run a plan of `cifar_resnet_train` runs, each a fresh process, and collect them as `shared/gpu-runs/` holds them.

    python benchmarks/gpu_runs.py PLAN --data DIR --out RUNS [--parallel 4] [--tar FILE]

PLAN has one run per line, `name: options` (`#` starts a comment); for example `fall-s0: --seed 0 --lr-rule fall`.
Each run goes to `RUNS/<name>` with its console output in `log.txt`; `RUNS/summary.jsonl` gets a line per finished run
(`name`, `args`, `wall_s` timed outside the process, `test_acc`, `lr_min`, `lr_max`), which `record_runs.py` reads.
A run whose folder already holds a finished run is skipped, so a plan cut short can be started again.

`--parallel N` runs N at once on the one GPU: for accuracy only. Timings must come from `--parallel 1`.
`--tar FILE` packs RUNS without weights and checkpoints (for the device tool's `$OUT`).
Made for the lent GPU machine; on CPU it runs too (give small options in the plan).
"""
import argparse, json, sys, time, tarfile, subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from cifar_resnet.cli import _finished   # the command's own test of a finished run (no torch import)

def read_plan(fn) -> list:
    "The plan's `(name, options)` pairs"
    runs = []
    for line in Path(fn).read_text().splitlines():
        line = line.split('#')[0].strip()
        if not line: continue
        name, _, opts = line.partition(':')
        runs.append((name.strip(), opts.strip()))
    return runs

def run_one(name, opts, data, out:Path) -> dict|None:
    "One run as a fresh process; its summary line, or None if it failed"
    d = out/name
    if _finished(d): return None
    d.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, '-c', 'from cifar_resnet.cli import main; main()', '--data', data, '--out', str(d), '--no-progress', '--overwrite', *opts.split()]
    t0 = time.perf_counter()
    with open(d/'log.txt', 'w') as log: rc = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - t0
    if rc: print(f'{name}: exit {rc}; see {d}/log.txt', flush=True); return None
    m = json.loads((d/'metrics.json').read_text())
    print(f"{name}: test_acc {m['test_acc']:.4f}, lr {m['lr_min']:.3g}..{m['lr_max']:.3g}, {wall:.1f} s", flush=True)
    return dict(name=name, args=opts, wall_s=wall, test_acc=m['test_acc'], lr_min=m['lr_min'], lr_max=m['lr_max'], device=m['device'], torch=m['torch'])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('plan'); p.add_argument('--data', required=True); p.add_argument('--out', required=True)
    p.add_argument('--parallel', type=int, default=1); p.add_argument('--tar')
    a = p.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(a.parallel) as ex:
        for s in ex.map(lambda r: run_one(*r, a.data, out), read_plan(a.plan)):
            if s:
                with (out/'summary.jsonl').open('a') as f: f.write(json.dumps(s) + '\n')
    if a.tar:
        with tarfile.open(a.tar, 'w:gz') as t:
            t.add(out, arcname=out.name, filter=lambda ti: None if ti.name.endswith(('.pt', '.safetensors')) else ti)

if __name__ == '__main__': main()
