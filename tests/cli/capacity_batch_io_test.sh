#!/usr/bin/env bash
# capacity --batch input handling: rows across the reader's 1 MiB blocks, a line longer than a block,
# CRLF, no final newline, blank lines, empty input.
source "$(dirname "$0")/lib.sh"

# 60000 rows (~1.2 MB) cross a block boundary; each half alone (< 1 MiB) does not. The whole file must
# give exactly the two halves' outputs, in order.
awk 'BEGIN { print "state_bits,vocab,error"; for (i = 1; i <= 60000; i++) printf "%d,%d,%d/1000\n", 1000 + 7 * i, 2 + i % 5000, i % 499 }' \
  > "$workdir/many.csv"
head -n 30001 "$workdir/many.csv" > "$workdir/first.csv"
{ head -n 1 "$workdir/many.csv"; tail -n 30000 "$workdir/many.csv"; } > "$workdir/second.csv"
"$RECALLBOUND" capacity --batch "$workdir/many.csv" --out "$workdir/many.out"; code=$?; err=""
expect_code 0 "many rows"
"$RECALLBOUND" capacity --batch "$workdir/first.csv" --out "$workdir/first.out"
"$RECALLBOUND" capacity --batch - --out "$workdir/second.out" < "$workdir/second.csv"
checks=$((checks + 1))
cmp -s "$workdir/many.out" <(cat "$workdir/first.out"; tail -n +2 "$workdir/second.out") ||
  fail "many rows: the whole file's output differs from its halves'"
checks=$((checks + 1))
[[ $(wc -l < "$workdir/many.out") -eq 60001 ]] || fail "many rows: expected 60001 output lines"
checks=$((checks + 1))
cmp -s <(cut -d, -f1-3 "$workdir/many.out" | tail -n +2) <(tail -n +2 "$workdir/many.csv") ||
  fail "many rows: input columns not carried through in order"

# One line of 2.5 MB (a carried-through column) grows the block.
long=$(head -c 2500000 /dev/zero | tr '\0' x)
{ echo "note,state_bits,vocab,error"; printf '"%s",160,32,0\n' "$long"; echo "short,159,32,0"; } > "$workdir/long.csv"
run capacity --batch "$workdir/long.csv"
expect_code 0 "long line"
checks=$((checks + 1))
[[ "$(sed -n 2p <<<"$out")" == "\"$long\",160,32,0,32,"* ]] || fail "long line not carried through whole"
expect_out '^short,159,32,0,31,' "row after the long line"

printf 'state_bits,vocab,error\r\n160,32,0\r\n159,32,0' > "$workdir/crlf.csv"
run capacity --batch "$workdir/crlf.csv"
expect_code 0 "crlf"
expect_out '^state_bits,vocab,error,max_pairs,denominator_lower,denominator_upper$' "crlf header"
expect_out '^160,32,0,32,4\.9+[0-9]*,5\.0+[1-9][0-9]*$' "crlf row: D = 5 enclosed, no CR left"
expect_out '^159,32,0,31,' "last line without newline"

printf 'state_bits,vocab,error\n\n160,32,0\n\n10,1,0\n' > "$workdir/blank.csv"
run capacity --batch "$workdir/blank.csv"
expect_code 2 "blank lines"; expect_err 'line 5: vocab: 1 is out of range' "blank lines still count"

: > "$workdir/empty.csv"
run capacity --batch "$workdir/empty.csv"
expect_code 2 "empty input"; expect_err 'empty input' "empty input"
expect_no_nan "all outputs"
finish
