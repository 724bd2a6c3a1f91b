import TeleportCore

/// Fitting text into a number of one-column cells.
public enum CellText {
    /// The characters of `text` that fit `columns` cells, with `…` as the last cell when cut.
    /// Characters wider than one column (East Asian wide, emoji) are replaced by `?` so every
    /// character takes exactly one cell and layouts stay aligned.
    public static func fit(_ text: String, columns: Int) -> [Character] {
        guard columns > 0 else { return [] }
        var out: [Character] = []
        out.reserveCapacity(min(columns, text.utf8.count))
        for character in text {
            if out.count == columns {
                out[columns - 1] = "…"
                return out
            }
            out.append(isSingleColumn(character) ? character : "?")
        }
        return out
    }

    /// Whether a character takes exactly one terminal column.
    public static func isSingleColumn(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return false }
        if scalars.count > 1 {
            // Combining marks keep a base character's width; anything else (emoji
            // sequences, flags) is taken as wide.
            return scalars.dropFirst().allSatisfy { $0.properties.generalCategory == .nonspacingMark }
                && isSingleColumn(Character(first))
        }
        let v = first.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return false }
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark { return false }
        if first.properties.isEmojiPresentation { return false }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return false
        case 0x200B, 0x200C, 0x200D, 0x2060:
            return false  // zero width
        default:
            return true
        }
    }
}
