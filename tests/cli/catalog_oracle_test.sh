#!/usr/bin/env bash
# Every catalog formula re-evaluated by an independent evaluator (Python's ast over Fraction) for
# every entry and preset at five contexts; state numbers and multiply-adds must match exactly.
source "$(dirname "$0")/lib.sh"
python=${PYTHON_ORACLE:-/usr/bin/python3}
if [[ ! -x $python ]]; then
  echo "SKIP: $python not available"
  exit 0
fi
checks=$((checks + 1))
"$python" "${RECALLBOUND_SOURCE_DIR:?}/tests/oracle/catalog_formulas.py" "$RECALLBOUND" || fail "catalog formulas differ from the Fraction oracle"
finish
