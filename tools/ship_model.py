"""Ship a finished run as the library's pretrained model: `cifar_resnet/pretrained/`, what `load_pretrained()` loads.

    python tools/ship_model.py RUN --commit COMMIT [--recipe NAME] [--data path/to/cifar10]
    python tools/ship_model.py --restamp [--recipe NAME] [--data path/to/cifar10]   # evaluate the shipped weights again; new card

Writes the run's weights as float16 (half the file) with a header that says where they came from (classes, mean, std,
the test accuracy of the float16 weights and of the run, commit, date, device, command, the learning rates and how they were
found), and beside them the run's `metrics.json` (completed with what older runs did not record), `test_preds.npz`, its
most confident mistakes (`mistakes.npz`) and a model card `README.md`. The card also gives the mean of the run's recipe over its
recorded CPU seeds (`--recipe`, as `benchmarks/recipes.py` names it; its default recipe unless said), so that one seed reads as one draw.
Both the run's float32 weights and the float16 ones are evaluated on all 10,000 test images, in float32 on this machine's
CPU; the float16 weights must score within 0.1 points of the float32 ones, or nothing is written. The header and the card's
`model-index` give the float16 weights' own test accuracy and flip-TTA accuracy; the run's own figures sit beside them, named so.
`--restamp` evaluates the weights already shipped again and rewrites their header's figures and the card, nothing else.
"""
import argparse, json, os, time, shutil, sys
from pathlib import Path
import cifar_resnet
from cifar_resnet.core import write_atomic, lr_rule_name
from cifar_resnet.cifar10 import load_cifar10
from cifar_resnet.data import BatchedLoader
from cifar_resnet.custom_resnet import load_model, pretrained_path
from cifar_resnet.inference import flip_tta
from cifar_resnet.inference import gather_logits, loss_and_accuracy
from cifar_resnet.analysis import load_preds, save_mistakes
from cifar_resnet.cli import command_line
from cifar_resnet.checkpoint import model_card, save_weights
sys.path.insert(0, str(Path(__file__).parents[1]/'benchmarks'))
import recipes   # the CPU recipes' records: benchmarks/recipes.py

def completed(m:dict, info:dict, run:Path) -> dict:
    "`metrics.json` with what runs of earlier versions did not record yet: mean, std, version, date, command"
    args = argparse.Namespace(**m['config'] | dict(data='path/to/cifar10', out='run'))   # this machine's folders mean nothing to a reader
    args.lr_rule = lr_rule_name(args.lr_rule)
    date = time.strftime('%Y-%m-%d', time.localtime((run/'metrics.json').stat().st_mtime))
    m = dict(mean=list(info['mean']), std=list(info['std']), version=cifar_resnet.__version__, date=date, command=command_line(args)) | m
    counts = dict(tta_acc=round(m['tta_acc'], 6), per_class_acc={c: round(v, 6) for c, v in m['per_class_acc'].items()})   # older runs: float noise
    return m | counts | dict(config=m['config'] | dict(lr_rule=args.lr_rule, data=args.data, out=args.out))   # the rule by its name now

def accuracy_of(model, data, tta=False) -> float:
    "Test accuracy of `model` on all of `data`'s test images, in float32 on the CPU (with flip TTA if `tta`)"
    test = BatchedLoader(data.x_test, data.y_test, 1000, train=False, device='cpu')
    logits, y = gather_logits(model, test, amp=None)
    if tta: logits = flip_tta(logits, gather_logits(model, ((x.flip(-1), t) for x, t in test), amp=None)[0])
    return loss_and_accuracy(logits, y)[1]

def recipe_row(recipe:str) -> dict|None:
    "`recipes.py`'s row of `recipe`, the shipped run's recipe among the recorded CPU recipes, if it has two seeds or more"
    return next((r for r in recipes.recipe_rows(recipes.records()) if r['name'] == recipe and r['runs'] > 1), None)

def over_seeds(r:dict, seed:int) -> str:
    "The card's account of the shipped run's recipe `r` over its recorded seeds: one run is one draw"
    return (f"\n## Its recipe over {r['runs']} seeds\n\nOne run is one draw. The recipe this model was trained with scores "
            f"{100*r['mean']:.2f}% ± {100*r['std']:.2f} (standard deviation) over seeds {', '.join(map(str, r['seeds']))}, from "
            f"{100*r['min']:.2f}% to {100*r['max']:.2f}% (on a 2-core CPU, commit {', '.join(r['commits'])}; the README's results). "
            f"This model is seed {seed}, taken for its seed, not its score: a run of your own should expect about {100*r['mean']:.1f}%.\n")

