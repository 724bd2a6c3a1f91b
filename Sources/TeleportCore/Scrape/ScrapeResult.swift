import Foundation

/// One successful scrape of a target, as the poller hands it to the store.
public struct ScrapeResult: Sendable {
    /// When the scrape's response arrived (the time its values are taken at).
    public var time: Date
    public var duration: Duration
    /// Bytes of the metrics body as received (compressed size when gzip was used).
    public var bytes: Int
    public var families: [MetricFamily]
    /// The `/readyz` answer; nil when the target has no such route.
    public var readyz: ReadyzAnswer?
    /// Whether `/healthz` answered 200; nil when the target has no such route.
    public var healthy: Bool?
    /// When the scrape was sent.
    public var started: Date?
    /// The `/metrics` body as received (decompressed) and its content type: what a recording
    /// keeps, so a replay parses the same bytes.
    public var body: [UInt8]
    public var contentType: String?
    /// When a Prometheus-API engine was asked for these samples (`time` is their own
    /// timestamp); nil for a scrape of the target itself.
    public var asked: Date?

    public init(
        time: Date, duration: Duration, bytes: Int, families: [MetricFamily], readyz: ReadyzAnswer? = nil, healthy: Bool? = nil,
        started: Date? = nil, body: [UInt8] = [], contentType: String? = nil, asked: Date? = nil
    ) {
        self.time = time
        self.duration = duration
        self.bytes = bytes
        self.families = families
        self.readyz = readyz
        self.healthy = healthy
        self.started = started
        self.body = body
        self.contentType = contentType
        self.asked = asked
    }
}

/// A `/readyz` answer: its HTTP status and body (new `{status, pid}` or old `{status}` form).
public struct ReadyzAnswer: Sendable, Hashable, Codable {
    public var statusCode: Int
    public var status: String?
    public var pid: Int?

    enum CodingKeys: String, CodingKey {
        case status, pid
        case statusCode = "status_code"
    }

    public init(statusCode: Int, status: String?, pid: Int?) {
        self.statusCode = statusCode
        self.status = status
        self.pid = pid
    }

    /// The process state the answer stands for: by its text when Teleport wrote it, else by
    /// its code (200 ok, 503 degraded; 400 is recovering or starting and needs the text).
    public var state: ProcessState? {
        if let status, let state = ProcessState(readyzStatusText: status) { return state }
        switch statusCode {
        case 200: return .ok
        case 503: return .degraded
        default: return nil
        }
    }
}

/// A failed scrape.
public struct ScrapeFailure: Error, Sendable, Hashable {
    public var time: Date
    public var error: ScrapeError
    /// When the poller will try again.
    public var retryAt: Date?
    /// The `/readyz` answer when only `/metrics` failed (a partial answer: the process is up).
    public var readyz: ReadyzAnswer?

    public init(time: Date, error: ScrapeError, retryAt: Date?, readyz: ReadyzAnswer? = nil) {
        self.time = time
        self.error = error
        self.retryAt = retryAt
        self.readyz = readyz
    }

    /// Whether the process answered `/readyz` though `/metrics` failed.
    public var isPartial: Bool { readyz?.state != nil }
}
