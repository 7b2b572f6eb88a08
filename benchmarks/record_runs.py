"""Append measured runs of `cifar_resnet_train` to `benchmarks/results.jsonl`, one JSON object per run.

SRC is a run folder (its `metrics.json`), a `cifar_resnet_sweep` folder (its `summary.json`, whose runs carry `wall_seconds`,
the whole process timed from outside), or a folder of run folders beside a `summary.jsonl` (`name`, `args`, `wall_s`), as the
GPU runs of 2026-11-23 have them. `--shared` marks runs whose seconds were measured while something else used the same
CPU or GPU: they are kept, and never presented as timings. Lines already recorded (same commit and source) are skipped.

    python benchmarks/record_runs.py ../shared/gpu-runs/2026-11-23 --commit 5113971 --date 2026-11-23
    python benchmarks/record_runs.py /work/runs/spec-min --commit 60686cb --date 2026-11-29 --source cpu-runs/spec-min --shared --args '--device cpu'
"""
import argparse, json, statistics
from pathlib import Path
from cifar_resnet.core import lr_rule_name

RESULTS = Path(__file__).parent/'results.jsonl'

def _optimizer(c:dict) -> str:
    "The run's optimizer as the records name it: `Adam` (the spec's, and every run's before --optimizer) or `AdamW`"
    return dict(adam='Adam', adamw='AdamW')[c.get('optimizer') or 'adam']

def record(m:dict, wall_s, commit:str, date:str, source:str, shared:bool, args=None) -> dict:
    "One results line from a run's `metrics.json`, and its wall seconds if they were timed from outside"
    c, h = m['config'], m['history']
    rule = lr_rule_name(c['lr_rule']) if c.get('lr_rule') else None     # by its name now ('min' was 'tenth-of-min')
    train, evals = [e['seconds'] for e in h], [e['eval_seconds'] for e in h]
    compile_s = train[0] - statistics.median(train) if c.get('compile') else 0.   # the first epoch's excess over a typical one
    n = 50_000 if c.get('subset') is None else c['subset']
    command = m.get('command') or f'cifar_resnet_train --data <cifar10> --out <run> --no-progress {args or ""}'.strip()
    return dict(date=date, device=m['device'], torch=m['torch'], commit=commit, source=source, command=command,
                seed=c['seed'], epochs=len(h), batch_size=c['batch_size'], optimizer=_optimizer(c), weight_decay=c['weight_decay'],
                label_smoothing=c['label_smoothing'], lr_min=m['lr_min'], lr_max=m['lr_max'],
                lr_source='given' if c['lr_min'] is not None else 'range-test', lr_rule=rule if c['lr_min'] is None else None,
                precision=m.get('precision', {}).get('amp'), path='reference' if c['loader'] == 'dataloader' else 'fast', compile=bool(c.get('compile')),
                ema=bool(c.get('ema')), test_acc=m['test_acc'], tta_acc=m.get('tta_acc'),
                raw_test_acc=m.get('raw_test_acc'), ema_test_acc=m.get('ema_test_acc'),   # the last weights' and their average's
                train_seconds=round(sum(train) + sum(evals) - compile_s, 3), compile_seconds=round(compile_s, 3),
                eval_seconds=round(sum(evals), 3), cli_seconds=round(m['seconds'], 3), wall_seconds=None if wall_s is None else round(wall_s, 3),
                images_per_second=round(n*len(h)/(sum(train) - compile_s)), shared=shared)

def runs(src:Path) -> list:
    "`(name, metrics, wall seconds or None, args or None)` of every run in `src`"
    if (src/'metrics.json').exists(): return [(src.name, json.loads((src/'metrics.json').read_text()), None, None)]
    if (src/'summary.json').exists():
        return [(Path(r['out']).name, json.loads((src/Path(r['out']).name/'metrics.json').read_text()), r.get('wall_seconds'), None)
                for r in json.loads((src/'summary.json').read_text())['runs'] if 'test_acc' in r]
    return [(s['name'], json.loads((src/s['name']/'metrics.json').read_text()), s['wall_s'], s['args'])
            for s in map(json.loads, (src/'summary.jsonl').read_text().splitlines())]

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('src'); p.add_argument('--commit', required=True); p.add_argument('--date', required=True)
    p.add_argument('--source', help='what to call SRC in the records; default shared/gpu-runs/<its name>')
    p.add_argument('--shared', action='store_true', help='the runs shared their CPU or GPU: their seconds are no timings')
    p.add_argument('--args', help="a run folder's options beyond --data and --out, where its metrics.json does not record its command")
    p.add_argument('--to', type=Path, default=RESULTS, help='the file to append to (a rehearsal writes elsewhere)')
    a = p.parse_args()
    results = a.to
    src = Path(a.src); label = a.source or f'shared/gpu-runs/{src.name}'
    done = {(r['commit'], r['source']) for r in map(json.loads, results.read_text().splitlines())} if results.exists() else set()
    new = []
    for name, m, wall, args in runs(src):
        args = args or a.args
        source = label if (src/'metrics.json').exists() else f'{label}/{name}'
        if (a.commit, source) not in done: new.append(record(m, wall, commit=a.commit, date=a.date, source=source, shared=a.shared, args=args))
    with results.open('a') as f:
        for r in new: f.write(json.dumps(r) + '\n')
    print(f'recorded {len(new)} runs in {results} ({len(done)} were there already)')

if __name__ == '__main__': main()
