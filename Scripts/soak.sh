#!/usr/bin/env bash
# A long soak of the release dashboard under faults, as a user runs it: under tmux, at
# --interval 1s, over a fleet of two targets, for MINUTES, with all of these at once:
#   - the Go client_golang fixture (-hostile, its debug socket streaming -log-stream 2ms,
#     about 500 lines/s, read on its Logs screen), killed with SIGKILL and restarted on the
#     same port 50 times and stopped with SIGSTOP for 20 s 5 times (scaled to the run: at
#     least 3 and 1), at random moments;
#   - `teleport-top serve` with a fault schedule and a debug socket;
#   - Tests/Fixtures/otel/sender.py over gRPC and HTTP, about 2,000 spans/s in all, and an
#     OTLP/HTTP JSON body every 3 s whose span carries escape sequences around SOAKMARK<n>;
#   - every minute a resize (to 20x6, then 250x70, alternately; back to 160x48 after 5 s, so
#     faults are always read at full size) and a theme change (T); every 20 s a tab (1-9, 0,
#     the fleet screen I), back to the fixture's Logs screen after;
#   - beside it the headless recorder (`record`) of the same targets, its --max-size scaled to
#     the run (MINUTES/3 MiB, segments of a fifth) so that segments rotate and are removed.
# It asserts (a failure makes the exit status 1) and prints a report:
#   - the dashboard and the recorder alive at every check (every 5 s);
#   - each SIGKILL shown as UNREACHABLE within 2 intervals, each SIGSTOP within the request
#     timeout plus an interval, each return within one retry (the longest backoff, 5 s),
#     read from the header row (the open instance's badge, or the fleet's state counts);
#   - the spans received, as the Spans tab shows them, equal to the spans sent;
#   - VmRSS every 10 s: after a warm-up as long as --history, at most 10% over its value at
#     the warm-up's end (not asserted when the run is shorter than the warm-up);
#   - no hostile escape reaching the terminal (pane title, raw ESC ] / ESC [2J / BEL, a
#     marker coloured by its own ESC [31m) and markers shown escaped (`\e[31mSOAKMARK<n>`);
#   - the terminal restored after q: the prompt back, the pane's modes as before;
#   - the recorder alive, its directory within --max-size (plus the segment being written:
#     old segments go only when a new one starts) and `snapshot --from DIR --at` inside it.
# Usage: Scripts/soak.sh [MINUTES]   (default 30; SOAK_HISTORY overrides --history, 5m)
# Needs: tmux, curl, python3 (venv), golang-go, golang-github-prometheus-client-golang-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
history=${SOAK_HISTORY:-5m}
scratch=Benchmarks/.build
swift build -c release --product teleport-top --scratch-path "$scratch" >&2
bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
work=$(mktemp -d)
T="tmux -L soak"
trap 'touch "$work/stop"; $T kill-server 2>/dev/null || true; kill -9 "${fixture:-}" 2>/dev/null || true
  kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/godiag" ./Tests/Fixtures/godiag
