#!/usr/bin/env bash
# The whole test suite from a clean checkout: installs what it needs (apt), builds, starts a
# private RabbitMQ on a free loopback port, runs every ctest label except bench, stops RabbitMQ.
# Extra arguments go to ctest (e.g. tests/run.sh -L unit).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LIENTHONG_BUILD_DIR:-$root/build}

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

rmq_dir=$(mktemp -d /tmp/lienthong-test-rmq-XXXXXX)
cleanup() { "$root/deploy/rabbitmq/stop.sh" "$rmq_dir" >/dev/null 2>&1 || true; rm -rf "$rmq_dir"; }
trap cleanup EXIT INT TERM
port=$("$root/deploy/rabbitmq/free-port.sh")
"$root/deploy/rabbitmq/start.sh" "$rmq_dir" "$port"
export LIENTHONG_TEST_AMQP_PORT=$port
export LIENTHONG_TEST_RABBITMQ_DIR=$rmq_dir

cd "$build"
ctest --output-on-failure --timeout 600 -LE bench "$@"
