import Foundation

/// Size limits the parser enforces so a hostile or broken target cannot exhaust memory.
public struct ExpositionLimits: Sendable, Hashable {
    /// The longest line accepted, in bytes (default 1 MiB).
    public var maxLineBytes: Int
    /// The largest payload accepted, in bytes (default 64 MiB).
    public var maxPayloadBytes: Int
    /// The most samples (series) accepted in one payload (default 500,000: a 64 MiB body of
    /// Teleport's lines, about 130 bytes each). Past it the payload is refused with an error
    /// naming `--max-series`, before the store takes any of it.
    public var maxSeries: Int

    public static let defaultMaxSeries = 500_000

    public init(maxLineBytes: Int = 1 << 20, maxPayloadBytes: Int = 64 << 20, maxSeries: Int = ExpositionLimits.defaultMaxSeries) {
        self.maxLineBytes = maxLineBytes
        self.maxPayloadBytes = maxPayloadBytes
        self.maxSeries = maxSeries
    }

    public static let `default` = ExpositionLimits()
}

extension Int {
    /// Parses a byte count: `64MiB`, `512KiB`, `1GiB`, `10MB`, `2048` (bytes); nil for anything else.
    public init?(byteCount text: String) {
        let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let (number, scale) =
            units.first { trimmed.hasSuffix($0.0) }.map { (String(trimmed.dropLast($0.0.count)).trimmingCharacters(in: .whitespaces), $0.1) } ?? (trimmed, 1)
        guard let value = Int(number), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self = product
    }

    /// A byte count as people read it: `1 MiB`, `64 MiB`, `512 KiB`, `300 B`.
    public var byteCountText: String {
        if self >= 1 << 20, self % (1 << 20) == 0 { return "\(self >> 20) MiB" }
        if self >= 1 << 10, self % (1 << 10) == 0 { return "\(self >> 10) KiB" }
        return "\(self) B"
    }
}
