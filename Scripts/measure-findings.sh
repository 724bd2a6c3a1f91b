#!/usr/bin/env bash
# The findings engine's no-false-alarm figures, evaluated as the dashboard evaluates them
# (every 3 scrapes and at most once per 5 s, through the tracker: `check --from --sweep`):
#   - the healthy Go fixture for MINUTES minutes at 2 s;
#   - the embedded engine (`serve` with its scheduled degraded episodes) for as long.
# Prints, per source, the evaluations, how many held a warning or a critical, and each
# distinct warning with how many evaluations carried it.
# Usage: Scripts/measure-findings.sh [MINUTES]   (default 10; BIN=path uses that teleport-top
#        instead of a release build: these are figures of behaviour, not of speed)
# Needs: golang-go, golang-github-prometheus-client-golang-dev, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
scratch=Benchmarks/.build
if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  swift build -c release --product teleport-top --scratch-path "$scratch" >&2
  bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/godiag" ./Tests/Fixtures/godiag
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

summarize() { # label, sweep output file
  python3 - "$1" "$2" <<'PY'
import json, sys, collections
label, path = sys.argv[1], sys.argv[2]
lines = [json.loads(l) for l in open(path) if l.strip()]
bad = [l for l in lines if l.get("worst") in ("warning", "critical")]
checks = collections.Counter()
for l in lines:
    for f in l["findings"]:
        checks[(f["severity"], f["check"], f.get("family") or "")] += 1
print(f"{label}: {len(lines)} evaluations, {len(bad)} with a warning or critical")
for (severity, check, family), n in checks.most_common():
    print(f"  {n:4d} x {severity:8s} {check} {family}")
PY
}

a=$(port)
"$work/godiag" -listen "127.0.0.1:$a" -stdin-watch=false >/dev/null 2>&1 &
sleep 1
# Both watched at once.
"$bin" check --diag-addr "127.0.0.1:$a" --for "${minutes}m" --interval 2s --record "$work/fixture" --json >/dev/null &
"$bin" check --embedded --for "${minutes}m" --interval 2s --record "$work/embedded" --json >/dev/null &
wait %2 %3 || true
"$bin" check --from "$work/fixture" --sweep > "$work/fixture.jsonl" || true
summarize "healthy Go fixture, ${minutes} min at 2 s" "$work/fixture.jsonl"
"$bin" check --from "$work/embedded" --sweep > "$work/embedded.jsonl" || true
summarize "embedded engine, ${minutes} min at 2 s" "$work/embedded.jsonl"
