import TeleportCore

/// The views of tab 2 (Auth & backends), cycled with `v`: the family table, then tctl
/// top's Backend, Cache, Watcher and Audit boxes, computed correctly.
public enum AuthView: String, Sendable, Hashable, CaseIterable {
    case families
    case backend
    case cache
    case watcher
    case audit

    public var next: AuthView {
        let all = AuthView.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }

    /// The `component` label value of `backend_requests` and the latency histograms.
    public var component: String? {
        switch self {
        case .backend: return "backend"
        case .cache: return "cache"
        default: return nil
        }
    }
}
