#!/usr/bin/env bash
# Runs colsum.sh on prepared CSV files and compares its output and exit status with its header comment.
set -u
script=$PWD/colsum.sh
work=$PWD/_check/work
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
# expect STATUS STDOUT ARGS...: stdout must be exactly STDOUT; stderr must be empty iff STATUS is 0
expect() {
  local status=$1 want=$2
  shift 2
  local out got
  out=$(bash "$script" "$@" 2>"$work/err")
  got=$?
  [ "$got" -eq "$status" ] || fail "colsum.sh $* exited $got, want $status (stdout '$out', stderr '$(cat "$work/err")')"
  [ "$out" = "$want" ] || fail "colsum.sh $* printed '$out', want '$want'"
  if [ "$status" -eq 0 ]; then
    [ -s "$work/err" ] && fail "colsum.sh $* wrote to stderr: $(cat "$work/err")"
  else
    [ -s "$work/err" ] || fail "colsum.sh $* exited $status without a message on stderr"
  fi
  return 0
}

expect 0 "61.25" data/sales.csv amount
expect 0 "10.00" data/sales.csv units
printf 'price,price_eur,qty\n1.5,100,2\n2.25,200,3\n' > "$work/prefix.csv"
expect 0 "3.75" "$work/prefix.csv" price
expect 0 "300.00" "$work/prefix.csv" price_eur
expect 0 "5.00" "$work/prefix.csv" qty
printf 'a,b\n-5,1\n2.5,1\n-0.25,1\n' > "$work/neg.csv"
expect 0 "-2.75" "$work/neg.csv" a
printf 'x,y\n' > "$work/header-only.csv"
expect 0 "0.00" "$work/header-only.csv" y
printf 'x,total\n1,\n2,\n' > "$work/empty-cells.csv"
expect 0 "0.00" "$work/empty-cells.csv" total
printf 'n\n0.1\n0.2\n' > "$work/one-col.csv"
expect 0 "0.30" "$work/one-col.csv" n
printf 'a,b\n1,2\n3,4' > "$work/no-final-newline.csv"
expect 0 "6.00" "$work/no-final-newline.csv" b
mkdir -p "$work/dir with space"
printf 'k,v\n1,1000000\n2,2345678.9\n' > "$work/dir with space/big.csv"
expect 0 "3345678.90" "$work/dir with space/big.csv" v

expect 2 "" data/sales.csv missing
expect 2 "" data/sales.csv amoun
expect 2 "" "$work/prefix.csv" price_
expect 1 "" "$work/does-not-exist.csv" amount
expect 2 "" data/sales.csv
expect 2 ""

rm -rf "$work"
echo ok
