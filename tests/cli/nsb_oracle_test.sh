#!/usr/bin/env bash
# Optional oracle (Debian's /usr/bin/python3 with mpmath): the NSB posterior mean and standard
# deviation against a direct numerical integration (tests/estimators/nsb_oracle.py, K = 2).
source "$(dirname "$0")/lib.sh"
py=${PYTHON_ORACLE:-/usr/bin/python3}
if ! [[ -x $py ]] || ! "$py" -c "import mpmath" 2>/dev/null; then
  echo "SKIP: mpmath oracle (python3-mpmath missing)"
  exit 0
fi
number() { sed -nE "s/.*\"$1\": \"?([-0-9.e]+)\"?.*/\1/p" <<<"$out" | head -1; }
for counts in "7 5" "9 0"; do
  read -r n1 n2 <<<"$counts"
  { for ((i = 0; i < n1; i++)); do echo a; done; for ((i = 0; i < n2; i++)); do echo b; done; } >"$workdir/s.txt"
  read -r mean sd < <("$py" "$RECALLBOUND_SOURCE_DIR/tests/estimators/nsb_oracle.py" "$n1" "$n2")
  run estimate entropy --x "$workdir/s.txt" --method nsb --alphabet 2 --json
  expect_code 0 "nsb $counts"
  checks=$((checks + 1))
  awk -v a="$(number mean_bits)" -v b="$mean" -v s="$(number standard_deviation_bits)" -v t="$sd" \
    'BEGIN { exit !((a - b) ^ 2 < (2e-4) ^ 2 && (s - t) ^ 2 < (2e-4) ^ 2) }' ||
    fail "counts $counts: ours mean $(number mean_bits) sd $(number standard_deviation_bits), mpmath $mean $sd"
done
finish
