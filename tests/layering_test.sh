#!/usr/bin/env bash
# Fails when a layer includes a higher layer. Order, lowest first (see DEVELOPERS.md):
layers=(exact kernel bounds catalog prover models estimators verify cli)
root=${1:?usage: layering_test.sh SOURCE_DIR}
rank() { local i; for i in "${!layers[@]}"; do [[ ${layers[$i]} == "$1" ]] && echo "$i" && return; done; echo -1; }
violations=0
for layer in "${layers[@]}"; do
  own=$(rank "$layer")
  for dir in "$root/include/recallbound/$layer" "$root/src/$layer"; do
    [[ -d $dir ]] || continue
    while IFS=: read -r file _ line; do
      [[ $line =~ \#include\ [\<\"]recallbound/([a-z_]+)/ ]] || continue
      target=${BASH_REMATCH[1]}
      r=$(rank "$target")
      if (( r > own )); then echo "layering: $file includes $target (above $layer)"; violations=$((violations + 1)); fi
    done < <(grep -rn '#include' "$dir")
  done
done
# The kernel is trusted: besides itself it may use only the exact layer.
if [[ -d $root/src/kernel ]] && grep -rnE '#include [<"](glpk|Eigen|recallbound/(bounds|prover))' "$root/src/kernel" "$root/include/recallbound/kernel"; then
  echo "layering: the kernel includes something beyond the exact layer"; violations=$((violations + 1))
fi
echo "$violations violations"
[[ $violations -eq 0 ]]
