import Foundation
import TeleportCore

/// What a Prometheus fleet asks of a server: the live `PrometheusClient`, or a recording's
/// answers (`RecordedPrometheus`) in a replay.
public protocol PrometheusAPI: Sendable {
    func query(_ promql: String, at time: Date?) async throws(PrometheusAnswer.Failure) -> (data: PrometheusAnswer.QueryData, warnings: [String])
    func queryRange(_ promql: String, start: Date, end: Date, step: Double) async throws(PrometheusAnswer.Failure)
        -> (data: PrometheusAnswer.QueryData, warnings: [String])
    func targets() async throws(PrometheusAnswer.Failure) -> [PrometheusAnswer.Target]
    func metadata() async throws(PrometheusAnswer.Failure) -> PrometheusAnswer.MetadataData
    /// A GET of another API path, its HTTP status and body as received (how the engine is told).
    func get(_ path: String) async throws(PrometheusAnswer.Failure) -> (status: Int, body: [UInt8])
    func shutdown() async
    /// Sets who is handed every answer as received (a recording); a server's answers only.
    func setOnAnswer(_ tap: (@Sendable (PrometheusExchange) -> Void)?)
}

extension PrometheusAPI {
    /// Answers read back from a recording are not recorded again.
    public func setOnAnswer(_ tap: (@Sendable (PrometheusExchange) -> Void)?) {}
}

/// One request to a Prometheus server and its answer as received (what a recording keeps).
public struct PrometheusExchange: Codable, Sendable, Hashable {
    /// The API path, e.g. `/api/v1/query` or `/api/v1/targets?state=active`.
    public var path: String
    /// The PromQL of a query (empty for the others).
    public var query: String
    public var status: Int
    public var time: Date
    /// The body (not in the frame's JSON: it follows it, compressed).
    public var body: [UInt8] = []

    enum CodingKeys: String, CodingKey { case path, query, status, time }

    public init(path: String, query: String, status: Int, time: Date, body: [UInt8]) {
        self.path = path
        self.query = query
        self.status = status
        self.time = time
        self.body = body
    }
}