py=.build/fixtures/otel-venv/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$work/venv" && "$work/venv/bin/pip" install -q -r Tests/Fixtures/otel/requirements.txt >&2
  py=$work/venv/bin/python
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
fail() { echo "$*" >>"$work/failures"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Bounds, from the code: DiagClient's timeout (passed as --timeout), PollSchedule's longest
# backoff; the pane is read every 250 ms and a frame may wait for the next draw (slack).
interval_ms=1000 timeout_ms=10000 backoff_ms=5000 slack_ms=500
kills=$(( (50 * minutes + 15) / 30 )); [ "$kills" -lt 3 ] && kills=3
stops=$(( (5 * minutes + 15) / 30 )); [ "$stops" -lt 1 ] && stops=1
max_kib=$(( minutes * 1024 / 3 )); seg_kib=$(( max_kib / 5 ))
gport=$(free_port) sport=$(free_port) otlp_grpc=127.0.0.1:$(free_port) otlp_http=127.0.0.1:$(free_port)

start_fixture() { # on the same port and socket every time; waits until it answers
  "$work/godiag" -listen "127.0.0.1:$gport" -unix "$work/godiag.sock" -log-stream 2ms -hostile -stdin-watch=false >/dev/null 2>&1 &
  fixture=$!
  for _ in $(seq 250); do curl -fs "http://127.0.0.1:$gport/readyz" >/dev/null && return; sleep 0.02; done
  fail "the fixture did not start"
}
start_fixture
"$bin" serve --diag-addr "127.0.0.1:$sport" --data-dir "$work/serve" --heartbeat 10s --retry 2s --fault-schedule ok:6,fail:3 \
  >"$work/serve.log" 2>&1 &
for _ in $(seq 100); do [ -S "$work/serve/debug.sock" ] && curl -fs "http://127.0.0.1:$sport/readyz" >/dev/null && break; sleep 0.1; done
cat >"$work/targets.yaml" <<EOF
- {name: godiag, diag_addr: "127.0.0.1:$gport", debug_socket: "$work/godiag.sock"}
- {name: serve, diag_addr: "127.0.0.1:$sport", debug_socket: "$work/serve/debug.sock"}
EOF
"$bin" record "$work/rec" --targets "$work/targets.yaml" --interval 1s --history "$history" \
  --max-size "${max_kib}KiB" --segment-size "${seg_kib}KiB" 2>"$work/record.log" &
rec=$!

# The dashboard, in a shell in the pane (so that the shell shows again after q).
$T new -d -x 160 -y 48 -s soak -c "$work" "env -u NO_COLOR PS1='soak-shell> ' bash --norc --noprofile"
sleep 1
modes='#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_cursor_flag} #{keypad_flag}'
modes_before=$($T display -p -t soak "$modes")
$T send-keys -t soak "$bin --targets $work/targets.yaml --interval 1s --timeout 10s --history $history --otlp-grpc $otlp_grpc" \
  " --otlp-http $otlp_http --log-file $work/dashboard.log --profile-dir $work/profiles --restore-log-level no; echo dashboard-exit=\$?" Enter
pane() { $T capture-pane -p -t soak 2>/dev/null; }
for _ in $(seq 100); do dash=$(pgrep -P "$($T display -p -t soak '#{pane_pid}')" -n || true); [ -n "$dash" ] && break; sleep 0.1; done
for _ in $(seq 120); do pane | grep -q '^ godiag .* OK ' && break; sleep 0.5; done
dash_start=$(date +%s)
# In a fleet the log stream is the open instance's, opened with its Logs screen: open the
# fixture there (the fleet filter leaves only its row, L opens it), and filter the Spans
# tab to the hostile spans so that their markers show.
open_fixture() { $T send-keys -t soak -l /godiag; $T send-keys -t soak Enter L; sleep 1; }
open_fixture
$T send-keys -t soak 8 /; $T send-keys -t soak -l SOAKMARK; $T send-keys -t soak Enter L
sleep 2
pane | sed -n 4p | grep -q '^ stream ' || fail "the fixture's Logs screen did not open"

# Hostile escapes: none may reach the terminal raw; markers must show escaped.
check_pane() { # file suffix
  local raw="$work/pane$1" plain="$work/plain$1" all esc
  $T capture-pane -e -p -t soak >"$raw" 2>/dev/null || return 0
  if grep -aqP '\x1b\]|\x1b\[2J|\x07|\x1b\[31mSOAKMARK' "$raw"; then fail "a raw escape reached the terminal"; cp "$raw" "$work/evidence"; fi
  case $($T display -p -t soak '#{pane_title}') in *SOAKTITLE* | *pwned*) fail "a hostile title reached the terminal" ;; esac
  sed 's/\x1b\[[0-9;]*m//g' "$raw" >"$plain"
  all=$(grep -oa 'SOAKMARK[0-9][0-9]*' "$plain" | wc -l || true)
  esc=$(grep -oa '\\e\[31mSOAKMARK[0-9][0-9]*' "$plain" | tee -a "$work/escaped" | wc -l || true)
  [ "$all" = "$esc" ] || fail "a marker shown without its escape"
}

