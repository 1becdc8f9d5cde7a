# Helpers for CLI tests. Each *_test.sh sources this; $RECALLBOUND is the binary under test.
set -u
: "${RECALLBOUND:?RECALLBOUND must point at the recallbound binary}"
failures=0
checks=0
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

# run ARGS...: runs the binary, capturing stdout in $out, stderr in $err and the exit code in $code.
run() {
  out=$("$RECALLBOUND" "$@" 2>"$workdir/stderr") && code=0 || code=$?
  err=$(cat "$workdir/stderr")
}
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_code() { checks=$((checks + 1)); [[ "$code" == "$1" ]] || fail "${2:-}: exit code $code, expected $1; stderr: $err"; }
expect_out() { checks=$((checks + 1)); grep -qE -- "$1" <<<"$out" || fail "${2:-}: stdout lacks /$1/: $out"; }
expect_err() { checks=$((checks + 1)); grep -qE -- "$1" <<<"$err" || fail "${2:-}: stderr lacks /$1/: $err"; }
expect_no_nan() { checks=$((checks + 1)); ! grep -qiE '\bnan\b' <<<"$out$err" || fail "${1:-}: output contains NaN"; }
finish() {
  echo "$checks checks, $failures failures"
  [[ $failures -eq 0 ]]
}
