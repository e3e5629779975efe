#!/usr/bin/env bash
# Benchmarks (ctest label bench; never part of tests/run.sh). From a clean checkout: installs
# (apt), builds Release into its own folder, generates a throwaway PKI and signed packets,
# measures the verification ceiling and the ingest pipeline per core, then runs the real bus
# against a private RabbitMQ on loopback: saturation, a fixed 500 docs/s, delivery to the
# addressee's HTTP webhook (rate, and latency from the 202), and RSS with 1,000 open keep-alive
# connections. Writes bench-results.json and bench-results.md into
# LIENTHONG_BENCH_OUT (default: the build folder). Bounded: well under 10 minutes.
#   LIENTHONG_BENCH_BUILD_DIR  build folder (default build-bench)
#   LIENTHONG_BENCH_JOBS       parallel compile jobs (default nproc)
#   LIENTHONG_BENCH_SECONDS    seconds per saturation run (default 8)
#   LIENTHONG_BENCH_RATE_SECONDS  seconds per fixed-rate run (default 30: the broker pauses for
#                              ~150 ms about every 30 s, and a shorter run either misses that or
#                              counts it several times over in its p99)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${LIENTHONG_BENCH_BUILD_DIR:-$root/build-bench}
out=${LIENTHONG_BENCH_OUT:-$build}
jobs=${LIENTHONG_BENCH_JOBS:-$(nproc)}
secs=${LIENTHONG_BENCH_SECONDS:-8}
rate_secs=${LIENTHONG_BENCH_RATE_SECONDS:-30}

# jq assembles the results.
"$root/deploy/install-deps.sh" jq
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DLIENTHONG_BENCH=ON \
  >/dev/null
cmake --build "$build" -j"$jobs" --target lienthong-bus lienthong-bench-packets \
  lienthong-bench-pipeline lienthong-bench-load lienthong-bench-webhook
bin=$build/bus/lienthong-bus
tools=$build/tests/bench

work=$(mktemp -d /tmp/lienthong-bench-XXXXXX)
# Its own folder: start.sh hands it to the rabbitmq user, who cannot enter $work (mode 700).
rmq_dir=$(mktemp -d /tmp/lienthong-bench-rmq-XXXXXX)
bus_pid=
sink_pid=
cleanup() {
  for pid in $bus_pid $sink_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  "$root/deploy/rabbitmq/stop.sh" "$rmq_dir" >/dev/null 2>&1 || true
  rm -rf "$work" "$rmq_dir"
}
trap cleanup EXIT INT TERM
# 1,000 client sockets plus the bus's own: above the usual soft limit of 1,024.
ulimit -n 4096

echo "== test PKI and signed packets"
"$root/certs/generate-test-pki.sh" "$work/pki" >/dev/null
sender=000.01.01.H41
sample=$root/schemas/samples/edoc-new.edxml
make_packets() {  # LABEL TARGET_BYTES COUNT [PDF]
  "$tools/lienthong-bench-packets" "$sample" "$work/pki/agencies/$sender/key.pem" \
    "$work/pki/agencies/$sender/chain.pem" "$2" "$3" "B$1x" "$work/$1.packets" ${4:+"$4"}
}
# A 2 MB PDF signed by the sender (openssl cms over its ByteRange), as the attachment of 2MBpdf.
python3 "$root/tests/fuzz/make_pdf_seeds.py" --one "$work/signed-2MB.pdf" \
  "$work/pki/agencies/$sender/key.pem" "$work/pki/agencies/$sender/cert.pem" \
  "$work/pki/intermediates/intermediate.pem" 2000000
# "small" is the unpadded sample: with its signature and certificate chain it is ~7 KB, the
# smallest realistic signed packet (a 2 KB one cannot carry a 2-certificate chain).
make_packets small 0 6000 &
make_packets 20KB 20480 6000 &
make_packets 1MB 1048576 160 &
make_packets 2MBpdf 0 40 "$work/signed-2MB.pdf" &
wait
make_packets r500small 0 $((500 * rate_secs)) &
make_packets r50020KB 20480 $((500 * rate_secs)) &
wait