def card(m:dict, acc16:float, tta16:float, acc32:float, commit:str, recipe:dict) -> str:
    "The shipped model's card: the float16 weights' own figures in its `model-index`, the run's beside them, named as such"
    run = dict(test_acc=m['test_acc'], tta_acc=m['tta_acc'])
    title = '# CustomResNet on CIFAR-10: the model that ships with cifar_resnet\n'
    text = model_card(m | dict(test_acc=acc16, tta_acc=tta16)).replace('# CustomResNet on CIFAR-10\n', title, 1)
    amp = m['precision']['amp']
    mine = f"    - {{type: accuracy, value: {run['test_acc']}, name: test accuracy in the run's own evaluation ({amp}, float32 weights)}}\n"
    text = text.replace('name: test accuracy with flip TTA (for reference)}\n', 'name: test accuracy with flip TTA (for reference)}\n' + mine, 1)
    return text + (f"\n## As shipped\n\nThe weights are stored as float16, half the file. On all 10,000 test images, evaluated in float32 on a CPU, the "
                   f"float16 weights score {acc16:.4f} ({tta16:.4f} with flip TTA), the figures above, and the run's float32 weights {acc32:.4f}; "
                   f"the run's own evaluation, in {amp}, recorded {run['test_acc']:.4f} ({run['tta_acc']:.4f} with flip TTA). Trained at commit "
                   f"{commit}. Load it with `from cifar_resnet.predict import load_pretrained; model, info = load_pretrained()`, with "
                   "`torch.hub.load('cifar-resnet/cifar_resnet', 'custom_resnet', pretrained=True)` (it takes RGB images in [0, 1]), "
                   "or `cifar_resnet_predict --pretrained IMAGE`.\n") + over_seeds(recipe, m['config']['seed'])

def restamp(data, recipe:dict):
    "Evaluate the shipped float16 weights again and rewrite their header's figures and the card"
    from safetensors import safe_open
    out = pretrained_path()
    fn = out/'model.safetensors'
    with safe_open(fn, 'pt') as f: meta = f.metadata()
    model, _ = load_model(out)
    m = json.loads((out/'metrics.json').read_text())
    acc16, tta16 = accuracy_of(model, data), accuracy_of(model, data, tta=True)
    print(f"the shipped float16 weights, float32 on this CPU: test accuracy {acc16:.4f}, flip TTA {tta16:.4f}; "
          f"the run recorded {m['test_acc']:.4f}, {m['tta_acc']:.4f}")
    meta |= dict(test_acc=json.dumps(acc16), tta_acc=json.dumps(tta16), run_test_acc=json.dumps(m['test_acc']), run_tta_acc=json.dumps(m['tta_acc']))
    meta.pop('format')   # save_weights writes its own
    save_weights(model.half(), fn, **meta)   # the same float16 tensors: float16 -> float32 -> float16 is exact
    write_atomic(out/'README.md', lambda f: f.write(card(m, acc16, tta16, float(meta['fp32_test_acc']), meta['commit'], recipe).encode()))
    print(f'rewrote the header of {fn} and {out/"README.md"}')

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('run', nargs='?')
    p.add_argument('--commit')
    p.add_argument('--data', default=os.environ.get('CIFAR10_DIR'))
    p.add_argument('--restamp', action='store_true', help='evaluate the shipped weights again; rewrite their header figures and the card')
    p.add_argument('--recipe', default=recipes.DEFAULT, help="the run's recipe, as benchmarks/recipes.py names it: the card gives its seeds' mean")
    a = p.parse_args()
    recipe = recipe_row(a.recipe)
    if recipe is None: p.error(f'--recipe: {a.recipe!r} has fewer than two seeds in {recipes.RESULTS}; see python benchmarks/recipes.py')
    if a.restamp: return restamp(load_cifar10(a.data), recipe)
    if not (a.run and a.commit): p.error('give RUN and --commit, or --restamp')
    run, out = Path(a.run), pretrained_path()
    model, info = load_model(run)
    m = completed(json.loads((run/'metrics.json').read_text()), info, run)
    data = load_cifar10(a.data)
    acc32 = accuracy_of(model, data)
    half = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in half.items()})   # what float16 weights give back
    acc16, tta16 = accuracy_of(model, data), accuracy_of(model, data, tta=True)
    print(f"test accuracy on all {len(data.y_test):,} test images, float32 on this CPU: float32 weights {acc32:.4f}, float16 weights {acc16:.4f}; "
          f"the run recorded {m['test_acc']:.4f} ({m['precision']['amp']})")
    if abs(acc16 - acc32) > 0.001: sys.exit(f'ship_model: float16 weights score {acc16:.4f}, float32 {acc32:.4f}: more than 0.1 points apart; nothing written')
    lr_from = f"range test ({m['config']['lr_rule']})" if m['config']['lr_min'] is None else 'given'
    meta = dict(width='64', classes=json.dumps(list(info['classes'])), mean=json.dumps(list(info['mean'])),
                std=json.dumps(list(info['std'])), test_acc=json.dumps(acc16), tta_acc=json.dumps(tta16), run_test_acc=json.dumps(m['test_acc']),
                run_tta_acc=json.dumps(m['tta_acc']),
                fp32_test_acc=json.dumps(acc32), commit=a.commit, date=m['date'], device=m['device'], command=m['command'],
                lr_min=json.dumps(m['lr_min']), lr_max=json.dumps(m['lr_max']), lr_from=lr_from, precision=m['precision']['amp'], dtype='float16')
    out.mkdir(exist_ok=True)
    save_weights(model.half(), out/'model.safetensors', **meta)   # the float16 weights just evaluated, with the format's tag
    shutil.copy(run/'test_preds.npz', out/'test_preds.npz')
    save_mistakes(out/'mistakes.npz', data.x_test, *load_preds(run/'test_preds.npz'))
    write_atomic(out/'metrics.json', lambda f: f.write(json.dumps(m, indent=1).encode()))
    write_atomic(out/'README.md', lambda f: f.write(card(m, acc16, tta16, acc32, a.commit, recipe).encode()))
    print(f"wrote {out}: {', '.join(sorted(p.name for p in out.iterdir()))}")

if __name__ == '__main__': main()
