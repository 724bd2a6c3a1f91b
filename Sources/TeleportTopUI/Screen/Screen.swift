import TeleportCore

/// A grid of cells that stands in for the terminal: views draw into it, golden tests read
/// it as text, the terminal layer paints it.
public struct Screen: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// The regions the views drew, with what a click on each means (see `HitTarget`).
    public internal(set) var regions: [HitRegion] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes text at (x, y), clipped to the row and to `maxWidth` columns, with an ellipsis
    /// when cut. The text is sanitized first: control characters and bidi overrides become
    /// visible escapes, so nothing from the network can drive the terminal. Returns the
    /// number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .text, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? width, width - max(0, x))
        guard limit > 0 else { return 0 }
        let fitted = CellText.fit(Sanitized.quote(text), columns: limit)
        var column = x
        for character in fitted {
            if column >= 0 { self[column, y] = Cell(character, role: role) }
            column += 1
        }
        return fitted.count
    }

    /// The rows as plain text, trailing blanks trimmed (what golden files hold).
    public var text: String {
        (0..<height).map { y in
            var row = String((0..<width).map { self[$0, y].character })
            while row.last == " " { row.removeLast() }
            return row
        }.joined(separator: "\n")
    }
}
