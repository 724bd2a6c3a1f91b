import ArgumentParser
import Foundation
import TeleportTopRuntime
import TeleportTopUI

/// How the screen is drawn and where logs go meanwhile (the dashboard and `replay`).
struct DisplayOptions: ParsableArguments {
    @Option(help: "Colour theme: default, light, high-contrast, monochrome, or a theme file's path. NO_COLOR forces monochrome.")
    var theme: String?

    @Option(help: "Chart glyphs: block, braille or ascii.")
    var symbols: Symbols = .block

    @Flag(help: "Paint a profile diff's flame graph in colours told apart without red and green (vermilion grew, blue shrank).")
    var colorBlindSafe = false

    @Option(name: .customLong("log-file"), help: "Where logs go while the dashboard owns the terminal.")
    var logFile: String = "/tmp/teleport-top-\(getuid()).log"

    func settings(bell: Bool = false) -> DashboardLoop.Settings {
        DashboardLoop.Settings(
            symbols: symbols, themeName: theme ?? "default", environment: ProcessInfo.processInfo.environment, logPath: logFile,
            bell: bell, colorBlindSafe: colorBlindSafe)
    }
}
