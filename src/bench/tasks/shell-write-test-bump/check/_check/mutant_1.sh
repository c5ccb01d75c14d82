#!/usr/bin/env bash
# Usage: bump.sh VERSION PART
# VERSION is MAJOR.MINOR.PATCH: three numbers made of digits, optionally prefixed with "v" (the "v" is kept).
# PART is major, minor or patch. Prints the bumped version; the parts after the bumped one are reset to 0:
#   bump.sh 1.4.2 major → 2.0.0    bump.sh 1.4.2 minor → 1.5.0    bump.sh v1.4.2 patch → v1.4.3
# Anything else (a malformed VERSION, an unknown PART, a wrong number of arguments) prints a message on stderr,
# nothing on stdout, and exits 1.
if [ "$#" -ne 2 ]; then
  echo "usage: bump.sh VERSION PART" >&2
  exit 1
fi
version=$1 part=$2
prefix=""
if [ "${version#v}" != "$version" ]; then
  prefix="v"
  version=${version#v}
fi
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "bump.sh: not a MAJOR.MINOR.PATCH version: $1" >&2
  exit 1
fi
IFS=. read -r major minor patch <<< "$version"
case "$part" in
  major) major=$((10#$major + 1)) minor=0 patch=0 ;;
  minor) minor=$((10#$minor + 1)) ;;
  patch) patch=$((10#$patch + 1)) ;;
  *)
    echo "bump.sh: PART must be major, minor or patch, not $part" >&2
    exit 1
    ;;
esac
echo "$prefix$major.$minor.$patch"
