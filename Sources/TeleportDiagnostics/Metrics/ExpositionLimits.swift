/// Size limits the parser enforces so a hostile or broken target cannot exhaust memory.
public struct ExpositionLimits: Sendable, Hashable {
    /// The longest line accepted, in bytes (default 1 MiB).
    public var maxLineBytes: Int
    /// The largest payload accepted, in bytes (default 64 MiB).
    public var maxPayloadBytes: Int

    public init(maxLineBytes: Int = 1 << 20, maxPayloadBytes: Int = 64 << 20) {
        self.maxLineBytes = maxLineBytes
        self.maxPayloadBytes = maxPayloadBytes
    }

    public static let `default` = ExpositionLimits()
}

extension Int {
    /// A byte count as people read it: `1 MiB`, `64 MiB`, `512 KiB`, `300 B`.
    var byteCountText: String {
        if self >= 1 << 20, self % (1 << 20) == 0 { return "\(self >> 20) MiB" }
        if self >= 1 << 10, self % (1 << 10) == 0 { return "\(self >> 10) KiB" }
        return "\(self) B"
    }
}
