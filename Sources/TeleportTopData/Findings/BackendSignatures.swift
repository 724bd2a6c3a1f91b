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
        guard input.hasBaseline else { return [] }
        return input.changes.compactMap { change in
            guard change.check == "changed-quantile", let family = change.family, latencyFamilies.contains(family),
                let value = change.value, let baseline = change.baseline, baseline > 0
            else { return nil }
            let ratio = value / baseline
            guard ratio >= 3, value >= 0.01 else { return nil }
            let severity: FindingSeverity = ratio >= 10 && value >= 0.1 ? .critical : .warning
            let op = family.replacingOccurrences(of: "teleport_", with: "").replacingOccurrences(of: "backend_", with: "")
                .replacingOccurrences(of: "_seconds", with: "").replacingOccurrences(of: "_", with: " ")
            let component = change.labels.isEmpty ? "" : " (" + change.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")"
            var title =
                "backend \(op) latency\(component) \(FindingFigure.text(value, unit: .seconds)), \(FindingFigure.ratio(ratio)) its baseline of \(FindingFigure.text(baseline, unit: .seconds))"
            if let since = change.since { title += ", since \(FindingFigure.clock(since))" }
            return input.finding(
                "backend-latency", severity, title, family: family, labels: change.labels, since: change.since, value: value, baseline: baseline,
                evidence: change.evidence, score: change.score)
        }
    }
}
