#!/usr/bin/env bash
# Runs the bus locally, from a clean checkout: installs packages (apt), builds, generates the
# throwaway test PKI, starts a private RabbitMQ on loopback, starts lienthong-bus with the demo
# province (one province, two districts, three communes), posts a signed document from a commune
# to its district and shows the answer and the queue. The bus then keeps running until Ctrl-C;
# with --once it stops right after the demonstration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LIENTHONG_BUILD_DIR:-$root/build}
once=0
[ "${1:-}" = "--once" ] && once=1

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target lienthong-bus lienthongctl
ctl="$build/bus/lienthongctl"

work=$(mktemp -d /tmp/lienthong-demo-XXXXXX)
# RabbitMQ runs as the rabbitmq user: its folder must not sit inside our private (0700) one.
rmq=$(mktemp -d /tmp/lienthong-demo-rmq-XXXXXX)
bus_pid=""
cleanup() {
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null && wait "$bus_pid" 2>/dev/null
  "$root/deploy/rabbitmq/stop.sh" "$rmq" >/dev/null 2>&1 || true
  rm -rf "$work" "$rmq"
}
trap cleanup EXIT INT TERM

echo "== test PKI (throwaway, in $work/pki)"
"$root/certs/generate-test-pki.sh" "$work/pki"

echo "== private RabbitMQ"
amqp_port=$("$root/deploy/rabbitmq/free-port.sh")
"$root/deploy/rabbitmq/start.sh" "$rmq" "$amqp_port"

echo "== lienthong-bus"
http_port=$("$root/deploy/rabbitmq/free-port.sh")
agencies=(000.00.00.H41 000.00.01.H41 000.00.02.H41 000.01.01.H41 000.02.01.H41 000.01.02.H41)
tokens=""
declare -A token_of
for a in "${agencies[@]}"; do
  t=$(openssl rand -hex 16)
  token_of[$a]=$t
  tokens+="    - agency: $a"$'\n'"      sha256: $("$ctl" hash-token "$t")"$'\n'
done
admin_token=$(openssl rand -hex 16)
cat > "$work/bus.yaml" <<YAML
listen: {address: 127.0.0.1, port: $http_port, plain_http: true}  # loopback demo: no TLS
schemas_dir: $root/schemas
ui_dir: $root/bus/http/ui
directory: $root/deploy/config/agencies.yaml
trust:
  anchors_dir: $work/pki/trust
  intermediates_dir: $work/pki/intermediates
broker: {host: 127.0.0.1, port: $amqp_port}
auth:
  admin_tokens:
    - name: demo-operator
      sha256: $("$ctl" hash-token "$admin_token")
  tokens:
$tokens
YAML
"$build/bus/lienthong-bus" --config "$work/bus.yaml" 2>"$work/bus.log" &
bus_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$http_port/readyz"; echo

from=000.01.01.H41
echo "== commune $from signs schemas/samples/edoc-new.edxml and posts it to its district"
"$ctl" sign --key "$work/pki/agencies/$from/key.pem" --cert "$work/pki/agencies/$from/chain.pem" \
  -o "$work/document.edxml" "$root/schemas/samples/edoc-new.edxml"
curl -sS -i -X POST "http://127.0.0.1:$http_port/v1/documents" \
  -H "Authorization: Bearer ${token_of[$from]}" -H "Content-Type: application/xml" \
  --data-binary "@$work/document.edxml"
echo
to=000.00.01.H41
echo "== the district $to finds it in its pull inbox (GET /v1/inbox)"
for _ in $(seq 1 50); do
  inbox=$(curl -fsS "http://127.0.0.1:$http_port/v1/inbox" -H "Authorization: Bearer ${token_of[$to]}")
  grep -q '"id"' <<<"$inbox" && break
  sleep 0.2
done
echo "$inbox"
echo "== the delivery routes (lienthongctl queues, admin role)"
LIENTHONG_URL="http://127.0.0.1:$http_port" LIENTHONG_ADMIN_TOKEN="$admin_token" "$ctl" queues
echo

if [ "$once" = 1 ]; then exit 0; fi
echo
echo "The bus is listening on http://127.0.0.1:$http_port (log: $work/bus.log). Demo tokens:"
for a in "${agencies[@]}"; do echo "  $a  ${token_of[$a]}"; done
echo "Operators' dashboard: http://127.0.0.1:$http_port/ui/  (admin token: $admin_token)"
echo "  or: LIENTHONG_URL=http://127.0.0.1:$http_port LIENTHONG_ADMIN_TOKEN=$admin_token $ctl queues"
echo "Ctrl-C stops the bus and RabbitMQ."
wait "$bus_pid"
