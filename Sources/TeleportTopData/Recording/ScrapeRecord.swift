import Foundation
import TeleportCore

/// What a scrape frame holds besides the body: the answer's times, sizes, content type, the
/// interval in force, `/readyz` and `/healthz`, or the failure.
public struct ScrapeRecord: Codable, Sendable, Hashable {
    /// The fleet instance (empty: the one target).
    public var target: String
    /// The scrape's time exactly (the frame's nanoseconds round it); dates here are encoded
    /// as Swift encodes them (seconds since 2001 as a double), so a replay's rates are the live ones to the bit.
    public var time: Date?
    public var started: Date?
    public var durationSeconds: Double
    public var wireBytes: Int
    public var contentType: String?
    public var intervalSeconds: Double
    public var healthy: Bool?
    public var readyz: ReadyzAnswer?
    public var failure: FailureRecord?
    public var retryAt: Date?

    /// A failed scrape's class and its words.
    public struct FailureRecord: Codable, Sendable, Hashable {
        public var kind: String
        public var detail: String?
        public var path: String?
        public var seconds: Double?
        public var code: Int?
        public var limit: Int?

        init(_ error: ScrapeError) {
            switch error {
            case .refused(let target): self.init(kind: "refused", detail: target)
            case .noSuchSocket(let path): self.init(kind: "no_socket", detail: path)
            case .timeout(let path, let seconds): self.init(kind: "timeout", path: path, seconds: seconds)
            case .notHTTP(let detail): self.init(kind: "not_http", detail: detail)
            case .httpStatus(let code, let path): self.init(kind: "http_status", path: path, code: code)
            case .notMetrics: self.init(kind: "other", detail: error.description)
            case .tooLarge(let limit): self.init(kind: "too_large", limit: limit)
            case .tls(let detail): self.init(kind: "tls", detail: detail)
            case .unreachable(let detail): self.init(kind: "unreachable", detail: detail)
            case .other(let detail): self.init(kind: "other", detail: detail)
            }
        }

        init(kind: String, detail: String? = nil, path: String? = nil, seconds: Double? = nil, code: Int? = nil, limit: Int? = nil) {
            self.kind = kind
            self.detail = detail
            self.path = path
            self.seconds = seconds
            self.code = code
            self.limit = limit
        }

        var error: ScrapeError {
            switch kind {
            case "refused": return .refused(target: detail ?? "")
            case "no_socket": return .noSuchSocket(path: detail ?? "")
            case "timeout": return .timeout(path: path ?? "", seconds: seconds ?? 0)
            case "not_http": return .notHTTP(detail: detail ?? "")
            case "http_status": return .httpStatus(code: code ?? 0, path: path ?? "")
            case "too_large": return .tooLarge(limitBytes: limit ?? 0)
            case "tls": return .tls(detail: detail ?? "")
            case "unreachable": return .unreachable(detail: detail ?? "")
            default: return .other(detail: detail ?? kind)
            }
        }
    }

    /// The flags' high nibble: the state the scrape showed (so `n`/`N` find changes from the index alone).
    public static func stateCode(_ state: ObservedState) -> UInt8 {
        UInt8(ObservedState.allCases.firstIndex(of: state) ?? 5) + 1
    }

    public static func state(code: UInt8) -> ObservedState? {
        let index = Int(code) - 1
        return ObservedState.allCases.indices.contains(index) ? ObservedState.allCases[index] : nil
    }

    /// Flag bits of a scrape frame.
    public static let compressedAgainstPrevious: UInt8 = 1
    public static let failed: UInt8 = 2

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .deferredToDate
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return decoder
    }()

    /// A scrape's outcome back as the poller handed it over, the body parsed by the same parser.
    public func outcome(time frameTime: Date, body: [UInt8], limits: ExpositionLimits = .init()) -> Result<ScrapeResult, ScrapeFailure> {
        let time = self.time ?? frameTime
        if let failure {
            return .failure(ScrapeFailure(time: time, error: failure.error, retryAt: retryAt, readyz: readyz))
        }
        do {
            let families = try ExpositionParser(limits: limits).parse(body, format: ExpositionFormat.from(contentType: contentType))
            return .success(
                ScrapeResult(
                    time: time, duration: .seconds(durationSeconds), bytes: wireBytes, families: families, readyz: readyz,
                    healthy: healthy, started: started, body: body, contentType: contentType))
        } catch {
            return .failure(ScrapeFailure(time: time, error: .notMetrics(error), retryAt: retryAt, readyz: readyz))
        }
    }
}
