#!/usr/bin/env bash
# Runs an optional Python oracle with Debian's interpreter: usage run_python_oracle.sh SCRIPT ARGS...
# Exit 77 from the oracle (a module is missing) and a missing interpreter count as a skip (exit 0).
set -u
py=${PYTHON_ORACLE:-/usr/bin/python3}
if [[ ! -x $py ]]; then echo "SKIP: $py not found"; exit 0; fi
"$py" "$@"
rc=$?
[[ $rc -eq 77 ]] && exit 0
exit $rc
