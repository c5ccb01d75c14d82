#!/usr/bin/env bash
# The agent's test_bump.sh must pass on the real bump.sh and fail on every planted bug.
set -u
[ -f test_bump.sh ] || { echo "FAIL: there is no test_bump.sh"; exit 1; }
restore() { cp _check/bump_good.sh bump.sh; }
run() { timeout 30 bash test_bump.sh > _check/out.txt 2>&1 < /dev/null; }
restore
if ! run; then echo "FAIL: test_bump.sh fails on the correct bump.sh:"; cat _check/out.txt; exit 1; fi
for mutant in _check/mutant_*.sh; do
  cp "$mutant" bump.sh
  if run; then echo "FAIL: test_bump.sh passes on a broken bump.sh ($mutant)"; restore; exit 1; fi
done
restore
echo "ok: test_bump.sh passes on bump.sh and catches every planted bug"
