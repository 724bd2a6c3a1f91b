import TeleportTopUI

/// What the run loop needs of a terminal: its size, input, painting a frame, colours, and
/// giving it back. The ncurses terminal is one; tests drive the loop with a scripted one.
public protocol TerminalDevice: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Waits up to `milliseconds` for input.
    func readInput(timeout milliseconds: Int32) -> InputEvent?
    /// Shows a frame.
    func paint(_ screen: Screen)
    /// Rings the terminal's bell.
    func bell()
    /// Uses a theme's colours from the next frame on.
    func apply(_ theme: Theme)
    /// Gives the terminal back (every exit path calls it; a second call does nothing).
    func restore()
}
