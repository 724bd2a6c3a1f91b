import Foundation
import TeleportCore

/// The readable report of `teleport-top snapshot`: header facts, then every family by
/// dashboard group with its value, rate and quantiles. Every network string is sanitized.
public enum SnapshotText {
    /// `recorded`: the text is a recording's moment `now` (`snapshot --from`), said first.
    public static func render(_ snapshot: MetricsSnapshot, now: Date, recorded: Bool = false) -> String {
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }
        if recorded { line("moment     \(Format.utc(now)) (recorded)") }
        line("target     \(clean(snapshot.target))")
        var state = snapshot.state.label
        if let readyz = snapshot.readyz {
            state += "  (/readyz \(readyz.statusCode)\(readyz.status.map { " \"\(clean($0))\"" } ?? ""))"
        }
        line("state      \(state)")
        if let failure = snapshot.lastFailure {
            var text = "error      \(clean(failure.error.description))"
            if let last = snapshot.lastScrape { text += "  (last answer \(Format.duration(max(0, now.timeIntervalSince(last.time)))) before)" }
            line(text)
        }
        if let build = snapshot.build {
            line("version    \(clean(build.version))  gitref \(clean(build.gitref.isEmpty ? "-" : build.gitref))  \(clean(build.goversion))")
        }
        if let start = snapshot.processStart {
            line("uptime     \(Format.duration(now.timeIntervalSince(start)))  (started \(Format.utc(start)))")
        }
        if let pid = snapshot.pid { line("pid        \(pid)") }
        if let scrape = snapshot.lastScrape {
            line(
                "scrape     \(Format.number(scrape.duration.seconds * 1000)) ms, \(Format.bytes(Double(scrape.bytes))), \(scrape.series) series, every \(DurationText.format(snapshot.interval))"
            )
        }
        for group in MetricGroup.allCases {
            guard let indices = snapshot.groups[group], !indices.isEmpty else { continue }
            line()
            line("== \(group.title) ==")
            for index in indices { out += family(snapshot.families[index]) }
        }
        return out
    }

    static func family(_ family: FamilySnapshot) -> String {
        var out = ""
        let name = clean(family.name).padding(toLength: max(48, family.name.count + 1), withPad: " ", startingAt: 0)
        switch family.type {
        case .histogram, .gaugehistogram:
            out += "\(name) histogram\n"
            let unit = QuantileText.unit(forFamily: family.name)
            for histogram in family.histograms {
                let labels = labelText(histogram.labels)
                var text = "  \(labels.isEmpty ? "{}" : labels)  count \(Format.number(histogram.count))"
                if let rate = histogram.countRate { text += " (\(Format.number(rate))/s)" }
                for window in [QuantileWindow.lastInterval, .oneMinute] {
                    guard let q = histogram.windows[window], q.observations > 0 else { continue }
                    text += "  [\(window.rawValue)] p50 \(quantile(q.p50, unit)) p90 \(quantile(q.p90, unit)) p99 \(quantile(q.p99, unit))"
                }
                out += text + "\n"
            }
        case .summary:
            out += "\(name) summary\n"
            for summary in family.summaries {
                let quantiles = summary.quantiles.map { "q\(Format.number($0.quantile)) \(Format.number($0.value))" }.joined(separator: " ")
                out += "  \(labelText(summary.labels))  \(quantiles)  count \(summary.count.map(Format.number) ?? "-")\n"
            }
        default:
            let total = family.series.reduce(0.0) { $0 + ($1.value.isNaN ? 0 : $1.value) }
            let value =
                family.type != .counter && family.series.count == 1
                ? Unit.format(total, name: family.name, full: true) : Format.number(total)
            var text = "\(name) \(family.type.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(value)"
            let rates = family.series.compactMap(\.rate)
            if family.type == .counter, !rates.isEmpty { text += "  \(Format.number(rates.reduce(0, +)))/s" }
            if family.series.count > 1 { text += "  (\(family.series.count) series)" }
            out += text + "\n"
        }
        return out
    }

    static func quantile(_ estimate: QuantileEstimate?, _ unit: (Double) -> String) -> String {
        QuantileText.format(estimate, unit: unit, gap: "≥")
    }

    static func labelText(_ labels: [Label]) -> String {
        labels.isEmpty ? "" : "{" + labels.map { "\(clean($0.name))=\"\(clean($0.value))\"" }.joined(separator: ",") + "}"
    }

    static func clean(_ text: String) -> String { Sanitized.quote(text) }
}
