#!/usr/bin/env bash
# Regenerates the committed seed corpora (Fuzz/Corpus/TARGET) from real peers and our own
# writers: the Go client_golang fixture (text and OpenMetrics /metrics, net/http/pprof
# profiles, /log-stream), Python's OpenTelemetry SDK (an OTLP/HTTP protobuf body, captured),
# `teleport-top serve` (its /metrics, its trace files, its log stream, a --targets file),
# Debian's prometheus (API answers), `teleport-top record` (a recording), and the samples
# in Tests/Fixtures and themes/. Each seed is kept under 64 KiB.
# Usage: Scripts/fuzz-seeds.sh   (needs what the tests need: golang-go, prometheus, curl, python3-venv)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
swift build --product teleport-top >&2
bin=$root/.build/debug/teleport-top
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
corpus=$root/Fuzz/Corpus
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }
# seed TARGET NAME < bytes: at most 64 KiB, cut at the last newline for text.
seed() {
  mkdir -p "$corpus/$1"
  { head -c 65536 > "$corpus/$1/$2"; cat > /dev/null; }
  if [ "$(wc -c < "$corpus/$1/$2")" -eq 65536 ] && [ "${3:-text}" = text ]; then
    python3 - "$corpus/$1/$2" <<'PY'
import sys
p = sys.argv[1]; b = open(p, "rb").read(); i = b.rfind(b"\n")
open(p, "wb").write(b[: i + 1] if i > 0 else b)
PY
  fi
}
rm -rf "$corpus"; mkdir -p "$corpus"

# The Go fixture.
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/godiag" ./Tests/Fixtures/godiag
gport=$(free_port)
"$work/godiag" -listen "127.0.0.1:$gport" -unix "$work/godiag.sock" -debug -hostile -log-stream 20ms -stdin-watch=false >/dev/null 2>&1 &
wait_http "http://127.0.0.1:$gport/metrics"
curl -s "http://127.0.0.1:$gport/metrics" | seed exposition godiag-text
curl -s -H 'Accept: application/openmetrics-text; version=1.0.0; charset=utf-8' "http://127.0.0.1:$gport/metrics" | seed exposition godiag-openmetrics
for p in heap goroutine allocs; do
  curl -s "http://127.0.0.1:$gport/debug/pprof/$p" > "$work/$p.pb.gz"
  seed pprof "godiag-$p.pb.gz" binary < "$work/$p.pb.gz"
  gzip -dc < "$work/$p.pb.gz" | seed pprof "godiag-$p.pb" binary
done
curl -s "http://127.0.0.1:$gport/debug/pprof/profile?seconds=1" | seed pprof godiag-cpu.pb.gz binary
timeout 2 curl -s -N --unix-socket "$work/godiag.sock" "http://localhost/log-stream?level=debug" | seed log-lines godiag-log-stream || true

# teleport-top serve: /metrics, trace files, its log stream, a --targets file.
sport=$(free_port)
mkdir -p "$work/traces"
mkdir -p "$work/data"
"$bin" serve --diag-addr "127.0.0.1:$sport" --data-dir "$work/data" \
  --tracing-exporter-url "file://$work/traces" --tracing-sampling-rate-per-million 1000000 >/dev/null 2>&1 &
