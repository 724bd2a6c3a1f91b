#!/usr/bin/env bash
# Hostile sizes, streamed from generators (nothing committed, nothing in CI): each input must
# get a clear error or a bounded, labelled truncation, with resident memory bounded. Prints a
# table: input, what teleport-top answered (first line), exit status, peak RSS, seconds.
#   /metrics of 64 MiB + 1 byte          snapshot: refused at the payload limit
#   a single 1 GiB line                  snapshot: refused at the payload limit (streamed, chunked)
#   5 million tiny series (40 MB)        snapshot: refused past --max-series; with
#                                        --max-series 5000000 read, and its memory measured
#   an OTLP export of 1 million spans    record --otlp-http: the receiver's answer (413 past 20 MiB)
#   a pprof of 100 MB                    pprof --top: decoded within its limits, or refused
#   a 10 GB trace file (sparse)          the dashboard with --trace-dir: the line skipped, counted
#   a log line of 100 MiB                logs: the line cut at 1 MiB and marked, the next one read
# Usage: Scripts/limits.sh   (release build, or TELEPORT_TOP_BIN=path; needs python3, curl, tmux)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=Benchmarks/.build
if [ -n "${TELEPORT_TOP_BIN:-}" ]; then bin=$TELEPORT_TOP_BIN; else  # another build, e.g. a debug one
  swift build -c release --product teleport-top --scratch-path "$scratch" >&2
  swift build -c release --product teleport-top-fixtures --scratch-path "$scratch" >&2
  bin=$(swift build -c release --product teleport-top --scratch-path "$scratch" --show-bin-path)/teleport-top
fi
# The generator of the synthetic profile, beside the binary (it is not part of teleport-top).
[ -x "$(dirname "$bin")/teleport-top-fixtures" ] || { echo "no teleport-top-fixtures beside $bin: swift build --product teleport-top-fixtures" >&2; exit 1; }
work=$(mktemp -d)
trap 'tmux -L limits kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$bin" "$work" <<'PY'
import http.server, os, socket, socketserver, subprocess, sys, threading, time

binary, work = sys.argv[1], sys.argv[2]
rows = []

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def peak(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"): return int(line.split()[1]) * 1024
    except OSError: pass
    return 0

def run(name, args, timeout=300, env=None):
    """Runs teleport-top; the first line it said, its exit status, peak RSS, seconds."""
    start = time.time()
    p = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    hwm, out = 0, b""
    reader = threading.Thread(target=lambda: out_parts.append(p.stdout.read()))
    out_parts = []
    reader.start()
    while p.poll() is None and time.time() - start < timeout:
        hwm = max(hwm, peak(p.pid)); time.sleep(0.05)
    if p.poll() is None: p.kill()
    reader.join(); code = p.wait()
    out = b"".join(out_parts).decode("utf-8", "replace")
    lines = [l.strip() for l in out.splitlines() if l.strip()]
    # Long lines are told by their length and how they end (a cut line's mark is at its end).
    said = " | ".join(l if len(l) <= 100 else f"[{len(l)} chars ...{l[-40:]}]" for l in lines)[:200]
    rows.append((name, said, code, hwm, time.time() - start))

class Body(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        kind = self.server.kind
        if self.path.startswith("/readyz"):
            body = b'{"status":"ok"}'
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body); return
        if self.path.startswith("/healthz"):
            self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}"); return
        self.send_response(200); self.send_header("Content-Type", "text/plain; version=0.0.4")
        try:
            if kind == "64MiB+1":
                line = b"fixture_pad_bytes_total{pad=\"" + b"x" * 100 + b"\"} 1\n"
                total = (64 << 20) + 1
                self.send_header("Content-Length", str(total)); self.end_headers()
                sent = 0
                while sent < total:
                    chunk = (line * 1000)[: total - sent]; self.wfile.write(chunk); sent += len(chunk)
            elif kind == "1GiB-line":
                self.send_header("Transfer-Encoding", "chunked"); self.end_headers()
                block = b"x" * (1 << 20)
                self.wfile.write(b"%x\r\n%s\r\n" % (7, b'big{a="'))
                for _ in range(1024): self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (5, b'"} 1\n'))
            elif kind == "5M-series":
                digits = "0123456789abcdefghijklmnopqrstuvwxyz"
                two = [a + b for a in digits for b in digits]
                three = [a + b + c for a in digits for b in digits for c in digits][:3858]
                lines = b"".join(("s%s%s 1\n" % (x, y)).encode() for x in two for y in three)
                self.send_header("Content-Length", str(len(lines))); self.end_headers(); self.wfile.write(lines)
        except (BrokenPipeError, ConnectionResetError):
            pass

def serve(kind):
    port = free_port()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Body)
    server.daemon_threads = True
    server.kind = kind
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port

