import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

@Suite("Screen grid")
struct ScreenTests {
    @Test("Text is clipped with an ellipsis and rows read back as text")
    func clipping() {
        var screen = Screen(width: 10, height: 2)
        #expect(screen.put("hello", x: 0, y: 0) == 5)
        #expect(screen.put("a long line of text", x: 2, y: 1) == 8)
        #expect(screen.text == "hello\n  a long …")
        #expect(screen.put("off screen", x: 0, y: 5) == 0)
        #expect(screen.put("x", x: 10, y: 0) == 0)
    }

    @Test("Escape sequences and bidi overrides from the network never reach a cell")
    func sanitizing() {
        var screen = Screen(width: 40, height: 1)
        screen.put("\u{1b}[31mred\u{1b}[0m \u{202E}evil\u{7}", x: 0, y: 0)
        #expect(screen.text == "\\e[31mred\\e[0m \\u{202E}evil\\x07")
        #expect(!screen.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E } })
    }

    @Test("Wide characters are replaced so every character takes one column")
    func widths() {
        #expect(CellText.fit("ab漢字c", columns: 10) == ["a", "b", "?", "?", "c"])
        #expect(CellText.fit("é", columns: 3) == ["é"])
        #expect(CellText.fit("abc", columns: 0) == [])
        #expect(CellText.fit("abcd", columns: 3) == ["a", "b", "…"])
    }

    @Test("The diff of two frames: runs of changed cells per row; none for the same frame; every row for a new size")
    func diff() {
        var before = Screen(width: 20, height: 3)
        before.put("hello world", x: 0, y: 0)
        before.put("steady", x: 2, y: 1)
        var after = before
        after.put("HELLO", x: 0, y: 0)
        after.put("D", x: 10, y: 0)
        after.put("steady", x: 2, y: 1, role: .accent)
        #expect(
            after.changes(from: before) == [
                ScreenChange(y: 0, x: 0, count: 5), ScreenChange(y: 0, x: 10, count: 1),
                ScreenChange(y: 1, x: 2, count: 6),
            ])
        #expect(after.changes(from: after).isEmpty)
        #expect(after.changes(from: nil).count == 3)
        #expect(after.changes(from: Screen(width: 21, height: 3)) == (0..<3).map { ScreenChange(y: $0, x: 0, count: 20) })
    }
}