# Load: the two OTLP senders (paced to their share of the rate), the hostile bodies.
otel_loop() { # protocol endpoint count-file: about 1,000 spans/s
  local total=0 start n ahead
  start=$(date +%s.%N)
  while [ ! -e "$work/stop" ]; do
    # 30 traces of 100 spans; what the SDK drops (its queue holds 2048) is never exported nor counted.
    n=$("$py" Tests/Fixtures/otel/sender.py --protocol "$1" --endpoint "$2" --traces 30 --children 9 --grandchildren 10 \
      --timeout 10 2>/dev/null | grep -o '"exported": [0-9]*' | grep -o '[0-9]*$' || true)
    total=$((total + ${n:-0})); echo "$total" >"$3"
    ahead=$(awk -v t="$total" -v s="$start" -v now="$(date +%s.%N)" 'BEGIN { d = s + t / 1000 - now; print (d > 0 ? d : 0) }')
    sleep "$ahead"
  done
}
hostile_loop() {
  local n=0 now body code
  while [ ! -e "$work/stop" ]; do
    n=$((n + 1)) now=$(date +%s%N)
    body=$(printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"soak-hostile"}}]},"scopeSpans":[{"spans":[{"traceId":"%032x","spanId":"%016x","name":"\\u001b[31mSOAKMARK%d\\u001b]0;SOAKTITLE%d\\u0007 end","kind":1,"startTimeUnixNano":"%s","endTimeUnixNano":"%s","attributes":[{"key":"soak","value":{"stringValue":"\\u001b[31mSOAKMARK%d\\u001b[2J\\u001b]0;SOAKTITLE%d\\u0007"}}]}]}]}]}' \
      $((n + 0x50a4)) $((n + 0x50a4)) "$n" "$n" "$now" $((now + 1000000)) "$n" "$n")
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' --data-binary "$body" \
      "http://$otlp_http/v1/traces" || true)
    echo "$n" >"$work/hostile.sent"
    [ "$code" = 200 ] && echo "$n" >>"$work/hostile.ok"
    sleep 3
  done
}
# Every 5 s: both processes alive, the recording's size, the pane; every 10 s the RSS.
monitor() {
  local i=0 now
  while [ ! -e "$work/stop" ]; do
    now=$(date +%s)
    kill -0 "$dash" 2>/dev/null || fail "the dashboard exited (at +$((now - dash_start)) s)"
    kill -0 "$rec" 2>/dev/null || fail "the recorder exited (at +$((now - dash_start)) s)"
    du -sb "$work/rec" 2>/dev/null | cut -f1 >>"$work/recsize" || true
    [ $((i % 2)) = 0 ] && { awk -v t="$now" '/^VmRSS/ { print t, $2 }' "/proc/$dash/status" >>"$work/rss" 2>/dev/null || true; }
    check_pane .m
    i=$((i + 1)); echo "$i" >"$work/checks"
    sleep 5
  done
}
otel_loop grpc "$otlp_grpc" "$work/sent.grpc" & load=($!)
otel_loop http "http://$otlp_http/v1/traces" "$work/sent.http" & load+=($!)
hostile_loop & load+=($!)
monitor & load+=($!)

