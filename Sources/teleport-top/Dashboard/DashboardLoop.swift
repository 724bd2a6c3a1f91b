import Foundation
import TeleportDiagnostics
import TeleportTopUI

/// The one event loop of the dashboard, on its own thread (hence `@unchecked Sendable`: only
/// that thread touches it): read a key (waiting at most 250 ms),
/// fold keys and new snapshots into the state, run effects, and repaint only when something
/// changed, at most about 30 times a second. Input is never blocked by a scrape: scrapes happen on other threads.
final class DashboardLoop: @unchecked Sendable {
    struct Settings {
        var symbols: Symbols
        var themeName: String
        var environment: [String: String]
        var logPath: String?
    }

    /// How long a key is waited for: a key ends the wait at once, so this only bounds how
    /// late a new snapshot or the clock tick is shown (and sets the idle wake-ups per second:
    /// at 100 ms the idle dashboard used 0.55% of a core against a small target, at 250 ms 0.40%).
    static let wait: Int32 = 250

    /// The wait before the first snapshot has arrived.
    static let firstWait: Int32 = 5

    /// The shortest time between two frames (about 30 per second).
    static let frame: TimeInterval = 1.0 / 30

    let mailbox: Mailbox<MetricsSnapshot>
    let spanMailbox: Mailbox<SpanSnapshot>
    let profileEvents: EventQueue<ProfileEvent>
    let settings: Settings
    let onEffect: (Effect) -> Void
    private(set) var state: DashboardState

    init(initial: DashboardState, mailbox: Mailbox<MetricsSnapshot>, spanMailbox: Mailbox<SpanSnapshot>, profileEvents: EventQueue<ProfileEvent>,
        settings: Settings, onEffect: @escaping (Effect) -> Void)
    {
        self.profileEvents = profileEvents
        self.state = initial
        self.mailbox = mailbox
        self.spanMailbox = spanMailbox
        self.settings = settings
        self.onEffect = onEffect
    }

    /// Runs the loop on a thread of its own (ncurses blocks in `get_wch`; the cooperative pool
    /// must not) and returns how it ended.
    func runOnOwnThread() async -> Result<Void, any Error> {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Result { try self.run() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs until the user quits; the terminal is restored whatever happens.
    func run() throws {
        var theme = try ThemeLoader.resolve(settings.themeName, environment: settings.environment)
        state.themeName = theme.name
        let terminal = Terminal(theme: theme, logPath: settings.logPath)
        defer { terminal.restore() }
        var dirty = true
        var lastTick = Date()
        var lastPaint = Date.distantPast
        while !state.quit {
            // Until the first snapshot, look often: it is the frame a person waits for.
            var timeout = state.latest.lastScrape == nil && state.latest.lastFailure == nil ? Self.firstWait : Self.wait
            if dirty {
                // At most one frame per `frame`: a held key or a burst of events waits for the next.
                let since = Date().timeIntervalSince(lastPaint)
                if since >= Self.frame {
                    terminal.paint(DashboardView.render(state, width: terminal.width, height: terminal.height, symbols: settings.symbols))
                    dirty = false
                    lastPaint = Date()
                } else {
                    timeout = min(timeout, max(1, Int32(((Self.frame - since) * 1000).rounded(.up))))
                }
            }
            if let input = terminal.readKey(timeout: timeout) {
                dirty = true
                switch input {
                case .resize:
                    break
                case .wheelUp: _ = Reducer.reduce(&state, .up)
                case .wheelDown: _ = Reducer.reduce(&state, .down)
                case .click(let x, let y):
                    for effect in Reducer.reduce(&state, .click(x: x, y: y, width: terminal.width, height: terminal.height)) { onEffect(effect) }
                case .key(let key):
                    guard let action = KeyTable.action(for: key, in: Reducer.context(state)) else { continue }
                    for effect in Reducer.reduce(&state, action) {
                        if case .setTheme(let current) = effect, settings.environment["NO_COLOR"]?.isEmpty ?? true {
                            let name = ThemeLoader.cycled(after: current)
                            if let next = ThemeLoader.builtin(name) {
                                theme = next
                                state.themeName = name
                                terminal.apply(next)
                                state.message = "theme \(name)"
                            }
                        } else {
                            onEffect(effect)
                        }
                    }
                }
            }
            if let snapshot = mailbox.take() {
                Reducer.receive(&state, snapshot)
                dirty = true
            }
            for event in profileEvents.takeAll() {
                for effect in Reducer.receiveProfile(&state, event) { onEffect(effect) }
                dirty = true
            }
            if let spans = spanMailbox.take() {
                Reducer.receiveSpans(&state, spans)
                dirty = dirty || state.tab == .spans || state.tab == .overview
            }
            let now = Date()
            if now.timeIntervalSince(lastTick) >= 1 {
                _ = Reducer.reduce(&state, .tick(now))
                lastTick = now
                dirty = true
            }
        }
    }
}
