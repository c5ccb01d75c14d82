#!/usr/bin/env bash
# The agent's versions.test.js must pass on the real versions.js and fail on every planted bug.
set -u
[ -f versions.test.js ] || { echo "FAIL: there is no versions.test.js"; exit 1; }
restore() { cp _check/versions_good.js versions.js; }
run() { bun test ./versions.test.js > _check/out.txt 2>&1; }
restore
if ! run; then echo "FAIL: versions.test.js fails on the correct versions.js:"; cat _check/out.txt; exit 1; fi
grep -Eq '^ *[1-9][0-9]* pass' _check/out.txt || { echo "FAIL: versions.test.js runs no tests"; cat _check/out.txt; exit 1; }
for mutant in _check/mutant_*.js; do
  cp "$mutant" versions.js
  if run; then echo "FAIL: versions.test.js passes on a broken versions.js ($mutant)"; restore; exit 1; fi
done
restore
echo "ok: versions.test.js passes on versions.js and catches every planted bug"
