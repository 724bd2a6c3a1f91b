#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A byte-level parser for Prometheus text format 0.0.4 and OpenMetrics text.
///
/// Families are assembled by their `# TYPE` line, never by suffix guessing; samples with
/// no declaration form `untyped` families. Malformed input is rejected as a whole with the
/// line number and the reason; the parser never traps on any input.
public struct ExpositionParser: Sendable {
    public var limits: ExpositionLimits

    public init(limits: ExpositionLimits = .default) {
        self.limits = limits
    }

    /// Parses a payload held in a string.
    public func parse(_ text: String, format: ExpositionFormat = .detect) throws(ExpositionParseError) -> [MetricFamily] {
        var text = text
        let result = text.withUTF8 { buffer in Result { () throws(ExpositionParseError) in try parse(buffer, format: format) } }
        return try result.get()
    }

    /// Parses a payload held in a byte array.
    public func parse(_ bytes: [UInt8], format: ExpositionFormat = .detect) throws(ExpositionParseError) -> [MetricFamily] {
        let result = bytes.withUnsafeBufferPointer { buffer in Result { () throws(ExpositionParseError) in try parse(buffer, format: format) } }
        return try result.get()
    }

    /// Parses a payload in a raw buffer.
    public func parse(_ buffer: UnsafeBufferPointer<UInt8>, format: ExpositionFormat = .detect) throws(ExpositionParseError) -> [MetricFamily] {
        guard buffer.count <= limits.maxPayloadBytes else {
            throw ExpositionParseError(
                line: 0, reason: "payload of \(buffer.count) bytes exceeds the \(limits.maxPayloadBytes.byteCountText) limit")
        }
        guard let base = buffer.baseAddress else {
            // An empty buffer may have no address: parse an empty view of a real one.
            let one: [UInt8] = [0]
            let result = one.withUnsafeBufferPointer { one in
                Result { () throws(ExpositionParseError) in try parse(UnsafeBufferPointer(start: one.baseAddress, count: 0), format: format) }
            }
            return try result.get()
        }
        let resolved: ExpositionFormat = format == .detect ? (Self.endsWithEOF(buffer) ? .openMetrics : .text) : format
        var state = ParseState(buffer: buffer, base: base, openMetrics: resolved == .openMetrics, limits: limits)
        try state.run()
        return state.families
    }

    static func endsWithEOF(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = buffer.count
        while end > 0, buffer[end - 1] == 0x0A || buffer[end - 1] == 0x0D || buffer[end - 1] == 0x20 { end -= 1 }
        let marker: [UInt8] = Array("# EOF".utf8)
        guard end >= marker.count else { return false }
        for i in 0..<marker.count where buffer[end - marker.count + i] != marker[i] { return false }
        return end == marker.count || buffer[end - marker.count - 1] == 0x0A
    }
}

/// The parser's working state over one payload.
struct ParseState {
    let buffer: UnsafeBufferPointer<UInt8>
    let base: UnsafePointer<UInt8>
    let openMetrics: Bool
    let limits: ExpositionLimits

    var families: [MetricFamily] = []
    var familyIndex: [String: Int] = [:]
    /// Families that have had a `# TYPE` line (a second one is an error).
    var typed: Set<Int> = []
    /// Families that have had a `# HELP` line (a second one is tolerated and ignored).
    var helped: Set<Int> = []
    var current: Int?
    var lineNumber = 0
    /// Samples taken so far (bounded by `limits.maxSeries`).
    var sampleCount = 0

    // Interning: the previous sample's name and label names, by their place in the buffer.
    var lastName: (start: Int, count: Int, string: String)?
    var lastLabelCount = 4
    /// Label names and values seen before in this payload, so each distinct one becomes a
    /// String once (and equal strings share storage, which makes later comparisons cheap).
    var interned = InternTable()
    var valueScratch: [UInt8] = []
    /// Bumped when a sample name differs from the previous one, and at every HELP/TYPE/UNIT
    /// line: while neither moved, a sample goes where the previous one went.
    var nameGeneration = 0
    var declarationGeneration = 0
    var ownerCache: (nameGeneration: Int, declarationGeneration: Int, index: Int, role: SampleRole)?

