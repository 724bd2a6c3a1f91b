import Foundation
import TeleportCore
import TeleportTopData

/// The profiles of a diagnostics bundle: CPU over the bundle's own seconds, heap, goroutine
/// (pprof) and the goroutine dump as text (`?debug=2`). Each is captured and checked as the
/// Profiles tab captures it; a kind the target does not serve (pprof off, the embedded
/// engine's 501) is left out with the reason, a capture that fails (the target died) is a
/// failure: the index says which.
public struct BundleProfiles: Sendable {
    /// One capture's outcome.
    public enum Outcome: Sendable {
        case file(name: String, bytes: [UInt8], about: String)
        case notServed(name: String, why: String)
        case failed(name: String, why: String)
    }

    public var client: DiagClient
    public var seconds: Int

    public init(client: DiagClient, seconds: Int) {
        self.client = client
        self.seconds = seconds
    }

    /// CPU, then heap, goroutine and the goroutine text, in turn; `progress` names each as it starts.
    public func collect(progress: @escaping @Sendable (String) -> Void = { _ in }) async -> [Outcome] {
        var outcomes: [Outcome] = []
        progress("CPU profile (\(seconds) s)")
        outcomes.append(await capture(.profile, name: "profiles/cpu.pb.gz", seconds: seconds, about: "CPU profile over \(seconds) s"))
        progress("heap profile")
        outcomes.append(await capture(.heap, name: "profiles/heap.pb.gz", seconds: nil, about: "heap profile"))
        progress("goroutine profile")
        outcomes.append(await capture(.goroutine, name: "profiles/goroutine.pb.gz", seconds: nil, about: "goroutine profile"))
        progress("goroutine dump")
        outcomes.append(await goroutineText())
        return outcomes
    }

    func capture(_ kind: ProfileKind, name: String, seconds: Int?, about: String) async -> Outcome {
        do {
            let captured = try await ProfileCapture(kind: kind, seconds: seconds).run(client: client)
            return .file(name: name, bytes: captured.body, about: "\(about) (pprof); `go tool pprof -top \(name)`")
        } catch {
            return Self.outcome(error, name: name)
        }
    }

    /// `/debug/pprof/goroutine?debug=2`: every goroutine's stack as text, as Go prints a panic.
    func goroutineText() async -> Outcome {
        let name = "profiles/goroutine-debug2.txt"
        let answer: DiagClient.Answer
        do {
            answer = try await client.get("/debug/pprof/goroutine?debug=2", timeout: client.options.timeout, maxBodyBytes: 64 << 20)
        } catch {
            return Self.outcome(.transport(error), name: name)
        }
        guard answer.status == 200 else {
            if answer.status == 404 { return Self.outcome(.pprofOff, name: name) }
            return Self.outcome(.httpStatus(code: answer.status, body: ProfileCapture.firstLine(answer.body)), name: name)
        }
        guard !answer.body.isEmpty else { return .failed(name: name, why: "the answer was empty") }
        return .file(name: name, bytes: answer.body, about: "every goroutine's stack as text (/debug/pprof/goroutine?debug=2); any text viewer")
    }

    /// Not served (the target says so) or failed (no answer).
    static func outcome(_ error: ProfileCaptureError, name: String) -> Outcome {
        switch error {
        case .pprofOff: return .notServed(name: name, why: "not served: 404, \(ProfileCaptureError.pprofOffMessage)")
        case .httpStatus(let code, _) where code == 501 || code == 404 || code == 403: return .notServed(name: name, why: "not served: \(error)")
        default: return .failed(name: name, why: error.description)
        }
    }

    /// Puts the outcomes into the manifest.
    public static func add(_ outcomes: [Outcome], to manifest: inout BundleManifest) {
        for outcome in outcomes {
            switch outcome {
            case .file(let name, let bytes, let about): manifest.add(name, bytes, about: about)
            case .notServed(let name, let why): manifest.leaveOut(name, why)
            case .failed(let name, let why): manifest.fail(name, why)
            }
        }
    }
}
