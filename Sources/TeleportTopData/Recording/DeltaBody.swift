/// A scrape body compressed against the previous body of the same target. zlib looks back
/// 32 KiB, and a Teleport body is often 100 KiB or more: so the body is cut into 16 KiB
/// pieces, each compressed with the previous body's bytes around the same offset as its
/// dictionary (bodies change values, not layout). About half the size of zlib alone on the
/// simulated Teleport's 150 KiB body; a 12 KiB body is one piece with the whole previous body.
public enum DeltaBody {
    /// The piece size, and the dictionary's reach before and after a piece's offset.
    public static let piece = 16 * 1024
    static let before = 8 * 1024
    static let after = 24 * 1024

    /// `[piece size u32][count u32]` then each piece as `[length u32][zlib]`.
    public static func encode(_ body: [UInt8], previous: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(UInt32(piece))
        let count = (body.count + piece - 1) / piece
        out.appendLittleEndian(UInt32(count))
        for index in 0..<count {
            let start = index * piece
            let chunk = Array(body[start..<min(body.count, start + piece)])
            let compressed = Zlib.compress(chunk, dictionary: dictionary(previous, at: start))
            out.appendLittleEndian(UInt32(compressed.count))
            out += compressed
        }
        return out
    }

    public static func decode(_ bytes: [UInt8], previous: [UInt8], limit: Int) throws(Zlib.Failure) -> [UInt8] {
        guard bytes.count >= 8 else { throw .corrupt("delta header cut short") }
        let size = Int(UInt32(littleEndian: bytes, at: 0))
        let count = Int(UInt32(littleEndian: bytes, at: 4))
        guard size > 0, size <= 1 << 24, count <= limit / size + 1 else { throw .corrupt("delta header") }
        var out: [UInt8] = []
        var position = 8
        for index in 0..<count {
            guard bytes.count - position >= 4 else { throw .corrupt("delta piece cut short") }
            let length = Int(UInt32(littleEndian: bytes, at: position))
            position += 4
            guard bytes.count - position >= length else { throw .corrupt("delta piece cut short") }
            let piece = try Zlib.decompress(
                Array(bytes[position..<position + length]), dictionary: dictionary(previous, at: index * size, size: size),
                limit: min(size, limit - out.count))
            out += piece
            position += length
        }
        return out
    }

    static func dictionary(_ previous: [UInt8], at start: Int, size: Int = piece) -> [UInt8] {
        // The same reach as encode (scaled when a recording used another piece size).
        let low = max(0, start - before * size / piece)
        let high = min(previous.count, start + after * size / piece)
        return low < high ? Array(previous[low..<high]) : Array(previous.suffix(32 * 1024))
    }
}
