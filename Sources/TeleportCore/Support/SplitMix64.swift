/// A small deterministic random generator (SplitMix64).
public struct SplitMix64: Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// A uniform value in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A latency in seconds: mostly 1-50 ms, now and then up to a few seconds.
    public mutating func latency() -> Double {
        let u = unit()
        if u < 0.97 { return 0.001 + unit() * 0.049 }
        return 0.05 + unit() * 3
    }
}
