import Foundation
import Synchronization
import TeleportCore

/// A Prometheus server as a recording saw it: each request is answered with the latest
/// recorded answer to the same request at or before the replay's cursor (`now`), decoded by
/// the same code as a live answer. A request never recorded is a clear failure.
public final class RecordedPrometheus: PrometheusAPI, @unchecked Sendable {
    private let reader: RecordingReader
    private let now: @Sendable () -> Date
    /// Frames by request (path and PromQL), oldest first.
    private var answers: [String: [FrameRef]] = [:]
    private var indexed = 0
    private let lock = NSLock()

    public init(reader: RecordingReader, now: @escaping @Sendable () -> Date) {
        self.reader = reader
        self.now = now
        index()
    }

    static func key(_ path: String, _ query: String) -> String { path + "\u{0}" + query }

    /// Indexes the Prometheus frames read so far.
    public func index() {
        lock.withLock {
            let frames = reader.frames
            while indexed < frames.count {
                let ref = frames[indexed]
                indexed += 1
                guard ref.kind == FrameKind.prometheus.rawValue, let exchange = try? Self.exchange(reader.payload(ref), bodyToo: false) else { continue }
                answers[Self.key(exchange.path, exchange.query), default: []].append(ref)
            }
        }
    }

    /// Whether an answer to `targets` was recorded in `(after, upTo]` (a refresh happened then).
    public func refreshed(after: Date?, upTo: Date) -> Bool {
        lock.withLock {
            let high = Int64((upTo.timeIntervalSince1970 * 1e9).rounded())
            let low = after.map { Int64(($0.timeIntervalSince1970 * 1e9).rounded()) } ?? Int64.min
            return answers[Self.key(Self.targetsPath, ""), default: []].contains { $0.nanoseconds > low && $0.nanoseconds <= high }
        }
    }

    static let targetsPath = "/api/v1/targets?state=active"

    /// Whether an instant query of `promql` was recorded at or before `time`.
    public func hasQuery(_ promql: String, at time: Date) -> Bool {
        let ns = Int64((time.timeIntervalSince1970 * 1e9).rounded())
        return lock.withLock { answers[Self.key("/api/v1/query", promql)]?.contains { $0.nanoseconds <= ns } ?? false }
    }

    /// When the first refresh was recorded (its `targets` answer comes last).
    public var firstRefresh: Date? {
        lock.withLock { answers[Self.key(Self.targetsPath, "")]?.first?.time }
    }

    /// A frame's exchange (its body inflated when `bodyToo`).
    static func exchange(_ payload: [UInt8], bodyToo: Bool) throws -> PrometheusExchange {
        let (record, bodyStart) = try RecordingPlayback.metaJSON(payload, as: PrometheusExchange.self)
        var exchange = record
        if bodyToo { exchange.body = try Zlib.decompress(Array(payload[bodyStart...]), limit: PrometheusAnswer.maxBytes) }
        return exchange
    }

    func answer<T: Decodable>(_ path: String, _ query: String, as type: T.Type) throws(PrometheusAnswer.Failure) -> (data: T, warnings: [String]) {
        let exchange = try recorded(path, query)
        return try PrometheusAnswer.decode(T.self, body: exchange.body, status: exchange.status)
    }

    /// The latest recorded exchange of a request at or before the cursor.
    func recorded(_ path: String, _ query: String) throws(PrometheusAnswer.Failure) -> PrometheusExchange {
        let ns = Int64((now().timeIntervalSince1970 * 1e9).rounded())
        guard let ref = lock.withLock({ answers[Self.key(path, query)]?.last { $0.nanoseconds <= ns } }) else {
            throw PrometheusAnswer.Failure("the recording has no answer to \(path) \(query.prefix(80)) before this time")
        }
        let exchange: PrometheusExchange
        do { exchange = try Self.exchange(try reader.payload(ref), bodyToo: true) } catch {
            throw PrometheusAnswer.Failure("a recorded answer is unreadable: \(error)")
        }
        return exchange
    }

    public func query(_ promql: String, at time: Date?) async throws(PrometheusAnswer.Failure) -> (data: PrometheusAnswer.QueryData, warnings: [String]) {
        try answer("/api/v1/query", promql, as: PrometheusAnswer.QueryData.self)
    }

    public func queryRange(_ promql: String, start: Date, end: Date, step: Double) async throws(PrometheusAnswer.Failure)
        -> (data: PrometheusAnswer.QueryData, warnings: [String])
    {
        try answer("/api/v1/query_range", promql, as: PrometheusAnswer.QueryData.self)
    }

    public func targets() async throws(PrometheusAnswer.Failure) -> [PrometheusAnswer.Target] {
        try answer(Self.targetsPath, "", as: PrometheusAnswer.TargetsData.self).data.activeTargets
    }

    public func metadata() async throws(PrometheusAnswer.Failure) -> PrometheusAnswer.MetadataData {
        try answer("/api/v1/metadata", "", as: PrometheusAnswer.MetadataData.self).data
    }

    public func get(_ path: String) async throws(PrometheusAnswer.Failure) -> (status: Int, body: [UInt8]) {
        let exchange = try recorded(path, "")
        return (exchange.status, exchange.body)
    }

    public func shutdown() async {}
}
