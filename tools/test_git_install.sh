#!/usr/bin/env bash
# Test the package the way Colab uses it: pip-install it from a git URL of this repository (its committed HEAD)
# into a fresh virtual environment, then, from a folder outside the checkout, import every module, use the model that
# ships with it (in Python, through cifar_resnet_predict, and served by cifar_resnet_app), and run a tiny real training
# through the command line.   usage: bash tools/test_git_install.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"; app=; trap '[ -n "$app" ] && kill $app 2>/dev/null; rm -rf "$work"' EXIT
python3 -m venv "$work/venv"; . "$work/venv/bin/activate"
pip install -q torch==2.14.1 torchvision==0.29.1          # Colab brings its own torch
pip install -q "cifar_resnet[app] @ git+file://localhost$repo"      # as the README says, with the demo page (pip wants a host in a file URL here)
cd "$work"
python - <<'PY'
import importlib, cifar_resnet, pathlib
mods = ['testing', 'core', 'cifar10', 'data', 'inference', 'custom_resnet', 'lrfind', 'checkpoint', 'learner', 'ema', 'train', 'predict', 'analysis', 'cli', 'app', 'sweep']
for m in mods: importlib.import_module(f'cifar_resnet.{m}')
assert 'site-packages' in cifar_resnet.__file__, cifar_resnet.__file__
print(f'imported cifar_resnet {cifar_resnet.__version__} from {pathlib.Path(cifar_resnet.__file__).parent}: {", ".join(mods)}')
from cifar_resnet.predict import load_pretrained, predict_files
model, info = load_pretrained()
dog = pathlib.Path(cifar_resnet.__file__).parent/'examples'/'dog.png'
top = predict_files(model, info, dog)[0][0]['predictions'][0]
print(f"the shipped model, from the git install: test accuracy {float(info['about']['test_acc']):.4f}; examples/dog.png: {top['label']} {top['prob']:.3f}")
PY
cifar_resnet_predict --pretrained "$(python -c 'import cifar_resnet, pathlib; print(pathlib.Path(cifar_resnet.__file__).parent/"examples"/"ship.png")')"
port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')   # a free one
cifar_resnet_app --pretrained --port "$port" > "$work/app.log" 2>&1 & app=$!
python - "$port" <<'PY'
import json, sys, time, urllib.request
url = f'http://127.0.0.1:{sys.argv[1]}'
for _ in range(240):
    try: info = json.loads(urllib.request.urlopen(f'{url}/gradio_api/info', timeout=2).read()); break
    except OSError: time.sleep(0.5)
else: raise SystemExit(f'cifar_resnet_app --pretrained did not answer at {url}')
config = urllib.request.urlopen(f'{url}/config', timeout=10).read().decode()
assert list(info['named_endpoints']) == ['/classify'] and 'Test accuracy' in config, (info, config[:500])
print('cifar_resnet_app --pretrained serves the shipped model, endpoint /classify')
PY
kill $app; wait $app || true; app=
cifar_resnet_train ${CIFAR10_DIR:+--data "$CIFAR10_DIR"} --epochs 1 --subset 256 --test-subset 200 --batch-size 64 --peak-epoch 0.5 \
  --lr-min 4e-4 --lr-max 4e-3 --device cpu --out "$work/run" --no-progress
python - "$work/run" <<'PY'
import json, sys, pathlib
run = pathlib.Path(sys.argv[1]); m = json.loads((run/'metrics.json').read_text())
want = {'metrics.json', 'model.safetensors', 'README.md', 'last.pt', 'test_preds.npz', 'mistakes.npz', 'curves.png', 'confusion.png', 'mistakes.png'}
assert want == {p.name for p in run.iterdir()}, sorted(p.name for p in run.iterdir())
assert len(m['history']) == 1 and 0 <= m['test_acc'] <= 1
print(f"git install OK: CLI trained outside the checkout, test_acc {m['test_acc']:.3f}")
PY
ex="$(python -c 'import cifar_resnet, pathlib; print(pathlib.Path(cifar_resnet.__file__).parent/"examples"/"cat.png")')"
cifar_resnet_predict "$work/run" "$ex" --top-k 2      # the examples ship with the package; predict reads the run's safetensors
