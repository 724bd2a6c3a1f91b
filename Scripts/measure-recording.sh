#!/usr/bin/env bash
# What a recording costs, measured as a user runs it (release build):
#   - size: `record` of the Go client_golang fixture at 2 s for SECONDS, extrapolated to an
#     hour; and of a 5 MB / 41k-series fixture (-series 40000) at 10 s;
#   - seek: a 24-hour recording made from the first one's bodies (2 s apart), opened and
#     sought at 20 random times (`recording-bench`);
#   - CPU: the dashboard under tmux polling the fixture every second for SECONDS, without
#     and with --record (from /proc/PID/stat, after a warm-up).
# Usage: Scripts/measure-recording.sh [SECONDS]   (default 120)
# Needs: tmux, golang-go, golang-github-prometheus-client-golang-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
scratch=Benchmarks/.build
swift build -c release --product teleport-top --scratch-path "$scratch" >&2
bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
work=$(mktemp -d)
trap 'tmux -L measure-rec kill-server 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/godiag" ./Tests/Fixtures/godiag
hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
bytes() { du -sb "$1" | cut -f1; }

fixture() { # port, fixture args...
  local port=$1; shift
  "$work/godiag" -listen "127.0.0.1:$port" -stdin-watch=false "$@" >/dev/null 2>&1 &
  sleep 1
}

# Size of the small target at 2 s.
port=$(free_port); fixture "$port"; small=$!; small_port=$port
"$bin" record "$work/small" --diag-addr "127.0.0.1:$port" --interval 2s --for "${seconds}s" 2>/dev/null
body=$(curl -s "http://127.0.0.1:$port/metrics" | wc -c)
awk -v b="$(bytes "$work/small")" -v s="$seconds" -v z="$body" \
  'BEGIN { printf "Go fixture (%.1f KB /metrics) at 2 s for %d s: %.0f KB, %.2f MB an hour\n", z / 1000, s, b / 1000, b / s * 3600 / 1e6 }'

# Seek in 24 hours of it.
"$bin" recording-bench "$work/small" --hours 24 --interval 2

# Size of the 5 MB target at 10 s (at least 6 scrapes).
big_seconds=$(( seconds < 60 ? 60 : seconds ))
port=$(free_port); fixture "$port" -series 40000; big=$!
"$bin" record "$work/big" --diag-addr "127.0.0.1:$port" --interval 10s --for "${big_seconds}s" 2>/dev/null
body=$(curl -s "http://127.0.0.1:$port/metrics" | wc -c)
awk -v b="$(bytes "$work/big")" -v s="$big_seconds" -v z="$body" \
  'BEGIN { printf "Go fixture -series 40000 (%.1f MB /metrics) at 10 s for %d s: %.1f MB, %.0f MB an hour\n", z / 1e6, s, b / 1e6, b / s * 3600 / 1e6 }'
kill "$big"; wait "$big" 2>/dev/null || true

# The dashboard's CPU at 1 s, without and with --record.
for mode in plain record; do
  extra=""
  [ "$mode" = record ] && extra="--record $work/dash"
  tmux -L measure-rec new -d -x 160 -y 48 -s m "$bin --diag-addr 127.0.0.1:$small_port --interval 1s --otlp-grpc off --otlp-http off $extra"
  sleep 10
  pid=$(pgrep -n -f "$bin --diag-addr")
  before=$(cpu "$pid"); sleep "$seconds"; after=$(cpu "$pid")
  awk -v a="$after" -v b="$before" -v s="$seconds" -v m="$mode" 'BEGIN { printf "dashboard, Go fixture at 1 s, %-7s %6.2f%% CPU over %d s\n", m, 100 * (a - b) / s, s }'
  tmux -L measure-rec kill-server
  sleep 1
done
kill "$small"; wait "$small" 2>/dev/null || true
