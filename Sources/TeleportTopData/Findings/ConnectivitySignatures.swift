import Foundation
import TeleportCore

/// Tunnels, connected resources, limits, audit and health gauges.
enum ConnectivitySignatures {
    /// §7 "connectivity": proxy_missing_ssh_tunnels above 0 is trouble. Sustained: the
    /// median of the recent slots at least 1 (a gauge that touches 1 for one scrape is not).
    static func missingTunnels(_ input: SignatureInput) -> Finding? {
        let series = input.series("proxy_missing_ssh_tunnels")
        let missing = series.compactMap { RobustStats.median(Array($0.values[input.slots.recentRange])) }.reduce(0, +)
        guard missing >= 1 else { return nil }
        return input.finding(
            "missing-ssh-tunnels", .warning, "\(FindingFigure.number(missing)) SSH tunnels missing", family: "proxy_missing_ssh_tunnels",
            value: missing, evidence: "proxy_missing_ssh_tunnels, median of the last \(Int(input.windows.recent)) s", score: missing)
    }

    /// §7 "connectivity": teleport_connected_resources / teleport_reverse_tunnels_connected
    /// dropping means agents lost their tunnels. Against the baseline: down by a third or
    /// more (and by 2 or more) is a warning. Needs a baseline.
    static func dropping(_ input: SignatureInput) -> [Finding] {
        guard input.hasBaseline else { return [] }
        let families = SignatureInput.spellings("teleport_connected_resources").union(SignatureInput.spellings("teleport_reverse_tunnels_connected"))
        return input.slots.series(named: families).compactMap { series in
            guard families.contains(series.family),
                let score = ChangeScore.score(series.values, baselineSlots: input.windows.baselineSlots, floor: 1),
                score.baseline - score.recent >= 2, score.recent <= score.baseline * 2 / 3
            else { return nil }
            let since = score.sinceSlot.map(input.slots.slotStart)
            return input.finding(
                "connections-dropping", .warning,
                "\(series.key.description) dropped to \(FindingFigure.number(score.recent)) from \(FindingFigure.number(score.baseline))"
                    + (since.map { ", since \(FindingFigure.clock($0))" } ?? ""),
                family: series.family, labels: series.key.labels, since: since, value: score.recent, baseline: score.baseline,
                evidence: "agents lost their connections or tunnels", score: score.magnitude)
        }
    }

    /// Counters whose increases are trouble (§7 "limits", "audit"): 5 or more in the recent
    /// window (the embedded engine's background of 1-2 throttled requests a minute is not).
    static func troubleCounters(_ input: SignatureInput) -> [Finding] {
        let counters: [(family: String, check: String, severity: FindingSeverity, what: String)] = [
            ("proxy_connection_limit_exceeded_total", "connection-limit", .warning, "connections refused over the limit (default 15000)"),
            ("auth_generate_requests_throttled_total", "cert-throttled", .warning, "certificate generation requests throttled"),
            ("audit_trimmed_events", "audit-trimmed", .warning, "audit events trimmed (too large)"),
        ]
        var out: [Finding] = []
        for (family, check, severity, what) in counters {
            let series = input.series(family)
            let increase = series.reduce(0) { $0 + input.recentIncrease($1) }
            guard increase >= 5 else { continue }
            out.append(
                input.finding(
                    check, severity, "\(FindingFigure.number(increase)) \(what) in the last \(Int(input.windows.recent)) s", family: family,
                    since: input.firstRecentIncrease(series), value: increase, evidence: "\(family) rose by \(FindingFigure.number(increase))",
                    score: increase))
        }
        return out
    }

