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
        if let help = family.help {
            out.append(contentsOf: "# HELP ".utf8)
            out.append(contentsOf: family.name.utf8)
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
        out.append(contentsOf: "# TYPE ".utf8)
        out.append(contentsOf: family.name.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: textType(family.type).utf8)
        out.append(UInt8(ascii: "\n"))
        for sample in family.samples { write(sample, into: &out) }
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
