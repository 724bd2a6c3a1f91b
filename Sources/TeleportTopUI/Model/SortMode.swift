import TeleportCore

/// How tables are sorted; `s` cycles through them.
public enum SortMode: String, Sendable, Hashable, CaseIterable {
    case name
    case rate
    case value

    public var next: SortMode { SortMode.allCases[((SortMode.allCases.firstIndex(of: self) ?? 0) + 1) % SortMode.allCases.count] }
}
