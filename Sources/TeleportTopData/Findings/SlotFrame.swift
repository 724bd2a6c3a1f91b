import Dispatch
import Foundation

/// The scrapes a `HistorySlots` reads and the slot each falls in; slots series' points, on
/// every core for a large target (each series is independent: its points decoded into a
/// scratch buffer of the worker's, summed per slot, written to its own part of the output).
struct SlotFrame: Sendable {
    let history: MetricHistory
    /// Global indices of the first and last scrape read.
    let from: Int
    let last: Int
    /// Slots per series.
    let slots: Int
    /// The slot of each scrape `from...last` (-1: none).
    let slotOf: [Int]
    let times: [Double]
    let gaps: [Bool]

    init(history: MetricHistory, from: Int, last: Int, slots: Int, slotOf: [Int]) {
        self.history = history
        self.from = from
        self.last = last
        self.slots = slots
        self.slotOf = slotOf
        times = (from...last).map { history.time(at: $0) }
        gaps = (from...last).map { history.gap(at: $0) }
    }

    /// Series a worker takes at least (fewer, and one thread does it all).
    static let seriesPerWorker = 2_000

    /// Workers for `count` series: one per core, each with `seriesPerWorker` at least
    /// (`forced`, when given, decides alone: tests compare splits).
    static func workers(for count: Int, forced: Int? = nil) -> Int {
        if let forced { return max(1, min(forced, max(1, count))) }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / seriesPerWorker))
    }

    /// Calls `body` with `count` items cut into `workers` runs, the runs at once on as many
    /// threads (each run a range of its own; none empty).
    static func inRuns(_ count: Int, workers: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let share = (count + workers - 1) / max(1, workers)
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { worker in
            let range = min(count, worker * share)..<min(count, (worker + 1) * share)
            if !range.isEmpty { body(range) }
        }
    }

    /// Per job (a history series id), `slots` values (counters: rates; others: means; NaN:
    /// no point) and increases (counters' valid increases; 0 for others), flat in job order.
    func slot(_ jobs: [Int], counters: [Bool], workers forced: Int? = nil) -> (values: [Double], increases: [Double]) {
        let total = jobs.count * slots
        guard total > 0 else { return ([], []) }
        let workers = Self.workers(for: jobs.count, forced: forced)
        var increases: [Double] = []
        let values = [Double](unsafeUninitializedCapacity: total) { valuesOut, valuesCount in
            increases = [Double](unsafeUninitializedCapacity: total) { increasesOut, increasesCount in
                // Each worker writes only its own jobs' slots: disjoint parts of both buffers.
                nonisolated(unsafe) let values = valuesOut
                nonisolated(unsafe) let increases = increasesOut
                Self.inRuns(jobs.count, workers: workers) { range in
                    slot(jobs: jobs, counters: counters, range: range, values: values, increases: increases)
                }
                increasesCount = total
            }
            valuesCount = total
        }
        return (values, increases)
    }

    /// Slots the jobs of `range` into their parts of `values` and `increases`.
    private func slot(
        jobs: [Int], counters: [Bool], range: Range<Int>, values: UnsafeMutableBufferPointer<Double>, increases: UnsafeMutableBufferPointer<Double>
    ) {
        guard !range.isEmpty else { return }
        let n = slots
        let count = slotOf.count
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        defer { scratch.deallocate() }
        history.series.withUnsafeBufferPointer { records in
            slotOf.withUnsafeBufferPointer { slotOf in
                times.withUnsafeBufferPointer { times in
                    gaps.withUnsafeBufferPointer { gaps in
                        for job in range {
                            let id = jobs[job]
                            if records[id].sameSince <= from {
                                // Unchanged over the window (most of a Teleport's series): no decoding.
                                scratch.update(repeating: records[id].last)
                            } else {
                                history.decode(id, from: from, through: last, into: scratch)
                            }
                            let sums = UnsafeMutableBufferPointer(rebasing: increases[job * n..<(job + 1) * n])
                            let weights = UnsafeMutableBufferPointer(rebasing: values[job * n..<(job + 1) * n])
                            sums.update(repeating: 0)
                            weights.update(repeating: 0)
                            let isCounter = counters[job]
                            Self.accumulate(
                                values: UnsafeBufferPointer(scratch), slotOf: slotOf, times: times, gaps: gaps, isCounter: isCounter, sums: sums,
                                weights: weights)
                            // values = sums / weights; increases keep a counter's sums (0 for others).
                            for k in 0..<n {
                                let w = weights[k]
                                weights[k] = w > 0 ? sums[k] / w : .nan
                                if !isCounter { sums[k] = 0 }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sums a series' points into their slots: a counter's valid increases (no gap, no
    /// reset, both points present) with the seconds they span; anything else's values with
    /// their count. `values[j]` was taken at `times[j]` and falls in slot `slotOf[j]` (-1: none).
    @inline(__always)
    private static func accumulate(
        values: UnsafeBufferPointer<Double>, slotOf: UnsafeBufferPointer<Int>, times: UnsafeBufferPointer<Double>, gaps: UnsafeBufferPointer<Bool>,
        isCounter: Bool, sums: UnsafeMutableBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>
    ) {
        let count = slotOf.count
        if isCounter {
            var j = 1
            while j < count {
                let slot = slotOf[j]
                let v = values[j]
                let p = values[j - 1]
                if slot >= 0, !gaps[j], v >= p {  // false when either is NaN
                    sums[slot] += v - p
                    weights[slot] += times[j] - times[j - 1]
                }
                j += 1
            }
        } else {
            for j in 0..<count {
                let slot = slotOf[j]
                let v = values[j]
                if slot >= 0, !v.isNaN {
                    sums[slot] += v
                    weights[slot] += 1
                }
            }
        }
    }
}
