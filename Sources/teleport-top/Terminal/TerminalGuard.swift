@preconcurrency import CNcursesw
import Foundation

/// Gives the terminal back on SIGINT (from `kill`: raw mode reads Ctrl-C as a key), SIGTERM,
/// SIGHUP and crashes (SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE) while the dashboard owns it:
/// `endwin` and the saved terminal modes are restored, then the signal takes its default course.
/// The first SIGTERM or SIGHUP (a dropped ssh session) only asks the loop to quit, so a log
/// level teleport-top changed is put back first; a second one ends the process at once.
enum TerminalGuard {
    nonisolated(unsafe) static var installed = false
    /// Set by the first SIGTERM or SIGHUP; read by the terminal's input.
    nonisolated(unsafe) static var terminationRequested: sig_atomic_t = 0
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE, SIGQUIT]

    static func install() {
        guard !installed else { return }
        installed = true
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                if (number == SIGTERM || number == SIGHUP) && TerminalGuard.terminationRequested == 0 {
                    TerminalGuard.terminationRequested = 1
                    return
                }
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
