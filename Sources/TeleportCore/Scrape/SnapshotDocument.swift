import Foundation

/// The JSON form of a snapshot (`teleport-top snapshot --json`): the scriptable face of the
/// tool. Keys are snake_case and sorted (label names as the target wrote them); numbers that JSON cannot hold (NaN, ±Inf) are the
/// strings "NaN", "+Inf", "-Inf". The shape is documented in docs/snapshot-json.md.
public struct SnapshotDocument: Codable, Sendable {
    public var target: String
    public var source: String
    public var time: Date?
    public var intervalSeconds: Double
    public var state: ObservedState
    public var readyz: ReadyzAnswer?
    public var build: BuildInfo?
    public var pid: Int?
    public var processStart: Date?
    public var uptimeSeconds: Double?
    public var scrape: Scrape?
    public var transitions: [StateTimeline.Transition]
    public var groups: [Group]

    enum CodingKeys: String, CodingKey {
        case target, source, time, state, readyz, build, pid, scrape, transitions, groups
        case intervalSeconds = "interval_seconds"
        case processStart = "process_start"
        case uptimeSeconds = "uptime_seconds"
    }

    public struct Scrape: Codable, Sendable {
        public var durationMs: Double
        public var bytes: Int
        public var series: Int

        enum CodingKeys: String, CodingKey {
            case bytes, series
            case durationMs = "duration_ms"
        }
    }

    public struct Group: Codable, Sendable {
        public var group: MetricGroup
        public var title: String
        public var families: [Family]
    }

    public struct Family: Codable, Sendable {
        public var name: String
        public var type: MetricType
        public var help: String?
        public var unit: String?
        public var catalogSections: [String]
        public var series: [Series]
        public var histograms: [Histogram]
        public var summaries: [Summary]

        enum CodingKeys: String, CodingKey {
            case name, type, help, unit, series, histograms, summaries
            case catalogSections = "catalog_sections"
        }
    }

    public struct Series: Codable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: JSONNumber
        public var rate: JSONNumber?
        public var rate1m: JSONNumber?

        enum CodingKeys: String, CodingKey {
            case name, labels, value, rate
            case rate1m = "rate_1m"
        }
    }

    public struct Histogram: Codable, Sendable {
        public var labels: [String: String]
        public var count: JSONNumber
        public var sum: JSONNumber
        public var countRate: JSONNumber?
        /// Keyed by window: `last` (the last interval), `1m`, `5m`.
        public var quantiles: [String: Window]

        enum CodingKeys: String, CodingKey {
            case labels, count, sum, quantiles
            case countRate = "count_rate"
        }
    }

    public struct Window: Codable, Sendable {
        public var observations: JSONNumber
        public var p50: Quantile?
        public var p90: Quantile?
        public var p99: Quantile?
    }

    public struct Quantile: Codable, Sendable {
        public var value: JSONNumber
        /// The rank fell in +Inf: the quantile is at least `value`.
        public var atLeast: Bool

        enum CodingKeys: String, CodingKey {
            case value
            case atLeast = "at_least"
        }
    }

    public struct Summary: Codable, Sendable {
        public var labels: [String: String]
        public var quantiles: [String: JSONNumber]
        public var sum: JSONNumber?
        public var count: JSONNumber?
    }

    /// Builds the document from a snapshot; `now` gives the uptime.
    public init(_ snapshot: MetricsSnapshot, source: String, now: Date = Date()) {
        target = snapshot.target
        self.source = source
        time = snapshot.lastScrape?.time
        intervalSeconds = snapshot.interval.seconds
        state = snapshot.state
        readyz = snapshot.readyz
        build = snapshot.build
        pid = snapshot.pid
        processStart = snapshot.processStart
        uptimeSeconds = snapshot.processStart.map { now.timeIntervalSince($0) }
        // Milliseconds to the microsecond: a duration read back from a recording gives the same number.
        scrape = snapshot.lastScrape.map { Scrape(durationMs: ($0.duration.seconds * 1e6).rounded() / 1e3, bytes: $0.bytes, series: $0.series) }
        transitions = snapshot.timeline.transitions
        groups = MetricGroup.allCases.compactMap { group in
            guard let indices = snapshot.groups[group], !indices.isEmpty else { return nil }
            return Group(group: group, title: group.title, families: indices.map { Self.family(snapshot.families[$0]) })
        }
    }

    static func labels(_ labels: [Label]) -> [String: String] {
        Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    static func family(_ family: FamilySnapshot) -> Family {
        Family(
            name: family.name, type: family.type, help: family.help, unit: family.unit,
            catalogSections: family.catalog.map(\.section),
            series: family.series.map {
                Series(
                    name: $0.key.name, labels: labels($0.key.labels), value: JSONNumber($0.value),
                    rate: $0.rate.map(JSONNumber.init), rate1m: $0.rate1m.map(JSONNumber.init))
            },
            histograms: family.histograms.map { histogram in
                var windows: [String: Window] = [:]
                for (window, quantiles) in histogram.windows {
                    func q(_ estimate: QuantileEstimate?) -> Quantile? {
                        estimate.map { Quantile(value: JSONNumber($0.value), atLeast: $0.atLeast) }
                    }
                    windows[window.rawValue] = Window(
                        observations: JSONNumber(quantiles.observations),
                        p50: q(quantiles.p50), p90: q(quantiles.p90), p99: q(quantiles.p99))
                }
                return Histogram(
                    labels: labels(histogram.labels), count: JSONNumber(histogram.count),
                    sum: JSONNumber(histogram.sum), countRate: histogram.countRate.map(JSONNumber.init), quantiles: windows)
            },
            summaries: family.summaries.map { summary in
                Summary(
                    labels: labels(summary.labels),
                    quantiles: Dictionary(
                        summary.quantiles.map { (ExpositionNumber.format($0.quantile), JSONNumber($0.value)) },
                        uniquingKeysWith: { first, _ in first }),
                    sum: summary.sum.map(JSONNumber.init), count: summary.count.map(JSONNumber.init))
            })
    }

    /// The encoder that writes the documented form.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The decoder that reads it back.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// A number in JSON: finite values as numbers, NaN and infinities as "NaN", "+Inf", "-Inf".
public struct JSONNumber: Codable, Sendable, Hashable {
    public var value: Double

    public init(_ value: Double) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
        } else {
            let text = try container.decode(String.self)
            guard let number = ExpositionNumber.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number: \(text)")
            }
            value = number
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if value.isFinite { try container.encode(value) } else { try container.encode(ExpositionNumber.format(value)) }
    }
}
