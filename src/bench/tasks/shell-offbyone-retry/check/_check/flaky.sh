#!/usr/bin/env bash
# flaky.sh COUNTER_FILE SUCCEED_ON STATUS [ARGS...]: counts its calls in COUNTER_FILE, records its ARGS, and
# succeeds on call number SUCCEED_ON (0 = never); otherwise exits STATUS.
counter=$1 succeed_on=$2 status=$3
shift 3
n=$(($(cat "$counter" 2>/dev/null || echo 0) + 1))
echo "$n" > "$counter"
printf '[%s]' "$@" >> "$counter.args"
echo >> "$counter.args"
[ "$n" -eq "$succeed_on" ] && exit 0
exit "$status"
