#!/usr/bin/env bash
# ctl.sh DIR ARGS... — rabbitmqctl against the private node started by start.sh DIR
# (e.g. `ctl.sh DIR list_queues name messages`).
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 DIR ARGS..." >&2; exit 2; }
dir="$(cd "$1" && pwd)"; shift
# shellcheck disable=SC1091
. "${dir}/env.sh"
as_node_user=()
[[ "$(id -u)" == 0 ]] && as_node_user=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups --)
exec "${as_node_user[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "${RABBITMQ_NODENAME}" "$@"
