/// A 16-byte trace ID, as OTLP carries it.
public struct TraceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// From exactly 16 bytes (big-endian, as on the wire); nil otherwise or when all zero
    /// (OTLP's invalid ID).
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 16 else { return nil }
        let array = Array(bytes)
        high = array[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = array[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        if high == 0 && low == 0 { return nil }
    }

    /// The 16 bytes, big-endian.
    public var bytes: [UInt8] { SpanID.bytes(high) + SpanID.bytes(low) }

    /// 32 lowercase hex digits.
    public var description: String { SpanID.hex(high) + SpanID.hex(low) }
    /// The first 8 hex digits, for tables.
    public var short: String { String(description.prefix(8)) }

    public static func < (a: TraceID, b: TraceID) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// An 8-byte span ID.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// From exactly 8 bytes; nil otherwise or when all zero.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 8 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
        if value == 0 { return nil }
    }

    public var bytes: [UInt8] { SpanID.bytes(value) }
    /// 16 lowercase hex digits.
    public var description: String { SpanID.hex(value) }

    static func bytes(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
