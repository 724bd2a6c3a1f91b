import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportTopData

/// The engine's `/log-stream` on the debug socket, read with curl: each field's format,
/// `?level=`, 400, 503 past the reader limit (and the slot freed again), a stalled reader
/// not holding up heartbeats or `/readyz`, trace ids matching the exported spans; and the
/// `logs` command against it.
@Suite("the log stream, end to end", .serialized, .enabled(if: Prerequisites.required(Prerequisites.curl)))
struct LogStreamTests {
    let binary = Paths.teleportTopBinary.path
    let curl = Prerequisites.which("curl") ?? "/usr/bin/curl"

    func startServe(_ dir: URL) async throws -> ChildProcess {
        let serve = try ChildProcess(
            binary,
            [
                "serve", "--diag-addr", "127.0.0.1:0", "--data-dir", dir.path, "--heartbeat", "1s", "--retry", "1s",
                "--fault-schedule", "ok:1,fail:1", "--request-interval", "200ms", "--tracing-exporter-url", "file://\(dir.path)/traces",
                "--tracing-sampling-rate-per-million", "1000000", "--tracing-batch-delay", "200ms",
            ])
        _ = try await serve.waitForLine(inStderr: true) { $0.contains("debug service started") }
        return serve
    }

    func stream(_ socket: String, _ query: String = "", seconds: Int = 3) async throws -> (status: String, lines: [String]) {
        let result = try await runWithDeadlineOffPool(
            curl, ["-sN", "-D", "-", "--max-time", "\(seconds)", "--unix-socket", socket, "http://debug/log-stream\(query)"],
            timeout: .seconds(60))
        let parts = result.stdout.components(separatedBy: "\r\n\r\n")
        return (parts.first ?? "", parts.dropFirst().joined(separator: "\r\n\r\n").split(separator: "\n").map(String.init))
    }