# The faults, read from the pane's header row.
header_down() { local h; h=$(pane); [[ ${h%%$'\n'*} == *UNREACHABLE* ]]; }
wait_header() { # want(1 down, 0 up) from-ms limit-s: milliseconds until the header says so, or "timeout"
  local now up
  while :; do
    now=$(ms)
    if header_down; then up=1; else up=0; fi
    [ "$up" = "$1" ] && { echo $((now - $2)); return; }
    [ $((now - $2)) -gt $(($3 * 1000)) ] && { echo timeout; return; }
    sleep 0.25
  done
}
judge() { # what value-ms-or-timeout bound-ms window-s
  echo "$2" >>"$work/$1"
  if [ "$2" = timeout ]; then fail "$1: not shown within $4 s (bound $3 ms)"
  elif [ "$2" -gt "$3" ]; then fail "$1: $2 ms (bound $3 ms)"; fi
}
do_kill() {
  local t
  t=$(ms); kill -9 "$fixture"; wait "$fixture" 2>/dev/null || true
  judge kill-down "$(wait_header 1 "$t" 30)" $((2 * interval_ms + slack_ms)) 30
  start_fixture; t=$(ms)
  judge kill-back "$(wait_header 0 "$t" 30)" $((backoff_ms + slack_ms)) 30
}
do_stop() {
  local t c
  t=$(ms); kill -STOP "$fixture"
  # Not shown within the 20 s stop counts as a miss (after SIGCONT it never shows).
  judge stop-down "$(wait_header 1 "$t" 20)" $((timeout_ms + interval_ms + slack_ms)) 20
  sleep "$(awk -v t="$t" -v now="$(ms)" 'BEGIN { d = (t + 20000 - now) / 1000; print (d > 0 ? d : 0) }')"
  kill -CONT "$fixture"; c=$(ms)
  judge stop-back "$(wait_header 0 "$c" 30)" $((backoff_ms + slack_ms)) 30
}
sizes=("-x 20 -y 6" "-x 250 -y 70") resizes=0
do_resize() {
  # shellcheck disable=SC2086
  $T resize-window -t soak ${sizes[$((resizes % 2))]}; resizes=$((resizes + 1))
  $T send-keys -t soak T; sleep 5
  $T resize-window -t soak -x 160 -y 48; sleep 1
}
tabs=(1 2 3 4 5 6 7 8 9 0 I) visits=0
do_tab() {
  local key=${tabs[$((visits % ${#tabs[@]}))]}
  visits=$((visits + 1))
  if [ "$key" = I ]; then
    $T send-keys -t soak I Escape; sleep 3   # the whole fleet (Esc clears its filter)
    open_fixture
  else
    $T send-keys -t soak "$key"; sleep 3
    [ "$key" = 8 ] && check_pane .d
    $T send-keys -t soak L; sleep 1
  fi
}

# The schedule: faults at a random moment of equal slots (kinds shuffled), a resize every
# minute, a tab every 20 s; an action due while another runs starts after it.
run=$((minutes * 60))
{
  awk -v seed="$RANDOM" -v kills="$kills" -v stops="$stops" -v from=20 -v to=$((run - 30)) 'BEGIN {
    srand(seed); n = kills + stops
    for (i = 0; i < n; i++) kind[i] = i < kills ? "kill" : "stop"
    for (i = n - 1; i > 0; i--) { j = int(rand() * (i + 1)); k = kind[i]; kind[i] = kind[j]; kind[j] = k }
    for (i = 0; i < n; i++) print int(from + (i + rand() * 0.6) * (to - from) / n), kind[i] }'
  for ((s = 60; s < run; s += 60)); do echo "$s resize"; done
  for ((s = 10; s < run - 10; s += 20)); do echo "$s tab"; done
} | sort -n >"$work/schedule"
t0=$(date +%s)
while read -r at action; do
  now=$(date +%s)
  [ "$now" -lt $((t0 + at)) ] && sleep $((t0 + at - now))
  kill -0 "$dash" 2>/dev/null || break
  header_down && wait_header 0 "$(ms)" 30 >/dev/null   # a fault starts on a target shown up
  "do_$action"
done <"$work/schedule"
now=$(date +%s); [ "$now" -lt $((t0 + run)) ] && sleep $((t0 + run - now))

# The end: the load stops, the Spans tab is read, q, the recorder stops and is read.
touch "$work/stop"
wait "${load[@]}" 2>/dev/null || true
sleep 3
alive=yes; kill -0 "$dash" 2>/dev/null || { alive=no; fail "the dashboard is gone at the end"; }
$T send-keys -t soak L; sleep 2
log_line=$(pane | sed -n 4p | sed 's/  */ /g')
$T send-keys -t soak 8; sleep 3
check_pane .d
received=$(pane | grep -o 'received [0-9.]*[kMG]*' | head -1 | cut -d' ' -f2 || true)
rejected=$(pane | grep -o 'rejected [0-9]*' | head -1 | cut -d' ' -f2 || true)
$T send-keys -t soak q
for _ in $(seq 100); do kill -0 "$dash" 2>/dev/null || break; sleep 0.1; done
sleep 1
kill -0 "$dash" 2>/dev/null && fail "the dashboard did not quit on q"
pane >"$work/after-q"
modes_after=$($T display -p -t soak "$modes")
grep -q 'dashboard-exit=0' "$work/after-q" || fail "the dashboard's exit status was not 0"
[ "$(grep -v '^ *$' "$work/after-q" | tail -1)" = "soak-shell>" ] || fail "the prompt is not back after q"
[ "$modes_after" = "$modes_before" ] || fail "terminal modes after q ($modes_after) differ from before ($modes_before)"
kill -0 "$rec" 2>/dev/null || fail "the recorder is gone at the end"
rec_end=$(date +%s)
kill -TERM "$rec"; wait "$rec" 2>/dev/null || true
at=$(date -u -d "@$((rec_end - 30))" +%Y-%m-%dT%H:%M:%SZ)
"$bin" snapshot --from "$work/rec" --at "$at" >"$work/snapshot" 2>&1 || fail "snapshot --from --at $at failed: $(head -1 "$work/snapshot")"
# shellcheck disable=SC2046
kill $(jobs -p) 2>/dev/null || true
kill -9 "$fixture" 2>/dev/null || true
wait "$fixture" 2>/dev/null || true   # (no "Killed" notice)

# The report.
stats() { # file: count, median, max
  [ -s "$work/$1" ] || { echo "none"; return; }
  grep -v timeout "$work/$1" | sort -n | awk -v t="$(grep -c timeout "$work/$1")" '{ a[NR] = $1 }
    END { if (!NR) { printf "%d: none shown in time", t; exit }
      m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
      printf "%d: median %d ms, max %d ms%s", NR + t, m, a[NR], t ? " (" t " not shown in time)" : "" }'
}
num() { # as the dashboard's Format.number: 4 significant digits from 10,000
  awk -v v="$1" 'function tr(x, d, s) { if (x == int(x)) return sprintf("%d", x)
      d = x >= 100 ? 1 : x >= 10 ? 2 : x >= 1 ? 3 : 4; s = sprintf("%." d "f", x)
      while (s ~ /\./ && s ~ /0$/) s = substr(s, 1, length(s) - 1); sub(/\.$/, "", s); return s }
    BEGIN { print (v >= 1e9 ? tr(v / 1e9) "G" : v >= 1e6 ? tr(v / 1e6) "M" : v >= 1e4 ? tr(v / 1e3) "k" : tr(v)) }'
}
grpc=$(cat "$work/sent.grpc" 2>/dev/null || echo 0) http=$(cat "$work/sent.http" 2>/dev/null || echo 0)
hsent=$(cat "$work/hostile.sent" 2>/dev/null || echo 0) hok=$(wc -l <"$work/hostile.ok" 2>/dev/null || echo 0)
sent=$((grpc + http + hok)) elapsed=$(( $(date +%s) - t0 ))
# The Spans tab shows 4 significant digits past 10,000: the counts are compared at that precision.
[ "${received:-?}" = "$(num "$sent")" ] || fail "spans: the dashboard shows ${received:-nothing} received, $(num "$sent") were sent"
[ -z "$rejected" ] || fail "spans: the dashboard rejected $rejected"
warm=$(awk -v h="$history" -v s="$dash_start" 'BEGIN { n = h + 0; print s + (h ~ /h$/ ? n * 3600 : h ~ /m$/ ? n * 60 : n) }')
rss=$(awk -v warm="$warm" 'NR == 1 || $2 < lo { lo = $2 } $2 > hi { hi = $2 } { last = $2 }
  $1 >= warm { if (!w) w = $2; n++; if ($2 > m) m = $2 }
  END { printf "%d samples every 10 s, %d-%d MB, last %d MB", NR, lo / 1024, hi / 1024, last / 1024
    if (!n) { print "; the run ended inside the warm-up (--history): not asserted"; exit }
    printf "; at warm-up end %d MB, max after %d MB (%+.1f%%)\n", w / 1024, m / 1024, 100 * (m - w) / w
    if (m > 1.1 * w) exit 1 }' "$work/rss") || fail "RSS grew more than 10% after the warm-up"
recmax=$(sort -n "$work/recsize" | tail -1)
[ "$recmax" -le $(( (max_kib + seg_kib) * 1024 )) ] || fail "the recording reached $recmax bytes"
segs=$(ls "$work/rec" 2>/dev/null | tr '\n' ' ')
[ -s "$work/escaped" ] || fail "no hostile marker was seen (escaped) on the Spans tab"
failures=$(sort "$work/failures" 2>/dev/null | uniq -c | sed 's/^ */  /' || true)
cat <<EOF
== soak: $minutes min ($elapsed s of load), release teleport-top, 2 targets, interval 1s, history $history ==
dashboard alive at $(cat "$work/checks" 2>/dev/null || echo 0) checks (every 5 s): $alive at the end
SIGKILL  to UNREACHABLE $(stats kill-down)   (bound $((2 * interval_ms + slack_ms)) ms)
         back after restart $(stats kill-back)   (bound $((backoff_ms + slack_ms)) ms)
SIGSTOP  to UNREACHABLE $(stats stop-down)   (bound $((timeout_ms + interval_ms + slack_ms)) ms)
         back after SIGCONT $(stats stop-back)   (bound $((backoff_ms + slack_ms)) ms)
spans    sent $sent (gRPC $grpc, HTTP $http, hostile $hok), $((sent / (elapsed > 0 ? elapsed : 1)))/s; shown received ${received:-?}${rejected:+, rejected $rejected} (expected $(num "$sent"))
hostile  $hsent bodies ($hok accepted); markers seen escaped: $(sort -u "$work/escaped" 2>/dev/null | wc -l) distinct
logs     at the end: ${log_line:-?}
RSS      $rss
resizes  $resizes, theme changes $resizes, tab visits $visits
terminal after q: modes '$modes_after' (before '$modes_before'), last line '$(grep -v '^ *$' "$work/after-q" | tail -1)'
recorder max $((recmax / 1024)) KiB of --max-size $max_kib KiB (segments $seg_kib KiB); segments at the end: $segs
         snapshot --from --at $at: $(head -1 "$work/snapshot")
EOF
if [ -s "$work/failures" ]; then printf 'FAIL\n%s\n' "$failures"; exit 1; fi
echo PASS
