import Foundation
import TeleportCore

/// The fleet table's rows in display order: filtered by `/` and `f`, sorted worst state
/// first (degraded, unreachable, recovering, starting, ok), then by the chosen column
/// (largest first; names and versions in order), then by name.
public enum FleetRows {
    public static func visible(_ fleet: FleetState) -> [FleetRow] {
        let regex = FleetRows.regex(fleet.filter)
        let labels = try? LabelFilter(parsing: fleet.labelFilter)
        let kept = fleet.rows.values.filter { row in
            if let (pattern, inverted) = regex {
                let text = [row.name, row.roles.joined(separator: ","), row.version ?? "", row.state.rawValue].joined(separator: " ")
                let found = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                if found == inverted { return false }
            }
            if let labels, !labels.isEmpty, !Self.labelSets(of: row).contains(where: labels.matches) { return false }
            return true
        }
        return kept.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            let (ka, kb) = (key(a, fleet.sort), key(b, fleet.sort))
            if ka != kb {
                switch (ka, kb) {
                case (.number(let x), .number(let y)): return x > y
                case (.text(let x), .text(let y)): return x.localizedStandardCompare(y) == .orderedAscending
                case (.number, .missing), (.text, .missing): return true
                case (.missing, _): return false
                default: break
                }
            }
            if a.name != b.name { return a.name.localizedStandardCompare(b.name) == .orderedAscending }
            return a.id < b.id
        }
    }

    enum SortKey: Equatable {
        case number(Double)
        case text(String)
        case missing
    }

    static func key(_ row: FleetRow, _ column: FleetColumn) -> SortKey {
        func number(_ value: Double?) -> SortKey { value.map { $0.isNaN ? .missing : .number($0) } ?? .missing }
        switch column {
        case .name, .state, .scrape: return .text(row.name)
        case .roles: return .text(row.roles.joined(separator: ","))
        case .version: return row.version.map { .text($0) } ?? .missing
        case .uptime: return number(row.processStart.map { -$0.timeIntervalSince1970 })
        case .cpu: return number(row.cpu)
        case .memory: return number(row.memory)
        case .goroutines: return number(row.goroutines)
        case .grpc: return number(row.grpcRate)
        case .grpcErrors: return number(row.grpcErrorShare)
        case .backendP99: return number(row.backendP99)
        case .heartbeats: return number(row.heartbeatsMissed)
        }
    }

    /// The label sets `f` matches a row by: one per role (a row matches when one does).
    public static func labelSets(of row: FleetRow) -> [[Label]] {
        var labels = [Label("name", row.name), Label("state", row.state.rawValue), Label("source", row.source.rawValue)]
        if let version = row.version { labels.append(Label("version", version)) }
        if row.roles.isEmpty { return [labels] }
        return row.roles.map { labels + [Label("role", $0)] }
    }

    static func regex(_ text: String) -> (NSRegularExpression, Bool)? {
        guard !text.isEmpty else { return nil }
        let inverted = text.hasPrefix("!")
        let body = inverted ? String(text.dropFirst()) : text
        guard !body.isEmpty, let regex = try? NSRegularExpression(pattern: body, options: [.caseInsensitive]) else { return nil }
        return (regex, inverted)
    }

    /// The newest version in the fleet (versions compared numerically, part by part).
    public static func newestVersion(_ rows: some Sequence<FleetRow>) -> String? {
        rows.compactMap(\.version).max { isOlder($0, than: $1) }
    }

    /// Whether version `a` is older than `b` (`16.5.11` < `17.4.3` < `17.4.8`).
    public static func isOlder(_ a: String, than b: String) -> Bool {
        func parts(_ v: String) -> [Int] {
            v.trimmingCharacters(in: CharacterSet(charactersIn: "v")).split(whereSeparator: { !$0.isNumber }).map { Int($0) ?? 0 }
        }
        let (pa, pb) = (parts(a), parts(b))
        for i in 0..<max(pa.count, pb.count) {
            let (x, y) = (i < pa.count ? pa[i] : 0, i < pb.count ? pb[i] : 0)
            if x != y { return x < y }
        }
        return false
    }
}