echo "== ceiling and pipeline per core"
"$tools/lienthong-bench-pipeline" "$root/schemas" "$root/deploy/config/agencies.yaml" \
  "$work/pki/trust" "$work/pki/intermediates" 3 \
  small="$work/small.packets" 20KB="$work/20KB.packets" 1MB="$work/1MB.packets" \
  2MBpdf="$work/2MBpdf.packets" \
  >"$work/pipeline.json"
cat "$work/pipeline.json"

echo "== RabbitMQ, the addressee's webhook and the bus"
# The sample's addressee (district 000.00.01.H41) takes its documents by HTTP webhook.
"$tools/lienthong-bench-webhook" serve 900 "$work/arrivals" >"$work/webhook.out" &
sink_pid=$!
hook_port=
for _ in $(seq 1 100); do
  hook_port=$(awk '/^port / { print $2 }' "$work/webhook.out")
  [ -n "$hook_port" ] && break
  sleep 0.1
done
[ -n "$hook_port" ] || { echo "the webhook sink did not start"; exit 1; }
sed "/code: 000.00.01.H41/,/parent:/ { /parent:/ a\\
    subscriptions:\\
      - type: http_webhook\\
        settings: {url: 'http://127.0.0.1:$hook_port/hook', timeout_ms: 10000}
}" "$root/deploy/config/agencies.yaml" >"$work/agencies.yaml"
grep -q "127.0.0.1:$hook_port" "$work/agencies.yaml" || { echo "cannot add the webhook subscription"; exit 1; }
amqp_port=$("$root/deploy/rabbitmq/free-port.sh")
"$root/deploy/rabbitmq/start.sh" "$rmq_dir" "$amqp_port" >/dev/null
token=bench-token-$sender
admin=bench-admin-token
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
cat >"$work/bus.yaml" <<YAML
listen:
  address: 127.0.0.1
  port: 0
  plain_http: true
limits:
  max_body_bytes: 4194304
  header_timeout_ms: 60000
  max_connections: 2000
  requests_per_minute: 0
schemas_dir: $root/schemas
directory: $work/agencies.yaml
trust:
  anchors_dir: $work/pki/trust
  intermediates_dir: $work/pki/intermediates
broker:
  port: $amqp_port
auth:
  admin_tokens:
    - name: bench-admin
      sha256: $(sha $admin)
  tokens:
    - agency: $sender
      sha256: $(sha $token)
YAML
"$bin" --config "$work/bus.yaml" 2>"$work/bus.log" &
bus_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(grep -o '"event":"bus.listening".*"port":"[0-9]*"' "$work/bus.log" | grep -o '[0-9]*"$' | tr -d '"' || true)
  [ -n "$port" ] && curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  port=
  sleep 0.1
done
[ -n "$port" ] || { echo "the bus did not become ready:"; cat "$work/bus.log"; exit 1; }

kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$bus_pid/status"; }
echo "== 1,000 idle keep-alive connections"
"$tools/lienthong-bench-load" idle "$port" 1000 5 >"$work/idle.out" &
idle_pid=$!
for _ in $(seq 1 300); do grep -q '^ready' "$work/idle.out" && break; sleep 0.1; done
rss_conns_kib=$(kib VmRSS)
hwm_conns_kib=$(kib VmHWM)
wait "$idle_pid" || { echo "idle connections failed:"; cat "$work/idle.out"; exit 1; }
cat "$work/idle.out"

