#!/usr/bin/env bash
# The default recipe over seeds 0-4 on this machine's CPU, as the accuracy work records it: `cifar_resnet_sweep` in the
# background, at the lowest priority, into a folder outside the checkout, with the code of one commit.
#
#   bash benchmarks/cpu_seeds.sh [COMMIT] [OUT] [SWEEP OPTIONS...]   # defaults: HEAD, ../runs/default, --seeds 0 1 2 3 4
#
# A lever is measured the same way, in a folder of its own, with the sweep's options in place of the five seeds, e.g.
#   bash benchmarks/cpu_seeds.sh HEAD ../runs/ls0.1 --seeds 0 1 --grid label-smoothing=0.1
#
# Run the same command again to go on: finished runs are kept and an interrupted one resumes exactly (`--resume`). The code of
# COMMIT is exported to OUT.code and put first on PYTHONPATH, so that editing the checkout meanwhile changes no run. Record each
# finished run with `python benchmarks/record_runs.py OUT/run-sN --commit COMMIT --shared` (shared: the CPU did other work too).
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse --short "${1:-HEAD}"); out=$(realpath -m "${2:-../runs/default}"); shift $(( $# < 2 ? $# : 2 ))
opts=("$@"); [ ${#opts[@]} -gt 0 ] || opts=(--seeds 0 1 2 3 4)
data=$(realpath ../shared/datasets/cifar10)
mkdir -p "$out" "$out.code"
[ -f "$out.code/.commit" ] && [ "$(cat "$out.code/.commit")" != "$commit" ] && { echo "cpu_seeds: $out was started at commit $(cat "$out.code/.commit"), not $commit"; exit 2; }
[ -f "$out.code/.commit" ] || { git archive "$commit" | tar -x -C "$out.code"; echo "$commit" > "$out.code/.commit"; }
echo "cpu_seeds: ${opts[*]} at commit $commit into $out (log: $out.log)"
# setsid gives the sweep a scheduling group of its own, where `nice` alone would still take half the CPU from other work
setsid bash -c "echo 19 > /proc/self/autogroup 2>/dev/null; cd '$out'; PYTHONPATH='$out.code' NO_ALBUMENTATIONS_UPDATE=1 MPLBACKEND=Agg \
  exec nice -n 19 '$PWD/.venv/bin/cifar_resnet_sweep' --out '$out' ${opts[*]} --data '$data' --device cpu --no-progress" >> "$out.log" 2>&1 &
