import CompressNIO
import Foundation
import NIOCore
import TeleportCore

/// A gzip-compressed ustar archive built in memory, as Go's archive/tar writes one: a
/// 512-byte header per regular file (names over 100 bytes split into the prefix field), the
/// data padded to 512 bytes, two zero blocks at the end.
public struct TarGzWriter: Sendable {
    /// Why an entry cannot be written.
    public struct EntryError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    private var tar: [UInt8] = []

    public init() {}

    /// Appends a regular file.
    public mutating func append(name: String, contents: [UInt8], mode: Int = 0o600, modified: Date = Date()) throws(EntryError) {
        var header = [UInt8](repeating: 0, count: 512)
        let (prefix, base) = try Self.split(name)
        write(Array(base.utf8), into: &header, at: 0, width: 100)
        write(Self.octal(mode, digits: 7), into: &header, at: 100, width: 8)
        write(Self.octal(0, digits: 7), into: &header, at: 108, width: 8)
        write(Self.octal(0, digits: 7), into: &header, at: 116, width: 8)
        guard contents.count < 0o77777777777 else { throw EntryError(description: "\(name) is too large for ustar") }
        write(Self.octal(contents.count, digits: 11), into: &header, at: 124, width: 12)
        let seconds = max(0, Int(modified.timeIntervalSince1970.rounded()))
        write(Self.octal(seconds, digits: 11), into: &header, at: 136, width: 12)
        header[156] = UInt8(ascii: "0")
        write(Array("ustar\0".utf8), into: &header, at: 257, width: 6)
        write(Array("00".utf8), into: &header, at: 263, width: 2)
        write(Self.octal(0, digits: 7), into: &header, at: 329, width: 8)
        write(Self.octal(0, digits: 7), into: &header, at: 337, width: 8)
        write(Array(prefix.utf8), into: &header, at: 345, width: 155)
        // The checksum is the byte sum with the checksum field read as eight spaces.
        for i in 148..<156 { header[i] = 0x20 }
        let sum = header.reduce(0) { $0 + Int($1) }
        write(Self.octal(sum, digits: 6) + [0, 0x20], into: &header, at: 148, width: 8)
        tar += header
        tar += contents
        let padding = (512 - contents.count % 512) % 512
        tar += [UInt8](repeating: 0, count: padding)
    }

    /// The archive, ended and gzip-compressed.
    public func finish() -> [UInt8] {
        var buffer = ByteBuffer(bytes: tar + [UInt8](repeating: 0, count: 1024))
        // Compression of a complete in-memory buffer cannot fail short of running out of memory.
        guard let compressed = try? buffer.compress(with: .gzip()) else { return [] }
        return Array(compressed.readableBytesView)
    }

    /// The uncompressed archive so far (without the end blocks).
    public var uncompressedSize: Int { tar.count }

    private func write(_ bytes: [UInt8], into header: inout [UInt8], at offset: Int, width: Int) {
        for (i, byte) in bytes.prefix(width).enumerated() { header[offset + i] = byte }
    }

    static func octal(_ value: Int, digits: Int) -> [UInt8] {
        let text = String(value, radix: 8)
        return Array((String(repeating: "0", count: max(0, digits - text.count)) + text).utf8) + [0]
    }

    /// Splits a name into ustar's prefix (up to 155 bytes) and name (up to 100 bytes) at a slash.
    static func split(_ name: String) throws(EntryError) -> (prefix: String, name: String) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else { throw EntryError(description: "an entry needs a name") }
        if bytes.count <= 100 { return ("", name) }
        for i in stride(from: min(bytes.count - 1, 155), through: 1, by: -1) where bytes[i] == UInt8(ascii: "/") {
            let rest = bytes.count - i - 1
            if rest > 0 && rest <= 100 {
                return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[(i + 1)...], as: UTF8.self))
            }
        }
        throw EntryError(description: "\(name) is too long for a ustar header")
    }
}
