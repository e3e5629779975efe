#!/usr/bin/env bash
# stop.sh DIR — stop the private node started by start.sh DIR, and its private epmd.
# Exits 0 when nothing is running. Only processes that belong to DIR are touched.
# LIENTHONG_RABBITMQ_KEEP_EPMD=1 leaves the epmd running (cluster-stop.sh: the nodes share one).
set -uo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
[[ -f "$1/env.sh" ]] || { echo "stop.sh: no env.sh in $1; nothing to stop"; exit 0; }
dir="$(cd "$1" && pwd)"
# shellcheck disable=SC1091
. "${dir}/env.sh"

as_node_user=()
[[ "$(id -u)" == 0 ]] && as_node_user=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups --)

# Pids of processes of a given command name whose environment holds KEY=VALUE; this picks out
# exactly our beam / epmd even when other nodes run on the machine.
pids_with_env() {
    local comm="$1" needle="$2" p
    for p in /proc/[0-9]*; do
        [[ "$(cat "${p}/comm" 2>/dev/null)" == "${comm}" ]] || continue
        if tr '\0' '\n' < "${p}/environ" 2>/dev/null | grep -qxF -- "${needle}"; then
            echo "${p#/proc/}"
        fi
    done
}

wait_gone() {  # wait_gone SECONDS PID...
    local deadline=$(( SECONDS + $1 )); shift
    while (( SECONDS < deadline )); do
        local alive=0 p
        for p in "$@"; do kill -0 "${p}" 2>/dev/null && alive=1; done
        (( alive )) || return 0
        sleep 0.2
    done
    return 1
}

beam_pids=()
if [[ -f "${RABBITMQ_PID_FILE}" ]]; then
    pid="$(cat "${RABBITMQ_PID_FILE}")"
    kill -0 "${pid}" 2>/dev/null && beam_pids+=("${pid}")
fi
mapfile -t -O "${#beam_pids[@]}" beam_pids < <(pids_with_env beam.smp "RABBITMQ_BASE=${RABBITMQ_BASE}")

if (( ${#beam_pids[@]} )); then
    # Graceful first: lets quorum queues and mnesia flush.
    timeout 30 "${as_node_user[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -n "${RABBITMQ_NODENAME}" \
        stop "${RABBITMQ_PID_FILE}" > "${RABBITMQ_LOG_BASE}/stop.log" 2>&1 || true
    if ! wait_gone 10 "${beam_pids[@]}"; then
        kill -TERM "${beam_pids[@]}" 2>/dev/null
        wait_gone 10 "${beam_pids[@]}" || kill -KILL "${beam_pids[@]}" 2>/dev/null
    fi
fi

# The private epmd was spawned by the first Erlang VM with our ERL_EPMD_PORT in its environment.
epmd_pids=()
[[ "${LIENTHONG_RABBITMQ_KEEP_EPMD:-0}" == 1 ]] ||
    mapfile -t epmd_pids < <(pids_with_env epmd "ERL_EPMD_PORT=${ERL_EPMD_PORT}")
if (( ${#epmd_pids[@]} )); then
    kill -TERM "${epmd_pids[@]}" 2>/dev/null
    wait_gone 5 "${epmd_pids[@]}" || kill -KILL "${epmd_pids[@]}" 2>/dev/null
fi
rm -f "${RABBITMQ_PID_FILE}"
echo "stop.sh: ${RABBITMQ_NODENAME} stopped"
exit 0
