import Foundation
import TeleportCore

/// One evaluation of a store's history: the changes ranked, then Teleport's signatures.
/// Pure: the same history gives the same report (times are the scrapes', never the clock's).
public enum FindingsEvaluator {
    /// Evaluates `history` and `timeline` at the newest scrape. `open` holds the keys of
    /// findings open before (they stay open on the lower thresholds: hysteresis).
    public static func evaluate(
        history: MetricHistory, timeline: StateTimeline, windows: FindingsWindows = .init(), thresholds: ChangeThresholds = .init(),
        open: Set<String> = [], instance: String? = nil
    ) -> FindingsReport {
        guard let slots = HistorySlots(history, windows: windows) else {
            return FindingsReport(time: history.lastTime, coverage: .short(haveSeconds: 0, needSeconds: windows.total), findings: [])
        }
        // A full ranking needs the whole baseline before the recent window (half a slot of slack).
        let hasBaseline = slots.coveredSeconds + windows.slot / 2 >= windows.total
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
        ].compactMap { $0 }
        findings += BackendSignatures.latency(input)
        findings += GRPCSignatures.errorShare(input)
        findings += ProcessSignatures.climbing(input)
        findings += ConnectivitySignatures.dropping(input)
        findings += ConnectivitySignatures.troubleCounters(input)
        findings += ConnectivitySignatures.gauges(input)
        let coverage: FindingsReport.Coverage = hasBaseline ? .full : .short(haveSeconds: slots.coveredSeconds, needSeconds: windows.total)
        return FindingsReport(time: slots.end, coverage: coverage, findings: findings)
    }
}
