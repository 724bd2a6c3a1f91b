@preconcurrency import CNcursesw
import Foundation

/// Gives the terminal back on SIGINT (from `kill`: raw mode reads Ctrl-C as a key), SIGTERM,
/// SIGHUP and crashes (SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE) while the dashboard owns it:
/// `endwin` and the saved terminal modes are restored, then the signal takes its default course.
enum TerminalGuard {
    nonisolated(unsafe) static var installed = false
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE, SIGQUIT]

    static func install() {
        guard !installed else { return }
        installed = true
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                endwin()
                var restore = sigaction()
                restore.__sigaction_handler.sa_handler = SIG_DFL
                sigaction(number, &restore, nil)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    static func uninstall() {
        guard installed else { return }
        installed = false
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_DFL
            sigaction(signal, &action, nil)
        }
    }
}
