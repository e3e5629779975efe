#!/usr/bin/env bash
# Benchmarks (ctest label bench; never part of tests/run.sh). From a clean checkout: installs
# (apt: jq, Debian's JDK), builds Release into its own folder, generates a throwaway PKI and
# signed packets of 7 KB, 20 KB, 1 MB, 5 MB and 20 MB (and one of 50 MB), and measures in one run:
# the verification ceiling and the ingest pipeline per core; the JDK's own XML-DSig verify on the
# same files (JdkVerifyBench.java); the broker's ceiling (lienthong-bench-broker: confirmed
# publishing alone, same sizes, quorum queues, routes); then the real bus against a private
# RabbitMQ on loopback, per size: saturation, a fixed rate of half of it, delivery to the
# addressee's HTTP webhook, the bus's peak RSS per MB in flight; a fixed 500 docs/s (small,
# 20 KB); one 50 MB packet (limit raised); RSS with 1,000 open keep-alive connections. Writes
# bench-results.json and bench-results.md into LIENTHONG_BENCH_OUT (default: the build folder).
# Bounded: about 15 minutes on 2 cores, build included.
#   LIENTHONG_BENCH_BUILD_DIR  build folder (default build-bench)
#   LIENTHONG_BENCH_JOBS       parallel compile jobs (default nproc)
#   LIENTHONG_BENCH_SECONDS    seconds per saturation run and per ceiling (default 8)
#   LIENTHONG_BENCH_README     1 (default): also write the table into README.md; 0: do not
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

# jq assembles the results; javac/java run the JDK peer.
"$root/deploy/install-deps.sh" jq default-jdk-headless
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DLIENTHONG_BENCH=ON \
  >/dev/null
cmake --build "$build" -j"$jobs" --target lienthong-bus lienthong-bench-packets \
  lienthong-bench-pipeline lienthong-bench-load lienthong-bench-webhook lienthong-bench-broker
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
# Per size: label, target bytes, load connections, packets for saturation and for the run at
# half of it (each packet is posted once: the bus answers a repeated DocumentId without
# publishing it again). The large pools are bounded by bytes (~300 MB each), so a fixed-rate
# run at a large size ends when its packets run out.
sizes="small 20KB 1MB 5MB 20MB"
declare -A target=([small]=0 [20KB]=20480 [1MB]=1048576 [5MB]=5242880 [20MB]=20971520)
declare -A conns=([small]=32 [20KB]=32 [1MB]=8 [5MB]=4 [20MB]=2)
declare -A pool=([small]=6000 [20KB]=6000 [1MB]=300 [5MB]=60 [20MB]=16)
declare -A half_pool=([small]=8000 [20KB]=8000 [1MB]=300 [5MB]=60 [20MB]=16)
make_packets small 0 "${pool[small]}" &
make_packets 20KB 20480 "${pool[20KB]}" &
wait
make_packets 1MB 1048576 "${pool[1MB]}" &
make_packets 2MBpdf 0 40 "$work/signed-2MB.pdf" &
wait
make_packets 5MB 5242880 "${pool[5MB]}" &
make_packets 20MB 20971520 "${pool[20MB]}" &
wait
make_packets 50MB 52428800 1 &
make_packets r500small 0 $((500 * rate_secs)) &
wait
make_packets r50020KB 20480 $((500 * rate_secs)) &
make_packets halfsmall 0 "${half_pool[small]}" &
wait
for size in 20KB 1MB 5MB 20MB; do
  make_packets "half$size" "${target[$size]}" "${half_pool[$size]}"
done
# The end-to-end saturation runs of the large sizes get pools of their own, big enough to last
# the run's 8 s like the broker's ceiling does (~1.2 GB each): with the 300 MB pools a 1 MB run
# ended after 2-3 s, its rate then mostly start-up and whichever confirm pause fell in it.
declare -A sat_pool=([1MB]=1200 [5MB]=240 [20MB]=60)
for size in 1MB 5MB 20MB; do
  make_packets "sat$size" "${target[$size]}" "${sat_pool[$size]}"
done

