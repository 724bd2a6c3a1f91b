import Foundation
import Synchronization
import TeleportCore
import TeleportTopRuntime
import TeleportTopUI

/// A terminal for driving the run loop headless: it plays a script of steps (input, events
/// posted into the loop's queue, waits for a screen), records every frame painted, and
/// quits when the script is done. A step that waits gives up after 60 s (a failure, not a
/// timing margin).
final class ScriptedTerminal: TerminalDevice, @unchecked Sendable {
    enum Step {
        /// Input, as the terminal reports it.
        case input(InputEvent)
        /// Input made from the frame on display (a click on something drawn).
        case inputFrom((Screen?) -> InputEvent)
        /// Runs on the loop's thread between two reads (posts events, reads what the loop asked).
        case run(() -> Void)
        /// Reads nothing until the frame on display satisfies the condition.
        case waitFor(String, (Screen) -> Bool)
    }

    let width: Int
    let height: Int
    private var steps: [Step]
    private(set) var frames: [Screen] = []
    private(set) var themes: [String] = []
    private(set) var restored = false
    private(set) var failure: String?
    private var waitingSince: Date?

    init(width: Int, height: Int, steps: [Step]) {
        self.width = width
        self.height = height
        self.steps = steps
    }

    var last: Screen? { frames.last }

    func readInput(timeout milliseconds: Int32) -> InputEvent? {
        while let step = steps.first {
            switch step {
            case .input(let input):
                steps.removeFirst()
                return input
            case .inputFrom(let make):
                steps.removeFirst()
                return make(last)
            case .run(let action):
                steps.removeFirst()
                action()
                return nil
            case .waitFor(let name, let condition):
                if let last, condition(last) {
                    steps.removeFirst()
                    waitingSince = nil
                    continue
                }
                let since = waitingSince ?? Date()
                waitingSince = since
                if Date().timeIntervalSince(since) > 60 {
                    failure = "gave up waiting for \(name)"
                    steps = []
                    return .key(.character("q"))
                }
                Thread.sleep(forTimeInterval: 0.005)
                return nil
            }
        }
        return .key(.character("q"))
    }

    func paint(_ screen: Screen) { frames.append(screen) }
    private(set) var bells = 0
    func bell() { bells += 1 }
    func apply(_ theme: Theme) { themes.append(theme.name) }
    func restore() { restored = true }
}

/// Effects the loop handed over, readable from the script.
final class EffectLog: Sendable {
    private let effects = Mutex<[Effect]>([])

    func record(_ batch: [Effect]) { effects.withLock { $0 += batch } }

    var all: [Effect] { effects.withLock { $0 } }

    /// The request ids of the heatmap queries so far, with their selections.
    var heatmapRequests: [(Int, HistogramSelection)] {
        all.compactMap { if case .queryHeatmap(let id, let selection) = $0 { return (id, selection) } else { return nil } }
    }

    /// The request ids of the profile reports asked so far, with their options.
    var reportRequests: [(Int, TopOptions)] {
        all.compactMap { if case .loadProfile(let id, _, let options, _) = $0 { return (id, options) } else { return nil } }
    }
}
