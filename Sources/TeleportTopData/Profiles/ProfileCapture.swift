import Foundation
import NIOCore
import TeleportCore

/// One capture of `/debug/pprof/<kind>` over a `DiagClient` (HTTP, HTTPS or the debug
/// socket). Timed kinds run for `seconds` and the request is given that long plus the
/// client's timeout; the body is checked (and pprof bodies decoded) before it is returned.
/// Cancelling the task cancels the request.
public struct ProfileCapture: Sendable, Hashable {
    public var kind: ProfileKind
    /// `?seconds=N` when > 0; nil or 0 takes the kind's default (10 s for profile and trace,
    /// none for snapshots), as `teleport debug profile` does.
    public var seconds: Int?

    public init(kind: ProfileKind, seconds: Int? = nil) {
        self.kind = kind
        self.seconds = seconds
    }

    /// The seconds actually asked for (nil for a snapshot).
    public var effectiveSeconds: Int? {
        if let seconds, seconds > 0 { return seconds }
        return kind.defaultSeconds
    }

    /// The request path, `/debug/pprof/profile?seconds=30`.
    public var path: String { kind.path(seconds: effectiveSeconds) }

    /// Time allowed for the request: the capture's seconds plus the client's own timeout.
    public func requestTimeout(clientTimeout: Duration) -> Duration {
        .seconds(effectiveSeconds ?? 0) + clientTimeout
    }

    /// A countdown tick while a capture runs.
    public struct Progress: Sendable, Hashable {
        public var kind: ProfileKind
        public var elapsed: Duration
        /// The capture's length (nil for a snapshot, which has no countdown).
        public var duration: Duration?
        public var remaining: Duration? { duration.map { max(.zero, $0 - elapsed) } }
    }

    /// Runs the capture. `progress` is called about every `tick` until the answer arrives.
    public func run(
        client: DiagClient, limits: PprofLimits = .default, tick: Duration = .milliseconds(250),
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws(ProfileCaptureError) -> CapturedProfile {
        let started = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let kind = self.kind
        let duration = effectiveSeconds.map { Duration.seconds($0) }
        let ticker = progress.map { report in
            Task {
                while !Task.isCancelled {
                    report(Progress(kind: kind, elapsed: clock.now - start, duration: duration))
                    try? await Task.sleep(for: tick)
                }
            }
        }
        defer { ticker?.cancel() }
        if Task.isCancelled { throw .cancelled }
        let answer: DiagClient.Answer
        do {
            answer = try await client.get(
                path, timeout: requestTimeout(clientTimeout: client.options.timeout),
                maxBodyBytes: limits.maxInputBytes)
        } catch {
            if Task.isCancelled { throw .cancelled }
            if case .tooLarge(let limit) = error { throw .badBody(kind: kind, .tooLarge(limitBytes: limit)) }
            throw .transport(error)
        }
        if Task.isCancelled { throw .cancelled }
        guard answer.status == 200 else {
            if answer.status == 404 { throw .pprofOff }
            throw .httpStatus(code: answer.status, body: Self.firstLine(answer.body))
        }
        let profile = try Self.check(answer, kind: kind, limits: limits)
        return CapturedProfile(
            kind: kind, seconds: effectiveSeconds, target: client.target.description, startedAt: started,
            finishedAt: Date(), body: answer.body, profile: profile)
    }

    /// Checks a 200 answer: never empty, never an HTML page; pprof kinds must decode.
    static func check(_ answer: DiagClient.Answer, kind: ProfileKind, limits: PprofLimits) throws(ProfileCaptureError) -> PprofProfile? {
        guard !answer.body.isEmpty else { throw .badBody(kind: kind, .empty) }
        let contentType = answer.headers["Content-Type"].first?.lowercased() ?? ""
        if contentType.hasPrefix("text/html") { throw .badBody(kind: kind, .htmlPage) }
        if kind.isPprof {
            do { return try PprofDecoder.decode(answer.body, limits: limits) } catch { throw .badBody(kind: kind, error) }
        }
        do { try PprofDecoder.rejectHTML(answer.body) } catch { throw .badBody(kind: kind, error) }
        return nil
    }

    public static func firstLine(_ body: [UInt8]) -> String {
        let line = body.prefix(200).split(separator: 0x0A, omittingEmptySubsequences: true).first ?? []
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A finished capture: the bytes as served, and the decoded profile for pprof kinds.
public struct CapturedProfile: Sendable {
    public var kind: ProfileKind
    public var seconds: Int?
    /// The target as the header shows it (`127.0.0.1:3000`, the socket path).
    public var target: String
    public var startedAt: Date
    public var finishedAt: Date
    public var body: [UInt8]
    public var profile: PprofProfile?

    public init(
        kind: ProfileKind, seconds: Int?, target: String, startedAt: Date, finishedAt: Date, body: [UInt8],
        profile: PprofProfile?
    ) {
        self.kind = kind
        self.seconds = seconds
        self.target = target
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.body = body
        self.profile = profile
    }
}
