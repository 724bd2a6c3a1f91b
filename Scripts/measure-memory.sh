#!/usr/bin/env bash
# The release dashboard's resident memory against a 5 MB / 40k-series target (the Go
# client_golang fixture with -series 40000), as a user runs it under tmux: VmRSS and the
# peak (VmHWM) from /proc after MINUTES minutes at each interval given (default 2s and 1s,
# run side by side with a fixture each).
# Usage: Scripts/measure-memory.sh [MINUTES] [INTERVAL...]   (default: 10 2s 1s)
# Needs: tmux, golang-go, golang-github-prometheus-client-golang-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
shift || true
intervals=("${@:-2s}")
[ $# -eq 0 ] && intervals=(2s 1s)
scratch=Benchmarks/.build
swift build -c release --product teleport-top --scratch-path "$scratch" >&2
bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
work=$(mktemp -d)
trap 'tmux -L memory kill-server 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/godiag" ./Tests/Fixtures/godiag
pids=()
for interval in "${intervals[@]}"; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$work/godiag" -listen "127.0.0.1:$port" -stdin-watch=false -series 40000 >/dev/null 2>&1 &
  sleep 1
  tmux -L memory new -d -x 160 -y 48 -s "m$interval" "$bin --diag-addr 127.0.0.1:$port --interval $interval --otlp-grpc off --otlp-http off"
  sleep 2
  pids+=("$(pgrep -n -f "$bin --diag-addr 127.0.0.1:$port")")
done
size=$(curl -s "http://127.0.0.1:$port/metrics" | wc -c)
for m in $(seq "$minutes"); do
  sleep 60
  for i in "${!intervals[@]}"; do
    printf 'after %2d min at %-5s RSS %4d MB (peak %4d MB)\n' "$m" "${intervals[$i]}" \
      $(( $(awk '/VmRSS/ {print $2}' "/proc/${pids[$i]}/status") / 1024 )) $(( $(awk '/VmHWM/ {print $2}' "/proc/${pids[$i]}/status") / 1024 ))
  done
done
echo "target /metrics: $((size / 1000)) KB"
