import Testing

/// The suites that run real peers (Python's SDK and receiver, `serve`), one test at a time:
/// each starts processes that take a core, and together they would starve the timing of
/// other suites on a 2-core machine.
@Suite("Tracing with real peers", .serialized)
enum TracingPeers {}