delivered() {  # delivered documents so far, from /metrics
  curl -fs -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/metrics" |
    awk '/^lienthong_deliveries_total\{/ && /outcome="delivered"/ { s += $NF } END { print s + 0 }'
}
# One load run (each 202 logged for the delivery latency), then wait until the webhook has
# everything it accepted, so that runs do not overlap.
load() {  # NAME PACKETS CONNECTIONS RATE SECONDS
  local before; before=$(delivered)
  "$tools/lienthong-bench-load" post "$port" "$token" "$work/$2.packets" "$3" "$5" "$4" \
    "$work/$1.accepted" >"$work/$1.json" ||
    echo "load run $1 had errors or unanswered requests (kept in the results)"
  echo "$1: $(cat "$work/$1.json")"
  local want=$((before + $(jq .accepted "$work/$1.json")))
  for _ in $(seq 1 1200); do [ "$(delivered)" -ge "$want" ] && break; sleep 0.05; done
}
echo "== end to end"
load sat_small small 32 0 "$secs"
load sat_20KB 20KB 32 0 "$secs"
load sat_1MB 1MB 8 0 "$secs"
load r500_small r500small 64 500 "$rate_secs"
load r500_20KB r50020KB 64 500 "$rate_secs"
peak_kib=$(kib VmHWM)
kill "$sink_pid"; wait "$sink_pid" || true; sink_pid=
for run in sat_small sat_20KB sat_1MB r500_small r500_20KB; do
  "$tools/lienthong-bench-webhook" join "$work/$run.accepted" "$work/arrivals" >"$work/deliv_$run.json"
  echo "delivered $run: $(cat "$work/deliv_$run.json")"
done

echo "== results"
machine="$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
jq -n --arg machine "$machine" --slurpfile p "$work/pipeline.json" \
  --slurpfile ss "$work/sat_small.json" --slurpfile s20 "$work/sat_20KB.json" \
  --slurpfile s1m "$work/sat_1MB.json" \
  --slurpfile ds "$work/deliv_sat_small.json" --slurpfile d20 "$work/deliv_sat_20KB.json" \
  --slurpfile d1m "$work/deliv_sat_1MB.json" \
  --slurpfile drs "$work/deliv_r500_small.json" --slurpfile dr20 "$work/deliv_r500_20KB.json" \
  --slurpfile rs "$work/r500_small.json" --slurpfile r20 "$work/r500_20KB.json" \
  --argjson rss "$rss_conns_kib" --argjson hwm "$hwm_conns_kib" --argjson peak "$peak_kib" '
  def per(f): {small: ($p[0].small | f), "20KB": ($p[0]["20KB"] | f), "1MB": ($p[0]["1MB"] | f)};
  def rnd: (. * 10 | round) / 10;
  {
    machine: $machine,
    packet_bytes: per(.bytes),
    ceiling_docs_per_s_per_core: per(.ceiling_docs_per_s_per_core | rnd),
    pipeline_docs_per_s_per_core: per(.pipeline_docs_per_s_per_core | rnd),
    pipeline_to_ceiling_ratio: per(.pipeline_to_ceiling_ratio),
    signed_pdf_2MB_docs_per_s_per_core: {
      without_pdf_checks: ($p[0]["2MBpdf"].pipeline_docs_per_s_per_core | rnd),
      with_pdf_checks: ($p[0]["2MBpdf"].pipeline_with_pdf_checks_docs_per_s_per_core | rnd),
      packet_bytes: $p[0]["2MBpdf"].bytes},
    e2e_accepted_docs_per_s: {small: ($ss[0].accepted_per_s), "20KB": ($s20[0].accepted_per_s),
                              "1MB": ($s1m[0].accepted_per_s)},
    e2e_saturation_p50_p95_p99_ms: {small: [$ss[0].p50_ms, $ss[0].p95_ms, $ss[0].p99_ms],
                                   "20KB": [$s20[0].p50_ms, $s20[0].p95_ms, $s20[0].p99_ms],
                                   "1MB": [$s1m[0].p50_ms, $s1m[0].p95_ms, $s1m[0].p99_ms]},
    e2e_p99_ms_at_500: {small: $rs[0].p99_ms, "20KB": $r20[0].p99_ms, "1MB": null},
    e2e_max_ms_at_500: {small: $rs[0].max_ms, "20KB": $r20[0].max_ms},
    e2e_p50_p95_ms_at_500: {small: [$rs[0].p50_ms, $rs[0].p95_ms],
                           "20KB": [$r20[0].p50_ms, $r20[0].p95_ms]},
    e2e_accepted_docs_per_s_at_500: {small: $rs[0].accepted_per_s, "20KB": $r20[0].accepted_per_s},
    delivery_docs_per_s: {small: $ds[0].delivered_per_s, "20KB": $d20[0].delivered_per_s,
                          "1MB": $d1m[0].delivered_per_s},
    delivery_p50_p95_p99_ms_at_500: {small: [$drs[0].p50_ms, $drs[0].p95_ms, $drs[0].p99_ms],
                                    "20KB": [$dr20[0].p50_ms, $dr20[0].p95_ms, $dr20[0].p99_ms]},
    delivery_missing: ([$ds, $d20, $d1m, $drs, $dr20] | map(.[0].missing) | add),
    rss_mib_1000_conns: ($rss / 1024 | rnd),
    peak_rss_mib_1000_conns: ($hwm / 1024 | rnd),
    peak_rss_mib_whole_run: ($peak / 1024 | rnd),
    raw: {saturation: {small: $ss[0], "20KB": $s20[0], "1MB": $s1m[0]},
          at_500: {small: $rs[0], "20KB": $r20[0]},
          delivery: {saturation: {small: $ds[0], "20KB": $d20[0], "1MB": $d1m[0]},
                     at_500: {small: $drs[0], "20KB": $dr20[0]}}}
  }' >"$out/bench-results.json"

