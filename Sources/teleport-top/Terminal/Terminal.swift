@preconcurrency import CNcursesw
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime
import TeleportTopUI

/// The only code that calls ncurses: screen setup and restore, colours from a theme, key
/// input, and painting a `Screen` (ncurses diffs what changed).
final class Terminal: TerminalDevice {
    private(set) var width: Int = 80
    private(set) var height: Int = 24
    private var pairs: [StyleRole: (pair: Int32, attributes: UInt32)] = [:]
    private var colors: Int32 = 0
    private var savedStderr: Int32 = -1
    private var active = false
    /// The frame on the terminal now (nil: unknown, paint everything).
    private var painted: Screen?

    /// Takes the terminal: wide characters, raw keys, no echo, hidden cursor, mouse, colours.
    /// stderr goes to `logPath` while the screen is owned.
    init(theme: Theme, logPath: String?) {
        setlocale(LC_ALL, "")
        if let logPath {
            let fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            if fd >= 0 {
                savedStderr = dup(2)
                dup2(fd, 2)
                close(fd)
            }
        }
        initscr()
        active = true
        TerminalGuard.install()
        raw()
        noecho()
        nonl()
        keypad(stdscr, true)
        curs_set(0)
        set_escdelay(25)
        mousemask(mmask_t(TerminalMouse.button1Pressed | TerminalMouse.button4Pressed | TerminalMouse.button5Pressed), nil)
        for (sequence, code) in TerminalKeys.sequences { define_key(sequence, code) }
        if has_colors() {
            start_color()
            use_default_colors()
            colors = COLORS
        }
        apply(theme)
        updateSize()
    }

    /// Allocates one colour pair per role for the theme (256 colours, else 16, else 8).
    func apply(_ theme: Theme) {
        pairs = [:]
        painted = nil
        var next: Int32 = 1
        for role in StyleRole.allCases {
            let style = theme.style(for: role)
            var attributes: UInt32 = 0
            if style.bold { attributes |= TerminalAttributes.bold }
            if style.underline { attributes |= TerminalAttributes.underline }
            if style.reverse { attributes |= TerminalAttributes.reverse }
            if style.dim { attributes |= TerminalAttributes.dim }
            guard colors > 0 else {
                pairs[role] = (0, attributes)
                continue
            }
            let fg = Int32(index(style.fg) ?? -1)
            let bg = Int32(index(style.bg) ?? index(theme.background) ?? -1)
            init_extended_pair(next, fg, bg)
            pairs[role] = (next, attributes)
            next += 1
        }
        if colors > 0, let text = pairs[.text] { bkgdset(chtype(UInt32(text.pair) << 8)) }
    }

    private func index(_ color: ThemeColor) -> Int? {
        colors >= 256 ? color.nearestIndex256() : colors >= 16 ? color.nearestIndex16() : color.nearestIndex8()
    }

    func updateSize() {
        painted = nil
        width = Int(getmaxx(stdscr))
        height = Int(getmaxy(stdscr))
    }

    /// Paints the grid: runs of cells with one role are written together.
    /// Paints only the cells that differ from the last frame painted (`Screen.changes`);
    /// everything after a resize or a theme change.
    func paint(_ screen: Screen) {
        let changes = screen.changes(from: painted)
        guard !changes.isEmpty else { return }
        let rows = min(screen.height, height)
        let columns = min(screen.width, width)
        for change in changes where change.y < rows {
            let y = change.y
            var x = change.x
            let end = min(change.x + change.count, columns)
            while x < end {
                let role = screen[x, y].role
                var run: [wchar_t] = []
                let start = x
                while x < end, screen[x, y].role == role {
                    for scalar in screen[x, y].character.unicodeScalars.prefix(1) { run.append(wchar_t(bitPattern: scalar.value)) }
                    x += 1
                }
                let style = pairs[role] ?? (0, 0)
                attrset(Int32(bitPattern: UInt32(style.pair) << 8 | style.attributes))
                // The last cell of the last row cannot be written without scrolling: leave it.
                if y == height - 1, x >= width { run = Array(run.dropLast()) }
                run.append(0)
                _ = run.withUnsafeBufferPointer { mvaddwstr(Int32(y), Int32(start), $0.baseAddress) }
            }
        }
        painted = screen
        refresh()
    }

    /// Waits up to `milliseconds` for a key, a click or a resize.
    func readInput(timeout milliseconds: Int32) -> InputEvent? {
        if TerminalGuard.terminationRequested == 1 {
            TerminalGuard.terminationRequested = 2
            return .terminate
        }
        timeout(milliseconds)
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_RESIZE:
                updateSize()
                return .resize
            case KEY_MOUSE:
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                if UInt32(event.bstate) & TerminalMouse.button4Pressed != 0 { return .wheelUp }
                if UInt32(event.bstate) & TerminalMouse.button5Pressed != 0 { return .wheelDown }
                return .click(x: Int(event.x), y: Int(event.y))
            default:
                return TerminalKeys.key(forCode: Int32(character)).map { .key($0) }
            }
        }
        return TerminalKeys.key(forCharacter: UInt32(character)).map { .key($0) }
    }

    func bell() { beep() }

    /// Gives the terminal back (every exit path calls this; a second call does nothing).
    func restore() {
        guard active else { return }
        active = false
        endwin()
        if savedStderr >= 0 {
            dup2(savedStderr, 2)
            close(savedStderr)
            savedStderr = -1
        }
        TerminalGuard.uninstall()
    }

    deinit { restore() }
}