    /// §7 "audit": failed emits mean lost audit events. Over the emits of the recent window
    /// (teleport_audit_emit_events): at least 3 failures and 1% a warning, 10% critical; a
    /// rare single failure (the embedded engine's background of 0.002/s) says nothing.
    static func auditFailures(_ input: SignatureInput) -> Finding? {
        let series = input.series("audit_failed_emit_events")
        let failed = series.reduce(0) { $0 + input.recentIncrease($1) }
        let emitted = input.recentIncrease("teleport_audit_emit_events")
        guard failed >= 3 else { return nil }
        let share = failed / max(emitted + failed, 1)
        guard share >= 0.01 else { return nil }
        return input.finding(
            "audit-failed-emits", share >= 0.1 ? .critical : .warning,
            "audit events failing to emit: \(FindingFigure.percent(share)) in the last \(Int(input.windows.recent)) s (lost audit events)",
            family: "audit_failed_emit_events", since: input.firstRecentIncrease(series), value: share,
            evidence: "\(FindingFigure.number(failed)) failed, \(FindingFigure.number(emitted)) emitted", score: share * 100)
    }

    /// §7 "audit" and "health of resources": disk use of the audit log (80% a warning, 95%
    /// critical, ours) and unhealthy resources above 0.
    static func gauges(_ input: SignatureInput) -> [Finding] {
        var out: [Finding] = []
        if let used = input.series("audit_percentage_disk_space_used").compactMap(SignatureInput.latest).max(), used >= 80 {
            out.append(
                input.finding(
                    "audit-disk", used >= 95 ? .critical : .warning, "audit log disk \(FindingFigure.number(used))% used",
                    family: "audit_percentage_disk_space_used", value: used, evidence: "audit_percentage_disk_space_used", score: used))
        }
        let unhealthy = input.series("teleport_resources_health_status_unhealthy").compactMap(SignatureInput.latest).reduce(0, +)
        if unhealthy > 0 {
            out.append(
                input.finding(
                    "resources-unhealthy", .warning, "\(FindingFigure.number(unhealthy)) resources unhealthy",
                    family: "teleport_resources_health_status_unhealthy", value: unhealthy,
                    evidence: "teleport_resources_health_status_unhealthy \(FindingFigure.number(unhealthy))", score: unhealthy))
        }
        return out
    }

    /// §7 "connectivity": "the two counts can disagree". Reverse tunnels dropping by a third
    /// (and 2 or more) while connected resources hold within 10% (or the other way round):
    /// agents reconnecting elsewhere, or a count that is stale. Information, not trouble on its own.
    static func tunnelsDisagree(_ input: SignatureInput) -> Finding? {
        guard input.hasBaseline else { return nil }
        func total(_ name: String) -> ChangeScore? {
            let series = input.series(name)
            guard !series.isEmpty else { return nil }
            let sums = (0..<input.windows.slots).map { slot -> Double in
                let values = series.map { slot < $0.values.count ? $0.values[slot] : .nan }.filter { !$0.isNaN }
                return values.isEmpty ? .nan : values.reduce(0, +)
            }
            return ChangeScore.score(sums, baselineSlots: input.windows.baselineSlots, floor: 1)
        }
        guard let tunnels = total("teleport_reverse_tunnels_connected"), let resources = total("teleport_connected_resources") else { return nil }
        func dropped(_ s: ChangeScore) -> Bool { s.baseline - s.recent >= 2 && s.recent <= s.baseline * 2 / 3 }
        func held(_ s: ChangeScore) -> Bool { abs(s.recent - s.baseline) <= max(1, s.baseline * 0.1) }
        let what: String
        if dropped(tunnels), held(resources) {
            what =
                "reverse tunnels dropped to \(FindingFigure.number(tunnels.recent)) from \(FindingFigure.number(tunnels.baseline)) while connected resources held at \(FindingFigure.number(resources.recent))"
        } else if dropped(resources), held(tunnels) {
            what =
                "connected resources dropped to \(FindingFigure.number(resources.recent)) from \(FindingFigure.number(resources.baseline)) while reverse tunnels held at \(FindingFigure.number(tunnels.recent))"
        } else {
            return nil
        }
        return input.finding(
            "tunnels-disagree", .info, what, family: "teleport_reverse_tunnels_connected",
            since: (dropped(tunnels) ? tunnels : resources).sinceSlot.map(input.slots.slotStart),
            value: tunnels.recent, baseline: resources.recent,
            evidence:
                "sums of teleport_reverse_tunnels_connected and teleport_connected_resources, medians of slots; agents reconnecting through another proxy, or a stale count",
            score: 5)
    }
}
