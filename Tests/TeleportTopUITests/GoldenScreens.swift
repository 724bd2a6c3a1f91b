import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// Golden screens: plain text files in Tests/TeleportTopUITests/Goldens. A missing or
/// different golden fails; `UPDATE_GOLDENS=1 swift test` rewrites them (never under CI), and
/// the diff is reviewed with git.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static func check(_ screen: Screen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        check(text: screen.text + "\n", name, sourceLocation: sourceLocation)
    }

    /// A text golden (a report such as `snapshot`'s).
    static func check(text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent("\(name).txt")
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" && ProcessInfo.processInfo.environment["CI"] != "true"
        if update {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("missing golden \(name).txt (run UPDATE_GOLDENS=1 swift test, then review it)", sourceLocation: sourceLocation)
            return
        }
        if golden != text {
            let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record(
                "golden \(name).txt differs at line \(first + 1):\nwant: \(first < a.count ? String(a[first]) : "")\ngot:  \(first < b.count ? String(b[first]) : "")",
                sourceLocation: sourceLocation)
        }
    }
}

/// Fixed snapshots for the goldens (see `GoldenSnapshots`) and states over them.
enum Fixtures {
    static let t0 = GoldenSnapshots.t0

    static func snapshot(scrapes: Int = 4, failLast: Bool = false) async throws -> MetricsSnapshot {
        try await GoldenSnapshots.snapshot(scrapes: scrapes, failLast: failLast)
    }

    static func state(_ snapshot: MetricsSnapshot, tab: Tab = .overview) -> DashboardState {
        var state = DashboardState(snapshot: snapshot, isEmbedded: false, now: t0.addingTimeInterval(7.5))
        state.tab = tab
        return state
    }
}

extension Effect {
    /// The effect with its request id set to 0, for comparisons.
    var withoutRequest: Effect {
        switch self {
        case .queryHeatmap(_, let selection): return .queryHeatmap(request: 0, selection)
        case .querySpans(_, let query, let trace): return .querySpans(request: 0, query, trace: trace)
        case .loadProfile(_, let path, let options, let diff): return .loadProfile(request: 0, path: path, options: options, diff: diff)
        case .loadFlame(_, let path, let options, let diff): return .loadFlame(request: 0, path: path, options: options, diff: diff)
        default: return self
        }
    }
}

/// Effects with their request ids set to 0.
func plain(_ effects: [Effect]) -> [Effect] { effects.map(\.withoutRequest) }