    init(buffer: UnsafeBufferPointer<UInt8>, base: UnsafePointer<UInt8>, openMetrics: Bool, limits: ExpositionLimits) {
        self.buffer = buffer
        self.base = base
        self.openMetrics = openMetrics
        self.limits = limits
        families.reserveCapacity(64)
    }

    func fail(_ reason: String) -> ExpositionParseError {
        ExpositionParseError(line: lineNumber, reason: reason)
    }

    mutating func run() throws(ExpositionParseError) {
        let end = buffer.count
        var position = 0
        var sawEOF = false
        while position < end {
            lineNumber += 1
            let remaining = end - position
            let found = memchr(base + position, Int32(newline), remaining)
            let lineEnd = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
            if lineEnd - position > limits.maxLineBytes {
                throw fail("line longer than the \(limits.maxLineBytes.byteCountText) limit")
            }
            var stop = lineEnd
            if stop > position, base[stop - 1] == carriageReturn { stop -= 1 }
            if sawEOF {
                if !isBlank(position, stop) { throw fail("content after # EOF") }
            } else {
                sawEOF = try parseLine(position, stop)
            }
            position = lineEnd + 1
        }
        if openMetrics, !sawEOF { throw ExpositionParseError(line: lineNumber, reason: "OpenMetrics payload without # EOF (truncated?)") }
    }

    func isBlank(_ start: Int, _ stop: Int) -> Bool {
        var i = start
        while i < stop {
            if base[i] != space && base[i] != tab { return false }
            i += 1
        }
        return true
    }

    @inline(__always) func skipBlanks(_ i: inout Int, _ stop: Int) {
        while i < stop, base[i] == space || base[i] == tab { i += 1 }
    }

    /// Returns true when the line is `# EOF`.
    mutating func parseLine(_ start: Int, _ stop: Int) throws(ExpositionParseError) -> Bool {
        var i = start
        skipBlanks(&i, stop)
        if i == stop { return false }
        if base[i] == hash { return try parseComment(i + 1, stop) }
        try parseSample(i, stop)
        return false
    }

