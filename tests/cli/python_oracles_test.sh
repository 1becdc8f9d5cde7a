#!/usr/bin/env bash
# Optional oracles (Debian's /usr/bin/python3): scikit-learn's k-NN MI estimators, SciPy's beta
# quantiles for Clopper-Pearson, and a PyTorch model's recall log verified end to end.
# Each part prints SKIP and passes when its module is missing.
source "$(dirname "$0")/lib.sh"
py=${PYTHON_ORACLE:-/usr/bin/python3}
src="$RECALLBOUND_SOURCE_DIR/tests"
have() { [[ -x $py ]] && "$py" -c "import $1" 2>/dev/null; }
number() { sed -nE "s/.*\"$1\": \"?([-0-9.e]+)\"?.*/\1/p" <<<"$out" | head -1; }
close() { checks=$((checks + 1)); awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' || fail "$4: $1 vs $2 (tolerance $3)"; }

if have sklearn; then
  read -r sk_ksg sk_mixed < <("$py" "$src/estimators/sklearn_oracle.py" "$workdir")
  run estimate mi --x "$workdir/x.txt" --y "$workdir/y.txt" --method ksg --json
  expect_code 0 "ksg"
  ours=$(awk -v b="$(number estimate_bits)" 'BEGIN { print b * log(2) }')
  close "$ours" "$sk_ksg" 0.01 "KSG vs sklearn mutual_info_regression (nats)"
  run estimate mi --x "$workdir/labels.txt" --y "$workdir/z.txt" --method mixed --json
  expect_code 0 "mixed"
  ours=$(awk -v b="$(number estimate_bits)" 'BEGIN { print b * log(2) }')
  close "$ours" "$sk_mixed" 0.01 "mixed vs sklearn mutual_info_classif (nats)"
else
  echo "SKIP: sklearn oracle (python3-sklearn missing)"
fi

if have scipy; then
  # 17 errors in 12800 queries, one row, confidence 0.99: SciPy's one-sided Clopper-Pearson ends.
  cat >"$workdir/run.json" <<'JSON'
{"format": "recallbound-recall-run", "version": 1, "task": {"vocab": 8192},
 "rows": [{"pairs": 64, "queries": 12800, "errors": 17, "state_bits_measured": "131072"}]}
JSON
  read -r lo hi < <("$py" -c "from scipy.stats import beta; print(beta.ppf(0.01, 17, 12800 - 17 + 1), beta.ppf(0.99, 18, 12800 - 17))")
  run verify --run "$workdir/run.json" --json
  expect_code 0 "CP run"
  upper=$(sed -nE '/"error_upper"/,/}/ s/.*"decimal": "([-0-9.e]+)".*/\1/p' <<<"$out")
  lower=$(sed -nE '/"error_lower"/,/}/ s/.*"decimal": "([-0-9.e]+)".*/\1/p' <<<"$out")
  checks=$((checks + 1))
  awk -v u="$upper" -v h="$hi" -v l="$lower" -v o="$lo" 'BEGIN { exit !(u >= h && u <= h * (1 + 1e-9) && l <= o && l >= o * (1 - 1e-9)) }' ||
    fail "Clopper-Pearson [$lower, $upper] vs scipy [$lo, $hi]: must be outside and within 1e-9"
else
  echo "SKIP: scipy oracle (python3-scipy missing)"
fi

if have torch; then
  # A 32x32 float32 linear-attention memory over 256 values: honest, never a violation.
  "$py" "$src/verify/torch_recall_log.py" linear 20 48 256 32 1 "$workdir/linear.csv"
  run verify --log "$workdir/linear.csv" --vocab 256 --state-numbers 1024 --precision fp32
  checks=$((checks + 1)); [[ $code == 0 || $code == 11 ]] || fail "torch linear memory: exit $code; $out$err"
  expect_out "log: 20 sequences" "torch log read"
  # The cache model declares the same small state (64 bf16 numbers = 1024 bits) but answers
  # 200 pairs over 1024 values perfectly (2000 bits): flagged.
  "$py" "$src/verify/torch_recall_log.py" cache 30 200 1024 8 2 "$workdir/cache.csv"
  run verify --log "$workdir/cache.csv" --vocab 1024 --state-numbers 64 --precision bf16 --json
  expect_code 10 "torch cache model"
  expect_out '"verdict": "VIOLATION"' "cache verdict"
else
  echo "SKIP: torch end-to-end log (python3-torch missing)"
fi
finish
