import Foundation

/// The server behind a Prometheus-API URL, as the headers name it (`VictoriaMetrics`,
/// `Prometheus 2.42.0`), told once from two answers: `/api/v1/status/active_queries`
/// (VictoriaMetrics answers it, Prometheus does not know the path) and
/// `/api/v1/status/buildinfo` (Prometheus names its version; VictoriaMetrics 1.79 answers
/// empty `data`, later ones a Prometheus-like version, so its version is never named).
public struct PrometheusEngine: Sendable, Hashable, CustomStringConvertible {
    /// `Prometheus`, `VictoriaMetrics`, or the `application` a build info names (Mimir).
    public var name: String
    public var version: String?

    public init(name: String, version: String?) {
        self.name = name
        self.version = version
    }

    public static let victoriaMetrics = PrometheusEngine(name: "VictoriaMetrics", version: nil)

    public var description: String { version.map { "\(name) \($0)" } ?? name }

    /// What a build info's `data` holds that tells the engine.
    struct BuildInfo: Decodable {
        var version: String?
        var application: String?
    }

    /// The engine the two answers (status and body, nil when there was none) tell, or nil
    /// when they tell nothing (neither answered).
    public static func detect(buildInfo: (status: Int, body: [UInt8])?, activeQueries: (status: Int, body: [UInt8])?) -> PrometheusEngine? {
        if let activeQueries, activeQueries.status == 200 { return .victoriaMetrics }
        guard let buildInfo, buildInfo.status == 200,
            let info = try? PrometheusAnswer.decode(BuildInfo.self, body: buildInfo.body, status: buildInfo.status).data
        else { return nil }
        func clean(_ text: String?) -> String? {
            guard let text, !text.isEmpty else { return nil }
            return Sanitized.quote(String(text.prefix(40)))
        }
        guard let version = clean(info.version) else { return .victoriaMetrics }
        return PrometheusEngine(name: clean(info.application) ?? "Prometheus", version: version)
    }

    /// The API paths asked, once.
    public static let activeQueriesPath = "/api/v1/status/active_queries"
    public static let buildInfoPath = "/api/v1/status/buildinfo"

    /// How far behind the scrapes the newest visible sample is: per instance, the target's
    /// last scrape minus its newest sample's time (`timestamp(process_state)`), the median;
    /// nil when no instance has both, or when it is within a scrape or two (every engine is
    /// that far behind now and then): only an engine that holds samples back on purpose
    /// (VictoriaMetrics' `-search.latencyOffset`, 30 s by default) is told.
    public static func lag(newestSamples: [String: Double], lastScrapes: [String: Date], scrapeInterval: Double?) -> Double? {
        let gaps = newestSamples.compactMap { instance, time in lastScrapes[instance].map { $0.timeIntervalSince1970 - time } }.sorted()
        guard !gaps.isEmpty else { return nil }
        let median = gaps[gaps.count / 2]
        return median > max(5, 2 * (scrapeInterval ?? 0)) ? median : nil
    }

    /// The header's words: `via VictoriaMetrics, 30s behind`, `via Prometheus 2.42.0`.
    public static func via(_ engine: PrometheusEngine?, lag: Double?) -> String? {
        let behind = lag.map { "\(Int($0.rounded()))s behind" }
        switch (engine, behind) {
        case (let engine?, let behind?): return "via \(engine), \(behind)"
        case (let engine?, nil): return "via \(engine)"
        case (nil, let behind?): return behind
        case (nil, nil): return nil
        }
    }
}
