import Foundation

/// What a recording holds, as its header says it (format version 2): one target or a fleet
/// (polled directly, or read from Prometheus), the debug socket whose log stream was
/// recorded, and the span sources. Version 1 wrote the same as prefixed lines
/// (`target …`, `instance …`); `init(lines:)` reads those, in this one place.
public struct RecordedSources: Codable, Sendable, Hashable {
    /// A Prometheus-read fleet's selector and instance label.
    public struct Prometheus: Codable, Sendable, Hashable {
        public var selector: String
        public var instanceLabel: String

        public init(selector: String, instanceLabel: String) {
            self.selector = selector
            self.instanceLabel = instanceLabel
        }
    }

    /// One target's name (`127.0.0.1:3000`, `embedded 127.0.0.1:41235`).
    public var target: String?
    /// A fleet's name (`3 targets`, `Prometheus http://…`).
    public var fleet: String?

    /// The fleet's name, or its instances counted when a recorder named only them (nil: one
    /// target). Scrapes of several instances decode per instance, never as one chain.
    public var fleetLabel: String? {
        fleet ?? (instances.isEmpty ? nil : "\(instances.count) instances")
    }
    /// A fleet polled directly: its instances, whose scrapes are named by them.
    public var instances: [String]
    /// A fleet read from Prometheus: every answer is recorded, and asked again in a replay.
    public var prometheus: Prometheus?
    /// The debug socket whose log stream was recorded.
    public var logs: String?
    /// The span sources (`OTLP gRPC 127.0.0.1:4317`, `embedded engine`).
    public var spans: [String]

    public init(
        target: String? = nil, fleet: String? = nil, instances: [String] = [], prometheus: Prometheus? = nil, logs: String? = nil,
        spans: [String] = []
    ) {
        self.target = target
        self.fleet = fleet
        self.instances = instances
        self.prometheus = prometheus
        self.logs = logs
        self.spans = spans
    }

    /// Version 1's lines: `target NAME`, `fleet NAME`, `instance NAME`, `prometheus-selector
    /// S`, `prometheus-instance-label L`, `logs PATH`, `spans SOURCE`; others are ignored.
    public init(lines: [String]) {
        self.init()
        var selector: String?
        var label: String?
        for line in lines {
            guard let space = line.firstIndex(of: " ") else { continue }
            let key = line[..<space]
            let value = String(line[line.index(after: space)...])
            switch key {
            case "target": target = target ?? value
            case "fleet": fleet = fleet ?? value
            case "instance": instances.append(value)
            case "prometheus-selector": selector = value
            case "prometheus-instance-label": label = value
            case "logs": logs = logs ?? value
            case "spans": spans.append(value)
            default: continue
            }
        }
        if let selector { prometheus = Prometheus(selector: selector, instanceLabel: label ?? "instance") }
    }

    /// Version 1's lines for these sources.
    public var lines: [String] {
        var lines: [String] = []
        if let target { lines.append("target \(target)") }
        if let fleet { lines.append("fleet \(fleet)") }
        lines += instances.map { "instance \($0)" }
        if let prometheus {
            lines += ["prometheus-selector \(prometheus.selector)", "prometheus-instance-label \(prometheus.instanceLabel)"]
        }
        if let logs { lines.append("logs \(logs)") }
        lines += spans.map { "spans \($0)" }
        return lines
    }

    /// These with `other`'s added: its names where these have none, its lists after these.
    public func merging(_ other: RecordedSources) -> RecordedSources {
        RecordedSources(
            target: target ?? other.target, fleet: fleet ?? other.fleet, instances: instances + other.instances,
            prometheus: prometheus ?? other.prometheus, logs: logs ?? other.logs, spans: spans + other.spans)
    }

    /// The name a replay's header shows, `… (recorded)` added by the caller.
    public var name: String { target ?? fleet ?? "recording" }
}
