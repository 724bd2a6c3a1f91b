import CompressNIO
import NIOCore

/// Gunzips a whole gzip member with CompressNIO, then checks what CompressNIO does not: the
/// size limit exactly (its `maxSize` rounds buffers up) and the member's trailer (CRC-32 and
/// length, RFC 1952), which a truncated stream cannot match. So a cut-off download is an
/// error, never a shorter profile.
enum GzipMember {
    enum Failure: Error, Equatable {
        case tooLarge
        case corrupt(String)
    }

    static func decompress(_ bytes: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        guard bytes.count >= 18 else { throw .corrupt("shorter than a gzip header and trailer") }
        var buffer = ByteBuffer(bytes: bytes)
        let output: ByteBuffer
        do {
            output = try buffer.decompress(with: .gzip(), maxSize: limit)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .tooLarge
        } catch {
            throw .corrupt(String(describing: error))
        }
        guard output.readableBytes <= limit else { throw .tooLarge }
        let raw = Array(output.readableBytesView)
        let trailer = bytes.suffix(8).map(UInt32.init)
        let expectedCRC = trailer[trailer.startIndex] | trailer[trailer.startIndex + 1] << 8 | trailer[trailer.startIndex + 2] << 16
            | trailer[trailer.startIndex + 3] << 24
        let expectedSize = trailer[trailer.startIndex + 4] | trailer[trailer.startIndex + 5] << 8 | trailer[trailer.startIndex + 6] << 16
            | trailer[trailer.startIndex + 7] << 24
        guard UInt32(truncatingIfNeeded: raw.count) == expectedSize, CRC32.checksum(raw) == expectedCRC else {
            throw .corrupt("truncated: the stream ends before its trailer")
        }
        return raw
    }
}

/// CRC-32 (IEEE 802.3, as gzip uses), slicing by 8 bytes.
enum CRC32 {
    static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            tables[0][i] = c
        }
        for i in 0..<256 {
            for t in 1..<8 { tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][Int(tables[t - 1][i] & 0xFF)] }
        }
        return tables
    }()

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        let flat = tables.flatMap { $0 }
        return flat.withUnsafeBufferPointer { t in
            bytes.withUnsafeBufferPointer { p in
                var crc: UInt32 = 0xFFFF_FFFF
                var i = 0
                let n = p.count
                while i + 8 <= n {
                    let a = crc ^ (UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16 | UInt32(p[i + 3]) << 24)
                    crc = t[7 * 256 + Int(a & 0xFF)] ^ t[6 * 256 + Int((a >> 8) & 0xFF)] ^ t[5 * 256 + Int((a >> 16) & 0xFF)]
                        ^ t[4 * 256 + Int(a >> 24)] ^ t[3 * 256 + Int(p[i + 4])] ^ t[2 * 256 + Int(p[i + 5])]
                        ^ t[1 * 256 + Int(p[i + 6])] ^ t[Int(p[i + 7])]
                    i += 8
                }
                while i < n {
                    crc = t[Int((crc ^ UInt32(p[i])) & 0xFF)] ^ (crc >> 8)
                    i += 1
                }
                return crc ^ 0xFFFF_FFFF
            }
        }
    }
}
