#!/usr/bin/env bash
# The message contract and the metric families are spelled once (ARCHITECTURE.md): no "x-"
# header literal outside bus/core/message_contract.* (the broker's own queue arguments in
# bus/broker aside), and no "lienthong_..." metric name outside bus/core/metric_families.hpp.
# Prints every literal found elsewhere; exit 1 if any.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bad=0
headers=$(grep -rnE '"x-[A-Za-z-]+"' bus adapters --include='*.cpp' --include='*.hpp' \
  | grep -v '^bus/core/message_contract\.' | grep -v '^bus/broker/' || true)
if [ -n "$headers" ]; then
  echo "header names spelled outside bus/core/message_contract.hpp:"; echo "$headers"; bad=1
fi
metrics=$(grep -rnE '"lienthong_[a-z_]+"' bus adapters --include='*.cpp' --include='*.hpp' \
  | grep -v '^bus/core/metric_families\.hpp' || true)
if [ -n "$metrics" ]; then
  echo "metric names spelled outside bus/core/metric_families.hpp:"; echo "$metrics"; bad=1
fi
exit "$bad"
