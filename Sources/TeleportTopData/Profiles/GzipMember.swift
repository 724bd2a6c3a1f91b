import CompressNIO
import NIOCore
import TeleportCore

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
        let expectedCRC =
            trailer[trailer.startIndex] | trailer[trailer.startIndex + 1] << 8 | trailer[trailer.startIndex + 2] << 16
            | trailer[trailer.startIndex + 3] << 24
        let expectedSize =
            trailer[trailer.startIndex + 4] | trailer[trailer.startIndex + 5] << 8 | trailer[trailer.startIndex + 6] << 16
            | trailer[trailer.startIndex + 7] << 24
        guard UInt32(truncatingIfNeeded: raw.count) == expectedSize, CRC32.checksum(raw) == expectedCRC else {
            throw .corrupt("truncated: the stream ends before its trailer")
        }
        return raw
    }
}
