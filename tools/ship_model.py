"""Ship a finished run as the library's pretrained model: `cifar_resnet/pretrained/`, what `load_pretrained()` loads.

    python tools/ship_model.py RUN --commit COMMIT [--data path/to/cifar10]

Writes the run's weights as float16 (half the file) with a header that says where they came from (classes, mean, std,
the test accuracy of the float16 weights and of the run, commit, date, device, command, the learning rates and how they were
found), and beside them the run's `metrics.json` (completed with what older runs did not record), `test_preds.npz`, its
most confident mistakes (`mistakes.npz`) and a model card `README.md`.
Both the run's float32 weights and the float16 ones are evaluated on all 10,000 test images, in float32 on this machine's
CPU; the float16 weights must score within 0.1 points of the float32 ones, or nothing is written.
"""
import argparse, json, os, time, shutil, sys
from pathlib import Path
import torch
import cifar_resnet
from cifar_resnet.core import write_atomic
from cifar_resnet.data import load_cifar10
from cifar_resnet.augment import BatchedLoader
from cifar_resnet.predict import load_model, pretrained_path
from cifar_resnet.train import gather_logits, loss_and_accuracy
from cifar_resnet.analysis import load_preds, save_mistakes
from cifar_resnet.cli import model_card, command_line, lr_rule_name

def completed(m:dict, info:dict, run:Path) -> dict:
    "`metrics.json` with what runs of earlier versions did not record yet: mean, std, version, date, command"
    args = argparse.Namespace(**m['config'] | dict(data='path/to/cifar10', out='run'))   # this machine's folders mean nothing to a reader
    args.lr_rule = lr_rule_name(args.lr_rule)
    date = time.strftime('%Y-%m-%d', time.localtime((run/'metrics.json').stat().st_mtime))
    m = dict(mean=list(info['mean']), std=list(info['std']), version=cifar_resnet.__version__, date=date, command=command_line(args)) | m
    counts = dict(tta_acc=round(m['tta_acc'], 6), per_class_acc={c: round(v, 6) for c, v in m['per_class_acc'].items()})   # older runs: float noise
    return m | counts | dict(config=m['config'] | dict(lr_rule=args.lr_rule, data=args.data, out=args.out))   # the rule by its name now

def accuracy_of(model, data) -> float:
    "Test accuracy of `model` on all of `data`'s test images, in float32 on the CPU"
    logits, y = gather_logits(model, BatchedLoader(data.x_test, data.y_test, 1000, train=False, device='cpu'), amp=None)
    return loss_and_accuracy(logits, y)[1]

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('run'); p.add_argument('--commit', required=True); p.add_argument('--data', default=os.environ.get('CIFAR10_DIR'))
    a = p.parse_args()
    run, out = Path(a.run), pretrained_path()
    model, info = load_model(run)
    m = completed(json.loads((run/'metrics.json').read_text()), info, run)
    data = load_cifar10(a.data)
    acc32 = accuracy_of(model, data)
    half = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in half.items()})   # what float16 weights give back
    acc16 = accuracy_of(model, data)
    print(f"test accuracy on all {len(data.y_test):,} test images, float32 on this CPU: float32 weights {acc32:.4f}, float16 weights {acc16:.4f}; "
          f"the run recorded {m['test_acc']:.4f} ({m['precision']['amp']})")
    if abs(acc16 - acc32) > 0.001: sys.exit(f'ship_model: float16 weights score {acc16:.4f}, float32 {acc32:.4f}: more than 0.1 points apart; nothing written')
    lr_from = f"range test ({m['config']['lr_rule']})" if m['config']['lr_min'] is None else 'given'
    meta = dict(format='cifar_resnet weights 1', width='64', classes=json.dumps(list(info['classes'])), mean=json.dumps(list(info['mean'])),
                std=json.dumps(list(info['std'])), test_acc=json.dumps(acc16), run_test_acc=json.dumps(m['test_acc']), tta_acc=json.dumps(m['tta_acc']),
                fp32_test_acc=json.dumps(acc32), commit=a.commit, date=m['date'], device=m['device'], command=m['command'],
                lr_min=json.dumps(m['lr_min']), lr_max=json.dumps(m['lr_max']), lr_from=lr_from, precision=m['precision']['amp'], dtype='float16')
    from safetensors.torch import save
    out.mkdir(exist_ok=True)
    write_atomic(out/'model.safetensors', lambda f: f.write(save({k: v.contiguous() for k, v in half.items()}, metadata=meta)))
    shutil.copy(run/'test_preds.npz', out/'test_preds.npz')
    save_mistakes(out/'mistakes.npz', data.x_test, *load_preds(run/'test_preds.npz'))
    write_atomic(out/'metrics.json', lambda f: f.write(json.dumps(m, indent=1).encode()))
    card = model_card(m).replace('# CustomResNet on CIFAR-10\n', '# CustomResNet on CIFAR-10: the model that ships with cifar_resnet\n', 1)
    card += (f"\n## As shipped\n\nThe weights are stored as float16, half the file. On all 10,000 test images, evaluated in float32 on a CPU, the "
             f"float16 weights score {acc16:.4f} and the run's float32 weights {acc32:.4f}; the run's own evaluation, in {m['precision']['amp']}, "
             f"recorded {m['test_acc']:.4f}. Trained at commit {a.commit}. Load it with `from cifar_resnet.predict import load_pretrained; "
             "model, info = load_pretrained()`, or `cifar_resnet_predict --pretrained IMAGE`.\n")
    write_atomic(out/'README.md', lambda f: f.write(card.encode()))
    print(f"wrote {out}: {', '.join(sorted(p.name for p in out.iterdir()))}")

if __name__ == '__main__': main()
