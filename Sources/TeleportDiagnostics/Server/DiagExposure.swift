import TeleportCore

/// Which face of the engine a server shows.
public enum DiagExposure: Sendable, Hashable {
    /// The diag listener (`--diag-addr`): `/healthz`, `/readyz`, `/metrics`, and
    /// `/debug/pprof/*` only when started with `--debug` (404 otherwise).
    case diagListener(debug: Bool)
    /// The local debug service on `<data_dir>/debug.sock`: the listener's routes with pprof
    /// always on, plus `GET`/`PUT /log-level`.
    case debugSocket

    var servesPprof: Bool {
        switch self {
        case .diagListener(let debug): return debug
        case .debugSocket: return true
        }
    }
}
