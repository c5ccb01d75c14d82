#!/usr/bin/env bash
# Usage: rotate.sh DIR MAX_BYTES
# Rotates every DIR/*.log file bigger than MAX_BYTES bytes: an existing NAME.log.2 is deleted, NAME.log.1 becomes
# NAME.log.2, NAME.log becomes NAME.log.1, and a new empty NAME.log is created. Files of MAX_BYTES or less are left
# alone. Ends with a line "rotated N file(s)".
set -u
dir=$1
max_bytes=$2

rotated=0
for f in "$dir"/*.log; do
  [ -f "$f" ] || continue
  size=$(du -b "$f")
  if [ "$size" -gt "$max_bytes" ]; then
    rm -f "$f.2"
    if [ -f "$f.1" ]; then
      mv "$f.1" "$f.2"
    fi
    mv "$f" "$f.1"
    : > "$f"
    rotated=$((rotated + 1))
  fi
done
echo "rotated $rotated file(s)"
