#!/usr/bin/env bash
# Runs rename_ext.sh on prepared folders and compares what it did with what its header comment promises.
set -u
script=$PWD/rename_ext.sh
work=$PWD/_check/work
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work"

# names with spaces, in a folder with a space
d="$work/my notes"
mkdir -p "$d/sub dir.txt" "$d/deeper"
touch "$d/a b.txt" "$d/c.txt" "$d/keep.md" "$d/archive.txt.bak" "$d/deeper/x.txt" "$d/zz top.txt"
out=$(bash "$script" "$d" txt md 2>"$work/err") || fail "exit status $? for a folder with matches; stderr: $(cat "$work/err")"
expected=$'a b.txt -> a b.md\nc.txt -> c.md\nzz top.txt -> zz top.md'
[ "$out" = "$expected" ] || fail "printed:"$'\n'"$out"$'\n'"expected:"$'\n'"$expected"
[ -s "$work/err" ] && fail "wrote to stderr: $(cat "$work/err")"
listing=$(cd "$d" && find . | LC_ALL=C sort)
expected_listing=$(printf '%s\n' . "./a b.md" ./archive.txt.bak ./c.md ./deeper ./deeper/x.txt ./keep.md "./sub dir.txt" "./zz top.md" | LC_ALL=C sort)
[ "$listing" = "$expected_listing" ] || fail "the folder now holds:"$'\n'"$listing"$'\n'"expected:"$'\n'"$expected_listing"

# nothing to rename
e="$work/empty one"
mkdir -p "$e/only.txt"
touch "$e/readme.md"
out=$(bash "$script" "$e" txt md 2>"$work/err") || fail "exit status $? when nothing matches; stderr: $(cat "$work/err")"
[ -z "$out" ] || fail "printed '$out' when nothing matches"
[ -s "$work/err" ] && fail "wrote to stderr when nothing matches: $(cat "$work/err")"
[ "$(cd "$e" && find . | LC_ALL=C sort | tr '\n' ' ')" = ". ./only.txt ./readme.md " ] || fail "changed the folder when nothing matched"

# glob characters and a leading dash in names
g="$work/glob"
mkdir -p "$g"
touch "$g/[x].log" "$g/-dash.log" "$g/star*.log" "$g/plain.txt"
out=$(bash "$script" "$g" log txt 2>"$work/err") || fail "exit status $? for names with [ ] * -; stderr: $(cat "$work/err")"
# (compared sorted: how punctuation sorts depends on the locale)
[ "$(printf '%s\n' "$out" | LC_ALL=C sort)" = $'-dash.log -> -dash.txt\n[x].log -> [x].txt\nstar*.log -> star*.txt' ] || fail "printed for [ ] * - names:"$'\n'"$out"
[ -f "$g/[x].txt" ] && [ -f "$g/-dash.txt" ] && [ -f "$g/star*.txt" ] && [ -f "$g/plain.txt" ] || fail "files not renamed: $(ls "$g")"

# usage
bash "$script" only-two args >/dev/null 2>"$work/err"
[ $? -eq 2 ] || fail "wrong argument count should exit 2"
grep -q "usage" "$work/err" || fail "no usage line on stderr"

rm -rf "$work"
echo ok
