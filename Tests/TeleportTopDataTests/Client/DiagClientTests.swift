import Foundation
import Hummingbird
import NIOCore
import Synchronization
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Diag client against real peers", .serialized)
struct DiagClientTests {
    /// A client; its timeout is long by default, so that a loaded machine does not turn a slow
    /// /readyz into a timeout (then /healthz is asked and the state is not read).
    func client(_ target: DiagTarget, timeout: Duration = .seconds(60), maxBody: Int = 64 << 20, tls: ClientTLS? = nil) throws -> DiagClient {
        try DiagClient(target: target, options: .init(timeout: timeout, maxBodyBytes: maxBody, tls: tls))
    }

    @Test("Our own engine over TCP: readyz, healthz and gzip-compressed metrics in one scrape")
    func ownEngine() async throws {
        let (engine, clock) = makeEngine()
        try drive(engine, clock, to: .recovering)
        let server = try await RunningServer.start(engine: engine, address: .tcp(host: "127.0.0.1", port: 0), exposure: .diagListener(debug: false))
        let client = try client(try DiagTarget(diagAddr: server.baseURL))
        let scrape = try await client.scrape().get()
        #expect(scrape.readyz == ReadyzAnswer(statusCode: 400, status: ProcessState.recovering.readyzStatusText, pid: Int(getpid())))
        #expect(scrape.healthy == nil)  // /readyz answered: /healthz is not asked
        #expect(scrape.families.first { $0.name == "process_state" }?.samples.first?.value == 1)
        let raw = ExpositionWriter.write(engine.registry.gather()).count
        #expect(scrape.bytes < raw / 2)  // gzip on the wire
        await client.shutdown()
        await server.stop()
    }

    @Test("The debug socket of our engine, and of a Go server (which rejects requests without a Host header)")
    func debugSockets() async throws {
        let dir = Paths.temporaryDirectory("client-sock")
        let path = dir.appendingPathComponent("debug.sock").path
        let (engine, clock) = makeEngine()
        try drive(engine, clock, to: .ok)
        let server = try await RunningServer.start(engine: engine, address: .unix(path: path), exposure: .debugSocket)
        let ours = try client(.socket(path: path))
        let scrape = try await ours.scrape().get()
        #expect(scrape.readyz?.state == .ok)
        #expect(String(decoding: try await ours.get("/log-level").body, as: UTF8.self) == "INFO")
        await ours.shutdown()
        await server.stop()

        try #require(Prerequisites.required(Prerequisites.go) ? true : false)
        let goSocket = dir.appendingPathComponent("go.sock").path
        let fixture = try await GoFixture.start(["-listen", "off", "-unix", goSocket, "-state", "starting"])
        let go = try client(.socket(path: goSocket))
        let goScrape = try await go.scrape().get()
        #expect(goScrape.readyz?.state == .starting)
        #expect(goScrape.families.contains { $0.name == "go_goroutines" })
        await go.shutdown()
        await fixture.stop()
    }

    @Test(
        "TLS with a CA the test made, and mutual TLS: without a client certificate the Go server refuses",
        .enabled(if: Prerequisites.required(Prerequisites.go)))
    func tls() async throws {
        let ca = try TestCA.make()
        let fixture = try await GoFixture.start(["-tls-cert", ca.serverCert, "-tls-key", ca.serverKey])
        #expect(fixture.baseURL.hasPrefix("https://"))
        let trusted = try client(try DiagTarget(diagAddr: fixture.baseURL), tls: ClientTLS(caCertPath: ca.caCert))
        #expect(try await trusted.scrape().get().readyz?.state == .ok)
        await trusted.shutdown()
        let untrusted = try client(try DiagTarget(diagAddr: fixture.baseURL))
        let refused = await untrusted.scrape()
        guard case .failure(.tls) = refused else {
            Issue.record("expected a TLS failure, got \(refused)")
            return
        }
        await untrusted.shutdown()
        await fixture.stop()

        let mtls = try await GoFixture.start(["-tls-cert", ca.serverCert, "-tls-key", ca.serverKey, "-client-ca", ca.caCert])
        let withCert = try client(
            try DiagTarget(diagAddr: mtls.baseURL),
            tls: ClientTLS(caCertPath: ca.caCert, certPath: ca.clientCert, keyPath: ca.clientKey))
        #expect(try await withCert.scrape().get().families.count > 10)
        await withCert.shutdown()
        let withoutCert = try client(try DiagTarget(diagAddr: mtls.baseURL), tls: ClientTLS(caCertPath: ca.caCert))
        let result = await withoutCert.scrape()
        guard case .failure(let error) = result else {
            Issue.record("mTLS accepted a client without a certificate")
            return
        }
        #expect(error.kind == "tls" || error.kind == "not_http", "\(error)")
        await withoutCert.shutdown()
        await mtls.stop()
        #expect(throws: TargetError.self) { try ClientTLS(caCertPath: "/nonexistent/ca.pem").configuration() }
        #expect(throws: TargetError.self) { try ClientTLS(certPath: ca.clientCert).configuration() }
    }

