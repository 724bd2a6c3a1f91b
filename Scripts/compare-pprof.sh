#!/usr/bin/env bash
# Whole-process time of `teleport-top pprof --top 20 FILE` against `go tool pprof -top` on
# the same generated profile of about 10 MB gzip-compressed (the issue's performance check).
#
#   Scripts/compare-pprof.sh [FILE]
#
# Needs a release build of teleport-top (built here if missing, in the benchmarks' scratch
# path so it shares their release build of the dependencies),
# Go (golang-go) and hyperfine (apt-get install hyperfine). FILE defaults to a generated
# profile in /tmp (`teleport-top-fixtures synthetic-profile`, seed 1, the same bytes every time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v hyperfine >/dev/null || { echo "hyperfine not found: apt-get install hyperfine" >&2; exit 1; }
command -v go >/dev/null || { echo "go not found: apt-get install golang-go" >&2; exit 1; }

swift build -c release --product teleport-top --scratch-path Benchmarks/.build
bin=$(swift build -c release --product teleport-top --scratch-path Benchmarks/.build --show-bin-path)/teleport-top
file=${1:-/tmp/teleport-top-synthetic-10MB.pb.gz}
if [[ ! -f $file ]]; then
  swift build -c release --product teleport-top-fixtures --scratch-path Benchmarks/.build
  "$(dirname "$bin")/teleport-top-fixtures" synthetic-profile --compressed-bytes 10485760 "$file"
fi
pprof=$(go env GOTOOLDIR)/pprof
ls -l "$file"

# Same answer first (the tables must be identical), then the times.
diff <("$bin" pprof --top 20 "$file") <(go tool pprof -top -nodecount=20 "$file" 2>/dev/null) && echo "top 20: identical output"

hyperfine --warmup 1 --runs 5 --export-markdown /tmp/compare-pprof.md \
  -n "teleport-top pprof --top 20" "$bin pprof --top 20 $file" \
  -n "go tool pprof -top -nodecount=20" "go tool pprof -top -nodecount=20 $file" \
  -n "go tool pprof -top" "go tool pprof -top $file" \
  -n "pprof binary -top -nodecount=20" "$pprof -top -nodecount=20 $file"
cat /tmp/compare-pprof.md
