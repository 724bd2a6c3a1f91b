import Foundation
import TeleportCore

/// The backend's signatures: write availability and latency against its baseline.
enum BackendSignatures {
    /// §7 "backend availability": failed writes minus precondition failures (expected
    /// compare-and-swap misses), over writes, in the recent window. Thresholds (ours): at
    /// least 10 writes, 1% failing is a warning, 10% critical.
    static func writeFailures(_ input: SignatureInput) -> Finding? {
        let writes = input.recentIncrease("backend_write_requests_total")
        let failed = input.recentIncrease("backend_write_requests_failed_total")
        let precondition = input.recentIncrease("backend_write_requests_failed_precondition_total")
        let real = max(0, failed - precondition)
        guard writes >= 10, real > 0 else { return nil }
        let share = real / writes
        guard share >= 0.01 else { return nil }
        let severity: FindingSeverity = share >= 0.1 ? .critical : .warning
        let since = input.firstRecentIncrease(input.series("backend_write_requests_failed_total"))
        return input.finding(
            "backend-write-failures", severity, "backend writes failing: \(FindingFigure.percent(share)) of writes in the last \(Int(input.windows.recent)) s",
            family: "backend_write_requests_failed_total", since: since, value: share,
            evidence: "\(FindingFigure.number(failed)) failed - \(FindingFigure.number(precondition)) precondition / \(FindingFigure.number(writes)) writes",
            score: share * 100)
    }

    /// The backend latency histograms (§7 "backend latency", with or without `teleport_`).
    static let latencyFamilies: Set<String> = {
        var names = Set<String>()
        for op in ["read", "write", "batch_read", "batch_write"] { names.formUnion(SignatureInput.spellings("backend_\(op)_seconds")) }
        return names
    }()

    /// §7 "backend latency": no documented threshold, so against its own baseline: the
    /// quantile change the ranking found, 3× and 10 ms at least (a warning), 10× and 100 ms
    /// (critical). Needs a baseline.
    static func latency(_ input: SignatureInput) -> [Finding] {
        input.latencyRises(in: latencyFamilies, atLeast: 0.01, critical: 0.1).map { rise in
            let op = rise.family.replacingOccurrences(of: "teleport_", with: "").replacingOccurrences(of: "backend_", with: "")
                .replacingOccurrences(of: "_seconds", with: "").replacingOccurrences(of: "_", with: " ")
            let component = rise.change.labels.isEmpty ? "" : " (" + rise.change.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")"
            return input.finding(
                "backend-latency", rise.severity, "backend \(op) latency\(component) " + rise.sentence, family: rise.family, labels: rise.change.labels,
                since: rise.change.since, value: rise.value, baseline: rise.baseline, evidence: rise.change.evidence, score: rise.change.score)
        }
    }
}