    @Test("Each failure is provoked for real and classified")
    func failures() async throws {
        // Refused: a port nobody listens on (bound then closed).
        let closed = try await MisbehavingServer.start { _ in }
        let closedAddress = closed.address
        await closed.stop()
        let refused = await (try client(try DiagTarget(diagAddr: closedAddress))).scrape()
        #expect(refused.failure?.kind == "refused", "\(refused)")
        #expect(refused.failure?.description == "connection refused: nothing listens on \(closedAddress)")
        // A socket path that does not exist is "no such file", not a refused connection.
        let noSocket = await (try client(.socket(path: "/tmp/tt-none-\(getpid())/debug.sock"))).scrape()
        #expect(noSocket.failure?.kind == "no_socket", "\(noSocket)")
        #expect(noSocket.failure?.description.hasPrefix("no such file: /tmp/tt-none-") == true, "\(noSocket)")

        let healthzAsked = Mutex(0)
        let servers = try await MisbehavingServer.start { router in
            router.get("/hang/metrics") { _, _ -> Response in
                try await Task.sleep(for: .seconds(30))
                return Response(status: .ok)
            }
            router.get("/hang/healthz") { _, _ -> Response in
                healthzAsked.withLock { $0 += 1 }
                return Response(status: .ok)
            }
            router.get("/html/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/html"],
                    body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body>Welcome</body></html>\n")))
            }
            router.get("/liveness/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                    body: .init(byteBuffer: ByteBuffer(string: "# TYPE up gauge\nup 1\n")))
            }
            router.get("/liveness/healthz") { _, _ in
                Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"down\"}")))
            }
            router.get("/plain/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                    body: .init(byteBuffer: ByteBuffer(string: "# TYPE up gauge\nup 1\n")))
            }
            router.get("/huge/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain"],
                    body: ResponseBody { writer in
                        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)
                        for _ in 0..<2048 { try await writer.write(chunk) }  // 2 GB, unless the client stops reading
                        try await writer.finish(nil)
                    })
            }
        }
        func scrape(_ prefix: String, timeout: Duration = .seconds(5), maxBody: Int = 64 << 20) async throws -> ScrapeError? {
            let c = try client(.http(baseURL: "http://\(servers.address)\(prefix)"), timeout: timeout, maxBody: maxBody)
            let result = await c.scrape()
            await c.shutdown()
            return result.failure
        }
        let hang = try await scrape("/hang", timeout: .milliseconds(500))
        #expect(hang?.kind == "timeout", "\(String(describing: hang))")
        // A hung /metrics is the failure: /healthz is not asked after it (a hung process would
        // hold the failure back by another timeout).
        #expect(healthzAsked.withLock { $0 } == 0)
        let html = try await scrape("/html")
        #expect(html?.kind == "not_metrics", "\(String(describing: html))")
        #expect(html?.description.contains("line 1") == true)
        // In the store, an HTML page answering 200 is an answer that is not metrics.
        let htmlStore = MetricStore(target: "html", interval: .seconds(1))
        if let html { await htmlStore.fail(ScrapeFailure(time: Date(), error: html, retryAt: nil)) }
        #expect(await htmlStore.snapshot().state == .notMetrics)
        let huge = try await scrape("/huge", maxBody: 8 << 20)
        #expect(huge == .tooLarge(limitBytes: 8 << 20))
        // A plain exporter (no /healthz, no /readyz) is not an error.
        let plainClient = try client(.http(baseURL: "http://\(servers.address)/plain"))
        let plain = try await plainClient.scrape().get()
        #expect(plain.readyz == nil)
        #expect(plain.healthy == nil)
        #expect(plain.families.map(\.name) == ["up"])
        await plainClient.shutdown()
        // Without /readyz, /healthz is asked: its 503 is the only health there is.
        let livenessClient = try client(.http(baseURL: "http://\(servers.address)/liveness"))
        let liveness = try await livenessClient.scrape().get()
        #expect(liveness.readyz == nil)
        #expect(liveness.healthy == false)
        await livenessClient.shutdown()
        let missing = try await scrape("/nothing-here")
        #expect(missing == .httpStatus(code: 404, path: "/metrics"))
        #expect(missing?.description == "HTTP 404 on /metrics: is --diag-addr right?")
        await servers.stop()

        // https:// against a plain-HTTP port: a reason, no BoringSSL codes or build paths.
        let plainPort = try await MisbehavingServer.start { router in router.get("/metrics") { _, _ in Response(status: .ok) } }
        let tlsToPlain = await (try client(try DiagTarget(diagAddr: "https://\(plainPort.address)"))).scrape()
        #expect(tlsToPlain.failure?.kind == "tls", "\(tlsToPlain)")
        let tlsText = tlsToPlain.failure?.description ?? ""
        #expect(tlsText == "TLS failed: the peer does not speak TLS (a plain-HTTP port? use http://)", "\(tlsText)")
        #expect(!tlsText.contains("/") || tlsText.contains("http://"), "\(tlsText)")
        #expect(!tlsText.contains("BoringSSL"), "\(tlsText)")
        await plainPort.stop()

        let banner = try BannerServer()
        let notHTTP = await (try client(try DiagTarget(diagAddr: "127.0.0.1:\(banner.port)"))).scrape()
        #expect(notHTTP.failure?.kind == "not_http", "\(notHTTP)")
        banner.stop()
    }

    @Test("Targets parse from --diag-addr forms")
    func targets() throws {
        #expect(try DiagTarget(diagAddr: "127.0.0.1:3000") == .http(baseURL: "http://127.0.0.1:3000"))
        #expect(try DiagTarget(diagAddr: "http://localhost:3000/") == .http(baseURL: "http://localhost:3000"))
        #expect(try DiagTarget(diagAddr: "https://teleport.example.com:3000").isTLS)
        #expect(try DiagTarget(diagAddr: "[::1]:3000").url("/metrics") == "http://[::1]:3000/metrics")
        #expect(try DiagTarget(diagAddr: "127.0.0.1:3000").description == "127.0.0.1:3000")
        for bad in ["3000", "ftp://x:1", "http://", "127.0.0.1:0", "http://h:1/metrics"] {
            #expect(throws: TargetError.self, "\(bad)") { try DiagTarget(diagAddr: bad) }
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
