import CompressNIO
import Foundation
import NIOCore
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Diag listener and debug socket over real HTTP")
struct DiagServerTests {
    @Test("/readyz answers Teleport's code and text in each state; /healthz is always ok", arguments: ProcessState.allCases)
    func readyzPerState(state: ProcessState) async throws {
        let (engine, clock) = makeEngine()
        try drive(engine, clock, to: state)
        let server = try await RunningServer.start(engine: engine, address: .tcp(host: "127.0.0.1", port: 0), exposure: .diagListener(debug: false))
        let readyz = try await HTTP.request(server.url("/readyz"))
        #expect(readyz.status == state.readyzStatusCode)
        #expect(readyz.headers["Content-Type"].first == "application/json")
        #expect(readyz.text == "{\"status\":\"\(state.readyzStatusText)\",\"pid\":\(getpid())}")
        let healthz = try await HTTP.request(server.url("/healthz"))
        #expect(healthz.status == 200)
        #expect(healthz.text == "{\"status\":\"ok\"}")
        let metrics = try await HTTP.request(server.url("/metrics"))
        let families = try ExpositionParser().parse(metrics.body)
        #expect(families.first { $0.name == "process_state" }?.samples.first?.value == state.gaugeValue)
        await server.stop()
    }

    @Test("/metrics is text 0.0.4, gzip-compressed when asked, and parses back")
    func metrics() async throws {
        let (engine, clock) = makeEngine()
        try drive(engine, clock, to: .ok)
        let server = try await RunningServer.start(engine: engine, address: .tcp(host: "127.0.0.1", port: 0), exposure: .diagListener(debug: false))
        let plain = try await HTTP.request(server.url("/metrics"))
        #expect(plain.status == 200)
        #expect(plain.headers["Content-Type"].first == "text/plain; version=0.0.4; charset=utf-8")
        #expect(plain.headers["Content-Encoding"].isEmpty)
        let families = try ExpositionParser().parse(plain.body, format: .text)
        let names = Set(families.map(\.name))
        for name in [
            "process_state", "teleport_build_info", "process_cpu_seconds_total", "process_resident_memory_bytes",
            "process_open_fds", "process_start_time_seconds", "promhttp_metric_handler_requests_total", "heartbeats_missed_total",
        ] {
            #expect(names.contains(name), "missing \(name)")
        }
        let build = try #require(families.first { $0.name == "teleport_build_info" })
        #expect(build.samples.first?.labels.map(\.name) == ["version", "gitref", "goversion"])

        let zipped = try await HTTP.request(server.url("/metrics"), headers: [("Accept-Encoding", "gzip")])
        #expect(zipped.headers["Content-Encoding"].first == "gzip")
        #expect(zipped.body.starts(with: [0x1F, 0x8B]))
        var buffer = ByteBuffer(bytes: zipped.body)
        let inflated = try buffer.decompress(with: .gzip(), maxSize: 64 << 20)
        let again = try ExpositionParser().parse(Array(inflated.readableBytesView))
        #expect(Set(again.map(\.name)) == names)
        let refused = try await HTTP.request(server.url("/metrics"), headers: [("Accept-Encoding", "gzip;q=0, identity")])
        #expect(refused.headers["Content-Encoding"].isEmpty)
        let scrapes = try ExpositionParser().parse(try await HTTP.request(server.url("/metrics")).body)
            .first { $0.name == "promhttp_metric_handler_requests_total" }?.samples.first?.value
        #expect(scrapes == 4)
        await server.stop()
    }

    @Test("/debug/pprof is 404 without --debug and answers with it")
    func pprofGate() async throws {
        for debug in [false, true] {
            let (engine, _) = makeEngine(debug: debug)
            let server = try await RunningServer.start(engine: engine, address: .tcp(host: "127.0.0.1", port: 0), exposure: .diagListener(debug: debug))
            // (CPU captures are exercised in SelfCPUProfileTests: one at a time per process.)
            let expected = [
                ("/debug/pprof/", 200, "profile: available"), ("/debug/pprof/heap", 501, "heap profile: "),
                ("/debug/pprof/cmdline", 200, CommandLine.arguments[0]), ("/debug/pprof/nope", 404, "Unknown profile"),
            ]
            for (path, status, text) in expected {
                let response = try await HTTP.request(server.url(path))
                if debug {
                    #expect(response.status == status, "\(path)")
                    #expect(response.text.contains(text), "\(path): \(response.text)")
                } else {
                    #expect(response.status == 404, "\(path)")
                    #expect(response.text == "404 page not found\n")
                }
            }
            let logLevel = try await HTTP.request(server.url("/log-level"))
            #expect(logLevel.status == 404)  // only the debug socket has it
            await server.stop()
        }
    }

