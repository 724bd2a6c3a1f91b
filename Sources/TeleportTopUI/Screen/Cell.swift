import TeleportCore

/// One terminal cell: a character (a grapheme that fits one column) and its style role.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var role: StyleRole

    public init(_ character: Character = " ", role: StyleRole = .text) {
        self.character = character
        self.role = role
    }

    public static let blank = Cell()
}
