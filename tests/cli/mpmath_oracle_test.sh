#!/usr/bin/env bash
# Optional: the batch answers against mpmath at 60 digits (skips when Debian's mpmath is absent).
exec bash "$(dirname "$0")/run_python_oracle.sh" "$RECALLBOUND_SOURCE_DIR/tests/oracle/capacity_mpmath.py" "$RECALLBOUND"
