import Foundation
import TeleportCore

/// The Logs screen's lines: the newest `maxLines` lines and at most `maxBytes`, whichever
/// bound comes first, each with a sequence number that stays with it (so a scrolled view
/// keeps its place as lines arrive and old ones leave); lines per second by level for the
/// header's sparkline.
public struct LogBuffer: Sendable {
    public let maxLines: Int
    public let maxBytes: Int
    /// A ring of at most `maxLines` slots: the oldest line is at `head`, `held` lines follow
    /// it (wrapping); a slot left by a line evicted for bytes holds an empty line until reused.
    private var storage: [LogLine] = []
    private var head = 0
    private var held = 0
    /// The sequence number of the oldest line held.
    public private(set) var firstSequence = 0
    public private(set) var bytes = 0
    /// Lines that left the buffer to make room.
    public private(set) var evicted = 0
    /// Lines received per second by level rank (0 TRACE ... 4 ERROR), the newest last.
    public private(set) var perSecond: [[Int]] = []
    private var lastSecond: Int?
    /// Lines that were neither JSON nor Teleport's text form (kept raw).
    public private(set) var rawLines = 0
    /// Component names seen, for the `c` filter's help.
    public private(set) var components: Set<String> = []

    public init(maxLines: Int = 50_000, maxBytes: Int = 64 << 20) {
        self.maxLines = max(1, maxLines)
        self.maxBytes = max(1 << 10, maxBytes)
    }

    public var count: Int { held }
    public var isEmpty: Bool { count == 0 }
    /// The sequence number the next line gets.
    public var nextSequence: Int { firstSequence + count }

    /// The line with sequence number `sequence`, if held.
    public subscript(sequence sequence: Int) -> LogLine? {
        let index = sequence - firstSequence
        return index >= 0 && index < count ? storage[slot(index)] : nil
    }

    /// The storage slot of the line `index` places after the oldest.
    private func slot(_ index: Int) -> Int {
        let position = head + index
        return position < storage.count ? position : position - storage.count
    }

    /// Drops the oldest line (its slot is reused; its strings are freed now).
    private mutating func evictOldest() {
        bytes -= storage[head].approximateBytes
        storage[head] = Self.vacant
        head = head + 1 == storage.count ? 0 : head + 1
        held -= 1
        firstSequence += 1
        evicted += 1
    }

    /// Slots allocated (never more than `maxLines`).
    var slots: Int { storage.count }

    private static let vacant = LogLine(time: nil, level: nil, message: "")

    /// Adds lines received at `now`.
    public mutating func append(_ lines: [LogLine], now: Date) {
        let second = Int(now.timeIntervalSince1970)
        if let lastSecond, second > lastSecond {
            for _ in 0..<min(60, second - lastSecond) { perSecond.append(Array(repeating: 0, count: 5)) }
        } else if lastSecond == nil {
            perSecond.append(Array(repeating: 0, count: 5))
        }
        if perSecond.count > 60 { perSecond.removeFirst(perSecond.count - 60) }
        lastSecond = max(lastSecond ?? second, second)
        for line in lines {
            if held == maxLines { evictOldest() }
            if head + held == storage.count && storage.count < maxLines {
                storage.append(line)
            } else {
                storage[slot(held)] = line
            }
            held += 1
            bytes += line.approximateBytes
            perSecond[perSecond.count - 1][min(4, max(0, line.rank))] += 1
            if line.isRaw { rawLines += 1 }
            if let component = line.component, components.count < 500 { components.insert(component) }
            while bytes > maxBytes && held > 1 { evictOldest() }
        }
    }

    /// Sequence numbers of the lines that pass `filter`, newest first, from `upTo`
    /// (inclusive) down, at most `limit`.
    public func matching(_ filter: LogFilter, upTo: Int? = nil, limit: Int) -> [Int] {
        var found: [Int] = []
        var sequence = min(upTo ?? nextSequence - 1, nextSequence - 1)
        while sequence >= firstSequence && found.count < limit {
            if filter.passes(storage[slot(sequence - firstSequence)]) { found.append(sequence) }
            sequence -= 1
        }
        return found
    }

    /// Sequence numbers of every line that passes, oldest first (for writing them out).
    public func all(_ filter: LogFilter) -> [LogLine] {
        (0..<held).map { storage[slot($0)] }.filter(filter.passes)
    }
}

/// What the Logs screen shows: a minimum level, a component, a regular expression over the
/// message and attributes.
public struct LogFilter: Sendable {
    public var minimumRank = 0
    public var component = ""
    public var pattern = ""
    private var regex: NSRegularExpression?
    private var inverted = false

    public init(minimumRank: Int = 0, component: String = "", pattern: String = "") {
        self.minimumRank = minimumRank
        self.component = component
        self.pattern = pattern
        if !pattern.isEmpty {
            inverted = pattern.hasPrefix("!")
            let body = inverted ? String(pattern.dropFirst()) : pattern
            regex = body.isEmpty ? nil : try? NSRegularExpression(pattern: body, options: [.caseInsensitive])
        }
    }

    /// Whether the pattern is a regular expression that compiles (or empty).
    public var isValid: Bool { pattern.isEmpty || pattern == "!" || regex != nil }

    public func passes(_ line: LogLine) -> Bool {
        if line.rank < minimumRank && !line.isRaw { return false }
        if !component.isEmpty, !(line.component ?? "").lowercased().contains(component.lowercased()) { return false }
        if let regex {
            let text = line.searchText
            let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            if found == inverted { return false }
        }
        return true
    }
}