files() {  # LABEL=FILE for every size (and extra labels)
  for l in $sizes "$@"; do printf '%s=%s ' "$l" "$work/$l.packets"; done
}
echo "== ceiling and pipeline per core"
# shellcheck disable=SC2046
"$tools/lienthong-bench-pipeline" "$root/schemas" "$root/deploy/config/agencies.yaml" \
  "$work/pki/trust" "$work/pki/intermediates" 3 $(files 2MBpdf) >"$work/pipeline.json"
cat "$work/pipeline.json"

echo "== the JDK's XML-DSig verify on the same packets"
javac -d "$work/jdk" "$root/tests/bench/JdkVerifyBench.java"
# shellcheck disable=SC2046
# One core for the JVM, as for the pipeline: it then runs the serial collector, and its CPU time
# (collector and JIT included) no longer varies with the load of the machine.
java -XX:ActiveProcessorCount=1 -cp "$work/jdk" JdkVerifyBench 3 $(files) >"$work/jdk.json"
cat "$work/jdk.json"

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
  max_body_bytes: 67108864
  max_text_bytes: 67108864
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
# CPU (user + system) a process has used, in ms: where each document's CPU goes, bus or broker.
hz=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$hz" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
beam_pid=$(cat "$rmq_dir/rabbitmq.pid")
echo "== 1,000 idle keep-alive connections"
"$tools/lienthong-bench-load" idle "$port" 1000 5 >"$work/idle.out" &
idle_pid=$!
for _ in $(seq 1 300); do grep -qs '^ready' "$work/idle.out" && break; sleep 0.1; done
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
peak_kib=0
# The bus's peak RSS above what it held before a run, per byte the run had in flight (its
# connections times the packet size); VmHWM is reset (clear_refs 5) before each run.
rss_run() {  # NAME PACKETS CONNECTIONS RATE SECONDS
  local base hwm bus0 beam0 bus1 beam1
  base=$(kib VmRSS)
  echo 5 >"/proc/$bus_pid/clear_refs"
  bus0=$(cpu_ms "$bus_pid"); beam0=$(cpu_ms "$beam_pid")
  load "$@"
  bus1=$(cpu_ms "$bus_pid"); beam1=$(cpu_ms "$beam_pid")
  jq -n --argjson bus "$((bus1 - bus0))" --argjson beam "$((beam1 - beam0))" \
    --argjson docs "$(jq .accepted "$work/$1.json")" \
    '{bus_cpu_ms_per_doc: ($bus / ([$docs, 1] | max) * 100 | round / 100),
      broker_cpu_ms_per_doc: ($beam / ([$docs, 1] | max) * 100 | round / 100)}' >"$work/cpu_$1.json"
  hwm=$(kib VmHWM)
  [ "$hwm" -gt "$peak_kib" ] && peak_kib=$hwm
  jq -n --argjson base "$base" --argjson hwm "$hwm" --argjson conns "$3" \
    --argjson bytes "$(head -1 "$work/$2.packets")" \
    '{base_kib: $base, peak_kib: $hwm, inflight_bytes: ($conns * $bytes),
      rss_per_inflight_mb: ((($hwm - $base) * 1024 / ($conns * $bytes)) * 100 | round / 100)}' \
    >"$work/rss_$1.json"
  echo "rss $1: $(cat "$work/rss_$1.json")"
}
echo "== per size: the broker's ceiling (confirmed publishing alone, same node and routes), then"
echo "   the bus end to end at saturation and at half of it"
# The ceiling just before and just after the bus's own run, so that both see the same load on
# the machine; the higher of the two counts (the broker's confirm pauses make one short run
# vary by up to 1.5 times), which can only lower the bus's ratio to it.
routes=$(jq '.small.routes' "$work/pipeline.json")
echo "{}" >"$work/broker.json"
ceiling_run() {  # SIZE OUT
  local beam0; beam0=$(cpu_ms "$beam_pid")
  "$tools/lienthong-bench-broker" "$amqp_port" "$routes" "${conns[$1]}" "$secs" \
    "$1=$work/$1.packets" >"$2"
  # The broker's CPU per document it confirmed (declaring and deleting its queues included).
  jq --arg s "$1" --argjson ms "$(($(cpu_ms "$beam_pid") - beam0))" --argjson secs "$secs" \
    '.[$s].broker_cpu_ms_per_doc = ($ms / (.[$s].broker_ceiling_docs_per_s * $secs) * 100 | round / 100)' \
    "$2" >"$2.tmp"
  mv "$2.tmp" "$2"
  echo "broker ceiling $1: $(cat "$2")"
}
higher_ceiling() {  # SIZE: keeps the higher of the two runs in broker.json
  jq -s --arg s "$1" '.[0] * (if .[1][$s].broker_ceiling_docs_per_s >= .[2][$s].broker_ceiling_docs_per_s
    then .[1] else .[2] end)' "$work/broker.json" "$work/broker_$1.json" "$work/broker_$1.after.json" \
    >"$work/broker.tmp"
  mv "$work/broker.tmp" "$work/broker.json"
}
runs=
for size in $sizes; do
  ceiling_run "$size" "$work/broker_$size.json"
  sat_packets=$size
  [ -n "${sat_pool[$size]:-}" ] && sat_packets=sat$size
  rss_run "sat_$size" "$sat_packets" "${conns[$size]}" 0 "$secs"
  ceiling_run "$size" "$work/broker_$size.after.json"
  higher_ceiling "$size"
  half=$(jq '[(.accepted_per_s / 2 * 100 | floor) / 100, 0.05] | max' "$work/sat_$size.json")
  load "half_$size" "half$size" $((2 * ${conns[$size]})) "$half" "$rate_secs"
  runs="$runs sat_$size half_$size"
