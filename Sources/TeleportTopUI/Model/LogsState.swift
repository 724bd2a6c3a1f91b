import Foundation
import TeleportCore

/// The Logs screen's state: the lines, where the view is (following the newest, or held at
/// a line), the filters, the detail pane, the source's status, and the process's log level
/// as read and as teleport-top changed it.
public struct LogsState: Sendable {
    public var buffer: LogBuffer
    /// The selected line (a sequence number); nil: the newest, followed.
    public var selected: Int?
    public var filter = LogFilter()
    /// The `c` filter and `/` regex as typed.
    public var componentText = ""
    public var patternText = ""
    /// The detail pane of the selected line is open.
    public var detail = false
    /// The source's last word; nil before any.
    public var status: LogSourceStatus?
    /// The stream has been asked for (it opens when the screen is first shown, or at once with `--logs`).
    public var opened = false
    /// Whether a debug socket is known (else the screen says how to name one).
    public var hasSocket: Bool
    /// The process's log level as last read or set (`GET /log-level`).
    public var level: String?
    /// The level before teleport-top first changed it (to restore on quit), if it did.
    public var changedFrom: String?
    /// The level picker: the highlighted level while open, and a level waiting for confirmation.
    public var picker: Int?
    public var confirm: String?
    /// Quitting: asking whether to restore the level.
    public var askRestore = false
    /// `--restore-log-level`: yes, no or ask.
    public var restorePolicy = "ask"
    /// Whether the process runs the auth service (DEBUG and TRACE there ask first).
    public var runsAuth = false

    public init(maxLines: Int = 50_000, maxBytes: Int = 64 << 20, hasSocket: Bool = false) {
        buffer = LogBuffer(maxLines: maxLines, maxBytes: maxBytes)
        self.hasSocket = hasSocket
    }

    public var following: Bool { selected == nil }
}
