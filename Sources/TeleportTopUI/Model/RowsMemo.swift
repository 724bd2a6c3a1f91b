import Foundation
import Synchronization
import TeleportCore

/// The last table rows computed and what they were computed from. Rows are a pure function
/// of the key, so sharing the memo between copies of a state is safe.
public final class RowsMemo: Sendable {
    struct Key: Hashable {
        var target: String
        var scrapeCount: Int
        var time: Date?
        var families: Int
        var tab: Tab
        var tables: TablesState
    }

    private let last = Mutex<(key: Key, rows: [TableRow])?>(nil)

    public init() {}

    func rows(for key: Key, compute: () -> [TableRow]) -> [TableRow] {
        if let hit = last.withLock({ $0?.key == key ? $0?.rows : nil }) { return hit }
        let rows = compute()
        last.withLock { $0 = (key, rows) }
        return rows
    }
}
