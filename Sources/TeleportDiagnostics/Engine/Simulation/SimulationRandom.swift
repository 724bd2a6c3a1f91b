import Foundation
import TeleportCore

/// The distributions the simulation draws from, on top of `SplitMix64`'s uniform values.
extension SplitMix64 {
    /// A uniform value in (0, 1]: safe to take the logarithm of.
    mutating func openUnit() -> Double { Double((next() >> 11) + 1) / Double(1 << 53) }

    /// A standard normal value (Box-Muller).
    mutating func normal() -> Double {
        let radius = (-2 * log(openUnit())).squareRoot()
        return radius * cos(2 * Double.pi * unit())
    }

    /// The number of events in an interval where `mean` are expected (Poisson): exact for
    /// small means, the normal approximation for large ones.
    mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0, mean.isFinite else { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var product = unit()
            var count = 0
            while product > limit && count < 1_000 {
                product *= unit()
                count += 1
            }
            return count
        }
        return max(0, Int((mean + mean.squareRoot() * normal()).rounded()))
    }

    /// A latency in seconds around `median`: log-normal for the body (with the usual median
    /// of a few milliseconds, mostly 1-50 ms), 0.6% in a long tail up to 30 s, and 1 in
    /// 20,000 beyond 32.768 s, Teleport's last bucket, so `+Inf` fills now and then.
    mutating func latency(median: Double) -> Double {
        let pick = unit()
        if pick < 0.00005 { return 32.768 * (1.02 + 2 * unit()) }
        if pick < 0.006 { return min(30, median * pow(10, 1 + 2.5 * unit())) }
        return median * exp(0.75 * normal())
    }

    /// A size in bytes around `median`: log-normal, at least 16 bytes, and 1 in 1,000 a
    /// hundred times larger (a huge event, a bulk response).
    mutating func bytes(median: Double) -> Double {
        let size = median * exp(normal()) * (unit() < 0.001 ? 100 : 1)
        return max(16, size.rounded())
    }

    /// A duration in seconds around `median` with a wide spread and no tail (sessions,
    /// connections, batch jobs).
    mutating func duration(median: Double) -> Double {
        median * exp(1.1 * normal())
    }
}
