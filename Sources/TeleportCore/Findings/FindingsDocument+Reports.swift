import Foundation

extension FindingsDocument {
    /// The document of the reports of a check (one per instance) and the fleet's own
    /// findings: the shortest history any report had when one was short, the newest time.
    /// What `check` prints and the diagnostics bundle's findings.json hold.
    public init(source: String, reports: [FindingsReport], extra: [Finding] = [], neededSeconds: Double) {
        let shortest = reports.compactMap { report -> Double? in
            if case .short(let have, _) = report.coverage { return have }
            return nil
        }.min()
        self.init(
            source: source, time: reports.compactMap(\.time).max(), historySeconds: shortest ?? (reports.isEmpty ? nil : neededSeconds),
            neededSeconds: neededSeconds, findings: reports.flatMap(\.findings) + extra)
    }
}

extension FindingsText {
    /// The text report of the reports of a check, with the first report's note on a short history.
    public static func render(_ document: FindingsDocument, reports: [FindingsReport]) -> String {
        render(document, coverageNote: reports.compactMap(\.coverageNote).first)
    }
}
