#!/usr/bin/env bash
# Regenerates proofs/corpus/NAME.cert for every problem in problems.tsv.
# Usage: proofs/corpus/generate.sh path/to/recallbound
set -euo pipefail
binary=${1:?usage: generate.sh RECALLBOUND_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
while IFS=$'\t' read -r name expect why goal rest; do
  [[ $name == \#* || -z $name ]] && continue
  args=()
  if [[ -n ${rest:-} ]]; then IFS=$'\t' read -ra givens <<<"$rest"; for g in "${givens[@]}"; do args+=(--given "$g"); done; fi
  code=0
  "$binary" prove "$goal" "${args[@]}" --cert "$here/$name.cert.tmp" >/dev/null || code=$?
  want=0; [[ $expect == counterexample ]] && want=10
  if [[ $code != "$want" ]]; then echo "generate: $name: exit $code, expected $want" >&2; rm -f "$here/$name.cert.tmp"; exit 1; fi
  { echo "# corpus: $name"; echo "# expect: $expect"; echo "# why: $why"; cat "$here/$name.cert.tmp"; } >"$here/$name.cert"
  rm -f "$here/$name.cert.tmp"
done <"$here/problems.tsv"