serve=$!
wait_http "http://127.0.0.1:$sport/metrics"
timeout 4 curl -s -N --unix-socket "$work/data/debug.sock" "http://localhost/log-stream?level=debug" | seed log-lines serve-log-stream || true
curl -s "http://127.0.0.1:$sport/metrics" | seed exposition serve-text
kill -TERM "$serve"; wait "$serve" 2>/dev/null || true
n=0
for f in "$work"/traces/*.trace; do
  [ -f "$f" ] || continue
  head -n 20 "$f" | seed trace-file "serve-$n.trace"; n=$((n + 1))
  tail -n 3 "$f" | seed trace-file "serve-tail-$n.trace"
  head -n 2 "$f" | seed trace-file "serve-head-$n.trace"
  head -n 1 "$f" | python3 -c 'import sys; print("{\"resourceSpans\":[" + sys.stdin.read().strip() + "]}")' | seed otlp-json "serve-resource-spans-$n.json"
  [ $n -ge 2 ] && break
done
"$bin" serve --instances 3 --targets-out "$work/targets.yaml" >/dev/null 2>&1 &
fleet=$!
for _ in $(seq 50); do [ -s "$work/targets.yaml" ] && break; sleep 0.2; done
kill -TERM "$fleet"; wait "$fleet" 2>/dev/null || true
[ -s "$work/targets.yaml" ] && seed targets serve-instances.yaml < "$work/targets.yaml"

# Python's OpenTelemetry SDK: an OTLP/HTTP protobuf export, captured as sent.
venv=$root/.build/fixtures/otel-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q -r Tests/Fixtures/otel/requirements.txt >&2
fi
cport=$(free_port)
"$venv/bin/python" - "$cport" "$work/otlp" <<'PY' &
import http.server, sys
port, out = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    n = 0
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(f"{out}-{H.n}.pb", "wb").write(body); H.n += 1
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
capture=$!
sleep 1
"$venv/bin/python" Tests/Fixtures/otel/sender.py --protocol http --endpoint "http://127.0.0.1:$cport/v1/traces" --traces 3 >/dev/null
"$venv/bin/python" Tests/Fixtures/otel/sender.py --protocol http --endpoint "http://127.0.0.1:$cport/v1/traces" --traces 1 --children 0 --service "hostile\e[31m" >/dev/null
kill "$capture"
for f in "$work"/otlp-*.pb; do
  seed otlp-protobuf "python-sdk-$(basename "$f")" binary < "$f"
  "$venv/bin/python" - "$f" <<'PY' | seed otlp-json "python-sdk-$(basename "$f" .pb).json"
import sys
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
m = trace_service_pb2.ExportTraceServiceRequest(); m.ParseFromString(open(sys.argv[1], "rb").read())
print(json_format.MessageToJson(m, indent=None))
PY
done
# Our own file exporter's lines, as OTLP protobuf exports.
for f in "$corpus"/trace-file/serve-head-*.trace; do
  "$venv/bin/python" - "$f" <<'PY' | seed otlp-protobuf "serve-$(basename "$f" .trace).pb" binary
import sys
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.trace.v1 import trace_pb2
m = trace_service_pb2.ExportTraceServiceRequest()
for line in open(sys.argv[1]):
    if line.strip():
        m.resource_spans.append(json_format.Parse(line, trace_pb2.ResourceSpans(), ignore_unknown_fields=True))
sys.stdout.buffer.write(m.SerializeToString())
PY
done

# Debian's prometheus scraping the fixture: the API's answers.
pport=$(free_port)
cat > "$work/prometheus.yml" <<YML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: teleport
    static_configs: [{targets: ["127.0.0.1:$gport"]}]
YML
prometheus --config.file "$work/prometheus.yml" --web.listen-address "127.0.0.1:$pport" --storage.tsdb.path "$work/tsdb" >/dev/null 2>&1 &
wait_http "http://127.0.0.1:$pport/-/ready"
sleep 8
api="http://127.0.0.1:$pport/api/v1"
q() { curl -s -G "$api/$1" "${@:2}"; }
q query --data-urlencode 'query=up' | seed prometheus query-up.json
q query --data-urlencode 'query=process_state' | seed prometheus query-process-state.json
q query --data-urlencode 'query=sum by (instance) (rate(process_cpu_seconds_total[1m]))' | seed prometheus query-rate.json
q query --data-urlencode 'query=histogram_quantile(0.99, sum by (le) (rate(go_gc_duration_seconds_bucket[1m])))' | seed prometheus query-quantile.json
q query --data-urlencode 'query=scalar(up)' | seed prometheus query-scalar.json
q query_range --data-urlencode 'query=process_resident_memory_bytes' --data-urlencode "start=$(( $(date +%s) - 8 ))" --data-urlencode "end=$(date +%s)" --data-urlencode 'step=1' | seed prometheus query-range.json
q query --data-urlencode 'query=rate(' | seed prometheus query-error.json
q targets | seed prometheus targets.json
q metadata --data-urlencode 'limit=30' | seed prometheus metadata.json

# A recording of the fixture (a short one, a few scrapes and a log stream).
"$bin" record "$work/rec" --diag-addr "127.0.0.1:$gport" --debug-socket "$work/godiag.sock" --interval 200ms --for 2s >/dev/null 2>&1
for f in "$work"/rec/*.ttrec; do
  seed recording godiag-whole.ttrec binary < "$f"
  head -c 20000 "$f" | seed recording godiag-cut.ttrec binary
  head -c 100 "$f" | seed recording godiag-header.ttrec binary
done

# Samples in the repo.
seed exposition teleport-excerpts < Tests/Fixtures/teleport-metrics-excerpts.txt
for f in Tests/Fixtures/logs/*.log; do seed log-lines "$(basename "$f")" < "$f"; done
for f in themes/*.yaml; do seed theme "$(basename "$f")" < "$f"; done
for d in Fuzz/Seeds/*/; do t=$(basename "$d"); for f in "$d"*; do seed "$t" "$(basename "$f")" < "$f"; done; done
find "$corpus" -type f -empty -delete
for d in "$corpus"/*/; do printf '%-14s %3d files %7d bytes\n' "$(basename "$d")" "$(ls "$d" | wc -l)" "$(du -sb "$d" | cut -f1)"; done