done
echo "== a fixed 500 docs/s"
load r500_small r500small 64 500 "$rate_secs"
load r500_20KB r50020KB 64 500 "$rate_secs"
echo "== one 50 MB packet (limits.max_body_bytes raised to 64 MiB)"
rss_run one_50MB 50MB 1 0 60
[ "$(kib VmHWM)" -gt "$peak_kib" ] && peak_kib=$(kib VmHWM)
kill "$sink_pid"; wait "$sink_pid" || true; sink_pid=
for run in $runs r500_small r500_20KB one_50MB; do
  "$tools/lienthong-bench-webhook" join "$work/$run.accepted" "$work/arrivals" >"$work/deliv_$run.json"
  echo "delivered $run: $(cat "$work/deliv_$run.json")"
done

echo "== results"
machine="$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
# Every measurement in one object, then the summary from it.
echo '{}' >"$work/all.json"
put() {  # KEY FILE
  jq --arg k "$1" --slurpfile v "$2" '.[$k] = $v[0]' "$work/all.json" >"$work/all.tmp"
  mv "$work/all.tmp" "$work/all.json"
}
put pipeline "$work/pipeline.json"
put jdk "$work/jdk.json"
put broker "$work/broker.json"
for run in $runs r500_small r500_20KB one_50MB; do
  put "load_$run" "$work/$run.json"
  put "deliv_$run" "$work/deliv_$run.json"
done
for size in $sizes; do
  put "rss_sat_$size" "$work/rss_sat_$size.json"
  put "cpu_sat_$size" "$work/cpu_sat_$size.json"
