#!/usr/bin/env bash
# Time from a target's death to UNREACHABLE on the dashboard, as a user sees it: the release
# dashboard under tmux polls the Go client_golang fixture at --interval 1s (--timeout 60s, so
# a wait for the timeout would show as a minute); the fixture is killed with SIGKILL at a
# random moment, the pane is read every 10 ms until the header says UNREACHABLE, then the
# fixture is started again on the same port and the pane read until OK comes back (the
# return is timed too). Prints each kill and the median and max of both.
# Usage: Scripts/measure-unreachable.sh [KILLS]   (default 10)
# Needs: tmux, golang-go, golang-github-prometheus-client-golang-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-10}
scratch=Benchmarks/.build
swift build -c release --product teleport-top --scratch-path "$scratch" >&2
bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
work=$(mktemp -d)
fixture=""
trap 'tmux -L unreachable kill-server 2>/dev/null || true; [ -n "$fixture" ] && kill -9 "$fixture" 2>/dev/null; rm -rf "$work"' EXIT
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/godiag" ./Tests/Fixtures/godiag
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_fixture() {
  "$work/godiag" -listen "127.0.0.1:$port" -stdin-watch=false >/dev/null 2>&1 &
  fixture=$!
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && return; sleep 0.02; done
  echo "the fixture did not start" >&2; exit 1
}
header() { tmux -L unreachable capture-pane -p -t u 2>/dev/null | head -2; }
# Milliseconds until the header matches a pattern (60 s at most).
wait_for() {
  local pattern=$1 from=$2 now
  while true; do
    now=$(date +%s%N)
    if header | grep -q "$pattern"; then echo $(( (now - from) / 1000000 )); return; fi
    if [ $(( (now - from) / 1000000 )) -gt 60000 ]; then echo timeout; return; fi
    sleep 0.01
  done
}
start_fixture
tmux -L unreachable new -d -x 160 -y 48 -s u "$bin --diag-addr 127.0.0.1:$port --interval 1s --timeout 60s --otlp-grpc off --otlp-http off"
wait_for " OK " "$(date +%s%N)" >/dev/null
down=() back=()
for i in $(seq "$kills"); do
  sleep "$(python3 -c 'import random; print(round(2 + random.random() * 3, 3))')"  # a random moment between scrapes
  t=$(date +%s%N)
  kill -9 "$fixture"; wait "$fixture" 2>/dev/null || true
  d=$(wait_for "UNREACHABLE" "$t")
  t=$(date +%s%N)
  start_fixture
  b=$(wait_for " OK " "$t")
  printf 'kill %2d: UNREACHABLE after %5s ms; OK again %5s ms after the restart\n' "$i" "$d" "$b"
  down+=("$d") back+=("$b")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "median %d ms, max %d ms", m, a[NR] }'; }
echo "to UNREACHABLE after SIGKILL (interval 1 s): $(stats "${down[@]}")"
echo "back to OK after a restart:                 $(stats "${back[@]}")"
