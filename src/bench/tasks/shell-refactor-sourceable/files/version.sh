#!/usr/bin/env bash
# Usage: version.sh FILE
# Prints the "version" field of a package.json-style FILE and the next patch version:
#   version: 1.4.2
#   next: 1.4.3
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: version.sh FILE" >&2
  exit 2
fi
file=$1
version=$(sed -n -E 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"([^"]+)".*/\1/p' "$file" | head -n 1)
if [ -z "$version" ]; then
  echo "version.sh: no version in $file" >&2
  exit 1
fi
IFS=. read -r major minor patch <<< "$version"
echo "version: $version"
echo "next: $major.$minor.$((patch + 1))"
