#!/usr/bin/env bash
# Runs rotate.sh on a prepared log folder and checks the result against its header comment.
set -u
script=$PWD/rotate.sh
work=$PWD/_check/work
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && d="$work/app logs" && mkdir -p "$d"
fill() { head -c "$2" /dev/zero | tr '\0' "$3" > "$1"; }
fill "$d/api.log" 2000 a          # bigger: rotated
fill "$d/api.log.1" 50 b          # becomes api.log.2
fill "$d/api.log.2" 60 c          # deleted
fill "$d/worker.log" 1001 w       # bigger by one byte: rotated, no .1 before
fill "$d/exact.log" 1000 e        # exactly MAX_BYTES: left alone
fill "$d/small.log" 10 s          # smaller: left alone
fill "$d/old.log.1" 5000 o        # not a *.log file: left alone
fill "$d/notes.txt" 5000 n        # not a *.log file: left alone
fill "$d/with space.log" 1500 x   # name with a space: rotated

out=$(bash "$script" "$d" 1000 2>"$work/err") || fail "exit status $?; stderr: $(cat "$work/err")"
[ -s "$work/err" ] && fail "wrote to stderr: $(cat "$work/err")"
[ "$out" = "rotated 3 file(s)" ] || fail "printed '$out', want 'rotated 3 file(s)'"

content() { if [ -f "$1" ]; then tr -d '\n' < "$1" | head -c 1; printf ':%s' "$(wc -c < "$1" | tr -d ' ')"; else printf 'missing'; fi; }
check() { local got; got=$(content "$d/$1"); [ "$got" = "$2" ] || fail "$1: got $got, want $2"; }
check api.log ":0"
check api.log.1 "a:2000"
check api.log.2 "b:50"
check worker.log ":0"
check worker.log.1 "w:1001"
check worker.log.2 "missing"
check exact.log "e:1000"
check exact.log.1 "missing"
check small.log "s:10"
check old.log.1 "o:5000"
check notes.txt "n:5000"
check "with space.log" ":0"
check "with space.log.1" "x:1500"
[ "$(ls "$d" | wc -l | tr -d ' ')" = 11 ] || fail "unexpected files: $(ls "$d")"

# a second run: nothing is over the limit any more
out=$(bash "$script" "$d" 1000 2>"$work/err") || fail "second run: exit status $?"
[ "$out" = "rotated 0 file(s)" ] || fail "second run printed '$out'"
check api.log.1 "a:2000"

# a folder without any *.log
mkdir -p "$work/none"
out=$(bash "$script" "$work/none" 10 2>"$work/err") || fail "empty folder: exit status $?"
[ "$out" = "rotated 0 file(s)" ] || fail "empty folder printed '$out'"

rm -rf "$work"
echo ok
