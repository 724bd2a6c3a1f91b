import Foundation
import TeleportCore
import TeleportTopUI

/// The one loop of the dashboard, on its own thread (hence `@unchecked Sendable`: only that
/// thread touches it): read input (waiting at most 250 ms) into the queue, fold every queued
/// event into the state in arrival order, hand the effects to the runner, and repaint only
/// when something changed, at most about 30 times a second.
public final class DashboardLoop: @unchecked Sendable {
    public struct Settings: Sendable {
        public var symbols: Symbols
        public var themeName: String
        public var environment: [String: String]
        public var logPath: String?
        /// Ring the bell when the target turns degraded or unreachable.
        public var bell: Bool
        /// Diffs in colours told apart without red and green.
        public var colorBlindSafe: Bool

        public init(
            symbols: Symbols, themeName: String, environment: [String: String], logPath: String?, bell: Bool = false, colorBlindSafe: Bool = false
        ) {
            self.symbols = symbols
            self.themeName = themeName
            self.environment = environment
            self.logPath = logPath
            self.bell = bell
            self.colorBlindSafe = colorBlindSafe
        }
    }

    /// How long input is waited for: input ends the wait at once, so this only bounds how
    /// late a queued event or the clock tick is shown (and sets the idle wake-ups per second:
    /// at 100 ms the idle dashboard used 0.55% of a core against a small target, at 250 ms 0.40%).
    public static let wait: Int32 = 250

    /// The wait before the first snapshot has arrived.
    static let firstWait: Int32 = 5

    /// The shortest time between two frames (about 30 per second).
    static let frame: TimeInterval = 1.0 / 30
    /// A frame that only data changed (no key, no resize) waits at least this long after the
    /// last: a fleet of 200 sends 40 rows a second, and the screen needs 4 frames, not 30.
    static let dataFrame: TimeInterval = 0.25

    public let queue: EventQueue
    let settings: Settings
    let effects: @Sendable ([Effect]) -> Void
    let makeTerminal: (Theme) -> any TerminalDevice
    /// The clock (tests give one of their own).
    let clock: @Sendable () -> Date
    public private(set) var state: DashboardState
    /// The frame on display: its hit map answers clicks.
    public private(set) var screen: Screen?

    /// A loop over `initial`, reading events from `queue` and giving effects to `effects` (the
    /// effect runner); `makeTerminal` takes the terminal on the loop's thread.
    public init(
        initial: DashboardState, queue: EventQueue, settings: Settings, effects: @escaping @Sendable ([Effect]) -> Void,
        clock: @escaping @Sendable () -> Date = { Date() }, makeTerminal: @escaping (Theme) -> any TerminalDevice
    ) {
        self.state = initial
        self.queue = queue
        self.settings = settings
        self.effects = effects
        self.clock = clock
        self.makeTerminal = makeTerminal
    }

    /// Runs the loop on a thread of its own (a terminal blocks waiting for keys; the
    /// cooperative pool must not) and returns how it ended.
    public func runOnOwnThread() async -> Result<Void, any Error> {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Result { try self.run() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs until the user quits; the terminal is restored whatever happens.
    public func run() throws {
        let theme = try ThemeLoader.resolve(settings.themeName, environment: settings.environment)
        state.theme = theme
        state.themeName = theme.name
        state.noColor = !(settings.environment["NO_COLOR"]?.isEmpty ?? true)
        state.colorBlindSafe = settings.colorBlindSafe
        let terminal = makeTerminal(theme)
        defer { terminal.restore() }
        var applied = theme
        var dirty = true
        var inputDirty = true
        var lastTick = clock()
        var lastPaint = Date.distantPast
        while !state.quit {
            // Until the first snapshot, look often: it is the frame a person waits for.
            var timeout = Self.waitingForFirstAnswer(state) ? Self.firstWait : Self.wait
            if dirty {
                // At most one frame per `frame` (per `dataFrame` when only data changed): a held key
                // or a burst of events waits for the next.
                let since = Date().timeIntervalSince(lastPaint)
                let spacing = inputDirty ? Self.frame : Self.dataFrame
                if since >= spacing {
                    let frame = DashboardView.render(state, width: terminal.width, height: terminal.height, symbols: settings.symbols)
                    terminal.paint(frame)
                    screen = frame
                    dirty = false
                    inputDirty = false
                    lastPaint = Date()
                } else {
                    timeout = min(timeout, max(1, Int32(((spacing - since) * 1000).rounded(.up))))
                }
            }
            if !queue.isEmpty { timeout = 0 }
            if let input = terminal.readInput(timeout: timeout) { queue.post(.input(input)) }
            let now = clock()
            if now.timeIntervalSince(lastTick) >= 1 {
                queue.post(.tick(now))
                lastTick = now
            }
            let before = state.latest.state
            for event in queue.drain() {
                let produced = Reducer.fold(&state, event, screen: screen)
                if !produced.isEmpty { effects(produced) }
                let changes = Self.changesScreen(event, state)
                dirty = dirty || changes
                if changes, case .input = event { inputDirty = true }
                if changes, case .theme = event { inputDirty = true }
            }
            if settings.bell, state.latest.state != before, [.degraded, .unreachable, .notMetrics].contains(state.latest.state) { terminal.bell() }
            state.droppedEvents = queue.dropped
            if let theme = state.theme, theme != applied {
                terminal.apply(theme)
                applied = theme
                dirty = true
            }
        }
    }

    /// Until the first answer the loop looks often: it is the frame a person waits for.
    static func waitingForFirstAnswer(_ state: DashboardState) -> Bool {
        if let fleet = state.fleet { return !fleet.answered }
        return state.latest.lastScrape == nil && state.latest.lastFailure == nil
    }

    /// Whether an event can change what is on screen.
    static func changesScreen(_ event: DashboardEvent, _ state: DashboardState) -> Bool {
        switch event {
        case .spansArrived: return false
        case .spans: return state.tab == .spans || state.tab == .overview
        default: return true
        }
    }
}
