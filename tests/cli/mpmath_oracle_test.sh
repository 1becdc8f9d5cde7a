#!/usr/bin/env bash
# Optional: the batch answers against mpmath at 60 digits (skips when Debian's mpmath is absent).
set -u
py=${PYTHON_ORACLE:-/usr/bin/python3}
if [[ ! -x $py ]]; then echo "SKIP: $py not found"; exit 0; fi
"$py" "$RECALLBOUND_SOURCE_DIR/tests/oracle/capacity_mpmath.py" "$RECALLBOUND"
rc=$?
[[ $rc -eq 77 ]] && exit 0
exit $rc