    @Test("The debug socket serves every route, pprof without --debug, and /log-level; it is 0600 in a 0700 directory")
    func debugSocket() async throws {
        let dir = Paths.temporaryDirectory("sock").appendingPathComponent("data")
        let path = DebugSocketPath.socketPath(dataDir: dir.path)
        try DebugSocketFile.prepare(socketPath: path)
        let (engine, clock) = makeEngine(debug: false)
        try drive(engine, clock, to: .degraded)
        let server = try await RunningServer.start(engine: engine, address: .unix(path: path), exposure: .debugSocket)
        let socketMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: dir.path)[.posixPermissions] as? Int
        #expect(socketMode == 0o600)
        #expect(dirMode == 0o700)

        #expect(try await HTTP.request(server.url("/healthz")).text == "{\"status\":\"ok\"}")
        let readyz = try await HTTP.request(server.url("/readyz"))
        #expect(readyz.status == 503)
        #expect(try await HTTP.request(server.url("/metrics")).text.contains("process_state 2\n"))
        #expect(try await HTTP.request(server.url("/debug/pprof/heap")).status == 501)

        let level = try await HTTP.request(server.url("/log-level"))
        #expect(level.status == 200)
        #expect(level.text == "INFO")
        let set = try await HTTP.request(server.url("/log-level"), method: .PUT, body: "debug")
        #expect(set.status == 200)
        #expect(set.text == "Changed log level from \"INFO\" to \"DEBUG\".")
        #expect(engine.logLevel.current == .debug)
        #expect(engine.logger.logLevel == .debug)
        let same = try await HTTP.request(server.url("/log-level"), method: .PUT, body: "DEBUG")
        #expect(same.text == "Log level already set to \"DEBUG\".")
        let trace = try await HTTP.request(server.url("/log-level"), method: .PUT, body: "trace")
        #expect(trace.text == "Changed log level from \"DEBUG\" to \"DEBUG-4\".")
        #expect(try await HTTP.request(server.url("/log-level")).text == "TRACE")
        #expect(engine.logger.logLevel == .trace)
        let bad = try await HTTP.request(server.url("/log-level"), method: .PUT, body: "loud")
        #expect(bad.status == 422)
        #expect(bad.text == "Invalid log level.")
        #expect(engine.logLevel.current == .trace)
        let offset = try await HTTP.request(server.url("/log-level"), method: .PUT, body: "info+2")
        #expect(offset.text == "Changed log level from \"DEBUG-4\" to \"INFO+2\".")
        await server.stop()
    }

    @Test("A stale socket file is replaced; a live one, or a non-socket, is an error")
    func staleAndLiveSockets() async throws {
        let dir = Paths.temporaryDirectory("stale")
        let path = dir.appendingPathComponent("debug.sock").path
        let (engine, _) = makeEngine()
        let first = try await RunningServer.start(engine: engine, address: .unix(path: path), exposure: .debugSocket)
        #expect(DebugSocketFile.answers(path))
        #expect(throws: DebugSocketError(path: path, reason: "another process is serving on this socket")) {
            try DebugSocketFile.prepare(socketPath: path)
        }
        await first.stop()
        // Leave a socket file with nobody behind it, as a killed process does.
        if !FileManager.default.fileExists(atPath: path) {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, b) in path.utf8.enumerated() { raw[i] = b }
            }
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            close(fd)
        }
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!DebugSocketFile.answers(path))
        try DebugSocketFile.prepare(socketPath: path)
        #expect(!FileManager.default.fileExists(atPath: path))
        let second = try await RunningServer.start(engine: engine, address: .unix(path: path), exposure: .debugSocket)
        #expect(try await HTTP.request(second.url("/healthz")).status == 200)
        await second.stop()

        let regular = dir.appendingPathComponent("not-a-socket").path
        FileManager.default.createFile(atPath: regular, contents: Data("x".utf8))
        #expect(throws: DebugSocketError(path: regular, reason: "the path exists and is not a socket")) {
            try DebugSocketFile.prepare(socketPath: regular)
        }
    }
}
