import Foundation
import TeleportCore

/// The gRPC server's signatures.
enum GRPCSignatures {
    /// Codes that mean the call failed (NotFound, AlreadyExists, PermissionDenied,
    /// Unauthenticated, InvalidArgument, FailedPrecondition, OutOfRange and Canceled are
    /// answers a caller expects, not a server in trouble).
    static let failureCodes: Set<String> = [
        "Unknown", "DeadlineExceeded", "ResourceExhausted", "Aborted", "Unimplemented", "Internal", "Unavailable", "DataLoss",
    ]

    /// §6/§7 gRPC: `grpc_server_handled_total{grpc_service, grpc_method, grpc_code}`. The share
    /// of failing calls per method in the recent window. Thresholds (ours): at least 5 failures,
    /// 5% a warning, 50% critical.
    static func errorShare(_ input: SignatureInput) -> [Finding] {
        var totals: [String: (service: String, method: String, calls: Double, failed: Double, series: [HistorySlots.Series])] = [:]
        for series in input.series("grpc_server_handled_total") {
            let service = series.key.labels[label: "grpc_service"] ?? ""
            let method = series.key.labels[label: "grpc_method"] ?? ""
            let increase = input.recentIncrease(series)
            let key = service + "/" + method
            var entry = totals[key] ?? (service, method, 0, 0, [])
            entry.calls += increase
            if failureCodes.contains(series.key.labels[label: "grpc_code"] ?? "") {
                entry.failed += increase
                entry.series.append(series)
            }
            totals[key] = entry
        }
        return totals.values.compactMap { entry in
            guard entry.failed >= 5, entry.calls > 0 else { return nil }
            let share = entry.failed / entry.calls
            guard share >= 0.05 else { return nil }
            return input.finding(
                "grpc-errors", share >= 0.5 ? .critical : .warning,
                "gRPC \(entry.service)/\(entry.method) failing: \(FindingFigure.percent(share)) of calls in the last \(Int(input.windows.recent)) s",
                family: "grpc_server_handled_total", labels: [Label("grpc_service", entry.service), Label("grpc_method", entry.method)],
                since: input.firstRecentIncrease(entry.series), value: share,
                evidence:
                    "\(FindingFigure.number(entry.failed)) of \(FindingFigure.number(entry.calls)) calls ended \(Set(entry.series.compactMap { $0.key.labels[label: "grpc_code"] }).sorted().joined(separator: ", "))",
                score: share * 100)
        }
    }

    /// §6 `grpc_server_handling_seconds` (opt-in in Teleport) per method against its own
    /// baseline: no documented threshold, so as the backend's but coarser, since an RPC does
    /// more than one backend call: 3× and 50 ms a warning, 10× and 500 ms critical. A
    /// streaming method's "latency" is its stream's life and is not judged.
    static func latency(_ input: SignatureInput) -> [Finding] {
        input.latencyRises(in: SignatureInput.spellings("grpc_server_handling_seconds"), atLeast: 0.05, critical: 0.5).compactMap { rise in
            let labels = rise.change.labels
            guard (labels[label: "grpc_type"] ?? "unary") == "unary" else { return nil }
            let method = (labels[label: "grpc_service"] ?? "") + "/" + (labels[label: "grpc_method"] ?? "")
            return input.finding(
                "grpc-latency", rise.severity, "gRPC \(method) latency " + rise.sentence, family: rise.family, labels: labels,
                since: rise.change.since, value: rise.value, baseline: rise.baseline, evidence: rise.change.evidence, score: rise.change.score)
        }
    }
}
