#!/usr/bin/env bash
# Optional: check-claims margins and verdicts against mpmath at 60 digits (skips without mpmath).
exec bash "$(dirname "$0")/run_python_oracle.sh" "$RECALLBOUND_SOURCE_DIR/tests/oracle/claims_mpmath.py" "$RECALLBOUND"
