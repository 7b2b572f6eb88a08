"""Append measured runs of `cifar_resnet_train` to `benchmarks/results.jsonl`, one JSON object per run.

SRC is a folder of run folders, each holding the `metrics.json` the command wrote, beside a `summary.jsonl` with one line
per run (`name`, `args`, `wall_s`: the whole process, start to exit, timed outside it), as `../shared/gpu-runs/` has them.
Lines already recorded (same commit and source) are skipped, so the script can be run again.

    python benchmarks/record_runs.py ../shared/gpu-runs/2026-11-23 --commit 5113971 --date 2026-11-23
"""
import argparse, json, statistics
from pathlib import Path

RESULTS = Path(__file__).parent/'results.jsonl'

def record(name:str, args:str, wall_s:float, m:dict, commit:str, date:str, source:str) -> dict:
    "One results line from a run's `metrics.json` and its summary entry"
    c, h = m['config'], m['history']
    train, evals = [e['seconds'] for e in h], [e['eval_seconds'] for e in h]
    compile_s = train[0] - statistics.median(train) if c.get('compile') else 0.   # the first epoch's excess over a typical one
    n = 50_000 if c.get('subset') is None else c['subset']
    return dict(date=date, device=m['device'], torch=m['torch'], commit=commit, source=source,
                command=f'cifar_resnet_train --data <cifar10> --out <run> --no-progress {args}'.strip(),
                seed=c['seed'], epochs=len(h), batch_size=c['batch_size'], optimizer='Adam', weight_decay=c['weight_decay'],
                label_smoothing=c['label_smoothing'], lr_min=m['lr_min'], lr_max=m['lr_max'],
                lr_source='given' if c['lr_min'] is not None else 'range-test',
                path='reference' if c['loader'] == 'dataloader' else 'fast', compile=bool(c.get('compile')),
                test_acc=m['test_acc'], tta_acc=m.get('tta_acc'),
                train_seconds=round(sum(train) + sum(evals) - compile_s, 3), compile_seconds=round(compile_s, 3),
                eval_seconds=round(sum(evals), 3), cli_seconds=round(m['seconds'], 3), wall_seconds=round(wall_s, 3),
                images_per_second=round(n*len(h)/(sum(train) - compile_s)))

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('src'); p.add_argument('--commit', required=True); p.add_argument('--date', required=True)
    a = p.parse_args()
    src = Path(a.src)
    done = {(r['commit'], r['source']) for r in map(json.loads, RESULTS.read_text().splitlines())} if RESULTS.exists() else set()
    new = []
    for s in map(json.loads, (src/'summary.jsonl').read_text().splitlines()):
        source = f'shared/gpu-runs/{src.name}/{s["name"]}'
        if (a.commit, source) in done: continue
        m = json.loads((src/s['name']/'metrics.json').read_text())
        new.append(record(s['name'], s['args'], s['wall_s'], m, a.commit, a.date, source))
    with RESULTS.open('a') as f:
        for r in new: f.write(json.dumps(r) + '\n')
    print(f'recorded {len(new)} runs in {RESULTS} ({len(done)} were there already)')

if __name__ == '__main__': main()
