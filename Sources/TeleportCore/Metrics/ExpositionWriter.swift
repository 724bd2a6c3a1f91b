/// Writes metric families in Prometheus text format 0.0.4: `# HELP` and `# TYPE` for every
/// family, families and samples in the order given, HELP and label values escaped.
public enum ExpositionWriter {
    /// The `Content-Type` of what `write` produces.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The families as text 0.0.4, as bytes.
    public static func write(_ families: [MetricFamily]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(families.reduce(0) { $0 + 64 + $1.samples.count * 64 })
        for family in families { write(family, into: &out) }
        return out
    }

    /// The families as text 0.0.4, as a string.
    public static func writeString(_ families: [MetricFamily]) -> String {
        String(decoding: write(families), as: UTF8.self)
    }

    static func write(_ family: MetricFamily, into out: inout [UInt8]) {
        // OpenMetrics names a counter's family without `_total` and an info's without
        // `_info`, and adds `_created` samples: text 0.0.4 names a family as its samples, and
        // has no created samples, so they become a gauge family of their own.
        let name = textName(family)
        let createdName = family.name + "_created"
        let created = family.type == .gauge || family.type == .untyped || family.type == .unknown ? [] : family.samples.filter { $0.name == createdName }
        if let help = family.help { writeHelp(name, help, into: &out) }
        writeType(name, textType(family.type), into: &out)
        for sample in family.samples where created.isEmpty || sample.name != createdName { write(sample, into: &out) }
        if !created.isEmpty {
            writeType(createdName, "gauge", into: &out)
            for sample in created { write(sample, into: &out) }
        }
    }

    /// The family's name in text 0.0.4: as its samples have it.
    public static func textName(_ family: MetricFamily) -> String {
        switch family.type {
        case .counter where !family.name.hasSuffix("_total") && family.samples.contains { $0.name == family.name + "_total" }:
            return family.name + "_total"
        case .info where family.samples.contains { $0.name == family.name + "_info" }:
            return family.name + "_info"
        default:
            return family.name
        }
    }

    static func writeHelp(_ name: String, _ help: String, into out: inout [UInt8]) {
        out.append(contentsOf: "# HELP ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    static func writeType(_ name: String, _ type: String, into out: inout [UInt8]) {
        out.append(contentsOf: "# TYPE ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: type.utf8)
        out.append(UInt8(ascii: "\n"))
    }

    /// Text 0.0.4 knows five types; OpenMetrics-only types are written as their nearest one.
    static func textType(_ type: MetricType) -> String {
        switch type {
        case .counter, .gauge, .histogram, .summary, .untyped: return type.rawValue
        case .gaugehistogram: return "histogram"
        case .info, .stateset: return "gauge"
        case .unknown: return "untyped"
        }
    }

    static func write(_ sample: Sample, into out: inout [UInt8]) {
        out.append(contentsOf: sample.name.utf8)
        if !sample.labels.isEmpty {
            out.append(UInt8(ascii: "{"))
            for (i, label) in sample.labels.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: label.name.utf8)
                out.append(contentsOf: "=\"".utf8)
                for byte in label.value.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                    case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                    case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
                    default: out.append(byte)
                    }
                }
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: ExpositionNumber.format(sample.value).utf8)
        if let timestamp = sample.timestampMs {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: String(timestamp).utf8)
        }
        out.append(UInt8(ascii: "\n"))
    }
}
