#!/usr/bin/env bash
# Fuzzes the readers of untrusted bytes with libFuzzer (the toolchain's -sanitize=fuzzer,address).
#   Scripts/fuzz.sh TARGET SECONDS   one target (exposition, otlp-protobuf, otlp-json, trace-file,
#                                    pprof, teleport-yaml, theme, targets, log-lines, prometheus,
#                                    recording, time, duration, size, matchers, selector, regex)
#   Scripts/fuzz.sh all SECONDS      each target in turn
# Seeds come from Fuzz/Corpus/TARGET (committed; Scripts/fuzz-seeds.sh regenerates them); what
# the fuzzer adds goes to Fuzz/work/TARGET/corpus, crashes to Fuzz/work/TARGET/ (not committed:
# a crash, once fixed, is copied to Fuzz/Crashes/TARGET, which the unit tests replay).
# FUZZ_MAX_LEN (bytes) and FUZZ_TIMEOUT (seconds, default 2) override libFuzzer's -max_len
# and -timeout: FUZZ_MAX_LEN=1048576 FUZZ_TIMEOUT=10 looks for inputs of up to 1 MiB that hang.
# A line per target is appended to Fuzz/work/summary.tsv: target, runs, seconds, corpus files,
# corpus bytes, crashes, max_len.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
swift build --package-path Fuzz --scratch-path Fuzz/.build \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
bin=Fuzz/.build/debug/teleport-top-fuzz
all=(exposition otlp-protobuf otlp-json trace-file pprof teleport-yaml theme targets log-lines prometheus recording time duration size matchers selector regex)
if [ "$1" = all ]; then targets=("${all[@]}"); else targets=("$1"); fi
mkdir -p Fuzz/work
status=0
for target in "${targets[@]}"; do
  work=Fuzz/work/$target
  mkdir -p "$work/corpus"
  log=$work/fuzz.log
  before=$(ls "$work" | grep -c '^crash-\|^timeout-\|^oom-\|^leak-' || true)
  # -timeout: an input that takes over 2 s is a hang (debug build under ASan; 1 MiB inputs
  # are timed in release by Scripts/limits.sh). -rss_limit_mb/-malloc_limit_mb: an input
  # that makes the reader hold over 2 GiB, or ask for 1 GiB at once, is a finding.
  set +e
  TT_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$bin" "$work/corpus" "Fuzz/Corpus/$target" \
    -max_total_time="$2" -timeout="${FUZZ_TIMEOUT:-2}" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    ${FUZZ_MAX_LEN:+-max_len=$FUZZ_MAX_LEN -len_control=0} \
    -artifact_prefix="$work/" -print_final_stats=1 > "$log" 2>&1
  code=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
  seconds=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -1 || true)
  files=$(ls "$work/corpus" "Fuzz/Corpus/$target" | grep -vc ':$\|^$' || true)
  bytes=$(cat "$work"/corpus/* "Fuzz/Corpus/$target"/* 2>/dev/null | wc -c)
  crashes=$(( $(ls "$work" | grep -c '^crash-\|^timeout-\|^oom-\|^leak-' || true) - before ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "${runs:-?}" "${seconds:-$2}" "$files" "$bytes" "$crashes" "${FUZZ_MAX_LEN:-default}" | tee -a Fuzz/work/summary.tsv
  if [ "$code" -ne 0 ]; then
    status=1
    echo "$target: libFuzzer stopped (exit $code); see $log:" >&2
    grep -m3 -A3 'ERROR: \|teleport-top-fuzz \|Test unit written' "$log" >&2 || tail -20 "$log" >&2
  fi
done
exit $status
