#!/usr/bin/env bash
# cluster-stop.sh DIR — stop every node cluster-start.sh DIR started (already dead ones are
# fine), then their shared epmd. Exits 0 when nothing runs; only DIR's processes are touched.
set -uo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
[[ -f "$1/cluster.env" ]] || { echo "cluster-stop.sh: no cluster.env in $1; nothing to stop"; exit 0; }
dir="$(cd "$1" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

node_dirs=()
for d in "${dir}"/node-*; do
    [[ -f "${d}/env.sh" ]] && node_dirs+=("${d}")
done
# In parallel: a graceful stop waits on its peers' quorum queues, and the nodes are throwaway.
pids=()
for d in "${node_dirs[@]}"; do
    LIENTHONG_RABBITMQ_KEEP_EPMD=1 "${here}/stop.sh" "${d}" > /dev/null 2>&1 &
    pids+=("$!")
done
for p in "${pids[@]}"; do wait "${p}"; done
# The last pass stops the shared epmd (no node is left to need it).
(( ${#node_dirs[@]} )) && "${here}/stop.sh" "${node_dirs[0]}" > /dev/null 2>&1
echo "cluster-stop.sh: cluster in ${dir} stopped"
exit 0
