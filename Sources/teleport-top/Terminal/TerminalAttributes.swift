/// ncurses' attribute bits (the `A_*` macros are not imported into Swift).
enum TerminalAttributes {
    static let standout: UInt32 = 1 << (8 + 8)
    static let underline: UInt32 = 1 << (9 + 8)
    static let reverse: UInt32 = 1 << (10 + 8)
    static let dim: UInt32 = 1 << (12 + 8)
    static let bold: UInt32 = 1 << (13 + 8)
}

/// ncurses' mouse masks (macros, not imported): NCURSES_MOUSE_MASK(b, m) = m << ((b - 1) * 5)
/// with the mouse protocol of version 2; "pressed" is 0o2.
enum TerminalMouse {
    static let button1Pressed: UInt32 = 0o2
    static let button4Pressed: UInt32 = 0o2 << 15
    static let button5Pressed: UInt32 = 0o2 << 20
}