jq -r '
  def row(name; f; target): "| \(name) | \(f.small // "—") | \(f["20KB"] // "—") | \(f["1MB"] // "—") | \(target) |";
  "Machine: \(.machine)\n",
  "| measure | small (\(.packet_bytes.small) B) | 20 KB (\(.packet_bytes["20KB"]) B) | 1 MB (\(.packet_bytes["1MB"]) B) | target (20 KB) |",
  "|---|---|---|---|---|",
  row("ceiling: parse + exc-C14N + SHA-256 + RSA verify, docs/s per core"; .ceiling_docs_per_s_per_core; "—"),
  row("bus pipeline (parse, XSD, signature + chain, routing), docs/s per core"; .pipeline_docs_per_s_per_core; ">= 2,000"),
  row("pipeline / ceiling"; .pipeline_to_ceiling_ratio | map_values(. * 100 | round | tostring + " %"); ">= 50 %"),
  row("end to end accepted docs/s at saturation (POST → 202 after confirm)"; .e2e_accepted_docs_per_s; ">= 1,000"),
  row("p50 / p95 / p99 ms at saturation"; .e2e_saturation_p50_p95_p99_ms | map_values(map(tostring) | join(" / ")); "—"),
  row("p50 / p95 / p99 ms at 500 docs/s"; (.e2e_p50_p95_ms_at_500 as $a | .e2e_p99_ms_at_500 | with_entries(select(.value != null)) | with_entries(.value = ($a[.key] + [.value] | map(tostring) | join(" / ")))); "p99 <= 25"),
  row("max ms at 500 docs/s"; .e2e_max_ms_at_500; "—"),
  row("delivered to the HTTP webhook, docs/s (after saturation)"; .delivery_docs_per_s; "—"),
  row("delivery p50 / p95 / p99 ms from the POST to the webhook, at 500 docs/s"; .delivery_p50_p95_p99_ms_at_500 | map_values(map(tostring) | join(" / ")); "—"),
  "| accepted documents the webhook never received | \(.delivery_missing) | | | 0 |",
  "| bus RSS with 1,000 open keep-alive connections | \(.rss_mib_1000_conns) MiB (peak \(.peak_rss_mib_1000_conns) MiB) | | | <= 200 MiB |",
  "| bus peak RSS over the whole run | \(.peak_rss_mib_whole_run) MiB | | | — |"
' "$out/bench-results.json" >"$out/bench-results.md"
cat "$out/bench-results.md"
echo "results: $out/bench-results.json, $out/bench-results.md"
