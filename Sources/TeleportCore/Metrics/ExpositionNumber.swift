#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading and writing the numbers of the exposition formats (`NaN`, `+Inf`, `-Inf`,
/// decimals with exponents, Go's `1.69840775005e+09`).
public enum ExpositionNumber {
    /// Parses a sample value, label value such as `le`/`quantile`, or timestamp.
    public static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses ASCII bytes; nil when they are not a number.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        if n == 0 || n > 64 { return n == 0 ? nil : slowParse(bytes) }
        var i = 0
        var negative = false
        let first = bytes[0]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
            if i == n { return nil }
        }
        // Special values, case-insensitively as Go's strconv.ParseFloat accepts them.
        let c = bytes[i] | 0x20
        if c == UInt8(ascii: "i") || c == UInt8(ascii: "n") {
            return special(bytes, from: i, negative: negative, signed: i == 1)
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        var truncated = false
        while i < n, bytes[i] &- UInt8(ascii: "0") < 10 {
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
                if mantissa != 0 { digits += 1 }
            } else {
                exponent += 1
                truncated = true
            }
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    truncated = true
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var sawExpDigit = false
            while i < n, bytes[i] &- UInt8(ascii: "0") < 10 {
                sawExpDigit = true
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            guard sawExpDigit else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        // Exact fast path (Clinger): mantissa and power of ten are both exact doubles.
        if !truncated, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= pow10[-exponent] } else { value *= pow10[exponent] }
            return negative ? -value : value
        }
        return slowParse(bytes)
    }

    private static let pow10: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    private static func special(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool, signed: Bool) -> Double? {
        var word = ""
        for i in start..<bytes.count { word.append(Character(Unicode.Scalar(bytes[i] | 0x20))) }
        switch word {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return signed ? nil : .nan
        default: return nil
        }
    }

    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count > 0, bytes.count < 512 else { return nil }
        // strtod needs a terminated buffer and accepts hex and leading blanks: check the
        // characters first so only decimal text reaches it.
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                UInt8(ascii: "+"), UInt8(ascii: "-"):
                continue
            default:
                return nil
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer -> Double? in
            for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
            buffer[bytes.count] = 0
            guard let start = buffer.baseAddress else { return nil }
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            guard let end, end == start + bytes.count else { return nil }
            return value
        }
    }

    /// Formats a value as the exposition formats write it: `NaN`, `+Inf`, `-Inf`,
    /// integers without a fraction, everything else in the shortest round-tripping form.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 {
            if value == 0 { return value.sign == .minus ? "-0" : "0" }
            return String(Int64(value))
        }
        return "\(value)"
    }
}
