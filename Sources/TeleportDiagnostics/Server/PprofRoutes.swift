import Hummingbird

/// `/debug/pprof/*` of the engine. Profiles of the Swift process are not produced yet, so
/// every route answers 501 with the reason rather than fake data.
enum PprofRoutes {
    static let names = ["allocs", "block", "cmdline", "goroutine", "heap", "mutex", "profile", "symbol", "threadcreate", "trace"]

    static func answer(path: String, engine: DiagnosticsEngine) -> Response {
        let name = path.split(separator: "/").dropFirst(2).first.map(String.init) ?? ""
        guard name.isEmpty || names.contains(name) else {
            return DiagRoutes.text(.notFound, "Unknown profile\n")
        }
        let what = name.isEmpty ? "the pprof index" : "the \(name) profile"
        return DiagRoutes.text(.notImplemented, "\(what) is not implemented by this engine yet\n")
    }
}
