#!/usr/bin/env bash
# The agent's size_test.go must pass on the real size.go and fail on every planted bug.
set -u
[ -f size_test.go ] || { echo "FAIL: there is no size_test.go"; exit 1; }
grep -q '^func Test' size_test.go || { echo "FAIL: size_test.go has no Test function"; exit 1; }
restore() { cp _check/size_good.go.txt size.go; }
run() { go test -count=1 ./... > _check/out.txt 2>&1; }
restore
if ! run; then echo "FAIL: the tests fail on the correct size.go:"; cat _check/out.txt; exit 1; fi
for mutant in _check/mutant_*.go.txt; do
  cp "$mutant" size.go
  if run; then echo "FAIL: the tests pass on a broken size.go ($mutant)"; restore; exit 1; fi
  if grep -q '\[build failed\]\|setup failed' _check/out.txt; then echo "FAIL: the tests do not build"; cat _check/out.txt; restore; exit 1; fi
done
restore
echo "ok: size_test.go passes on size.go and catches every planted bug"
