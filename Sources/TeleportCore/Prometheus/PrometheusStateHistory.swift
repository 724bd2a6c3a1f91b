import Foundation

/// An instance's state history read back from range queries of `process_state` and `up`
/// (same start, end and step), folded into the `StateTimeline` direct polling keeps, so its
/// transitions, the start of its current state and its strip come from the same code. A
/// step where `up` is 0 is unreachable; a step with neither series is no observation.
///
/// Engine-neutral on purpose: a range query of a plain selector answers, at each step, the
/// newest sample at or before it on Prometheus and on VictoriaMetrics alike, whereas
/// `changes()` differs (MetricsQL also counts the step from the sample before the window).
public enum PrometheusStateHistory {
    /// The timeline of one instance from its `process_state` and `up` points.
    public static func timeline(state: [PrometheusAnswer.SamplePair], up: [PrometheusAnswer.SamplePair] = []) -> StateTimeline {
        // Keyed by millisecond: both queries share start and step, so their steps coincide.
        func key(_ time: Double) -> Int64 { Int64((time * 1000).rounded()) }
        var observed: [Int64: ObservedState] = [:]
        for point in state {
            if let value = ProcessState(gaugeValue: point.value) { observed[key(point.time)] = ObservedState(value) }
        }
        for point in up where point.value == 0 { observed[key(point.time)] = .unreachable }
        var timeline = StateTimeline(limit: max(2, observed.count + 1))
        for time in observed.keys.sorted() {
            if let state = observed[time] { timeline.observe(state, at: Date(timeIntervalSince1970: Double(time) / 1000)) }
        }
        return timeline
    }

    /// Each instance's timeline (by `instanceLabel`) from the two range answers; an instance
    /// only `up` names (never a `process_state`) is left out unless it was down.
    public static func timelines(state: [PrometheusAnswer.Series], up: [PrometheusAnswer.Series], instanceLabel: String) -> [String: StateTimeline] {
        var states: [String: [PrometheusAnswer.SamplePair]] = [:]
        var ups: [String: [PrometheusAnswer.SamplePair]] = [:]
        for series in state {
            guard let instance = series.metric[instanceLabel] else { continue }
            states[instance, default: []] += series.values ?? []
        }
        for series in up {
            guard let instance = series.metric[instanceLabel] else { continue }
            ups[instance, default: []] += series.values ?? []
        }
        var timelines: [String: StateTimeline] = [:]
        for instance in Set(states.keys).union(ups.keys) {
            let timeline = timeline(state: states[instance] ?? [], up: ups[instance] ?? [])
            if !timeline.transitions.isEmpty { timelines[instance] = timeline }
        }
        return timelines
    }
}