    @Test("fields and their formats; ?level=; 400; 503 past the limit; a stalled reader holds nothing up; trace ids match the exported spans")
    func stream() async throws {
        let dir = Paths.temporaryDirectory("logstream")
        let serve = try await startServe(dir)
        let socket = dir.appendingPathComponent("debug.sock").path
        _ = try await runWithDeadlineOffPool(curl, ["-s", "-XPUT", "--unix-socket", socket, "http://debug/log-level", "-d", "DEBUG"])

        let (headers, lines) = try await stream(socket)
        #expect(headers.hasPrefix("HTTP/1.1 200"))
        #expect(headers.lowercased().contains("content-type: application/x-ndjson"))
        #expect(lines.count >= 5, "\(lines)")
        let timestamp = try NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$"#)
        var traced: [String] = []
        for text in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
            let time = try #require(object["timestamp"] as? String)
            #expect(timestamp.firstMatch(in: time, range: NSRange(time.startIndex..., in: time)) != nil, "\(time)")
            #expect(["DEBUG", "INFO", "WARN", "ERROR"].contains(object["level"] as? String ?? ""), "\(text)")
            #expect(!(object["message"] as? String ?? "").isEmpty)
            #expect((object["caller"] as? String)?.contains(".swift:") == true)
            #expect(object["component"] is String)
            for (key, value) in object { #expect(value is String, "\(key) is not a string in \(text)") }
            if let trace = object["trace_id"] as? String {
                #expect(trace.count == 32 && trace.allSatisfy(\.isHexDigit))
                #expect((object["span_id"] as? String)?.count == 16)
                traced.append(trace)
            }
        }
        #expect(!traced.isEmpty)

        // ?level=warn: nothing below WARN; an unknown level is 400.
        let (_, warnings) = try await stream(socket, "?level=warn", seconds: 4)
        #expect(!warnings.isEmpty)
        #expect(warnings.allSatisfy { $0.contains(#""level":"WARN""#) || $0.contains(#""level":"ERROR""#) })
        let bad = try await runWithDeadlineOffPool(
            curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", socket, "http://debug/log-stream?level=loud"])
        #expect(bad.stdout == "400")

        // Eight readers at once; the ninth is told 503; a closed reader frees its slot. (A reader
        // that went away is noticed at the next line written to it: the earlier readers' slots
        // free within a line or two, so a reader told 503 meanwhile tries again.)
        var readers: [ChildProcess] = []
        while readers.count < LogBroadcast.maxSubscribers {
            let reader = try ChildProcess(curl, ["-sN", "--max-time", "60", "--unix-socket", socket, "http://debug/log-stream"])
            if (try? await reader.waitForLine(timeout: .seconds(20)) { $0.hasPrefix("{") }) != nil {
                readers.append(reader)
            } else {
                _ = await reader.stop(signal: SIGKILL)
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        let refused = try await runWithDeadlineOffPool(
            curl, ["-s", "-w", "\n%{http_code}", "--max-time", "5", "--unix-socket", socket, "http://debug/log-stream"])
        #expect(refused.stdout.hasSuffix("503") && refused.stdout.contains("Too many log stream readers"), "\(refused.stdout)")
        _ = await readers.removeLast().stop(signal: SIGKILL)
        var freed = false
        for _ in 0..<50 where !freed {
            let again = try await runWithDeadlineOffPool(
                curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1", "--unix-socket", socket, "http://debug/log-stream"])
            freed = again.stdout == "200"
            if !freed { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(freed)
        for reader in readers { _ = await reader.stop(signal: SIGKILL) }

        // A reader that never reads: at TRACE the engine logs every span, its buffer fills and
        // loses lines; heartbeats go on and /readyz answers throughout.
        _ = try await runWithDeadlineOffPool(curl, ["-s", "-XPUT", "--unix-socket", socket, "http://debug/log-level", "-d", "TRACE"])
        let stalled = socketConnection(socket)
        defer { close(stalled) }
        let request = "GET /log-stream HTTP/1.1\r\nHost: debug\r\n\r\n"
        _ = request.withCString { write(stalled, $0, strlen($0)) }
        let watcher = try ChildProcess(curl, ["-sN", "--max-time", "12", "--unix-socket", socket, "http://debug/log-stream?level=warn"])
        let started = ContinuousClock.now
        var answered = 0
        var asked = 0
        while ContinuousClock.now - started < .seconds(10) {
            asked += 1
            let readyz = try await runWithDeadlineOffPool(
                curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", "--unix-socket", socket, "http://debug/readyz"])
            if ["200", "400", "503"].contains(readyz.stdout) { answered += 1 }
            try await Task.sleep(for: .seconds(1))
        }
        // Every ask answered (how many fit in 10 s depends on the machine's load, not on the engine).
        #expect(answered == asked && asked >= 3, "readyz answered \(answered) of \(asked) times in 10 s")
        _ = await watcher.stop()
        let heartbeats = watcher.stdout.filter { $0.contains("Heartbeat failed.") }
        #expect(heartbeats.count >= 3, "\(watcher.stdout.count) lines")

        // The spans of those trace ids are in the exported trace files.
        _ = await serve.stop()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("traces").path)) ?? []
        var exported = ""
        for file in files { exported += (try? String(contentsOfFile: dir.appendingPathComponent("traces/\(file)").path, encoding: .utf8)) ?? "" }
        let matched = traced.filter { hex in Data(hex: hex).map { exported.contains($0.base64EncodedString()) } ?? false }
        #expect(!matched.isEmpty, "none of \(traced.count) logged trace ids is in the trace files")
    }

    @Test("teleport-top logs: text and --json, --level and --grep, --for; a target without /log-stream is one line")
    func command() async throws {
        let dir = Paths.temporaryDirectory("logscmd")
        let serve = try await startServe(dir)
        let socket = dir.appendingPathComponent("debug.sock").path
        let text = try await runWithDeadlineOffPool(binary, ["logs", "--debug-socket", socket, "--for", "3s", "--level", "warn"], timeout: .seconds(60))
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains(" WARN ") || $0.contains(" ERROR ") }, "\(text.stdout)")
        let json = try await runWithDeadlineOffPool(
            binary, ["logs", "--debug-socket", socket, "--for", "3s", "--json", "--grep", "Heartbeat"], timeout: .seconds(60))
        let objects = json.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!objects.isEmpty && objects.count == json.stdout.split(separator: "\n").count)
        #expect(objects.allSatisfy { ($0["message"] as? String)?.contains("Heartbeat") == true })
        _ = await serve.stop()
        // The Go fixture's NDJSON stream, as Teleport sends it: text sanitized, raw lines kept.
        let streaming = try await GoFixture.start(["-unix", dir.appendingPathComponent("go-stream.sock").path, "-log-stream", "20ms"])
        let fromGo = try await runWithDeadlineOffPool(
            binary, ["logs", "--debug-socket", dir.appendingPathComponent("go-stream.sock").path, "--for", "3s"],
            timeout: .seconds(60))
        #expect(fromGo.stdout.contains("fixture line") && fromGo.stdout.contains("not json: plain text line"), "\(fromGo.stdout.prefix(400))")
        #expect(fromGo.stdout.contains("\\e]0;pwned") && !fromGo.stdout.contains("\u{1B}"))
        await streaming.stop()
        // The Go fixture's socket without -log-stream has no /log-stream (an older Teleport): one clear line.
        let go = try await GoFixture.start(["-unix", dir.appendingPathComponent("go.sock").path])
        let old = try await runWithDeadlineOffPool(binary, ["logs", "--debug-socket", try #require(go.socketPath), "--for", "5s"], timeout: .seconds(60))
        #expect(old.status == 1 && old.stderr.contains("no /log-stream"), "\(old.stderr)")
        await go.stop()
    }

    /// A connected unix socket.
    func socketConnection(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        // A small receive buffer, so the server's writes block soon.
        var size: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }
}
