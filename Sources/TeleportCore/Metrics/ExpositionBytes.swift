#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The bytes and character classes of the exposition formats, and the parser's intern table.

let space = UInt8(ascii: " ")
let tab = UInt8(ascii: "\t")
let newline = UInt8(ascii: "\n")
let carriageReturn = UInt8(ascii: "\r")
let hash = UInt8(ascii: "#")
let quote = UInt8(ascii: "\"")
let backslash = UInt8(ascii: "\\")
let openBrace = UInt8(ascii: "{")
let closeBrace = UInt8(ascii: "}")
let equals = UInt8(ascii: "=")
let comma = UInt8(ascii: ",")

/// A direct-mapped cache from byte runs of the payload to the Strings made of them.
struct InternTable {
    private var starts = [Int](repeating: -1, count: 4096)
    private var counts = [Int](repeating: 0, count: 4096)
    private var strings = [String](repeating: "", count: 4096)

    mutating func string(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> String {
        // Eight bytes at a time: a multiply-xorshift mix, plenty for a 4096-slot cache.
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        let raw = UnsafeRawPointer(base + start)
        var i = 0
        while i + 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(base[start + i]) << shift
            shift += 8
            i += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        let slot = Int(truncatingIfNeeded: (hash ^ (hash >> 29)) & 4095)
        let previous = starts[slot]
        if previous >= 0, counts[slot] == count, memcmp(base + previous, base + start, count) == 0 {
            return strings[slot]
        }
        let made = String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
        starts[slot] = start
        counts[slot] = count
        strings[slot] = made
        return made
    }
}

@inline(__always) func isNameStart(_ b: UInt8) -> Bool {
    (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
}

@inline(__always) func isNameChar(_ b: UInt8) -> Bool {
    isNameStart(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
}

@inline(__always) func isLabelNameStart(_ b: UInt8) -> Bool {
    (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_")
}

@inline(__always) func isLabelNameChar(_ b: UInt8) -> Bool {
    isLabelNameStart(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
}
