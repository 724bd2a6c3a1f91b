import Foundation

/// How many seconds of raw samples the open instance of a fleet read from Prometheus asks
/// for: its history at first, the live range after, all it missed after a late refresh.
extension PrometheusFleet {
    /// Seconds of raw samples a regular refresh of the open instance asks for: enough that
    /// no scrape falls between two refreshes (three refreshes or two scrapes, past the
    /// engine's lag), in whole seconds so that a replay asks the recorded query.
    static func liveRange(refresh: Double, scrape: Double?, lag: Double?, window: Double) -> Double {
        min(max(window, 60), (max(3 * refresh, 2 * (scrape ?? refresh)) + (lag ?? 0) + 5).rounded(.up))
    }

    /// Seconds of raw samples a refresh asks for when the newest sample held is `since`
    /// seconds old: the live range, or all since then (in tens of seconds, so that a replay
    /// asks the recorded query), at most the window.
    static func catchUpRange(live: Double, since: Double, window: Double) -> Double {
        guard since.isFinite, since >= live else { return live }
        return min(max(window, 60), max(live, ((since + 5) / 10).rounded(.up) * 10))
    }

    /// Seconds of history the first read asks for: the window, or less where the instance's
    /// series at its scrape interval would pass `historyPoints` (at least a minute; tens of
    /// seconds, so that a replay asks the recorded query).
    static func historyRange(series: Double, scrape: Double?, window: Double) -> Double {
        let samplesPerSeries = Double(historyPoints) / max(1, series)
        let fits = samplesPerSeries * max(1, scrape ?? 1)
        return max(60, min(window, (fits / 10).rounded(.down) * 10))
    }
}