done
put rss_one_50MB "$work/rss_one_50MB.json"
jq --arg machine "$machine" --arg date "$(date -u +%Y-%m-%dT%H:%MZ)" --arg sizes "$sizes" \
  --argjson rss "$rss_conns_kib" --argjson hwm "$hwm_conns_kib" --argjson peak "$peak_kib" '
  . as $a | ($sizes | split(" ")) as $sz |
  def per(f): reduce $sz[] as $s ({}; .[$s] = ($s | f));
  def rnd: (. * 10 | round) / 10;
  def r2: (. * 100 | round) / 100;
  def p: $a.pipeline[.];
  def sat: $a["load_sat_" + .];
  def half: $a["load_half_" + .];
  {
    machine: $machine,
    date: $date,
    packet_bytes: per(p.bytes),
    ceiling_docs_per_s_per_core: per(p.ceiling_docs_per_s_per_core | rnd),
    pipeline_docs_per_s_per_core: per(p.pipeline_docs_per_s_per_core | rnd),
    pipeline_to_ceiling_ratio: per(p.pipeline_to_ceiling_ratio),
    jdk_docs_per_s_per_core: per($a.jdk[.].jdk_docs_per_s_per_core | rnd),
    pipeline_to_jdk_ratio: per(p.pipeline_docs_per_s_per_core / $a.jdk[.].jdk_docs_per_s_per_core | r2),
    signed_pdf_2MB_docs_per_s_per_core: {
      without_pdf_checks: ($a.pipeline["2MBpdf"].pipeline_docs_per_s_per_core | rnd),
      with_pdf_checks: ($a.pipeline["2MBpdf"].pipeline_with_pdf_checks_docs_per_s_per_core | rnd),
      packet_bytes: $a.pipeline["2MBpdf"].bytes},
    routes_per_document: $a.pipeline.small.routes,
    broker_ceiling_docs_per_s: per($a.broker[.].broker_ceiling_docs_per_s | rnd),
    e2e_accepted_docs_per_s: per(sat.accepted_per_s),
    e2e_to_broker_ratio: per(sat.accepted_per_s / $a.broker[.].broker_ceiling_docs_per_s | r2),
    cpu_ms_per_doc: per({bus_e2e: $a["cpu_sat_" + .].bus_cpu_ms_per_doc,
                         broker_e2e: $a["cpu_sat_" + .].broker_cpu_ms_per_doc,
                         broker_ceiling: $a.broker[.].broker_cpu_ms_per_doc,
                         pipeline_checks: (1000 / p.pipeline_docs_per_s_per_core | r2)}),
    e2e_saturation_p50_p95_p99_ms: per(sat | [.p50_ms, .p95_ms, .p99_ms]),
    e2e_half_saturation: per(half | {rate, accepted_per_s, p50_ms, p99_ms, max_ms, accepted}),
    e2e_p99_ms_at_500: {small: $a.load_r500_small.p99_ms, "20KB": $a.load_r500_20KB.p99_ms,
                        "1MB": null},
    e2e_max_ms_at_500: {small: $a.load_r500_small.max_ms, "20KB": $a.load_r500_20KB.max_ms},
    e2e_p50_p95_ms_at_500: {small: [$a.load_r500_small.p50_ms, $a.load_r500_small.p95_ms],
                           "20KB": [$a.load_r500_20KB.p50_ms, $a.load_r500_20KB.p95_ms]},
    e2e_accepted_docs_per_s_at_500: {small: $a.load_r500_small.accepted_per_s,
                                     "20KB": $a.load_r500_20KB.accepted_per_s},
    delivery_docs_per_s: per($a["deliv_sat_" + .].delivered_per_s),
    delivery_p50_p95_p99_ms_at_500: {
      small: ($a.deliv_r500_small | [.p50_ms, .p95_ms, .p99_ms]),
      "20KB": ($a.deliv_r500_20KB | [.p50_ms, .p95_ms, .p99_ms])},
    delivery_missing: ([to_entries[] | select(.key | startswith("deliv_")) | .value.missing] | add),
    rss_per_inflight_mb: (per($a["rss_sat_" + .].rss_per_inflight_mb)
                          + {"50MB": $a.rss_one_50MB.rss_per_inflight_mb}),
    packet_50MB: {bytes: $a.rss_one_50MB.inflight_bytes, accepted: $a.load_one_50MB.accepted,
                  delivered: ($a.deliv_one_50MB.missing == 0 and $a.load_one_50MB.accepted == 1),
                  max_body_bytes: 67108864,
                  rss_growth_mib: (($a.rss_one_50MB.peak_kib - $a.rss_one_50MB.base_kib) / 1024 | rnd)},
    rss_mib_1000_conns: ($rss / 1024 | rnd),
    peak_rss_mib_1000_conns: ($hwm / 1024 | rnd),
    peak_rss_mib_whole_run: ($peak / 1024 | rnd),
    raw: $a
  }' "$work/all.json" >"$out/bench-results.json"

