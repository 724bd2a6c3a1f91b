import Foundation
import TeleportCore

/// One evaluation of a store's history: the changes ranked, then Teleport's signatures.
/// Pure: the same history gives the same report (times are the scrapes', never the clock's).
public enum FindingsEvaluator {
    /// Evaluates `history` and `timeline` at the newest scrape. `open` holds the keys of
    /// findings open before (they stay open on the lower thresholds: hysteresis). `baseline`
    /// fixes the span of scrape time changes are measured against (nil: the `windows.baseline`
    /// seconds just before the recent window).
    public static func evaluate(
        history: MetricHistory, timeline: StateTimeline, windows: FindingsWindows = .init(), thresholds: ChangeThresholds = .init(),
        open: Set<String> = [], instance: String? = nil, baseline: DateInterval? = nil
    ) -> FindingsReport {
        let fixed = baseline.flatMap { HistorySlots(history, windows: windows, baseline: $0) }
        guard let slots = fixed ?? HistorySlots(history, windows: windows) else {
            // Fewer than two scrapes held: only what the state timeline says now (a target that
            // never answered, one degraded at its first scrape).
            let findings = [StateSignatures.present(timeline, instance: instance)].compactMap { $0 }
            return FindingsReport(
                time: history.lastTime, coverage: .short(haveSeconds: 0, needSeconds: windows.total), findings: findings, baseline: baseline)
        }
        // A full ranking needs the whole baseline (half a slot of slack); a fixed baseline that
        // leaves no slot before the recent window ranks nothing.
        let hasBaseline =
            baseline == nil ? slots.coveredSeconds + windows.slot / 2 >= windows.total : fixed != nil && slots.holdsBaseline
        let needed = baseline.map { slots.end.timeIntervalSince1970 - $0.start.timeIntervalSince1970 } ?? windows.total
        let changes = hasBaseline ? ChangeRanking.rank(slots, thresholds: thresholds, open: open, instance: instance) : []
        let climb = ProcessSignatures.climbWindows(windows)
        let longSlots =
            slots.coveredSeconds + climb.slot / 2 >= climb.total
            ? HistorySlots(history, windows: climb, include: { ProcessSignatures.climbFamilies.contains($0) }) : nil
        let input = SignatureInput(
            slots: slots, timeline: timeline, changes: changes, hasBaseline: hasBaseline, instance: instance, longSlots: longSlots)
        var findings = changes
        findings += [
            StateSignatures.stateNow(input), StateSignatures.flapping(input), StateSignatures.restarts(input), StateSignatures.heartbeats(input),
            BackendSignatures.writeFailures(input), CacheSignatures.staleShare(input), CacheSignatures.health(input),
            ProcessSignatures.openFDs(input), ConnectivitySignatures.missingTunnels(input), ConnectivitySignatures.auditFailures(input),
            ConnectivitySignatures.tunnelsDisagree(input),
        ].compactMap { $0 }
        findings += BackendSignatures.latency(input)
        findings += GRPCSignatures.errorShare(input)
        findings += GRPCSignatures.latency(input)
        findings += CacheSignatures.resets(input)
        findings += ProcessSignatures.climbing(input)
        findings += ConnectivitySignatures.dropping(input)
        findings += ConnectivitySignatures.troubleCounters(input)
        findings += ConnectivitySignatures.gauges(input)
        let coverage: FindingsReport.Coverage = hasBaseline ? .full : .short(haveSeconds: slots.coveredSeconds, needSeconds: needed)
        return FindingsReport(time: slots.end, coverage: coverage, findings: findings, baseline: baseline)
    }
}
