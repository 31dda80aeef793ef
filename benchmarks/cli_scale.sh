#!/bin/bash
# A generated corpus of a given size, built and validated from scratch through the CLI as a
# user runs it: wall and CPU seconds (user+sys, children included) and the largest process's
# peak memory of each command, with the load average around it.
#   benchmarks/cli_scale.sh 280     # ~0.9M quads (issue 16's ~1M targets)
#   benchmarks/cli_scale.sh 1000    # ~3.2M quads (builds and validates on 24 GB)
set -u
SIZE=${1:?usage: cli_scale.sh SIZE [WORKDIR]}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
P=$ROOT/.venv/bin/plangraph
W=${2:-$(mktemp -d /tmp/cliscale.XXXX)}
load() { cut -d' ' -f1-3 /proc/loadavg; }
run() {
  echo "$* (load $(load))"
  /usr/bin/time -f "  wall %e s, cpu %U+%S s, peak %M KB, exit %x" $P --root "$W/p$SIZE" "$@" \
    > "$W/$1.out" 2> "$W/$1.time"
  tail -1 "$W/$1.time"
  grep -E "built in|^verdict|^SHACL" "$W/$1.out" | sed 's/^/  /'
}
"$ROOT/.venv/bin/python" "$ROOT/benchmarks/generate.py" --size "$SIZE" --out "$W/p$SIZE" | tail -1
run build
run validate --no-cache
echo "done (load $(load)); outputs in $W"
