import Foundation
import TeleportCore

/// The profile viewer's flame graph (`F`): the call tree of the viewer's sample type and
/// focus, the selected and the zoomed frame, and the `/` search with the share it matches.
public struct FlameViewState: Sendable {
    public var tree: CallTree?
    /// The options `tree` was built with.
    public var options: TopOptions?
    /// The diff `tree` is of (nil: the capture alone).
    public var diff: ProfileDiffRequest?
    public var error: String?
    /// The tree asked for last: only its answer is shown.
    public var request: Int?
    public var selected: Int32 = CallTree.root
    public var zoom: Int32 = CallTree.root
    /// The `/` regular expression over frame names ("" when none).
    public var search = ""
    /// Per frame name of the tree: whether it matches `search`.
    public var matches: [Bool] = []
    /// The share of the profile's total under matching frames (each sample counted once).
    public var matchedTotal: Int64 = 0
    public var searchError: String?

    public init() {}

    /// Recomputes the matches of `search` over the tree.
    mutating func applySearch() {
        matches = []
        matchedTotal = 0
        searchError = nil
        guard let tree, !search.isEmpty else { return }
        let regex: NSRegularExpression
        do { regex = try NSRegularExpression(pattern: search) } catch {
            searchError = "not a valid regular expression"
            return
        }
        matches = tree.names.map { name in regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil }
        // Parents come before their children: one pass, a matching frame under a matching
        // ancestor is not counted twice.
        var covered = [Bool](repeating: false, count: tree.nodes.count)
        for (i, node) in tree.nodes.enumerated() where node.parent >= 0 {
            let above = covered[Int(node.parent)]
            let hit = matches[Int(node.name)]
            covered[i] = above || hit
            if hit && !above { matchedTotal &+= node.total }
        }
    }
}

/// `P`: the callers and callees of one function, as `go tool pprof -peek` prints them.
public struct PeekViewState: Sendable {
    /// The function (as the table names it).
    public var function: String
    public var report: PeekReport?
    public var error: String?
    public var request: Int?
    /// The first line shown.
    public var scroll = 0

    public init(function: String) {
        self.function = function
    }
}