    func string(_ start: Int, _ stop: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: stop - start), as: UTF8.self)
    }

    func bytesEqual(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        memcmp(base + a, base + b, count) == 0
    }

    // MARK: Comments: HELP, TYPE, UNIT, EOF

    mutating func parseComment(_ start: Int, _ stop: Int) throws(ExpositionParseError) -> Bool {
        var i = start
        skipBlanks(&i, stop)
        let keywordStart = i
        while i < stop, base[i] != space, base[i] != tab { i += 1 }
        let keyword = string(keywordStart, i)
        switch keyword {
        case "HELP", "TYPE", "UNIT":
            skipBlanks(&i, stop)
            let nameStart = i
            guard i < stop, isNameStart(base[i]) else { throw fail("# \(keyword) line without a valid metric name") }
            while i < stop, isNameChar(base[i]) { i += 1 }
            if i < stop, base[i] != space, base[i] != tab {
                throw fail("invalid character in metric name of # \(keyword) line")
            }
            let name = string(nameStart, i)
            if i < stop { i += 1 }  // one separating blank; the rest belongs to the text
            switch keyword {
            case "HELP": try declareHelp(name, i, stop)
            case "TYPE": try declareType(name, i, stop)
            default: declareUnit(name, i, stop)
            }
            return false
        case "EOF":
            return isBlank(i, stop)
        default:
            return false  // an ordinary comment
        }
    }

    mutating func family(named name: String) -> Int {
        if let index = familyIndex[name] { return index }
        let index = families.count
        families.append(MetricFamily(name: name, type: .untyped))
        familyIndex[name] = index
        return index
    }

    /// The family a HELP, TYPE or UNIT line speaks of. In OpenMetrics a name may come back
    /// after its samples as another family: client_golang writes a gauge `x` and a counter
    /// `x_total` both as family `x`. Such a declaration starts a new family of that name.
    mutating func declaredFamily(named name: String) -> Int {
        declarationGeneration &+= 1
        if openMetrics, let index = familyIndex[name], !families[index].samples.isEmpty {
            let fresh = families.count
            families.append(MetricFamily(name: name, type: .untyped))
            familyIndex[name] = fresh
            return fresh
        }
        return family(named: name)
    }

    mutating func declareHelp(_ name: String, _ start: Int, _ stop: Int) throws(ExpositionParseError) {
        let index = declaredFamily(named: name)
        current = index
        guard !helped.contains(index) else { return }
        helped.insert(index)
        families[index].help = try unescapeHelp(start, stop)
    }

    mutating func declareType(_ name: String, _ start: Int, _ stop: Int) throws(ExpositionParseError) {
        var i = start
        skipBlanks(&i, stop)
        var end = stop
        while end > i, base[end - 1] == space || base[end - 1] == tab { end -= 1 }
        let word = string(i, end)
        guard let type = MetricType(rawValue: word.lowercased()) else {
            throw fail("unknown metric type \"\(Sanitized.quote(word))\" for \(name)")
        }
        let index = declaredFamily(named: name)
        if typed.contains(index) { throw fail("second # TYPE line for \(name)") }
        if !families[index].samples.isEmpty { throw fail("# TYPE line for \(name) after its samples") }
        typed.insert(index)
        families[index].type = type
        current = index
    }

    mutating func declareUnit(_ name: String, _ start: Int, _ stop: Int) {
        let index = declaredFamily(named: name)
        var end = stop
        while end > start, base[end - 1] == space || base[end - 1] == tab { end -= 1 }
        families[index].unit = string(start, end)
        current = index
    }

    func unescapeHelp(_ start: Int, _ stop: Int) throws(ExpositionParseError) -> String {
        var hasEscape = false
        var hasHighBytes = false
        for i in start..<stop {
            if base[i] == backslash { hasEscape = true }
            if base[i] >= 0x80 { hasHighBytes = true }
        }
        if hasHighBytes {
            guard String(validating: UnsafeBufferPointer(start: base + start, count: stop - start), as: UTF8.self) != nil else {
                throw fail("HELP text is not valid UTF-8")
            }
        }
        if !hasEscape { return string(start, stop) }
        var out: [UInt8] = []
        out.reserveCapacity(stop - start)
        var i = start
        while i < stop {
            let b = base[i]
            if b == backslash, i + 1 < stop {
                switch base[i + 1] {
                case backslash: out.append(backslash)
                case UInt8(ascii: "n"): out.append(newline)
                case quote: out.append(quote)
                default:
                    out.append(b)
                    out.append(base[i + 1])  // kept as written
                }
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Samples

    mutating func parseSample(_ start: Int, _ stop: Int) throws(ExpositionParseError) {
        var i = start
        guard isNameStart(base[i]) else {
            throw fail("expected a metric name, found \(describe(base[i]))")
        }
        while i < stop, isNameChar(base[i]) { i += 1 }
        let nameCount = i - start
        let name: String
        if let last = lastName, last.count == nameCount, bytesEqual(last.start, start, nameCount) {
            name = last.string
        } else {
            name = string(start, i)
            nameGeneration &+= 1
        }
        lastName = (start, nameCount, name)

        let afterName = i
        skipBlanks(&i, stop)
        var labels: [Label] = []
        if i < stop, base[i] == openBrace {
            labels = try parseLabels(&i, stop, metric: name)
            skipBlanks(&i, stop)
        } else if i == afterName, i < stop {
            throw fail("\(name): invalid character \(describe(base[i])) in metric name")
        }
        guard i < stop else { throw fail("\(name): missing value") }
        let tokenStart = i
        while i < stop, base[i] != space, base[i] != tab { i += 1 }
        guard let value = ExpositionNumber.parse(bytes: UnsafeBufferPointer(start: base + tokenStart, count: i - tokenStart)) else {
            throw fail("\(name): invalid value \"\(Sanitized.quote(string(tokenStart, min(i, tokenStart + 40))))\"")
        }
        var timestampMs: Int64?
        skipBlanks(&i, stop)
        if i < stop, base[i] != hash {
            let tsStart = i
            while i < stop, base[i] != space, base[i] != tab { i += 1 }
            timestampMs = try parseTimestamp(tsStart, i, metric: name)
            skipBlanks(&i, stop)
        }
        if i < stop {
            // OpenMetrics exemplar: `# {labels} value [timestamp]`; read for validity, not kept.
            guard base[i] == hash else { throw fail("\(name): unexpected text after the value") }
            i += 1
            skipBlanks(&i, stop)
            guard i < stop, base[i] == openBrace else { throw fail("\(name): malformed exemplar") }
            _ = try parseLabels(&i, stop, metric: name)
        }
        try append(Sample(name: name, labels: labels, value: value, timestampMs: timestampMs))
    }

    func parseTimestamp(_ start: Int, _ stop: Int, metric: String) throws(ExpositionParseError) -> Int64 {
        let bytes = UnsafeBufferPointer(start: base + start, count: stop - start)
        if openMetrics {
            guard let seconds = ExpositionNumber.parse(bytes: bytes), seconds.isFinite, abs(seconds) < 9e15 else {
                throw fail("\(metric): invalid timestamp")
            }
            return Int64((seconds * 1000).rounded())
        }
        var value: Int64 = 0
        var negative = false
        var i = 0
        if bytes.count > 0, bytes[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard i < bytes.count, bytes.count - i <= 18 else { throw fail("\(metric): invalid timestamp") }
        while i < bytes.count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { throw fail("\(metric): invalid timestamp") }
            value = value * 10 + Int64(digit)
            i += 1
        }
        return negative ? -value : value
    }

    mutating func parseLabels(_ i: inout Int, _ stop: Int, metric: String) throws(ExpositionParseError) -> [Label] {
        i += 1  // '{'
        var labels: [Label] = []
        labels.reserveCapacity(lastLabelCount)  // one allocation, not one per growth
        while true {
            skipBlanks(&i, stop)
            guard i < stop else { throw fail("\(metric): unterminated label set") }
            if base[i] == closeBrace {
                i += 1
                break
            }
            let nameStart = i
            guard isLabelNameStart(base[i]) else {
                throw fail("\(metric): invalid label name starting with \(describe(base[i]))")
            }
            while i < stop, isLabelNameChar(base[i]) { i += 1 }
            let nameCount = i - nameStart
            let labelName = interned.string(base, nameStart, nameCount)
            skipBlanks(&i, stop)
            guard i < stop, base[i] == equals else {
                throw fail("\(metric): expected '=' after label name \(labelName)")
            }
            i += 1
            skipBlanks(&i, stop)
            guard i < stop, base[i] == quote else {
                throw fail("\(metric): label \(labelName) has no quoted value")
            }
            i += 1
            let value = try parseLabelValue(&i, stop, metric: metric, label: labelName)
            for existing in labels where existing.name == labelName {
                throw fail("\(metric): duplicate label \(existing.name)")
            }
            labels.append(Label(labelName, value))
            skipBlanks(&i, stop)
            guard i < stop else { throw fail("\(metric): unterminated label set") }
            if base[i] == comma {
                i += 1
            } else if base[i] != closeBrace {
                throw fail("\(metric): expected ',' or '}' after label \(labelName), found \(describe(base[i]))")
            }
        }
        lastLabelCount = max(labels.count, 1)
        return labels
    }

    mutating func parseLabelValue(_ i: inout Int, _ stop: Int, metric: String, label: String) throws(ExpositionParseError) -> String {
        let start = i
        var hasEscape = false
        var hasHighBytes = false
        while i < stop, base[i] != quote {
            if base[i] == backslash {
                hasEscape = true
                i += 1
                guard i < stop else { break }
                let escaped = base[i]
                guard escaped == backslash || escaped == quote || escaped == UInt8(ascii: "n") else {
                    throw fail("\(metric): invalid escape sequence \\\(Sanitized.quote(String(decoding: [escaped], as: UTF8.self))) in label \(label)")
                }
            } else if base[i] >= 0x80 {
                hasHighBytes = true
            }
            i += 1
        }
        guard i < stop else { throw fail("\(metric): unterminated value of label \(label)") }
        let end = i
        i += 1  // closing quote
        let raw = UnsafeBufferPointer(start: base + start, count: end - start)
        if hasHighBytes, String(validating: raw, as: UTF8.self) == nil {
            throw fail("\(metric): label \(label) is not valid UTF-8")
        }
        if !hasEscape { return hasHighBytes ? String(decoding: raw, as: UTF8.self) : interned.string(base, start, end - start) }
        valueScratch.removeAll(keepingCapacity: true)
        var j = start
        while j < end {
            if base[j] == backslash {
                let next = base[j + 1]
                valueScratch.append(next == UInt8(ascii: "n") ? newline : next)
                j += 2
            } else {
                valueScratch.append(base[j])
                j += 1
            }
        }
        return String(decoding: valueScratch, as: UTF8.self)
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
