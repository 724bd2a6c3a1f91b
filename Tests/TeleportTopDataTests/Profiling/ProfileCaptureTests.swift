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

/// Capture failures and control: pprof off, HTML pages, empty and non-pprof bodies, other
/// statuses, the request timeout stretched by the capture's seconds, progress, cancellation.
@Suite("Profile capture: errors, timeouts, progress, cancellation")
struct ProfileCaptureTests {
    /// Lets the hanging route finish, so the server can stop at once after a test.
    final class Release: Sendable {
        let done = Mutex(false)
        func wait(upTo limit: Duration) async {
            let deadline = ContinuousClock.now + limit
            while !done.withLock({ $0 }), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    /// One loopback server with a behaviour per path prefix.
    static func servers(release: Release = Release()) async throws -> MisbehavingServer {
        let profile = SyntheticProfile(seed: 3, functions: 10, samples: 20).encoded()
        return try await MisbehavingServer.start { router in
            router.get("/html/debug/pprof/{name}") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body>Sign in</body></html>\n")))
            }
            router.get("/htmlplain/debug/pprof/{name}") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "application/octet-stream"],
                    body: .init(byteBuffer: ByteBuffer(string: "<html><body>proxy error</body></html>\n")))
            }
            router.get("/empty/debug/pprof/{name}") { _, _ in Response(status: .ok) }
            router.get("/text/debug/pprof/{name}") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: "heap profile: 1: 2 [3: 4] @ heap/1048576\n")))
            }
            router.get("/teapot/debug/pprof/{name}") { _, _ in
                Response(status: .init(code: 503), body: .init(byteBuffer: ByteBuffer(string: "overloaded, try later\nsecond line\n")))
            }
            router.get("/slow/debug/pprof/{name}") { _, _ in
                try await Task.sleep(for: .seconds(2))
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: profile)))
            }
            router.get("/gate/debug/pprof/{name}") { _, _ -> Response in
                await release.wait(upTo: .seconds(20))
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: profile)))
            }
            router.get("/hang/debug/pprof/{name}") { _, _ -> Response in
                await release.wait(upTo: .seconds(60))
                return Response(status: .ok)
            }
        }
    }

    func client(_ server: MisbehavingServer, _ prefix: String, timeout: Duration = .seconds(30)) throws -> DiagClient {
        try DiagClient(target: .http(baseURL: "http://\(server.address)\(prefix)"), options: .init(timeout: timeout))
    }

    func failure(_ server: MisbehavingServer, _ prefix: String, _ kind: ProfileKind, timeout: Duration = .seconds(30)) async throws -> ProfileCaptureError {
        let c = try client(server, prefix, timeout: timeout)
        defer { Task { await c.shutdown() } }
        do {
            _ = try await ProfileCapture(kind: kind).run(client: c)
        } catch {
            return error
        }
        throw FixtureError("capture of \(kind) from \(prefix) succeeded")
    }

    @Test("A Go process without pprof answers 404: the capture says how to turn it on", .enabled(if: Prerequisites.required(Prerequisites.go)))
    func pprofOff() async throws {
        let fixture = try await GoFixture.start()
        let client = try DiagClient(target: DiagTarget(diagAddr: fixture.baseURL))
        let error = try await #require(throws: ProfileCaptureError.self) { try await ProfileCapture(kind: .heap).run(client: client) }
        #expect(error == .pprofOff)
        #expect(error.description == "pprof is off: start teleport with --debug, or use the debug socket (--debug-socket / -c)")
        await client.shutdown()
        await fixture.stop()
    }

    @Test("Over HTTPS with mutual TLS, as over plain HTTP", .enabled(if: Prerequisites.required(Prerequisites.go)))
    func overTLS() async throws {
        let ca = try TestCA.make()
        let fixture = try await GoFixture.start(["-debug", "-tls-cert", ca.serverCert, "-tls-key", ca.serverKey, "-client-ca", ca.caCert])
        #expect(fixture.baseURL.hasPrefix("https://"))
        let client = try DiagClient(
            target: DiagTarget(diagAddr: fixture.baseURL),
            options: .init(tls: ClientTLS(caCertPath: ca.caCert, certPath: ca.clientCert, keyPath: ca.clientKey)))
        let captured = try await ProfileCapture(kind: .goroutine).run(client: client)
        #expect(try #require(captured.profile).total(sampleTypeIndex: 0) >= 15)
        let heap = try await ProfileCapture(kind: .heap).run(client: client)
        #expect(heap.profile?.sampleTypes.count == 4)
        await client.shutdown()
        await fixture.stop()
    }

    @Test("HTML pages, empty bodies, text for a pprof kind, other statuses: each a clear error")
    func badAnswers() async throws {
        let server = try await Self.servers()
        #expect(try await failure(server, "/html", .heap) == .badBody(kind: .heap, .htmlPage))
        #expect(try await failure(server, "/html", .trace) == .badBody(kind: .trace, .htmlPage))
        #expect(try await failure(server, "/htmlplain", .cmdline) == .badBody(kind: .cmdline, .htmlPage))
        let empty = try await failure(server, "/empty", .goroutine)
        #expect(empty == .badBody(kind: .goroutine, .empty))
        #expect(empty.description == "goroutine: not a pprof profile: the body is empty (0 bytes)")
        #expect(try await failure(server, "/empty", .cmdline) == .badBody(kind: .cmdline, .empty))
        let text = try await failure(server, "/text", .heap)
        #expect(text == .badBody(kind: .heap, .text(firstLine: "heap profile: 1: 2 [3: 4] @ heap/1048576")))
        let status = try await failure(server, "/teapot", .mutex)
        #expect(status == .httpStatus(code: 503, body: "overloaded, try later"))
        // cmdline is text: accepted as it is.
        let c = try client(server, "/text")
        let cmdline = try await ProfileCapture(kind: .cmdline).run(client: c)
        #expect(cmdline.profile == nil)
        #expect(String(decoding: cmdline.body, as: UTF8.self).hasPrefix("heap profile"))
        await c.shutdown()
        await server.stop()
    }

    @Test("The request timeout is the capture's seconds plus the client's: a 2 s answer fails a snapshot at 1 s, not a 10 s profile")
    func timeoutCoversSeconds() async throws {
        let server = try await Self.servers()
        let c = try client(server, "/slow", timeout: .seconds(1))
        #expect(ProfileCapture(kind: .profile, seconds: 3).requestTimeout(clientTimeout: .seconds(1)) == .seconds(4))
        #expect(ProfileCapture(kind: .profile).path == "/debug/pprof/profile?seconds=10")
        #expect(ProfileCapture(kind: .heap, seconds: 0).path == "/debug/pprof/heap")
        #expect(ProfileCapture(kind: .block, seconds: 5).path == "/debug/pprof/block?seconds=5")
        let profile = try await ProfileCapture(kind: .profile, seconds: 10).run(client: c)
        #expect(profile.profile?.samples.count == 20)
        let error = try await #require(throws: ProfileCaptureError.self) { try await ProfileCapture(kind: .heap).run(client: c) }
        guard case .transport(let scrape) = error, scrape.kind == "timeout" else {
            throw FixtureError("expected a timeout, got \(error)")
        }
        await c.shutdown()
        await server.stop()
    }

    @Test("Progress ticks count down while the capture runs")
    func progress() async throws {
        let release = Release()
        let server = try await Self.servers(release: release)
        let c = try client(server, "/gate")
        let ticks = Mutex<[ProfileCapture.Progress]>([])
        let capture = Task {
            try await ProfileCapture(kind: .profile, seconds: 30).run(client: c, tick: .milliseconds(20)) { tick in
                ticks.withLock { $0.append(tick) }
            }
        }
        // The server answers only once three ticks have been seen (or after 20 s).
        let deadline = ContinuousClock.now + .seconds(20)
        while ticks.withLock({ $0.count }) < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        release.done.withLock { $0 = true }
        let captured = try await capture.value
        #expect(captured.profile?.samples.count == 20)
        let seen = ticks.withLock { $0 }
        #expect(seen.count >= 3)
        #expect(seen.allSatisfy { $0.kind == .profile && $0.duration == .seconds(30) })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.elapsed <= $1.elapsed })
        #expect((seen.last?.remaining ?? .seconds(30)) < .seconds(30))
        await c.shutdown()
        await server.stop()
    }

    @Test("Cancelling the task cancels a long capture promptly")
    func cancellation() async throws {
        let release = Release()
        let server = try await Self.servers(release: release)
        let c = try client(server, "/hang")
        let task = Task { () -> Result<CapturedProfile, ProfileCaptureError> in
            do throws(ProfileCaptureError) {
                return .success(try await ProfileCapture(kind: .profile, seconds: 60).run(client: c))
            } catch {
                return .failure(error)
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcome = await withTaskGroup(of: Result<CapturedProfile, ProfileCaptureError>?.self) { group in
            group.addTask { await task.value }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let result = outcome else {
            Issue.record("the capture did not stop within 20 s of cancellation")
            return
        }
        guard case .failure(let error) = result else { throw FixtureError("a cancelled capture succeeded") }
        #expect(error == .cancelled)
        release.done.withLock { $0 = true }
        await c.shutdown()
        await server.stop()
    }
}
