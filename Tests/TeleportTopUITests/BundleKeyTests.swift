import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// `B`: one bundle at a time, of a live dashboard's open instance; its step in the header
/// while written, its name there for a minute after, its full path in the status line.
@Suite("B: the diagnostics bundle key")
struct BundleKeyTests {
    static let t0 = GoldenSnapshots.t0

    static func state() -> DashboardState {
        var state = DashboardState(snapshot: .empty(target: "127.0.0.1:3000", interval: .seconds(2)), isEmbedded: false, now: t0)
        state.logs = LogsState(maxLines: 100, hasSocket: true)
        return state
    }

    static func header(_ state: DashboardState) -> Substring {
        DashboardView.render(state, width: 160, height: 48).text.split(separator: "\n", omittingEmptySubsequences: false)[1]
    }

    @Test("B asks the runner for a bundle carrying the Logs screen's lines; a second B while it runs does not")
    func start() {
        var state = Self.state()
        LogsReducer.receive(&state, [LogLine(time: Self.t0, level: "INFO", message: "one", component: "auth")])
        let effects = Reducer.fold(&state, .input(.key(.character("B"))))
        guard case .writeBundle(let request)? = effects.first else {
            Issue.record("no bundle effect: \(effects)")
            return
        }
        #expect(request.logLines.map(\.message) == ["one"])
        #expect(request.hasLogSource)
        #expect(state.bundle == .running("starting"))
        #expect(Reducer.fold(&state, .input(.key(.character("B")))).isEmpty)
        #expect(state.message == "a bundle is being written")
    }

    @Test("Progress in the header while written; its name for a minute, its full path in the status line; a failure says why")
    func progress() {
        var state = Self.state()
        _ = Reducer.fold(&state, .input(.key(.character("B"))))
        _ = Reducer.fold(&state, .bundle(.running("CPU profile (30 s)")))
        #expect(Self.header(state).contains("● bundle: CPU profile (30 s)"), "\(Self.header(state))")
        let path = "/tmp/p/teleport-top-bundle-20261207T160948Z.tar.gz"
        _ = Reducer.fold(&state, .bundle(.done(path: path, at: Self.t0)))
        #expect(state.message == "bundle written: \(path)")
        #expect(Self.header(state).contains("bundle: teleport-top-bundle-20261207T160948Z.tar.gz"))
        _ = Reducer.fold(&state, .tick(Self.t0.addingTimeInterval(61)))
        #expect(!Self.header(state).contains("bundle"))
        // Another may start once one is done.
        #expect(!Reducer.fold(&state, .input(.key(.character("B")))).isEmpty)
        _ = Reducer.fold(&state, .bundle(.failed("cannot write /x: disk full", at: Self.t0.addingTimeInterval(62))))
        #expect(state.message == "bundle not written: cannot write /x: disk full")
        #expect(Self.header(state).contains("bundle failed"))
    }

    @Test("Refused in a replay and on the fleet table (with what to do instead); listed by ?")
    func refused() {
        var replay = Self.state()
        replay.replay = ReplayStatus(start: Self.t0, end: Self.t0, cursor: Self.t0)
        #expect(Reducer.fold(&replay, .input(.key(.character("B")))).isEmpty)
        #expect(replay.message?.contains("bundle --from DIR") == true)
        var fleet = Self.state()
        fleet.fleet = FleetState(source: "3 targets", rows: [])
        #expect(Reducer.fold(&fleet, .input(.key(.character("B")))).isEmpty)
        #expect(fleet.message?.contains("open one with Enter") == true)
        var help = Self.state()
        help.showHelp = true
        #expect(DashboardView.render(help, width: 160, height: 60).text.contains("write a diagnostics bundle"))
    }
}
