#!/usr/bin/env bash
# The measurements of a GPU session, in phases, run on the lent machine from the project's root after staging
# (python tools/gpu/stage.py here, then the data calls it prints; tools/gpu/README.md).
#
#   bash tools/gpu/session.sh PHASE...     phases: check spec ref profile rules smoothing fp16
#
# check      versions, the GPU, and every import a run needs (a missing wheel fails here, not after a run's training)
# spec       the spec end to end (range test, 24 epochs) for each of $SEEDS, one run at a time: the timings
# ref        the reference loop (albumentations in a DataLoader) at the learning rates spec found for seed 0, alone
# profile    benchmarks/profile_step.py: where a step's time goes, and the NaN check every step against every 25
# rules      --lr-rule fall (the former default) against the spec's late-fall, each of $SEEDS, 4 at once (accuracy only)
# smoothing  --label-smoothing 0.1 with each of the rules fall and late-fall, for each of $SEEDS, 4 runs at once (accuracy only)
# fp16       --amp fp16 (what a T4 gets) for seed 0, alone
#
# Each phase leaves $OUT/PHASE.tar.gz (its sweep folder without weights and checkpoints) or $OUT/PHASE.txt, and the
# whole console goes to $OUT/session.log; a failed phase is reported and the next one runs (exit 1 at the end).
# Back here: tar xzf spec.tar.gz, then python benchmarks/record_runs.py spec --commit C --date D --source gpu-runs/DATE/spec
# (with --shared for rules and smoothing, whose runs shared the GPU).
# Settings from the environment: DATA (/root/data/cifar10), RUNS (/root/runs), SEEDS ("0 1 2 3 4"), WHEELS (.gpu/whl: the
# staged wheels, installed into /tmp/site and put on PYTHONPATH with the project), and for a rehearsal on a CPU
# (tools/gpu/dryrun.sh, which installs them itself: WHEELS empty) TRAIN_ARGS, options added to every run, and PROFILE_ARGS.
set -uo pipefail
cd "$(dirname "$0")/../.."
for phase in "$@"; do
  case $phase in check|spec|ref|profile|rules|smoothing|fp16) ;; *) echo "session.sh: no phase $phase"; exit 2 ;; esac
done
[ $# -gt 0 ] || { echo "session.sh: name the phases to run: check spec ref profile rules smoothing fp16"; exit 2; }
: "${OUT:?OUT must name the folder that comes back}" "${DATA:=/root/data/cifar10}" "${RUNS:=/root/runs}" "${SEEDS:=0 1 2 3 4}"
: "${TRAIN_ARGS:=}" "${PROFILE_ARGS:=}" "${WHEELS=.gpu/whl}"
export CIFAR10_DIR="$DATA" NO_ALBUMENTATIONS_UPDATE=1 PYTHONUNBUFFERED=1 MPLBACKEND=Agg
exec > >(tee -a "$OUT/session.log") 2>&1
mkdir -p "$RUNS"
if [ -n "$WHEELS" ]; then   # the machine has no network: what its image lacks comes as wheels (tools/gpu/stage.py)
  python3 -m pip install -q --no-index --no-deps --no-compile --upgrade --target /tmp/site "$WHEELS"/*.whl || exit 1
  export PYTHONPATH="/tmp/site:$PWD"
fi

sweep() {   # sweep NAME OPTION...: a cifar_resnet_sweep into $RUNS/NAME, packed into $OUT/NAME.tar.gz
  local name=$1; shift
  # shellcheck disable=SC2086  # SEEDS and TRAIN_ARGS are lists of words
  python3 -m cifar_resnet.sweep --out "$RUNS/$name" --seeds $SEEDS --data "$DATA" --no-progress --tar "$OUT/$name.tar.gz" "$@" $TRAIN_ARGS
}

check() {
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  git log -1 --format='commit %H %cd' 2>/dev/null || echo "commit: not a git checkout"
  python3 - <<'PY'
import sys, torch, torchvision, albumentations, torch_lr_finder, pytorch_grad_cam, safetensors, fastcore
import cifar_resnet, cifar_resnet.cli, cifar_resnet.analysis, cifar_resnet.sweep
print(f'python {sys.version.split()[0]}, torch {torch.__version__}, torchvision {torchvision.__version__}, '
      f'albumentations {albumentations.__version__}, cifar_resnet {cifar_resnet.__version__}, cuda {torch.cuda.is_available()}')
PY
  local n; n=$(find "$DATA" -name '*.png' | wc -l)
  echo "$DATA: $n images"; [ "$n" -eq 60000 ]
}

spec() { sweep spec --jobs 1; }

ref() {   # the spec's seed-0 learning rates, given, so that only the training loop differs
  local lrs
  lrs=$(python3 -c "import json; m = json.load(open('$RUNS/spec/run-s0/metrics.json')); print(m['lr_min'], m['lr_max'])") || return
  # shellcheck disable=SC2086
  SEEDS=0 sweep ref --jobs 1 --loader dataloader --lr-min ${lrs% *} --lr-max ${lrs#* }
}

profile() {
  # shellcheck disable=SC2086
  python3 benchmarks/profile_step.py $PROFILE_ARGS > "$OUT/profile.txt"; local rc=$?; tail -n 8 "$OUT/profile.txt"; return $rc
}

rules() { sweep rules --jobs 4 --grid lr-rule=fall; }   # the levers of the CPU's accuracy work (08_sweep)
smoothing() { sweep smoothing --jobs 4 --grid label-smoothing=0.1 --grid lr-rule=fall,late-fall; }
fp16() { SEEDS=0 sweep fp16 --jobs 1 --amp fp16; }

status=0
for phase in "$@"; do
  echo "== $phase ($(date -u +%T))"; t0=$SECONDS
  if "$phase"; then echo "== $phase: done in $((SECONDS - t0)) s"
  else echo "== $phase: FAILED after $((SECONDS - t0)) s"; status=1; [ "$phase" = check ] && break; fi
done
ls -l "$OUT"
exit $status
