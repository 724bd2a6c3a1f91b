/// A fast reader of the flat JSON objects log lines are (`{"key":"value","n":3,...}`):
/// string values with every JSON escape, numbers, true, false and null kept as their text.
/// Anything else (a nested object or array, bad syntax) returns nil and the caller falls back
/// to Foundation's full parser. Hand-written because Foundation's JSONSerialization costs
/// about 150 µs a line on Linux, and a busy Teleport logs thousands of lines a second.
enum FlatJSON {
    /// The object's pairs in order, or nil when it is not a flat object.
    static func parse(_ bytes: ArraySlice<UInt8>) -> [(key: String, value: String)]? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        func skip() { while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 } }
        func string() -> String? {
            guard i < end, bytes[i] == 0x22 else { return nil }
            i += 1
            let start = i
            var plain = true
            while i < end, bytes[i] != 0x22 {
                if bytes[i] == 0x5C {
                    plain = false
                    i += 2
                    continue
                }
                if bytes[i] < 0x20 { return nil }
                i += 1
            }
            guard i < end else { return nil }
            defer { i += 1 }
            if plain { return String(decoding: bytes[start..<i], as: UTF8.self) }
            return unescape(bytes[start..<i])
        }
        func scalar() -> String? {
            let start = i
            while i < end, bytes[i] != 0x2C, bytes[i] != 0x7D, bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0D, bytes[i] != 0x0A { i += 1 }
            guard i > start else { return nil }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if text == "true" || text == "false" || text == "null" { return text }
            guard let first = text.utf8.first, first == 0x2D || (first >= 0x30 && first <= 0x39), Double(text) != nil else { return nil }
            return text
        }
        skip()
        guard i < end, bytes[i] == 0x7B else { return nil }
        i += 1
        var pairs: [(key: String, value: String)] = []
        skip()
        if i < end, bytes[i] == 0x7D {
            i += 1
            skip()
            return i == end ? pairs : nil
        }
        while true {
            skip()
            guard let key = string() else { return nil }
            skip()
            guard i < end, bytes[i] == 0x3A else { return nil }
            i += 1
            skip()
            guard i < end else { return nil }
            let value: String?
            if bytes[i] == 0x22 { value = string() } else if bytes[i] == 0x7B || bytes[i] == 0x5B { return nil } else { value = scalar() }
            guard let value else { return nil }
            pairs.append((key, value))
            skip()
            guard i < end else { return nil }
            if bytes[i] == 0x2C {
                i += 1
                continue
            }
            if bytes[i] == 0x7D {
                i += 1
                skip()
                return i == end ? pairs : nil
            }
            return nil
        }
    }

    /// A string's body with its escapes resolved (nil when an escape is malformed).
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        var pendingHigh: UInt32?
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.endIndex else { return nil }
            var value: UInt32 = 0
            for b in bytes[at..<(at + 4)] {
                value <<= 4
                switch b {
                case 0x30...0x39: value |= UInt32(b - 0x30)
                case 0x41...0x46: value |= UInt32(b - 0x41 + 10)
                case 0x61...0x66: value |= UInt32(b - 0x61 + 10)
                default: return nil
                }
            }
            return value
        }
        func append(_ scalar: UInt32) {
            let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(s).utf8))
        }
        while i < bytes.endIndex {
            let b = bytes[i]
            if b != 0x5C {
                if let high = pendingHigh {
                    append(high)
                    pendingHigh = nil
                }
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < bytes.endIndex else { return nil }
            let e = bytes[i + 1]
            i += 2
            if e == 0x75 {
                guard let code = hex4(i) else { return nil }
                i += 4
                if (0xD800...0xDBFF).contains(code) {
                    if let high = pendingHigh { append(high) }
                    pendingHigh = code
                    continue
                }
                if (0xDC00...0xDFFF).contains(code), let high = pendingHigh {
                    append(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
                    pendingHigh = nil
                    continue
                }
                if let high = pendingHigh {
                    append(high)
                    pendingHigh = nil
                }
                append(code)
                continue
            }
            if let high = pendingHigh {
                append(high)
                pendingHigh = nil
            }
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            default: return nil
            }
        }
        if let high = pendingHigh { append(high) }
        return String(decoding: out, as: UTF8.self)
    }
}