jq -r '
  def cols: ["small", "20KB", "1MB", "5MB", "20MB"];
  def cell: if . == null then "—" elif type == "array" then map(tostring) | join(" / ") else tostring end;
  def row(name; f; target): f as $v | "| \(name) | \(cols | map(. as $c | $v[$c] | cell) | join(" | ")) | \(target) |";
  def pct: map_values(. * 100 | round | tostring + " %");
  "Machine: \(.machine); \(.date)\n",
  "| measure | " + ([cols[] as $c | "\($c) (\(.packet_bytes[$c]) B)"] | join(" | ")) + " | target |",
  "|---|---|---|---|---|---|---|",
  row("ceiling: parse + exc-C14N + SHA-256 + RSA verify, docs/s per core"; .ceiling_docs_per_s_per_core; "—"),
  row("bus pipeline (parse, XSD, signature + chain, routing), docs/s per core"; .pipeline_docs_per_s_per_core; "—"),
  row("pipeline / ceiling"; .pipeline_to_ceiling_ratio | pct; ">= 60 % at 1 MB and 5 MB"),
  row("the JDK'"'"'s XML-DSig verify alone (DOM, secure validation), docs/s per core"; .jdk_docs_per_s_per_core; "—"),
  row("pipeline / JDK"; .pipeline_to_jdk_ratio; ">= 2 at every size"),
  row("broker ceiling: confirmed publishing alone, docs/s (\(.routes_per_document) route each)"; .broker_ceiling_docs_per_s; "—"),
  row("end to end accepted docs/s at saturation (POST → 202 after confirm)"; .e2e_accepted_docs_per_s; "—"),
  row("end to end / broker ceiling"; .e2e_to_broker_ratio | pct; ">= 70 % at 20 KB and 1 MB"),
  row("CPU ms per document at saturation: bus (of which checks) / broker, and the broker at its ceiling"; .cpu_ms_per_doc | map_values("\(.bus_e2e) (\(.pipeline_checks)) / \(.broker_e2e); \(.broker_ceiling)"); "—"),
  row("p50 / p95 / p99 ms at saturation"; .e2e_saturation_p50_p95_p99_ms; "—"),
  row("fixed rate at half of saturation, docs/s"; .e2e_half_saturation | map_values(.rate); "—"),
  row("p50 / p99 ms at half of saturation"; .e2e_half_saturation | map_values([.p50_ms, .p99_ms]); "—"),
  row("bus peak RSS growth per MB in flight (saturation)"; .rss_per_inflight_mb; "<= 1.5"),
  row("p50 / p95 / p99 ms at 500 docs/s"; (.e2e_p50_p95_ms_at_500 as $a | .e2e_p99_ms_at_500 | with_entries(select(.value != null)) | with_entries(.value = ($a[.key] + [.value]))); "p99 <= 25"),
  row("max ms at 500 docs/s"; .e2e_max_ms_at_500; "—"),
  row("delivered to the HTTP webhook, docs/s (after saturation)"; .delivery_docs_per_s; "—"),
  row("delivery p50 / p95 / p99 ms from the POST to the webhook, at 500 docs/s"; .delivery_p50_p95_p99_ms_at_500; "—"),
  "| accepted documents the webhook never received | \(.delivery_missing) | | | | | 0 |",
  "| one 50 MB packet (\(.packet_50MB.bytes) B, limit raised to 64 MiB): accepted, delivered, RSS growth | \(.packet_50MB.accepted), \(.packet_50MB.delivered), \(.packet_50MB.rss_growth_mib) MiB (\(.rss_per_inflight_mb["50MB"]) per MB) | | | | | 1, true, <= 1.5 per MB |",
  "| bus RSS with 1,000 open keep-alive connections | \(.rss_mib_1000_conns) MiB (peak \(.peak_rss_mib_1000_conns) MiB) | | | | | <= 200 MiB |",
  "| bus peak RSS over the whole run | \(.peak_rss_mib_whole_run) MiB | | | | | — |"
' "$out/bench-results.json" >"$out/bench-results.md"
cat "$out/bench-results.md"
# The README's table too (between its bench-results markers), unless LIENTHONG_BENCH_README=0.
readme=$root/README.md
if [ "${LIENTHONG_BENCH_README:-1}" = 1 ] && grep -q '^<!-- bench-results' "$readme"; then
  awk -v table="$out/bench-results.md" '
    /^<!-- bench-results/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /^<!-- \/bench-results -->/ { skip = 0 }
    !skip' "$readme" >"$work/README.md"
  cat "$work/README.md" >"$readme"
  echo "README.md: table updated"
fi
echo "results: $out/bench-results.json, $out/bench-results.md"
