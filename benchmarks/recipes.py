"""Each recipe of the CPU accuracy work over its recorded seeds: mean ± sd, its distance to the 94.0% target, and whether
it beats the default recipe by more than the seeds' noise (the rule by which the default recipe changes).

    python benchmarks/recipes.py [--markdown]

A recipe is the folder its runs were swept into (`bash benchmarks/cpu_seeds.sh COMMIT ../runs/RECIPE ...`), recorded
with `--source cpu-runs/RECIPE/RUN`; a sweep with a grid holds a recipe per configuration, which names its RUN folders.
`late-fall: lr-rule=late-fall` is the default recipe; the folder `default` holds the runs of the default before it, and is
shown by what they are, `fall`. Mean and sd are `cifar_resnet_sweep`'s own summary (`summarize`: the sample standard
deviation). The rule: a recipe is promoted when its mean beats the default's by more than the standard error of that
difference, sqrt(sd²/n + sd_default²/n_default), with at least two seeds on each side; it then gets five seeds before it
becomes the default. Beside the rule, each seed is set against the default's run of the same seed: the two share the
data order, the augmentation and the range test's curve, so nothing but the lever differs between them. Their difference is
still noisy: a change as small as one bit of the initial weights spreads the accuracy about as widely as a new seed does
(Summers & Dinneen 2021, arXiv:2103.04514).
"""
import argparse, json, math, re, statistics
from pathlib import Path
from cifar_resnet.sweep import summarize

RESULTS, TARGET = Path(__file__).parent/'results.jsonl', 0.94
DEFAULT = 'late-fall: lr-rule=late-fall'   # the default recipe: `--lr-rule late-fall`, swept as a lever into runs/late-fall
EMA = ' + EMA'   # a recipe's runs scored by the moving average of their weights, which every run since 391c8fe measures
FORMER = {'default': 'fall'}   # a folder of the default's runs before the default changed, by the rule they ran

def records() -> list:
    "Every measured run in `results.jsonl`, one dict per line"
    return [json.loads(l) for l in RESULTS.read_text().splitlines()]

def _recipe(source:str) -> str:
    "cpu-runs/ls0.1/run-s0 -> ls0.1; a grid's run, cpu-runs/levers/label-smoothing=0.1-s0 -> levers: label-smoothing=0.1"
    _, folder, run = source.split('/')
    config = run.rsplit('-s', 1)[0]
    return FORMER.get(folder, folder) if config == 'run' else f'{folder}: {config}'

def swept(records:list) -> list:
    "The runs of the CPU recipes (`cpu-runs/RECIPE/RUN`), each with its recipe's `name`"
    return [dict(r, name=_recipe(r['source'])) for r in records
            if r['source'].startswith('cpu-runs/') and r['source'].count('/') == 2]

def recipe_rows(records:list) -> list:
    "`summarize`'s row of each recipe swept on the CPU, in the order first recorded, with its standard error"
    runs = [dict(r, per_class_acc=None) for r in swept(records)]
    runs += [dict(r, name=r['name'] + EMA, test_acc=r['ema_test_acc'], tta_acc=None) for r in runs   # measured in the run
             if r.get('ema_test_acc') is not None and not r.get('ema')]
    rows = summarize(runs)
    for row in rows:
        row['se'] = row['std']/math.sqrt(row['runs'])
        row['commits'] = sorted({r['commit'] for r in runs if r['name'] == row['name']})
        row['lr_rule'] = next(r['lr_rule'] for r in runs if r['name'] == row['name'])   # a recipe's runs share their rule
    return rows

def verdict(row:dict, base:dict) -> str:
    "The promotion rule, in words, for `row` against the default recipe's `base`"
    if row is base: return 'the default'
    if min(row['runs'], base['runs']) < 2: return 'needs two seeds on each side'
    gain, se = row['mean'] - base['mean'], math.hypot(row['se'], base['se'])
    return f"{100*gain:+.2f} points, standard error {100*se:.2f}: " + ('promote (five seeds next)' if gain > se else 'not promoted')

def paired(row:dict, base:dict) -> list:
    "`(seed, gain)` of each of `row`'s seeds over the default's run of that seed, where the default has one"
    acc = dict(zip(base['seeds'], base['test_acc']))
    return [(s, a - acc[s]) for s, a in zip(row['seeds'], row['test_acc']) if s in acc]

def _pairs(row:dict, base:dict) -> str:
    return '' if row is base else ', '.join(f's{s}: {100*g:+.2f}' for s, g in paired(row, base))

