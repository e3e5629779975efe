#!/usr/bin/env bash
# The layering of ARCHITECTURE.md, checked on every #include "folder/...": each folder of bus/
# may include only the folders listed for it (and itself); adapters/ only core and itself. The bus
# sees adapters through adapters/api/ only; the wiring (app, and main) may also name
# adapters/builtin.hpp, which registers them; lienthongctl may use the HTTP client in
# adapters/common/. Prints every include that points the wrong way.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
declare -A allowed=(
  [core]=""
  [config]="core"
  [xml]="core"
  [store]="core config"
  [crypto]="core xml"
  [pdf]="core xml crypto"
  [broker]="core config"
  [routing]="core config xml broker adapters-api"
  [pipeline]="core config xml crypto pdf store broker routing"
  [delivery]="core broker routing store adapters-api"
  [inbox]="core store adapters-api"
  [http]="core config xml crypto pdf store broker routing pipeline inbox"
  [app]="core config xml crypto pdf store broker routing pipeline delivery inbox http adapters-api adapters-builtin"
  [ctl]="core config xml crypto pdf store broker routing pipeline adapters-api adapters-builtin adapters-common"
)
# The adapter API the bus may use: the contract, the registry and the plugin loader.
api='adapters/api/[a-z_]+\.(hpp|h)'
builtin='adapters/builtin\.hpp'
common='adapters/common/[a-z_]+\.hpp'
bad=0
check() {  # check FILE LAYER ALLOWED...
  local file=$1 layer=$2 allow=" $3 "
  while IFS= read -r inc; do
    local dir=${inc%%/*}
    [ "$dir" = "$layer" ] && continue
    if [ "$dir" = adapters ]; then
      if [[ "$inc" =~ ^$api$ ]] && [[ "$allow" == *" adapters-api "* ]]; then continue; fi
      if [[ "$inc" =~ ^$builtin$ ]] && [[ "$allow" == *" adapters-builtin "* ]]; then continue; fi
      if [[ "$inc" =~ ^$common$ ]] && [[ "$allow" == *" adapters-common "* ]]; then continue; fi
    elif [[ "$allow" == *" $dir "* ]]; then
      continue
    fi
    echo "${file#$root/}: includes \"$inc\" (layer $layer may use:${3:- nothing})"
    bad=1
  done < <(grep -oE '^#include "[a-z_]+/[^"]+"' "$file" | sed 's/#include "//; s/"$//')
}
for dir in "$root"/bus/*/; do
  layer=$(basename "$dir")
  if [ -z "${allowed[$layer]+set}" ]; then
    echo "bus/$layer: a folder with no rule in tests/layering/check_includes.sh"; bad=1; continue
  fi
  while IFS= read -r f; do check "$f" "$layer" "${allowed[$layer]}"; done \
    < <(find "$dir" -name '*.cpp' -o -name '*.hpp' -o -name '*.h')
done
while IFS= read -r f; do check "$f" adapters "core"; done \
  < <(find "$root/adapters" -name '*.cpp' -o -name '*.hpp' -o -name '*.h')
# main.cpp wires like app.
check "$root/bus/main.cpp" main "${allowed[app]} app"
exit "$bad"
