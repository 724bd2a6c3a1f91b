import TeleportCore

/// A key as the dashboard understands it, independent of the terminal library.
public enum KeyCode: Sendable, Hashable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    /// Ctrl-← and Ctrl-→ (xterm's `\e[1;5D` / `\e[1;5C`).
    case controlLeft, controlRight
    case enter, escape, tab, backTab, backspace
    case controlC
}
