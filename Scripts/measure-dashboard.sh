#!/usr/bin/env bash
# The dashboard's own cost, measured as a user runs it (release build, under tmux):
#   - CPU while polling the Go client_golang fixture every second, small (its own
#     families) and large (-series 40000: a 5 MB /metrics), from /proc/PID/stat over
#     SECONDS seconds after a warm-up;
#   - start to first frame, and to the first frame with data, in embedded mode;
#   - one key: from `p` to the top-N on screen, for a 5 s CPU profile of the Go fixture.
# Usage: Scripts/measure-dashboard.sh [SECONDS]   (default 60)
# Needs: tmux, golang-go, golang-github-prometheus-client-golang-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
scratch=Benchmarks/.build
swift build -c release --product teleport-top --scratch-path "$scratch" >&2
bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
work=$(mktemp -d)
trap 'for s in measure measure-f1 measure-f2 measure-f3 measure-p; do tmux -L $s kill-server 2>/dev/null || true; done; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/godiag" ./Tests/Fixtures/godiag
hz=$(getconf CLK_TCK)

# CPU seconds (user + system) of a pid.
cpu() { awk -v hz="$hz" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }

measure() { # label, fixture args...
  local label=$1; shift
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$work/godiag" -listen "127.0.0.1:$port" -stdin-watch=false "$@" >/dev/null 2>&1 &
  local fixture=$!
  sleep 1
  tmux -L measure new -d -x 160 -y 48 -s m "$bin --diag-addr 127.0.0.1:$port --interval 1s --otlp-grpc off --otlp-http off"
  sleep 10
  local pid
  pid=$(pgrep -n -f "$bin --diag-addr 127.0.0.1:$port")
  local before after
  before=$(cpu "$pid")
  sleep "$seconds"
  after=$(cpu "$pid")
  local size
  size=$(curl -s "http://127.0.0.1:$port/metrics" | wc -c)
  awk -v a="$after" -v b="$before" -v s="$seconds" -v l="$label" -v z="$size" \
    'BEGIN { printf "%-28s %7.2f%% CPU over %ds (/metrics %.1f KB, 1 s interval)\n", l, 100 * (a - b) / s, s, z / 1000 }'
  tmux -L measure kill-server
  kill "$fixture"; wait "$fixture" 2>/dev/null || true
}

measure "small Go target"
measure "5 MB Go target (40k series)" -series 40000

# Start to first frame: poll the pane every 2 ms from the moment tmux starts the command.
for run in 1 2 3; do
  start=$(date +%s%N)
  tmux -L "measure-f$run" new -d -x 160 -y 48 -s f "$bin --otlp-grpc off --otlp-http off"
  first="" data=""
  while [ -z "$data" ]; do
    pane=$(tmux -L "measure-f$run" capture-pane -p -t f 2>/dev/null || true)
    now=$(date +%s%N)
    if [ -z "$first" ] && grep -q "teleport-top" <<<"$pane"; then first=$(( (now - start) / 1000000 )); fi
    if grep -q " OK \| STARTING " <<<"$pane" && grep -q "scraped" <<<"$pane"; then data=$(( (now - start) / 1000000 )); fi
    if [ $(( (now - start) / 1000000 )) -gt 10000 ]; then data=timeout; fi
    sleep 0.002
  done
  echo "embedded run $run: first frame ${first} ms, first frame with data ${data} ms"
  tmux -L "measure-f$run" kill-server
done

# One key: p against the Go fixture with pprof on, a 5 s CPU profile, until its top-N shows.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/godiag" -listen "127.0.0.1:$port" -debug -stdin-watch=false >/dev/null 2>&1 &
fixture=$!
sleep 1
tmux -L measure-p new -d -x 160 -y 48 -s p "$bin --diag-addr 127.0.0.1:$port --profile-seconds 5 --profile-dir $work/profiles --otlp-grpc off --otlp-http off"
until tmux -L measure-p capture-pane -p -t p | grep -q " OK "; do sleep 0.05; done
start=$(date +%s%N)
tmux -L measure-p send-keys -t p p
until tmux -L measure-p capture-pane -p -t p | grep -q "flat%"; do sleep 0.002; done
echo "one key: the top-N of a 5 s CPU profile on screen $(( ($(date +%s%N) - start) / 1000000 )) ms after p"
tmux -L measure-p kill-server
kill "$fixture"; wait "$fixture" 2>/dev/null || true
