import Foundation
import TeleportCore

/// The process's resources: file descriptors and steady climbs (leaks).
enum ProcessSignatures {
    /// §7 "limits": process_open_fds against process_max_fds (65536 recommended). Thresholds
    /// (ours): 80% a warning, 95% critical.
    static func openFDs(_ input: SignatureInput) -> Finding? {
        guard let open = input.series("process_open_fds").first.flatMap(SignatureInput.latest),
            let max = input.series("process_max_fds").first.flatMap(SignatureInput.latest), max > 0
        else { return nil }
        let share = open / max
        guard share >= 0.8 else { return nil }
        return input.finding(
            "open-fds", share >= 0.95 ? .critical : .warning,
            "open file descriptors at \(FindingFigure.percent(share)) of the limit (\(FindingFigure.number(open)) of \(FindingFigure.number(max)))",
            family: "process_open_fds", value: open, baseline: max, evidence: "process_open_fds / process_max_fds", score: share * 100)
    }

    /// The families a climb is looked for in.
    static let climbFamilies: Set<String> = ["go_goroutines", "process_resident_memory_bytes", "backend_watcher_queues_total"]

    /// §7 "leaks": go_goroutines or process_resident_memory_bytes climbing steadily (one proxy
    /// reached 65k goroutines; agents OOM). Steady: over twice the baseline and recent windows
    /// (10 min by default, in slots of 3 × the slot, 30 s by default, so a swing of a few minutes is not a climb), at least
    /// 80% of the steps between slots go up and the rise is at least 25% and above the floor
    /// (200 goroutines, 64 MiB).
    static func climbing(_ input: SignatureInput) -> [Finding] {
        guard let long = input.longSlots else { return [] }
        let checks: [(family: String, floor: Double, check: String, what: String)] = [
            ("go_goroutines", 200, "goroutines-climbing", "goroutines"),
            ("process_resident_memory_bytes", 64 * 1_048_576, "memory-climbing", "resident memory"),
            // Teleport's backend reporter: "Watcher queue sizes" per component; a queue that
            // keeps growing ends in "watcher is closed: buffer overflow" and a cache reset.
            ("backend_watcher_queues_total", 100, "watcher-queues-growing", "backend watcher queues"),
        ]
        var out: [Finding] = []
        for (family, floor, check, what) in checks {
            guard let values = summed(long, family) else { continue }
            let points = values.filter { !$0.isNaN }
            guard points.count * 4 >= values.count * 3, let first = points.first, let last = points.last else { continue }
            let ups = zip(points, points.dropFirst()).filter { $1 > $0 }.count
            let upShare = Double(ups) / Double(max(1, points.count - 1))
            let rise = last - first
            guard upShare >= 0.8, rise >= floor, first > 0, rise / first >= 0.25 else { continue }
            let unit = FindingFigure.unit(of: family)
            out.append(
                input.finding(
                    check, .warning,
                    "\(what) climbing steadily: \(FindingFigure.text(first, unit: unit)) → \(FindingFigure.text(last, unit: unit)) in \(Int(long.windows.total)) s",
                    family: family, since: long.slotStart(0), value: last, baseline: first,
                    evidence: "\(Int((upShare * 100).rounded()))% of \(Int(long.windows.slot)) s slots rose", score: log2(last / first) * 10))
        }
        return out
    }

    /// The slots' values of a family's series summed (a queue per component: the total), NaN
    /// where none had a point; nil when the family is absent.
    static func summed(_ slots: HistorySlots, _ family: String) -> [Double]? {
        let series = slots.series(named: [family])
        guard let first = series.first else { return nil }
        guard series.count > 1 else { return first.values }
        return first.values.indices.map { slot in
            let points = series.map { $0.values[slot] }.filter { !$0.isNaN }
            return points.isEmpty ? .nan : points.reduce(0, +)
        }
    }

    /// The windows a climb is read over: twice the evaluation's, in slots three times as
    /// long (30 s by default).
    static func climbWindows(_ windows: FindingsWindows) -> FindingsWindows {
        FindingsWindows(recent: windows.recent, baseline: 2 * windows.total - windows.recent, slot: 3 * windows.slot)
    }
}
