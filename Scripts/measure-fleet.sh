#!/usr/bin/env bash
# The fleet's figures, measured as a user runs it (release build, under tmux):
#   - 200 directly polled targets (one `serve --instances 200`) at --interval 5s: the
#     dashboard's CPU (share of one core, from /proc/PID/stat over SECONDS) and resident memory;
#   - Debian's Prometheus scraping the same 200 every 5 s: one `snapshot --prometheus` timed
#     (median of 5), and the dashboard's CPU reading the fleet from it at a 5 s refresh.
# Usage: Scripts/measure-fleet.sh [SECONDS] [direct]   (default 60; `direct`: skip the Prometheus part)
# Needs: tmux, prometheus, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
scratch=Benchmarks/.build
swift build -c release --product teleport-top --scratch-path "$scratch" >&2
bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
work=$(mktemp -d)
trap 'tmux -L measure-fleet kill-server 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ { print $2 / 1024 }' "/proc/$1/status"; }
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$bin" serve --instances 200 --targets-out "$work/fleet.yaml" 2>"$work/serve.log" &
until [ -s "$work/fleet.yaml" ]; do sleep 0.5; done
echo "serve --instances 200: $(grep -c diag_addr "$work/fleet.yaml") instances"

dashboard() { # label, args...
  local label=$1; shift
  tmux -L measure-fleet new -d -x 200 -y 60 -s m "$bin $* --interval 5s --otlp-grpc off --otlp-http off --log-file $work/dash.log"
  sleep 15
  local pid
  pid=$(pgrep -n -f "$bin $1")
  local before after
  before=$(cpu "$pid")
  sleep "$seconds"
  after=$(cpu "$pid")
  printf '%s: %.1f%% of a core over %ss, resident %.0f MB\n' "$label" "$(echo "($after - $before) * 100 / $seconds" | bc -l)" "$seconds" "$(rss "$pid")"
  tmux -L measure-fleet capture-pane -p -t m | head -3 | sed 's/^/    /'
  tmux -L measure-fleet kill-server
}

dashboard "dashboard, 200 direct targets at 5s" --targets "$work/fleet.yaml"
[ "${2:-}" = direct ] && exit 0

port=$(freeport)
{
  echo "global: {scrape_interval: 5s, scrape_timeout: 5s}"
  echo "scrape_configs:"
  echo "  - job_name: teleport"
  echo "    static_configs:"
  echo "      - targets: [$(grep diag_addr "$work/fleet.yaml" | sed 's/.*: //' | paste -sd, -)]"
} > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.listen-address="127.0.0.1:$port" --log.level=warn 2>"$work/prom.log" &
until curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; do sleep 0.5; done
# Wait for a minute of data (rate(x[1m]) reads low before that).
sleep 70
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  "$bin" snapshot --prometheus "http://127.0.0.1:$port" --json > "$work/prom.json"
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | paste -sd' ')
echo "snapshot --prometheus, 200 instances: $(python3 -c "import json;print(len(json.load(open('$work/prom.json'))['instances']))") instances; ms per run (sorted): $sorted; median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms"
dashboard "dashboard, 200 instances from Prometheus at 5s" --prometheus "http://127.0.0.1:$port"
