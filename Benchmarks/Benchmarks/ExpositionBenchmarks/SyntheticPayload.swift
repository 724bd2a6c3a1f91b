import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopTestSupport

/// A payload in client_golang's shape: HELP/TYPE per family, histograms with Teleport's 16
/// buckets, counters and gauges with three to four labels, about 125 bytes a series (5 MB is
/// about 41k series, like a busy Teleport's /metrics).
enum SyntheticPayload {
    static let instance = Label("instance", "auth-0.teleport.cluster.local:3025")

    static func make(targetBytes: Int) -> [UInt8] {
        var families: [MetricFamily] = []
        var size = 0
        var familyIndex = 0
        while size < targetBytes {
            let name = "teleport_bench_family_\(familyIndex)"
            var family: MetricFamily
            switch familyIndex % 3 {
            case 0:
                family = MetricFamily(name: name + "_total", type: .counter, help: "Requests handled by the component.")
                for i in 0..<200 {
                    family.samples.append(
                        Sample(
                            name: name + "_total",
                            labels: [
                                Label("component", "backend"), instance, Label("req", "/nodes/default/\(i)"), Label("range", i % 2 == 0 ? "true" : "false"),
                            ], value: Double(i * 7919)))
                }
            case 1:
                family = MetricFamily(name: name, type: .gauge, help: "Connected resources by type.")
                for i in 0..<200 {
                    family.samples.append(
                        Sample(
                            name: name,
                            labels: [
                                instance, Label("type", "node"), Label("host", "host-\(i).example.com"),
                            ], value: Double(i) * 1.5))
                }
            default:
                family = MetricFamily(name: name + "_seconds", type: .histogram, help: "Latency of operations.")
                for series in 0..<10 {
                    var cumulative = 0.0
                    let labels = [Label("component", "cache"), instance, Label("op", "op-\(series)")]
                    for bound in HistogramBuckets.teleport {
                        cumulative += Double(series + 3)
                        family.samples.append(
                            Sample(
                                name: name + "_seconds_bucket",
                                labels: labels + [Label("le", ExpositionNumber.format(bound))], value: cumulative))
                    }
                    family.samples.append(Sample(name: name + "_seconds_bucket", labels: labels + [Label("le", "+Inf")], value: cumulative))
                    family.samples.append(Sample(name: name + "_seconds_sum", labels: labels, value: cumulative * 0.0123))
                    family.samples.append(Sample(name: name + "_seconds_count", labels: labels, value: cumulative))
                }
            }
            size += ExpositionWriter.write([family]).count
            families.append(family)
            familyIndex += 1
        }
        return ExpositionWriter.write(families)
    }
}
