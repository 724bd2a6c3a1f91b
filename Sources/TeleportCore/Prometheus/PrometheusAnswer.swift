import Foundation

/// An answer of Prometheus's HTTP API (`/api/v1/query`, `query_range`, `targets`,
/// `metadata`), decoded: `{"status": "success"|"error", "data": ..., "errorType", "error",
/// "warnings"}`. Prometheus and VictoriaMetrics (tested) answer alike.
public enum PrometheusAnswer {
    /// The largest answer read.
    public static let maxBytes = 64 << 20

    /// Why an answer cannot be used.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    struct Envelope<T: Decodable>: Decodable {
        var status: String
        var data: T?
        var errorType: String?
        var error: String?
        var warnings: [String]?
        var infos: [String]?
    }

    /// Decodes `data` of an answer, with its warnings; an error answer, an HTTP status
    /// other than 200 or a body that is not the API's JSON is a `Failure` naming it.
    public static func decode<T: Decodable>(_ type: T.Type, body: [UInt8], status: Int) throws(Failure) -> (data: T, warnings: [String]) {
        guard body.count <= maxBytes else { throw Failure("answer larger than \(maxBytes >> 20) MiB") }
        let envelope: Envelope<T>
        do {
            envelope = try JSONDecoder().decode(Envelope<T>.self, from: Data(body))
        } catch {
            let start = String(decoding: body.prefix(120), as: UTF8.self)
            if status != 200 { throw Failure("HTTP \(status): \(Sanitized.quote(start))") }
            throw Failure("not a Prometheus API answer (\(Sanitized.quote(start)))")
        }
        if envelope.status != "success" {
            let kind = envelope.errorType.map { "\($0): " } ?? ""
            throw Failure("\(status == 200 ? "" : "HTTP \(status): ")\(Sanitized.quote(kind + (envelope.error ?? "error without a message")))")
        }
        guard let data = envelope.data else { throw Failure("answer without data") }
        return (data, (envelope.warnings ?? []).map(Sanitized.quote))
    }

    /// A sample: `[unix seconds, "value"]`.
    public struct SamplePair: Decodable, Sendable, Hashable {
        public var time: Double
        public var value: Double

        public init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            time = try container.decode(Double.self)
            let text = try container.decode(String.self)
            guard let value = Double(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a number")
            }
            self.value = value
        }
    }

    /// One series of a vector or matrix.
    public struct Series: Decodable, Sendable, Hashable {
        public var metric: [String: String]
        /// Set in a vector.
        public var value: SamplePair?
        /// Set in a matrix.
        public var values: [SamplePair]?
    }

    /// `data` of a query: a vector, a matrix, a scalar or a string.
    public struct QueryData: Decodable, Sendable {
        public var resultType: String
        public var series: [Series]
        /// A scalar's value.
        public var scalar: Double?

        enum CodingKeys: String, CodingKey { case resultType, result }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try container.decode(String.self, forKey: .resultType)
            switch resultType {
            case "vector", "matrix":
                series = try container.decode([Series].self, forKey: .result)
            case "scalar":
                series = []
                scalar = try container.decode(SamplePair.self, forKey: .result).value
            case "string":
                series = []
            default:
                throw DecodingError.dataCorruptedError(forKey: .resultType, in: container, debugDescription: "unknown resultType")
            }
        }
    }

    /// `data` of `/api/v1/targets`.
    public struct TargetsData: Decodable, Sendable {
        public var activeTargets: [Target]
    }

    /// One scrape target as Prometheus reports it.
    public struct Target: Decodable, Sendable, Hashable {
        public var labels: [String: String]
        public var scrapeUrl: String?
        /// `up`, `down` or `unknown`.
        public var health: String
        public var lastError: String?
        public var lastScrape: String?
        /// Prometheus names the interval here (`1s`); VictoriaMetrics in `discoveredLabels`.
        public var scrapeInterval: String?
        public var discoveredLabels: [String: String]?

        /// Seconds between scrapes, when the answer says.
        public var scrapeIntervalSeconds: Double? {
            (scrapeInterval ?? discoveredLabels?["__scrape_interval__"]).flatMap(DurationText.parse)?.seconds
        }

        /// `lastScrape` as a date (Prometheus writes RFC 3339 with nanoseconds).
        public var lastScrapeDate: Date? {
            guard let lastScrape else { return nil }
            return PrometheusAnswer.parseTime(lastScrape)
        }
    }

    /// `data` of `/api/v1/metadata`: per metric name, its type, help and unit.
    public typealias MetadataData = [String: [Metadata]]

    public struct Metadata: Decodable, Sendable, Hashable {
        public var type: String
        public var help: String?
        public var unit: String?
    }

    /// RFC 3339 with or without fractional seconds.
    public static func parseTime(_ text: String) -> Date? {
        if text.hasPrefix("0001-01-01") { return nil }  // Go's zero time: never scraped
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        // Nanoseconds: keep three digits of the fraction.
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            let digits = text[text.index(after: dot)..<end]
            let trimmed = text[..<dot] + "." + digits.prefix(3) + text[end...]
            if let date = fractional.date(from: String(trimmed)) { return date }
        }
        let plain = ISO8601DateFormatter()
        return plain.date(from: text)
    }
}
