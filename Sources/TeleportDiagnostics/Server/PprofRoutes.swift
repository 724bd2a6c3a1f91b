import Foundation
import Hummingbird
import NIOCore
import TeleportCore

/// `/debug/pprof/*` of the engine, answered about this Swift process: `profile` is a real
/// CPU profile (SIGPROF sampling, pprof format, gzip as Go writes it), `cmdline` the real
/// command line; the kinds a Swift process has no honest equivalent for answer 501 with a
/// one-line reason, never fake data.
enum PprofRoutes {
    static let names = ["allocs", "block", "cmdline", "goroutine", "heap", "mutex", "profile", "symbol", "threadcreate", "trace"]

    /// Why each unsupported kind is unsupported.
    static let reasons: [String: String] = [
        "allocs": "allocation profiles need an allocator hook this engine does not install",
        "heap": "heap profiles need an allocator hook this engine does not install",
        "block": "a Swift process has no goroutine blocking events to profile",
        "mutex": "a Swift process has no runtime mutex contention events to profile",
        "goroutine": "Swift has no goroutines, and stopping every thread to walk its stack is not safe in-process",
        "threadcreate": "thread creation is not recorded by this engine",
        "trace": "Go execution traces have no Swift equivalent",
        "symbol": "addresses are symbolized inside the profiles this engine serves",
    ]

    static func answer(_ request: Request, engine: DiagnosticsEngine) async -> Response {
        let path = request.uri.path
        let name = path.split(separator: "/").dropFirst(2).first.map(String.init) ?? ""
        let query = request.uri.query ?? ""
        engine.logger.info("pprof request", metadata: ["profile": "\(name.isEmpty ? "index" : name)", "query": "\(Sanitized.quote(query))"])
        guard name.isEmpty || names.contains(name) else {
            return DiagRoutes.text(.notFound, "Unknown profile\n")
        }
        switch name {
        case "":
            let lines = names.map { n in "\(n): " + (reasons[n].map { "501, \($0)" } ?? "available") }
            return DiagRoutes.text(.ok, "/debug/pprof/ of teleport-top's engine (a Swift process)\n\n" + lines.joined(separator: "\n") + "\n")
        case "cmdline":
            return DiagRoutes.text(.ok, CommandLine.arguments.joined(separator: "\u{0}"))
        case "profile":
            let seconds = request.uri.queryParameters.get("seconds").flatMap(Double.init) ?? 30
            guard seconds > 0, seconds <= 300 else {
                return DiagRoutes.text(.badRequest, "Could not enable CPU profiling: seconds must be between 1 and 300\n")
            }
            do {
                let bytes = try await SelfCPUProfile.capture(seconds: seconds)
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"profile\"",
                    ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            } catch let failure as SelfCPUProfile.Failure {
                return DiagRoutes.text(.internalServerError, failure.description + "\n")
            } catch {
                return DiagRoutes.text(.internalServerError, "Could not enable CPU profiling: \(error)\n")
            }
        default:
            return DiagRoutes.text(.notImplemented, "\(name) profile: \(reasons[name] ?? "not implemented")\n")
        }
    }
}
