#!/usr/bin/env bash
# The agent's test_roman.py must pass on the real roman.py and fail on every planted bug.
set -u
export PYTHONDONTWRITEBYTECODE=1
[ -f test_roman.py ] || { echo "FAIL: there is no test_roman.py"; exit 1; }
restore() { cp _check/roman_good.py roman.py; rm -rf __pycache__; }
run() { rm -rf __pycache__; python3 -m unittest test_roman > _check/out.txt 2>&1; }
restore
if ! run; then echo "FAIL: test_roman.py fails on the correct roman.py:"; cat _check/out.txt; exit 1; fi
grep -Eq '^Ran [1-9]' _check/out.txt || { echo "FAIL: test_roman.py runs no tests"; cat _check/out.txt; exit 1; }
for mutant in _check/mutant_*.py; do
  cp "$mutant" roman.py
  if run; then echo "FAIL: test_roman.py passes on a broken roman.py ($mutant)"; restore; exit 1; fi
done
restore
echo "ok: test_roman.py passes on roman.py and catches every planted bug"
