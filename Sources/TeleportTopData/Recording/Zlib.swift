import CZlib

/// zlib (RFC 1950) with an optional preset dictionary: a scrape compressed against the one
/// before it costs a fraction of one compressed alone. CRC-32 too.
public enum Zlib {
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case corrupt(String)
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .corrupt(let why): return "compressed data is corrupt (\(why))"
            case .tooLarge(let limit): return "compressed data expands past \(limit) bytes"
            }
        }
    }

    /// Compresses `bytes`; with a dictionary, matches in it are coded as references (zlib
    /// uses its last 32 KiB).
    public static func compress(_ bytes: [UInt8], dictionary: [UInt8]? = nil, level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // deflateInit fails only when zlib cannot allocate its state: the bytes go stored.
        guard czlib_deflate_init(&stream, level) == Z_OK else { return stored(bytes) }
        defer { deflateEnd(&stream) }
        if let dictionary, !dictionary.isEmpty {
            let tail = dictionary.suffix(32 * 1024)
            tail.withUnsafeBufferPointer { _ = deflateSetDictionary(&stream, $0.baseAddress, uInt($0.count)) }
        }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let written: Int? = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                // With a deflateBound-sized buffer deflate finishes in one call.
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { return nil }
                return out.count - Int(stream.avail_out)
            }
        }
        guard let written else { return stored(bytes) }
        output.removeLast(output.count - written)
        return output
    }

    /// A zlib stream of stored (uncompressed) deflate blocks: what `compress` returns when
    /// zlib cannot run, still read by `decompress` (and by any zlib).
    static func stored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let count = min(65_535, bytes.count - start)
            let final: UInt8 = start + count == bytes.count ? 1 : 0
            out.append(final)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += bytes[start..<start + count]
            start += count
        } while start < bytes.count
        let adler = bytes.withUnsafeBufferPointer { UInt32(adler32(1, $0.baseAddress, uInt($0.count))) }
        out += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
        return out
    }

    /// Decompresses what `compress` made (with the same dictionary), refusing to grow past `limit`.
    public static func decompress(_ bytes: [UInt8], dictionary: [UInt8]? = nil, limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init(&stream) == Z_OK else { throw .corrupt("inflateInit") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return try bytes.withUnsafeBufferPointer { (input) throws(Failure) -> [UInt8] in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                var result = status
                if status == Z_NEED_DICT {
                    guard let dictionary, !dictionary.isEmpty else { throw .corrupt("needs the previous scrape, which is missing") }
                    let tail = dictionary.suffix(32 * 1024)
                    let set = tail.withUnsafeBufferPointer { inflateSetDictionary(&stream, $0.baseAddress, uInt($0.count)) }
                    guard set == Z_OK else { throw .corrupt("wrong dictionary") }
                    result = Z_OK
                }
                if produced > 0 {
                    guard output.count + produced <= limit else { throw .tooLarge(limit: limit) }
                    output.append(contentsOf: chunk[0..<produced])
                }
                switch result {
                case Z_STREAM_END: return output
                case Z_OK: if stream.avail_in == 0 && produced == 0 && status != Z_NEED_DICT { throw .corrupt("truncated") }
                case Z_BUF_ERROR: if stream.avail_in == 0 { throw .corrupt("truncated") }
                default: throw .corrupt("inflate status \(result)")
                }
            }
        }
    }

    /// CRC-32 (IEEE, as gzip and zip use it) of `bytes`, continuing from `crc`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        UInt32(CZlib.crc32(uLong(crc), bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }

    public static func crc32(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0, continuing: crc) }
    }
}
