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
        // Keys computed once per row, not once per comparison.
        let keyed = kept.map { (row: $0, severity: $0.severity, key: fleet.sort == .findings ? findingsKey(fleet.findings[$0.id]) : key($0, fleet.sort)) }
        return keyed.sorted { x, y in
            let (a, b) = (x.row, y.row)
            if x.severity != y.severity { return x.severity < y.severity }
            let (ka, kb) = (x.key, y.key)
            if ka != kb {
                switch (ka, kb) {
                case (.number(let x), .number(let y)): return x > y
                case (.text(let x), .text(let y)): return naturalLess(x, y)
                case (.number, .missing), (.text, .missing): return true
                case (.missing, _): return false
                default: break
                }
            }
            if a.name != b.name { return naturalLess(a.name, b.name) }
            return a.id < b.id
        }.map(\.row)
    }

    /// `node-2` before `node-10`: runs of digits compare as numbers, the rest case-insensitively
    /// (what Finder's order gives, without ICU: 1000 rows sort in a frame).
    public static func naturalLess(_ a: String, _ b: String) -> Bool {
        var i = a.utf8.makeIterator()
        var j = b.utf8.makeIterator()
        var x = i.next()
        var y = j.next()
        while let cx = x, let cy = y {
            let dx = cx >= 48 && cx <= 57
            let dy = cy >= 48 && cy <= 57
            if dx && dy {
                var nx = 0
                var ny = 0
                var px: UInt8? = cx
                var py: UInt8? = cy
                while let d = px, d >= 48 && d <= 57 {
                    nx = nx &* 10 &+ Int(d - 48)
                    px = i.next()
                }
                while let d = py, d >= 48 && d <= 57 {
                    ny = ny &* 10 &+ Int(d - 48)
                    py = j.next()
                }
                if nx != ny { return nx < ny }
                x = px
                y = py
                continue
            }
            let lx = cx >= 65 && cx <= 90 ? cx + 32 : cx
            let ly = cy >= 65 && cy <= 90 ? cy + 32 : cy
            if lx != ly { return lx < ly }
            x = i.next()
            y = j.next()
        }
        return x == nil && y != nil
    }

    enum SortKey: Equatable {
        case number(Double)
        case text(String)
        case missing
    }

    /// Worst severity first, then the most findings.
    static func findingsKey(_ summary: FindingsSummary?) -> SortKey {
        guard let summary, summary.count > 0 else { return .missing }
        let rank: Double
        switch summary.worst {
        case .critical: rank = 3
        case .warning: rank = 2
        case .info: rank = 1
        case nil: rank = 0
        }
        return .number(rank * 1_000_000 + Double(summary.count))
    }

    static func key(_ row: FleetRow, _ column: FleetColumn) -> SortKey {
        func number(_ value: Double?) -> SortKey { value.map { $0.isNaN ? .missing : .number($0) } ?? .missing }
        switch column {
        case .name, .state, .scrape, .findings: return .text(row.name)
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
        Set(rows.compactMap(\.version)).max { isOlder($0, than: $1) }
    }

    /// Whether version `a` is older than `b` (`16.5.11` < `17.4.3` < `17.4.8`).
    public static func isOlder(_ a: String, than b: String) -> Bool {
        if a == b { return false }
        func parts(_ v: String) -> [Int] {
            var out: [Int] = []
            var current: Int?
            for byte in v.utf8 {
                if byte >= 0x30 && byte <= 0x39 {
                    current = (current ?? 0) &* 10 &+ Int(byte - 0x30)
                } else if let value = current {
                    out.append(value)
                    current = nil
                }
            }
            if let current { out.append(current) }
            return out
        }
        let (pa, pb) = (parts(a), parts(b))
        for i in 0..<max(pa.count, pb.count) {
            let (x, y) = (i < pa.count ? pa[i] : 0, i < pb.count ? pb[i] : 0)
            if x != y { return x < y }
        }
        return false
    }
}