def default_row(rows:list) -> dict:
    "The default recipe's row, the base of every verdict"
    return next(r for r in rows if r['name'] == DEFAULT)

def base_of(row:dict, rows:list) -> dict:
    """The recipe that `row`'s lever was measured against: its rule alone; for a rule alone, `fall`, the default it was tried on;
    for a recipe's moving average (` + EMA`), the recipe's own last weights, from the same runs"""
    if row['name'].endswith(EMA): return next(r for r in rows if r['name'] == row['name'].removesuffix(EMA))   # its own runs
    plain = {r['lr_rule']: r for r in rows if r['name'] in ('fall', DEFAULT)}
    return plain['fall'] if row is plain[row['lr_rule']] else plain[row['lr_rule']]

def default_first(rows:list) -> list:
    "`rows` with the default recipe's first, the others in the order first recorded"
    base = default_row(rows)
    return [base] + [r for r in rows if r is not base]

def markdown(rows:list) -> str:
    "The README's table of the CPU recipes, the default first"
    rows = default_first(rows); base = rows[0]
    lines = ['| recipe | commit | seeds | mean ± sd | to 94.0% | against the default | against the default, seed by seed |',
             '|---|---|---|---|---|---|---|']
    for r in rows:
        spread = f"± {100*r['std']:.2f}" if r['runs'] > 1 else '(one seed)'
        lines.append(f"| `{r['name']}` | {', '.join(r['commits'])} | {', '.join(map(str, r['seeds']))} "
                     f"| {100*r['mean']:.2f}% {spread} | {100*(TARGET - r['mean']):.2f} points | {verdict(r, base)} | {_pairs(r, base)} |")
    return '\n'.join(lines)

RULE_BEFORE = 'tenth-of-min'   # the rule of the runs recorded before the records named theirs: commit 5113971's default

def device_name(r:dict) -> str:
    "A run's device as the pages name it: 'cpu (AMD EPYC, 2 cores)' -> '2-core AMD EPYC'"
    cpu = re.fullmatch(r'cpu \((.+), (\d+) cores\)', r['device'])
    return f'{cpu.group(2)}-core {cpu.group(1)}' if cpu else r['device']

def _result_line(r:dict) -> str:
    tta = f"{100*r['tta_acc']:.2f}%" if r.get('tta_acc') is not None else ''
    took = 'CPU shared' if r.get('shared') else f"{r['train_seconds']:.1f} s"
    return (f"| {device_name(r)} | `{r.get('lr_rule') or RULE_BEFORE}` | {r['commit']} | {r['seed']} | {r['lr_min']:.2e} | {r['lr_max']:.2e} "
            f"| {100*r['test_acc']:.2f}% | {tta} | {took} |")

def _mean_line(runs:list) -> str:
    acc = [r['test_acc'] for r in runs]
    mean, sd = sum(acc)/len(acc), statistics.stdev(acc)
    tta = [r['tta_acc'] for r in runs if r.get('tta_acc') is not None]
    tta = f"**{100*sum(tta)/len(tta):.2f}%**" if len(tta) == len(runs) else ''
    return f"| | | | **mean ± sd** | | | **{100*mean:.2f}% ± {100*sd:.2f}** | {tta} | |"

def results_markdown(records:list) -> str:
    "The home page's one table: the default recipe's seeds on the CPU, and the spec's seeds on the GPU, each labelled with its rule"
    cpu = sorted((r for r in swept(records) if r['name'] == DEFAULT), key=lambda r: r['seed'])
    gpu = sorted((r for r in records if r['device'].startswith('NVIDIA') and '/spec-s' in r['source']), key=lambda r: r['seed'])
    lines = ['| device | LR rule | commit | seed | LRMIN | LRMAX | test accuracy | flip TTA | training |', '|---|---|---|---|---|---|---|---|---|']
    for runs in (cpu, gpu): lines += [_result_line(r) for r in runs] + [_mean_line(runs)]
    return '\n'.join(lines)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--markdown', action='store_true', help="print the README's table")
    rows = recipe_rows(records())
    if p.parse_args().markdown: print(markdown(rows))
    else:
        rows = default_first(rows); base = rows[0]
        for r in rows:
            print(f"{r['name']:<12} seeds {r['seeds']}  mean {100*r['mean']:.2f}% sd {100*r['std']:.2f} se {100*r['se']:.2f}"
                  f"  {100*(TARGET - r['mean']):.2f} points short of 94.0%  {verdict(r, base)}  {_pairs(r, base)}")
