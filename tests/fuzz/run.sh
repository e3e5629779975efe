#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, -DLIENTHONG_FUZZ=ON) and runs each for
# SECONDS on seed corpora made from schemas/samples (plain, signed, and wrapped in HTTP requests).
# Exits non-zero on any crash, leak, timeout or sanitizer report; the offending input is kept as
# BUILD/fuzz-artifacts/<target>-crash-* (replay: BUILD/tests/fuzz/<target>_fuzzer FILE).
#
# Usage: tests/fuzz/run.sh [SECONDS [TARGET...]]   SECONDS defaults to 30; TARGETs among
#        packet signature http pdf (default: all).   tests/fuzz/run.sh --build-only
# Environment: LIENTHONG_FUZZ_BUILD_DIR (default: build-fuzz), LIENTHONG_FUZZ_JOBS (default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${LIENTHONG_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${LIENTHONG_FUZZ_JOBS:-2}
build_only=0
if [ "${1:-}" = "--build-only" ]; then build_only=1; shift; fi
seconds=${1:-30}
[ "$#" -gt 0 ] && shift
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=(packet signature http pdf)

# -O1 keeps runs fast and reports readable; every library of ours is instrumented.
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DLIENTHONG_FUZZ=ON -DBUILD_TESTING=OFF \
  >"$build/fuzz-configure.log" 2>&1 || { cat "$build/fuzz-configure.log" >&2; exit 1; }
cmake --build "$build" -j"$jobs" --target packet_fuzzer signature_fuzzer http_fuzzer pdf_fuzzer lienthongctl \
  >"$build/fuzz-build.log" 2>&1 || { tail -50 "$build/fuzz-build.log" >&2; exit 1; }
[ "$build_only" = 1 ] && exit 0
# The fuzzers' scratch files (the HTTP fuzzer's tracking store) stay in the build tree, not /tmp.
export TMPDIR=$build/fuzz-tmp
mkdir -p "$TMPDIR"

# Seed corpora, rebuilt each run from the samples (cheap); each target also keeps the inputs it
# found in BUILD/fuzz-corpus/<target> between runs.
seeds=$build/fuzz-seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{packet,signature,http,pdf} "$build/fuzz-artifacts"
pki=$build/test-pki
ctl=$build/bus/lienthongctl
commune=000.01.01.H41
cp "$root"/schemas/samples/*.edxml "$root"/schemas/samples/invalid/*.edxml "$seeds/packet/"
# What real senders write (tests/data/edxml-real): the shapes the parser must survive most.
for f in "$root"/tests/data/edxml-real/edoc/*.edxml "$root"/tests/data/edxml-real/status/*.edxml; do
  cp "$f" "$seeds/packet/real-$(basename "$f")"
done
cp "$root"/schemas/samples/*.edxml "$seeds/signature/"
for f in "$root"/schemas/samples/*.edxml; do
  name=$(basename "$f" .edxml)
  signed=$seeds/signature/$name-signed.edxml
  ASAN_OPTIONS=detect_leaks=0 "$ctl" sign --key "$pki/agencies/$commune/key.pem" \
    --cert "$pki/agencies/$commune/chain.pem" -o "$signed" "$f"
  { printf 'POST /v1/documents HTTP/1.1\r\nHost: bus\r\nAuthorization: Bearer fuzz-token\r\n'
    printf 'Content-Type: application/xml\r\nContent-Length: %d\r\n\r\n' "$(stat -c %s "$signed")"
    cat "$signed"; } >"$seeds/http/$name.http"
done
# A signed packet whose attachment (8 KB of base64) takes the fast C14N path (crypto/fast_c14n.hpp).
python3 - "$root/schemas/samples/edoc-new.edxml" "$seeds/attachment-8k.edxml" <<'PY'
import base64, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
b64 = base64.encodebytes(bytes(range(256)) * 24).decode()
text = re.sub(r"(<edXML:ContentTransferEncoded>)[^<]*", lambda m: m.group(1) + b64, text, count=1)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
ASAN_OPTIONS=detect_leaks=0 "$ctl" sign --key "$pki/agencies/$commune/key.pem" \
  --cert "$pki/agencies/$commune/chain.pem" -o "$seeds/signature/attachment-8k-signed.edxml" \
  "$seeds/attachment-8k.edxml"
rm "$seeds/attachment-8k.edxml"
printf 'GET /healthz HTTP/1.1\r\nHost: bus\r\n\r\n' >"$seeds/http/healthz.http"
printf 'POST /v1/documents HTTP/1.1\r\nHost: bus\r\nAuthorization: Bearer fuzz-admin\r\nContent-Type: application/xml; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<x/>\n\r\n0\r\n\r\n' \
  >"$seeds/http/chunked.http"

# The PDF path: small PDFs (unsigned, signed with openssl cms, updated after signing, zipped).
"$root/tests/fuzz/make_pdf_seeds.py" "$seeds/pdf" "$pki/agencies/$commune/key.pem" \
  "$pki/agencies/$commune/cert.pem" "$pki/intermediates/intermediate.pem"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  echo "== fuzzing $t for ${seconds}s"
  dict=()
  [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
  if ! "$build/tests/fuzz/${t}_fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="$build/fuzz-artifacts/$t-" "$corpus" "$seeds/$t" \
      >"$build/fuzz-$t.log" 2>&1; then
    failed+=("$t")
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$build/fuzz-$t.log" | head -20 >&2 || true
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$build/fuzz-$t.log" || true
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (logs: $build/fuzz-<target>.log)" >&2
  exit 1
fi
echo "fuzz: ${targets[*]} clean for ${seconds}s each"
