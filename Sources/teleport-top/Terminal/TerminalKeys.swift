@preconcurrency import CNcursesw
import TeleportCore
import TeleportTopData
import TeleportTopUI

/// ncurses key codes and characters to the dashboard's keys.
enum TerminalKeys {
    /// Codes of our own for sequences ncurses has no key for (define_key accepts codes above KEY_MAX).
    static let controlLeft = KEY_MAX + 1
    static let controlRight = KEY_MAX + 2

    /// Sequences `define_key` registers: Shift-Tab, and Ctrl-arrows as xterm (and tmux) and
    /// rxvt send them.
    static let sequences: [(String, Int32)] = [
        ("\u{1b}[Z", KEY_BTAB), ("\u{1b}[1;5D", controlLeft), ("\u{1b}[1;5C", controlRight),
        ("\u{1b}Od", controlLeft), ("\u{1b}Oc", controlRight),
    ]

    static func key(forCode code: Int32) -> KeyCode? {
        switch code {
        case controlLeft: return .controlLeft
        case controlRight: return .controlRight
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        default: return nil
        }
    }

    static func key(forCharacter value: UInt32) -> KeyCode? {
        switch value {
        case 3: return .controlC
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}
