#!/usr/bin/env bash
# Rehearse a GPU session on this CPU, so that the minutes on the lent machine go to measuring, not to finding a missing wheel.
#
#   bash tools/gpu/dryrun.sh [PHASE...]     (default: check spec ref profile rules smoothing)
#   fp16 is left out: this CPU has no fp16 kernels, a training step in fp16 takes 36 times as long as in bf16 here, and a
#   tiny run's range test alone took over 9 minutes.
#   (with the project's environment active: tools/gpu/stage.py reads the installed cifar_resnet's requirements)
#
# First it stages for real (tools/gpu/stage.py: the Python 3.12 wheels and the data zips in .gpu/, each call within its
# 64 MiB), then it copies the lent machine: a fresh environment holding only what its image holds of our needs (torch,
# torchvision and the image's packages that cifar_resnet's requirements name, as tools/gpu/image.txt lists them), the
# same wheels for this Python installed with `pip install --target` as that machine's calls do, the project on PYTHONPATH
# (not installed), the data unpacked from the staged zips, and tools/gpu/session.sh run as it would run there, on
# tiny runs (TRAIN_ARGS) with two seeds. Then the packed phases are unpacked and recorded with benchmarks/record_runs.py
# into a file of their own, as they would be here after the session.
# What it cannot copy: Python 3.12 (wheels for 3.11 here, the same versions), torch 2.11 with CUDA, and the timings.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
: "${CIFAR10_DIR:=$root/../shared/datasets/cifar10}"
phases=("$@"); [ ${#phases[@]} -gt 0 ] || phases=(check spec ref profile rules smoothing)
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
img="${GPU_DRYRUN_VENV:-/tmp/gpu-image-venv}"   # kept between rehearsals: torch takes minutes to install

echo "== the image: a fresh environment with torch and the image's packages that cifar_resnet needs"
if [ ! -x "$img/bin/python3" ]; then
  python3 -m venv "$img"
  "$img/bin/pip" install -q torch==2.14.1 torchvision==0.29.1 numpy scipy matplotlib tqdm pillow pyyaml packaging \
    typing-extensions opencv-python-headless safetensors scikit-learn 2>&1 | { grep -v '^WARNING: Location' || true; }
fi
(cd "$work" && "$img/bin/python3" - <<'PY'
import importlib.util as u
there = [m for m in ('albumentations', 'torch_lr_finder', 'pytorch_grad_cam', 'ttach', 'fastcore', 'cifar_resnet') if u.find_spec(m)]
assert not there, f'the rehearsal image must not hold {there}: they come as staged wheels, and the project on PYTHONPATH'
PY
)

echo "== staging as for the session: tools/gpu/stage.py"
python3 tools/gpu/stage.py --data "$CIFAR10_DIR" 2>&1 | { grep -v '^WARNING: Location' || true; }
for z in .gpu/data*.zip; do python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$z" "$work/data"; done

echo "== the same wheels for this Python, installed as the lent machine's calls install them"
pyv=$("$img/bin/python3" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
python3 tools/gpu/stage.py --python "$pyv" --dest "$work/whl" 2>&1 | { grep -v '^WARNING: Location' || true; }
"$img/bin/python3" -m pip install -q --no-index --no-deps --no-compile --target "$work/site" "$work"/whl/*.whl

echo "== tools/gpu/session.sh ${phases[*]}, tiny, on the CPU"
mkdir -p "$work/out"
rc=0
# one thread per process: the phases of 4 runs at once would otherwise put 8 busy threads on 2 cores (3x slower in all)
env -i HOME="$HOME" PATH="$img/bin:/usr/bin:/bin" PYTHONPATH="$work/site:$root" OUT="$work/out" DATA="$work/data/cifar10" OMP_NUM_THREADS=1 \
  RUNS="$work/runs" SEEDS="0 1" WHEELS= TRAIN_ARGS="--device cpu --subset 1000 --test-subset 500 --epochs 2 --batch-size 50" \
  PROFILE_ARGS="--device cpu --batch-size 32 --n 512 --steps 5" TMPDIR="$work" CIFAR_RESNET_CACHE="$work/cache" \
  bash tools/gpu/session.sh "${phases[@]}" > "$work/console" || rc=$?
[ $rc -eq 0 ] || { tail -n 40 "$work/console"; echo "FAIL: session.sh exited $rc"; exit 1; }

echo "== what comes back, unpacked and recorded as after a session"
files=$(ls "$work/out" | wc -l)
[ "$files" -le 8 ] || { ls "$work/out"; echo "FAIL: $files files under \$OUT: 8 come back"; exit 1; }
mkdir -p "$work/back"
for t in "$work"/out/*.tar.gz; do
  name=$(basename "$t" .tar.gz)
  if tar tzf "$t" | grep -E '\.(pt|safetensors)$'; then echo "FAIL: $name.tar.gz holds weights"; exit 1; fi
  tar xzf "$t" -C "$work/back"
  shared=(); case $name in rules|smoothing) shared=(--shared) ;; esac
  python3 benchmarks/record_runs.py "$work/back/$name" --commit dryrun --date "$(date -u +%F)" --source "dryrun/$name" \
    "${shared[@]}" --to "$work/results.jsonl"
done
python3 - "$work/results.jsonl" "$work/out" <<'PY'
import json, sys
from collections import Counter
from pathlib import Path
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows: print(f"{r['source']:<44} seed {r['seed']}  lr {r['lr_min']:.2e}/{r['lr_max']:.2e} ({r['lr_source']})  "
                     f"{r['path']:<9} test {r['test_acc']:.4f}  train {r['train_seconds']:.1f} s  wall {r['wall_seconds']} s")
n = Counter(r['source'].split('/')[1] for r in rows)
want = dict(spec=2, ref=1, rules=2, smoothing=4, fp16=1)
out = Path(sys.argv[2])
for phase, k in want.items():
    if (out/f'{phase}.tar.gz').exists(): assert n[phase] == k, f'{phase}: {n[phase]} runs recorded, {k} expected'
assert all(r['wall_seconds'] for r in rows if r['source'].startswith('dryrun/spec')), 'spec runs need wall seconds timed from outside'
assert all(r['lr_source'] == 'given' and r['path'] == 'reference' for r in rows if '/ref/' in r['source']), 'ref: the reference loop at given rates'
assert all(r['precision'] == 'fp16' for r in rows if '/fp16/' in r['source']), 'fp16: runs in fp16'
if (out/'profile.txt').exists(): assert 'ms per step' in (out/'profile.txt').read_text(), 'profile.txt has no timings'
print(f'rehearsal passed: {len(rows)} runs recorded, {len(list(out.iterdir()))} files came back')
PY
