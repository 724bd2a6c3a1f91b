/// Gorilla's XOR compression of float64 values (as Prometheus's TSDB stores samples),
/// lossless to the bit: the first value of a chunk is written whole; each next one as the
/// XOR with its predecessor: a single 0 bit when equal, else its meaningful bits, reusing
/// the previous leading/trailing-zero window when they fit in it. Values change slowly
/// from scrape to scrape, so most take a bit or a few bytes instead of eight.
///
/// The stream is a list of 64-bit words, appended to bit by bit; chunks start on a word
/// boundary so whole chunks can be dropped from the front.
struct XORWriter: Sendable {
    private(set) var words: [UInt64] = []
    /// Bits used in the last word (64: full, start a new word).
    private var used = 64
    private var previous: UInt64 = 0
    private var leading: Int = 0xFF
    private var trailing: Int = 0
    /// Values in the current chunk.
    private(set) var count = 0

    /// Starts a chunk at a new word (its first value is written whole); returns that word's index.
    mutating func startChunk() -> Int {
        used = 64
        count = 0
        leading = 0xFF
        trailing = 0
        return words.count
    }

    mutating func append(_ value: Double) {
        let bits = value.bitPattern
        defer {
            previous = bits
            count += 1
        }
        guard count > 0 else {
            write(bits, width: 64)
            return
        }
        let xor = bits ^ previous
        if xor == 0 {
            write(0, width: 1)
            return
        }
        let lead = min(xor.leadingZeroBitCount, 31)
        let trail = xor.trailingZeroBitCount
        if leading != 0xFF, lead >= leading, trail >= trailing {
            // Inside the previous window: '10' then the window's bits.
            write(0b10, width: 2)
            write(xor >> UInt64(trailing), width: 64 - leading - trailing)
        } else {
            // A new window: '11', 5 bits of leading zeros, 6 bits of length (64 as 0), the bits.
            let length = 64 - lead - trail
            write(0b11, width: 2)
            write(UInt64(lead), width: 5)
            write(UInt64(length & 63), width: 6)
            write(xor >> UInt64(trail), width: length)
            leading = lead
            trailing = trail
        }
    }

    /// Appends the low `width` bits of `value` (width 1...64).
    private mutating func write(_ value: UInt64, width: Int) {
        var remaining = width
        let masked = width == 64 ? value : value & ((1 << UInt64(width)) - 1)
        while remaining > 0 {
            if used == 64 {
                words.append(0)
                used = 0
            }
            let room = 64 - used
            let take = min(room, remaining)
            // The next `take` bits of the value, most significant first.
            let chunk = (masked >> UInt64(remaining - take)) & (take == 64 ? ~0 : (1 << UInt64(take)) - 1)
            words[words.count - 1] |= chunk << UInt64(room - take)
            used += take
            remaining -= take
        }
    }

    /// Drops the first `count` words (whole chunks that fell out of the history).
    mutating func dropWords(_ count: Int) {
        words.removeFirst(min(count, words.count))
        if words.isEmpty { used = 64 }
    }

    /// Bytes held.
    var bytes: Int { words.capacity * 8 }
}

/// Reads values back from an `XORWriter`'s words, one chunk at a time.
struct XORReader {
    private let words: UnsafeBufferPointer<UInt64>
    private var word: Int
    private var bit = 0
    private var previous: UInt64 = 0
    private var leading = 0
    private var trailing = 0
    private var started = false

    /// A reader of the chunk that starts at word `start` (`words` must outlive it).
    init(words: UnsafeBufferPointer<UInt64>, start: Int) {
        self.words = words
        self.word = start
    }

    mutating func next() -> Double {
        guard started else {
            started = true
            previous = read(64)
            return Double(bitPattern: previous)
        }
        if read(1) == 0 { return Double(bitPattern: previous) }
        if read(1) == 1 {
            leading = Int(read(5))
            var length = Int(read(6))
            if length == 0 { length = 64 }
            trailing = 64 - leading - length
        }
        let meaningful = 64 - leading - trailing
        previous ^= read(meaningful) << UInt64(trailing)
        return Double(bitPattern: previous)
    }

    /// The next `width` bits (0...64), most significant first: from one word, or the end of
    /// one and the start of the next.
    @inline(__always)
    private mutating func read(_ width: Int) -> UInt64 {
        guard width > 0 else { return 0 }
        let room = 64 - bit
        if width <= room {
            let shifted = words[word] &>> UInt64(room - width)
            bit += width
            if bit == 64 {
                bit = 0
                word += 1
            }
            return width == 64 ? shifted : shifted & ((1 &<< UInt64(width)) &- 1)
        }
        // Here room < width <= 64, so room < 64 and the rest is 1...63 bits of the next word.
        let high = words[word] & ((1 &<< UInt64(room)) &- 1)
        let rest = width - room
        word += 1
        bit = rest
        return (high &<< UInt64(rest)) | (words[word] &>> UInt64(64 - rest))
    }
}
