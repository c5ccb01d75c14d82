#!/usr/bin/env bash
# Usage: ini_get.sh FILE SECTION KEY
# Prints the value of KEY in the [SECTION] of the INI file FILE, and exits 0.
#   - Section headers are lines "[name]". Other lines are "key = value": whitespace (spaces, tabs) around the key, the "=" and
#     at both ends of the line are ignored, and the value is everything after the first "=" (it may contain "=" and
#     spaces; it may be empty, which prints an empty line).
#   - Blank lines, and lines whose first non-space character is ";" or "#", are comments.
#   - Keys before the first section header belong to no section and are never found.
#   - Section names and keys are case-sensitive. When KEY appears more than once in the section, the last one wins.
#     A section may appear more than once; its parts are read as one section.
# Exits 1, printing nothing, when the section or the key is not there or FILE can't be read.
echo "ini_get.sh: not implemented" >&2
exit 1
