#!/usr/bin/env bash
# Runs retry.sh against a command that fails a given number of times; sleep is replaced by a recorder.
set -u
root=$PWD
work=$root/_check/work
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"
chmod +x "$root/_check/bin/sleep"
export PATH="$root/_check/bin:$PATH"
export RETRY_CHECK_LOG=$work/sleeps

# run NAME ATTEMPTS DELAY SUCCEED_ON STATUS [ARGS...]: sets $got (exit status), $calls, $sleeps, $errlines
run() {
  local name=$1 attempts=$2 delay=$3 succeed_on=$4 status=$5
  shift 5
  : > "$RETRY_CHECK_LOG"
  rm -f "$work/$name" "$work/$name.args"
  bash "$root/retry.sh" "$attempts" "$delay" bash "$root/_check/flaky.sh" "$work/$name" "$succeed_on" "$status" "$@" \
    > "$work/$name.out" 2> "$work/$name.err"
  got=$?
  calls=$(cat "$work/$name" 2>/dev/null || echo 0)
  sleeps=$(tr '\n' ';' < "$RETRY_CHECK_LOG")
  errlines=$(cat "$work/$name.err")
}

run always 3 2 0 7
[ "$calls" = 3 ] || fail "ATTEMPTS=3, always failing: ran the command $calls times, want 3"
[ "$got" = 7 ] || fail "ATTEMPTS=3, always failing with status 7: exited $got, want 7"
[ "$sleeps" = "sleep 2;sleep 2;" ] || fail "ATTEMPTS=3: slept '$sleeps', want two sleeps of 2 (none after the last attempt)"
[ "$errlines" = $'attempt 1/3 failed (status 7)\nattempt 2/3 failed (status 7)\nattempt 3/3 failed (status 7)' ] ||
  fail "stderr was:"$'\n'"$errlines"

run second 3 1 2 5
[ "$calls" = 2 ] && [ "$got" = 0 ] || fail "succeeding on the 2nd attempt: $calls calls, exit $got; want 2 calls, exit 0"
[ "$sleeps" = "sleep 1;" ] || fail "succeeding on the 2nd attempt: slept '$sleeps'"
[ "$errlines" = "attempt 1/3 failed (status 5)" ] || fail "stderr was:"$'\n'"$errlines"

run last 4 0 4 9
[ "$calls" = 4 ] && [ "$got" = 0 ] || fail "succeeding on the last attempt: $calls calls, exit $got; want 4 calls, exit 0"

run first 5 3 1 1
[ "$calls" = 1 ] && [ "$got" = 0 ] && [ -z "$sleeps" ] && [ -z "$errlines" ] ||
  fail "succeeding at once: $calls calls, exit $got, slept '$sleeps', stderr '$errlines'"

run one 1 3 0 4
[ "$calls" = 1 ] || fail "ATTEMPTS=1: ran the command $calls times, want 1"
[ "$got" = 4 ] || fail "ATTEMPTS=1, failing with status 4: exited $got, want 4"
[ -z "$sleeps" ] || fail "ATTEMPTS=1: slept '$sleeps'"

run oneok 1 0 1 1
[ "$calls" = 1 ] && [ "$got" = 0 ] || fail "ATTEMPTS=1, succeeding: $calls calls, exit $got"

run args 2 0 0 3 "two words" "" '*' '$HOME' -n
[ "$got" = 3 ] || fail "exit $got with arguments, want 3"
[ "$(head -n1 "$work/args.args")" = '[two words][][*][$HOME][-n]' ] || fail "the arguments arrived as $(head -n1 "$work/args.args")"

rm -rf "$work"
echo ok
