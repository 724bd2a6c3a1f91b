import TeleportCore

/// Drawing helpers on the cell grid.
extension Screen {
    /// Paints a row's cells with a role (a bar such as the header's).
    public mutating func fill(row y: Int, role: StyleRole, from x: Int = 0, width: Int? = nil) {
        guard y >= 0, y < height else { return }
        let end = min(self.width, x + (width ?? self.width))
        for column in max(0, x)..<max(max(0, x), end) { self[column, y] = Cell(self[column, y].character, role: role) }
    }

    /// Writes text and returns the column after it.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, role: StyleRole = .text, maxWidth: Int? = nil) -> Int {
        x + put(text, x: x, y: y, role: role, maxWidth: maxWidth)
    }

    /// Writes text right-aligned so it ends at column `right` (exclusive).
    public mutating func writeRight(_ text: String, right: Int, y: Int, role: StyleRole = .text) {
        let fitted = CellText.fit(Sanitized.quote(text), columns: right)
        put(text, x: right - fitted.count, y: y, role: role, maxWidth: fitted.count)
    }

    /// A horizontal rule.
    public mutating func rule(y: Int, role: StyleRole = .border, from x: Int = 0, width: Int? = nil) {
        let w = min(width ?? self.width, self.width - x)
        guard w > 0 else { return }
        put(String(repeating: "─", count: w), x: x, y: y, role: role)
    }
}
