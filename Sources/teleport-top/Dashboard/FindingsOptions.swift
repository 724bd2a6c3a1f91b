import ArgumentParser
import Foundation
import TeleportTopData

/// The findings windows of a dashboard or a replay (docs/findings.md): the recent window
/// compared with the baseline before it. Shorter windows find sooner and cry wolf more.
struct FindingsOptions: ParsableArguments {
    @Option(name: .customLong("findings-recent"), help: "Findings: the recent window compared with the baseline, e.g. 1m.", transform: TargetOptions.duration)
    var recent: Duration = .seconds(60)

    @Option(
        name: .customLong("findings-baseline"), help: "Findings: the rolling baseline before the recent window, e.g. 4m (several times the recent window).",
        transform: TargetOptions.duration)
    var baseline: Duration = .seconds(240)

    /// The engine's options; a baseline shorter than the recent window is refused.
    func engine() throws -> FindingsEngine.Options {
        guard baseline >= recent else { throw ValidationError("--findings-baseline must be at least --findings-recent") }
        return FindingsEngine.Options(windows: FindingsWindows(recent: recent.seconds, baseline: baseline.seconds, slot: min(10, recent.seconds / 3)))
    }
}
