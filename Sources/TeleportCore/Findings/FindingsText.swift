import Foundation

/// The text report of `teleport-top check`: one line per finding, worst first, its evidence
/// indented under it; every string sanitized.
public enum FindingsText {
    public static func render(_ document: FindingsDocument, coverageNote: String?) -> String {
        var out = "teleport-top check: \(document.source)"
        if let time = document.time { out += ", at \(FindingFigure.clock(time))" }
        out += "\n"
        if document.findings.isEmpty {
            out += "OK: no findings\n"
        }
        for item in document.findings {
            let severity = item.severity.rawValue.uppercased().padding(toLength: 9, withPad: " ", startingAt: 0)
            let instance = item.instance.map { "[\($0)] " } ?? ""
            out += "\(severity)\(instance)\(item.title)  (\(item.check))\n"
            out += "         \(item.evidence)\n"
        }
        if let coverageNote { out += "note: \(Sanitized.quote(coverageNote))\n" }
        return out
    }
}
