import TeleportCore

/// Size limits for decoding a profile: bytes as given (a file, an HTTP body) and bytes after
/// gzip decompression.
public struct PprofLimits: Sendable, Hashable {
    public var maxInputBytes: Int
    public var maxDecodedBytes: Int

    public init(maxInputBytes: Int = 256 << 20, maxDecodedBytes: Int = 1 << 30) {
        self.maxInputBytes = maxInputBytes
        self.maxDecodedBytes = maxDecodedBytes
    }

    public static let `default` = PprofLimits()
}
