import Foundation
import TeleportCore

/// The fleet table as text: one line per instance.
public enum FleetText {
    public static func render(_ rows: [FleetRow], source: String, newest: String?, now: Date) -> String {
        var out = "fleet: \(Sanitized.quote(source)) · \(rows.count) instance\(rows.count == 1 ? "" : "s")\n"
        let header = ["NAME", "STATE", "ROLES", "VERSION", "UPTIME", "CPU", "MEMORY", "GOROUT", "GRPC/S", "ERR%", "BK P99", "HB MISS", "SCRAPE"]
        var table = [header]
        for row in rows {
            let older = row.version.flatMap { v in newest.map { FleetRows.isOlder(v, than: $0) } } ?? false
            table.append([
                Sanitized.quote(row.name), row.gone ? "GONE" : row.state.label, row.roles.joined(separator: ","),
                (row.version ?? "") + (older ? " (behind)" : ""),
                row.processStart.map { Format.duration(max(0, now.timeIntervalSince($0))) + (row.restartedAt != nil ? " ↻" : "") } ?? "",
                row.cpu.map { String(format: "%.2f", $0) } ?? "", row.memory.map(Format.bytes) ?? "", row.goroutines.map(Format.number) ?? "",
                row.grpcRate.map(Format.number) ?? "", row.grpcErrorShare.map { String(format: "%.1f%%", $0 * 100) } ?? "",
                row.backendP99.map(Format.seconds) ?? "", row.heartbeatsMissed.map(Format.number) ?? "",
                row.scrapeError.map { Sanitized.quote($0) } ?? row.lastScrape.map { Format.duration(max(0, now.timeIntervalSince($0))) + " ago" } ?? "",
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            out +=
                line.enumerated().map { i, cell in i == line.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return out
    }
}
