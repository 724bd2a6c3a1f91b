import Foundation
import TeleportCore

/// A fleet's signatures, over the row figures a fleet keeps: version skew and instances
/// that are outliers against the others. Pure.
public enum FleetSignatures {
    /// §7 "version skew": agents more than one major version behind are unsupported
    /// (critical); any other major version behind the newest is a warning.
    public static func versionSkew(_ rows: [FleetRow]) -> [Finding] {
        let majors = rows.compactMap { row in row.version.flatMap(major).map { (row, $0) } }
        guard let newest = majors.map(\.1).max() else { return [] }
        return majors.compactMap { row, major in
            let behind = newest - major
            guard behind >= 1 else { return nil }
            return Finding(
                instance: row.name, severity: behind > 1 ? .critical : .warning, check: "version-skew",
                title: "version \(row.version ?? "") is \(behind) major \(behind == 1 ? "version" : "versions") behind v\(newest)",
                family: "teleport_build_info", value: Double(major), baseline: Double(newest),
                evidence: "more than one major version behind the auth server is unsupported", score: Double(behind))
        }
    }

    /// The major version of `17.2.1` or `v17.2.1`.
    static func major(_ version: String) -> Int? {
        let text = version.hasPrefix("v") ? version.dropFirst() : Substring(version)
        return text.split(separator: ".").first.flatMap { Int($0) }
    }

    /// Row figures compared across instances, with their floors (below which a difference is noise).
    static let figures: [(name: String, family: String, unit: FindingFigure.Unit, floor: Double, read: @Sendable (FleetRow) -> Double?)] = [
        ("cpu", "process_cpu_seconds_total", .plain, 0.05, { $0.cpu }),
        ("resident memory", "process_resident_memory_bytes", .bytes, 64 * 1_048_576, { $0.memory }),
        ("goroutines", "go_goroutines", .plain, 200, { $0.goroutines }),
        ("gRPC error share", "grpc_server_handled_total", .plain, 0.02, { $0.grpcErrorShare }),
        ("backend read p99", "backend_read_seconds", .seconds, 0.005, { $0.backendP99 }),
    ]

    /// An instance far from the others (as Grafana and Datadog find outliers): at least 4
    /// instances, |x - median| over the scaled MAD at least 5, and the ratio to the median
    /// (each plus the floor) at least 2 (a warning).
    public static func outliers(_ rows: [FleetRow]) -> [Finding] {
        var out: [Finding] = []
        for figure in figures {
            let values = rows.compactMap { row in figure.read(row).flatMap { $0.isFinite ? (row, $0) : nil } }
            guard values.count >= 4, let median = RobustStats.median(values.map(\.1)),
                let mad = RobustStats.scaledMAD(values.map(\.1), center: median)
            else { continue }
            let spread = max(mad, figure.floor * 0.1)
            for (row, value) in values {
                let z = abs(value - median) / spread
                let ratio = (abs(value) + figure.floor) / (abs(median) + figure.floor)
                guard z >= 5, ratio >= 2 || ratio <= 0.5 else { continue }
                let text = figure.name == "gRPC error share" ? FindingFigure.percent(value) : FindingFigure.text(value, unit: figure.unit)
                let medianText = figure.name == "gRPC error share" ? FindingFigure.percent(median) : FindingFigure.text(median, unit: figure.unit)
                out.append(
                    Finding(
                        instance: row.name, severity: .warning, check: "fleet-outlier",
                        title: "\(figure.name) \(text), the fleet's median is \(medianText)", family: figure.family, value: value, baseline: median,
                        evidence: "\(values.count) instances, median \(medianText), z \(FindingFigure.number(z))", score: abs(log2(ratio))))
            }
        }
        return out
    }
}
