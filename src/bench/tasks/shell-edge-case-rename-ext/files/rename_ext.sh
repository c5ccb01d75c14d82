#!/usr/bin/env bash
# Usage: rename_ext.sh DIR FROM TO
# Renames every file in DIR (not in its subfolders) whose name ends in ".FROM" so that it ends in ".TO" instead,
# e.g. `rename_ext.sh notes txt md` turns "notes/a b.txt" into "notes/a b.md". Folders are left alone, even if
# their name ends in ".FROM". Prints one line per renamed file, "OLD -> NEW" (names without the folder), in
# alphabetical order. When nothing matches it prints nothing and exits 0.
# Exits 2 with a usage line on stderr unless given exactly 3 arguments.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: rename_ext.sh DIR FROM TO" >&2
  exit 2
fi
dir=$1 from=$2 to=$3

for f in $(ls $dir/*.$from); do
  new=${f%.$from}.$to
  mv $f $new
  echo "$(basename $f) -> $(basename $new)"
done
