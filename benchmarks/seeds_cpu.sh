#!/bin/bash
# seeds scenarios: wall and CPU seconds (user+sys, children included) of each CLI command
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
P=$ROOT/.venv/bin/plangraph
R=$(mktemp -d /tmp/seedscpu.XXXX)
cp -r "$ROOT/ontology" "$ROOT/queries" "$ROOT/graph" "$R/"
run() { /usr/bin/time -f "$1 $2: wall %e s, cpu %U+%S s, peak %M KB" $P --root $R $2 > /dev/null 2>>"$R.err"; tail -1 "$R.err"; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "from scratch" build; run "from scratch" validate
run "nothing changed" build; run "nothing changed" validate
f=$(ls $R/graph/plans/*.yaml | head -1); sed -i '0,/status: adopted/s//status: updated/' $f
run "one plan edited" build; run "one plan edited" validate
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$R" "$R.err"