for kind in ["64MiB+1", "1GiB-line", "5M-series"]:
    server, port = serve(kind)
    run(f"/metrics {kind}", ["snapshot", "--diag-addr", f"127.0.0.1:{port}", "--timeout", "60s"])
    if kind == "5M-series":
        run("/metrics 5M-series, --max-series 5000000", ["snapshot", "--diag-addr", f"127.0.0.1:{port}", "--timeout", "60s", "--max-series", "5000000"])
    server.shutdown()

# OTLP: one export of 1 million spans (protobuf, made by repeating one encoded span).
def field(number, payload): 
    def varint(n):
        out = b""
        while True:
            b = n & 0x7F; n >>= 7
            if n: out += bytes([b | 0x80])
            else: return out + bytes([b])
    return varint(number << 3 | 2) + varint(len(payload)) + payload
span = field(1, bytes(range(1, 17))) + field(2, bytes(range(1, 9))) + field(5, b"limits/span") + bytes([0x39]) + (10**18).to_bytes(8, "little") + bytes([0x41]) + (10**18 + 1000).to_bytes(8, "little")
spans = field(2, span) * 1_000_000
body = field(1, field(2, spans))
open(f"{work}/spans.pb", "wb").write(body)
oport = free_port()
rec = subprocess.Popen([binary, "record", f"{work}/rec", "--embedded", "--otlp-http", f"127.0.0.1:{oport}", "--no-logs", "--for", "25s"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(4)
start = time.time()
answer = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/x-protobuf",
                         "--data-binary", f"@{work}/spans.pb", f"http://127.0.0.1:{oport}/v1/traces"], capture_output=True, text=True).stdout
hwm = peak(rec.pid); rec.wait()
rows.append((f"OTLP/HTTP export of 1M spans ({len(body) >> 20} MiB)", f"HTTP {answer}", rec.returncode, hwm, time.time() - start))

# pprof: a 100 MB profile (synthetic, gzip-compressed as Go writes them).
subprocess.run([os.path.join(os.path.dirname(binary), "teleport-top-fixtures"), "synthetic-profile", f"{work}/big.pb.gz", "--compressed-bytes", str(100_000_000)], check=True)
run(f"pprof of {os.path.getsize(work + '/big.pb.gz') // 1_000_000} MB", ["pprof", f"{work}/big.pb.gz", "--top", "20"], timeout=600)

# A log line of 100 MiB over a debug socket's /log-stream, then a normal line.
sock = f"{work}/debug.sock"
class Logs(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def address_string(self): return "local"
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Type", "application/x-ndjson"); self.send_header("Transfer-Encoding", "chunked"); self.end_headers()
        def chunk(b): self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))
        try:
            chunk(b'{"timestamp":"2026-12-02T05:32:40Z","level":"INFO","message":"')
            block = b"y" * (1 << 20)
            for _ in range(100): chunk(block)
            chunk(b'"}\n{"timestamp":"2026-12-02T05:32:41Z","level":"WARN","message":"after the big line"}\n')
            time.sleep(30)
        except (BrokenPipeError, ConnectionResetError): pass
class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
logs = UnixServer(sock, Logs)
threading.Thread(target=logs.serve_forever, daemon=True).start()
run("log line of 100 MiB", ["logs", "--debug-socket", sock, "--for", "15s"])
logs.shutdown()

# A 10 GB trace file (sparse: zeros, no newline), then one real line in a second file.
os.makedirs(f"{work}/traces")
with open(f"{work}/traces/a.trace", "wb") as f: f.truncate(10 * 10**9)
tmux = ["tmux", "-L", "limits"]
subprocess.run(tmux + ["new", "-d", "-x", "160", "-y", "48", f"{binary} --embedded --trace-dir {work}/traces --otlp-grpc off --otlp-http off"], check=True)
time.sleep(3)
pid = int(subprocess.run(["pgrep", "-n", "-f", f"{binary} --embedded --trace-dir"], capture_output=True, text=True).stdout.split()[0])
start = time.time(); hwm = 0; screen = ""
subprocess.run(tmux + ["send-keys", "3"])
while time.time() - start < 180:
    hwm = max(hwm, peak(pid)); time.sleep(0.5)
    screen = subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout
    if "skipped" in screen: break
said = next((l.strip() for l in screen.splitlines() if "skipped" in l), "(nothing said in 180 s)")
alive = subprocess.run(["kill", "-0", str(pid)]).returncode == 0
rows.append(("trace file of 10 GB (sparse, no newline)", said[:160], "running" if alive else "exited", hwm, time.time() - start))
subprocess.run(tmux + ["kill-server"])

print(f"{'input':44} {'exit':>7} {'peak RSS':>9} {'s':>6}  answer")
for name, said, code, hwm, secs in rows:
    print(f"{name:44} {str(code):>7} {hwm / 1048576:7.0f} MiB {secs:6.1f}  {said}")
PY
