#!/usr/bin/env bash
# The whole test suite from a clean checkout: installs what it needs (apt), builds, starts a
# private RabbitMQ on a free loopback port, runs every ctest label except bench, stops RabbitMQ.
# Extra arguments go to ctest (e.g. tests/run.sh -L unit).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LIENTHONG_BUILD_DIR:-$root/build}

# Test-only packages: a private PostgreSQL for the PostgreSQL store tests, headless Chromium and
# chromedriver for the dashboard's browser test.
# clang and its libFuzzer runtime for the bounded fuzz runs (label security).
# clang-format-14 for the formatter check.
"$root/deploy/install-deps.sh" postgresql chromium chromium-driver clang libclang-rt-14-dev \
  clang-format-14
# The formatter check: a file that differs from .clang-format fails the run (after the tests).
format_status=0
"$root/tests/format/check.sh" || format_status=1
# LIENTHONG_SANITIZE=1 tests/run.sh: the same suite on an AddressSanitizer + UBSan build.
sanitize=OFF
if [ "${LIENTHONG_SANITIZE:-0}" = 1 ]; then
  sanitize=ON
  build=${LIENTHONG_BUILD_DIR:-$root/build-asan}
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIENTHONG_SANITIZE=$sanitize \
  >/dev/null
cmake --build "$build" -j"$(nproc)"
# The fuzzers' own clang build, done here so that the fuzz tests only run.
if command -v clang++ >/dev/null; then
  LIENTHONG_FUZZ_BUILD_DIR="$build/fuzz" LIENTHONG_FUZZ_JOBS="$(nproc)" \
    "$root/tests/fuzz/run.sh" --build-only
fi

rmq_dir=$(mktemp -d /tmp/lienthong-test-rmq-XXXXXX)
cleanup() { "$root/deploy/rabbitmq/stop.sh" "$rmq_dir" >/dev/null 2>&1 || true; rm -rf "$rmq_dir"; }
trap cleanup EXIT INT TERM
port=$("$root/deploy/rabbitmq/free-port.sh")
"$root/deploy/rabbitmq/start.sh" "$rmq_dir" "$port"
export LIENTHONG_TEST_AMQP_PORT=$port
export LIENTHONG_TEST_RABBITMQ_DIR=$rmq_dir

# Tests leave /tmp as they found it: anything named lienthong-* created during the run and still
# there at the end fails the run.
stamp=$build/.tmp-stamp
touch "$stamp"
cd "$build"
status=0
ctest --output-on-failure --timeout 600 -LE bench "$@" || status=$?
leftovers=$(find /tmp -maxdepth 1 -name 'lienthong-*' -newer "$stamp" ! -path "$rmq_dir" | sort)
if [ -n "$leftovers" ]; then
  echo "tests left these in /tmp:" >&2
  echo "$leftovers" | head -20 >&2
  echo "$(echo "$leftovers" | wc -l) in all" >&2
  status=1
fi
if [ "$format_status" -ne 0 ]; then
  echo "the formatter check failed (see the top of this output)" >&2
  status=1
fi
exit "$status"
