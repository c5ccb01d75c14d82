#!/usr/bin/env bash
# Usage: retry.sh ATTEMPTS DELAY COMMAND [ARGS...]
# Runs COMMAND with its ARGS (passed on exactly as given) until it succeeds, at most ATTEMPTS times, sleeping DELAY
# seconds between two attempts (never after the last one). Exits 0 as soon as COMMAND succeeds; when every attempt
# fails, exits with COMMAND's exit status from the last attempt. After each failed attempt it prints
# "attempt N/ATTEMPTS failed (status S)" on stderr.
attempts=$1 delay=$2
shift 2
n=1
while [ "$n" -lt "$attempts" ]; do
  "$@" && exit 0
  status=$?
  echo "attempt $n/$attempts failed (status $status)" >&2
  sleep "$delay"
  n=$((n + 1))
done
exit $status
