#!/usr/bin/env bash
# Optional: check-claims margins and verdicts against mpmath at 60 digits (skips without mpmath).
set -u
py=${PYTHON_ORACLE:-/usr/bin/python3}
if [[ ! -x $py ]]; then echo "SKIP: $py not found"; exit 0; fi
"$py" "$RECALLBOUND_SOURCE_DIR/tests/oracle/claims_mpmath.py" "$RECALLBOUND"
rc=$?
[[ $rc -eq 77 ]] && exit 0
exit $rc
