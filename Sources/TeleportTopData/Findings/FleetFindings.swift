import Foundation
import TeleportCore

/// The fleet's own findings (version skew, outliers against the others) over the rows a
/// live fleet publishes: the newest row of each instance is kept, and the signatures run
/// again at most every `minimumSeconds` of row time (the rows' scrape times, never the
/// clock's), saying which instances' findings changed. Pure value.
struct FleetFindings: Sendable {
    private var rows: [Int: FleetRow] = [:]
    private var newest: Date?
    private var evaluatedAt: Date?
    /// Each instance's fleet findings, from the last evaluation.
    private(set) var findings: [Int: [Finding]] = [:]
    let minimumSeconds: Double

    init(minimumSeconds: Double) {
        self.minimumSeconds = minimumSeconds
    }

    /// Folds a row in; when an evaluation is due, runs it and returns the instances (id and
    /// name) whose fleet findings changed.
    mutating func fold(_ row: FleetRow) -> [(id: Int, name: String)] {
        rows[row.id] = row
        if let time = row.lastScrape { newest = max(newest ?? time, time) }
        guard let now = newest else { return [] }
        if let last = evaluatedAt, now >= last, now.timeIntervalSince(last) < minimumSeconds { return [] }
        evaluatedAt = now
        return evaluate()
    }

    private mutating func evaluate() -> [(id: Int, name: String)] {
        let ordered = rows.values.sorted { $0.id < $1.id }
        var ids: [String: [Int]] = [:]
        for row in ordered { ids[row.name, default: []].append(row.id) }
        var next: [Int: [Finding]] = [:]
        for finding in FleetSignatures.versionSkew(ordered) + FleetSignatures.outliers(ordered) {
            for id in finding.instance.flatMap({ ids[$0] }) ?? [] { next[id, default: []].append(finding) }
        }
        let changed = Set(next.keys).union(findings.keys).filter { next[$0] != findings[$0] }
        findings = next
        return changed.sorted().compactMap { id in rows[id].map { (id, $0.name) } }
    }
}
