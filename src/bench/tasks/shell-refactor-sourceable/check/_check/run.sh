#!/usr/bin/env bash
# Checks version.sh as a script (unchanged behaviour) and as a library (source it, call its functions).
set -u
script=$PWD/version.sh
work=$PWD/_check/work
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
printf '{\n  "name": "x",\n  "version": "2.0.9",\n  "deps": { "version": "9.9.9" }\n}\n' > "$work/a.json"
printf '{ "name": "no version here" }\n' > "$work/none.json"

# 1. executed: same behaviour as before
out=$(bash "$script" package.json 2>"$work/err"); status=$?
[ "$status" -eq 0 ] && [ "$out" = $'version: 1.4.2\nnext: 1.4.3' ] && [ ! -s "$work/err" ] ||
  fail "bash version.sh package.json: exit $status, printed '$out', stderr '$(cat "$work/err")'"
out=$(bash "$script" "$work/a.json" 2>/dev/null)
[ "$out" = $'version: 2.0.9\nnext: 2.0.10' ] || fail "bash version.sh a.json printed '$out'"
out=$(bash "$script" "$work/none.json" 2>"$work/err"); status=$?
[ "$status" -eq 1 ] && [ -z "$out" ] && [ "$(cat "$work/err")" = "version.sh: no version in $work/none.json" ] ||
  fail "no version: exit $status, stdout '$out', stderr '$(cat "$work/err")'"
out=$(bash "$script" 2>"$work/err"); status=$?
[ "$status" -eq 2 ] && [ -z "$out" ] && [ "$(cat "$work/err")" = "usage: version.sh FILE" ] ||
  fail "no argument: exit $status, stdout '$out', stderr '$(cat "$work/err")'"
bash "$script" "$work/does-not-exist.json" >/dev/null 2>&1 && fail "a missing file should fail"

# 2. sourced: functions only, nothing printed, the caller's options untouched
out=$(bash -c 'source "$1" && echo "[$-]" && type -t read_version next_patch main' _ "$script" 2>&1)
[ "$out" = "[$(bash -c 'echo $-')]"$'\nfunction\nfunction\nfunction' ] ||
  fail "sourcing version.sh (no arguments) gave:"$'\n'"$out"
out=$(bash -c 'lib=$1; set -- package.json; source "$lib"; echo sourced' _ "$script" 2>&1)
[ "$out" = "sourced" ] || fail "sourcing version.sh while \$1 is set printed:"$'\n'"$out"

# 3. the functions
lib() { bash -c 'source "$1"; shift; "$@"' _ "$script" "$@"; }
out=$(lib read_version package.json 2>"$work/err"); status=$?
[ "$status" -eq 0 ] && [ "$out" = "1.4.2" ] && [ ! -s "$work/err" ] || fail "read_version package.json: exit $status, printed '$out'"
[ "$(lib read_version "$work/a.json")" = "2.0.9" ] || fail "read_version a.json printed '$(lib read_version "$work/a.json")'"
out=$(lib read_version "$work/none.json" 2>"$work/err"); status=$?
[ "$status" -eq 1 ] && [ -z "$out" ] && [ "$(cat "$work/err")" = "version.sh: no version in $work/none.json" ] ||
  fail "read_version none.json: exit $status, stdout '$out', stderr '$(cat "$work/err")'"
out=$(bash -c 'source "$1"; read_version "$2"; echo "still here $?"' _ "$script" "$work/none.json" 2>/dev/null)
[ "$out" = "still here 1" ] || fail "read_version on a file without a version must return 1, not exit the caller (got '$out')"
[ "$(lib next_patch 1.4.2)" = "1.4.3" ] || fail "next_patch 1.4.2 printed '$(lib next_patch 1.4.2)'"
[ "$(lib next_patch 2.0.9)" = "2.0.10" ] || fail "next_patch 2.0.9 printed '$(lib next_patch 2.0.9)'"
[ "$(lib next_patch 0.0.0)" = "0.0.1" ] || fail "next_patch 0.0.0 printed '$(lib next_patch 0.0.0)'"

rm -rf "$work"
echo ok
