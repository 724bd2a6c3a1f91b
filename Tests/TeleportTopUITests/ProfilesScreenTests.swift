import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

@Suite("Profiles tab (goldens)", .serialized)
struct ProfilesScreenTests {
    static let sizes = [(80, 24), (160, 48)]

    func state() async throws -> DashboardState {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .profiles)
        state.profiles = ProfilesTabState(seconds: 30, directory: "./teleport-top-profiles")
        return state
    }

    /// A deterministic profile written to a file, and its viewer data as the run loop makes it.
    static func viewerData(options: TopOptions = TopOptions()) throws -> (path: String, data: ProfileViewerData) {
        let bytes = SyntheticProfile(seed: 7, functions: 40, samples: 400).encoded()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tt-ui-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pb.gz").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let profile = try PprofDecoder.decode(bytes)
        let report = try TopReport(profile, options: options)
        return (path, ProfileViewerData(path: path, options: options, report: report, groups: [], sampleTypes: profile.sampleTypes.map(\.type), error: nil))
    }

    @Test("Checklist: Space checks, ←/→ change the duration in steps of 5 within 1...300, Enter captures the checked kinds in order")
    func checklist() async throws {
        var state = try await state()
        #expect(Reducer.context(state) == .profiles)
        for (w, h) in Self.sizes { Golden.check(DashboardView.render(state, width: w, height: h), "profiles-\(w)x\(h)") }
        func press(_ key: KeyCode) -> [Effect] { Reducer.reduce(&state, KeyTable.action(for: key, in: Reducer.context(state))!) }
        _ = press(.character(" "))  // unchecks profile (row 0)
        #expect(!state.profiles.checked.contains(.profile))
        _ = press(.character(" "))
        for _ in 0..<100 { _ = press(.right) }
        #expect(state.profiles.seconds == 300)
        for _ in 0..<100 { _ = press(.left) }
        #expect(state.profiles.seconds == 1)
        _ = press(.right)
        #expect(state.profiles.seconds == 5)
        let effects = press(.enter)
        #expect(
            effects == [
                .captureProfiles([
                    ProfileCaptureRequest(id: 1, kind: .profile, seconds: 5), ProfileCaptureRequest(id: 2, kind: .heap, seconds: nil),
                    ProfileCaptureRequest(id: 3, kind: .goroutine, seconds: nil),
                ])
            ])
        #expect(press(.enter).isEmpty)  // one batch at a time
        _ = ProfilesReducer.receive(&state, .progress(id: 1, remaining: 3.2))
        _ = ProfilesReducer.receive(&state, .saved(id: 2, path: "./teleport-top-profiles/127.0.0.1_3000-heap-20261117T102640Z.pb.gz", bytes: 48_211))
        _ = ProfilesReducer.receive(
            &state, .failed(id: 3, message: "goroutine: pprof is off: start teleport with --debug, or use the debug socket (--debug-socket / -c)"))
        for (w, h) in Self.sizes { Golden.check(DashboardView.render(state, width: w, height: h), "profiles-captures-\(w)x\(h)") }
        #expect(press(.character("c")) == [.cancelCaptures])
    }

    @Test("p from any tab: a CPU capture whose viewer opens by itself when it is saved")
    func oneKey() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .raw)
        let effects = Reducer.reduce(&state, KeyTable.action(for: .character("p"), in: Reducer.context(state))!)
        #expect(effects == [.captureProfiles([ProfileCaptureRequest(id: 1, kind: .profile, seconds: 30)])])
        let (path, data) = try Self.viewerData()
        let opened = ProfilesReducer.receive(&state, .saved(id: 1, path: path, bytes: 100))
        #expect(state.tab == .profiles)
        #expect(plain(opened) == [.loadProfile(request: 0, path: path, options: TopOptions())])
        guard case .loadProfile(let request, _, _, _) = opened.first else { return }
        _ = Reducer.fold(&state, .report(request: request, data))
        #expect(Reducer.context(state) == .profileViewer)
        let screen = DashboardView.render(state, width: 160, height: 48)
        // The rows are the report's, as go tool pprof -top prints them.
        let report = try #require(data.report)
        for row in report.rows.prefix(10) { #expect(screen.text.contains(row.name), "\(row.name)") }
        #expect(screen.text.contains("Showing nodes accounting for"))
    }

    @Test("Viewer: goldens, s/i/L/focus ask for a new report with those options, Esc goes back")
    func viewer() async throws {
        var state = try await state()
        let (path, data) = try Self.viewerData()
        state.profiles.viewer = ProfileViewerState(path: path, kind: .profile)
        state.profiles.viewer?.data = ProfileViewerData(
            path: path, options: data.options, report: data.report, groups: [], sampleTypes: data.sampleTypes, error: nil)
        for (w, h) in Self.sizes {
            var named = state
            named.profiles.viewer?.path = "127.0.0.1_3000-profile-20261117T102640Z.pb.gz"
            named.profiles.viewer?.data?.path = "127.0.0.1_3000-profile-20261117T102640Z.pb.gz"
            Golden.check(DashboardView.render(named, width: w, height: h), "profiles-viewer-\(w)x\(h)")
        }
        func press(_ key: KeyCode) -> [Effect] { Reducer.reduce(&state, KeyTable.action(for: key, in: Reducer.context(state))!) }
        #expect(plain(press(.character("s"))) == [.loadProfile(request: 0, path: path, options: TopOptions(order: .cum))])
        #expect(plain(press(.character("L"))) == [.loadProfile(request: 0, path: path, options: TopOptions(granularity: .lines, order: .cum))])
        let sample = press(.character("i"))
        #expect(
            plain(sample) == [.loadProfile(request: 0, path: path, options: TopOptions(sampleIndex: data.sampleTypes[0], granularity: .lines, order: .cum))])
        _ = press(.character("/"))
        for c in "Serve" { _ = Reducer.reduce(&state, .filterInput(c)) }
        let focused = Reducer.reduce(&state, .filterDone)
        #expect(
            plain(focused) == [
                .loadProfile(request: 0, path: path, options: TopOptions(sampleIndex: data.sampleTypes[0], granularity: .lines, order: .cum, focus: "Serve"))
            ])
        _ = press(.escape)
        #expect(state.profiles.viewer == nil)
        #expect(Reducer.context(state) == .profiles)
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("pprof FILE on a terminal: the viewer alone, its keys work, tabs and capture do nothing, Esc quits")
    func fileViewer() async throws {
        let (path, data) = try Self.viewerData()
        var state = DashboardState(snapshot: .empty(target: path, interval: .seconds(2)), isEmbedded: false, now: Fixtures.t0)
        state.fileViewer = true
        state.tab = .profiles
        state.profiles.viewer = ProfileViewerState(path: "saved/127.0.0.1_3000-profile-20261117T102640Z.pb.gz", kind: .profile)
        state.profiles.viewer?.data = data
        state.profiles.viewer?.data?.path = "saved/127.0.0.1_3000-profile-20261117T102640Z.pb.gz"
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "pprof-viewer-\(w)x\(h)")
            #expect(!screen.text.contains("Overview"))
            #expect(screen.text.contains("flat%"))
        }
        state.profiles.viewer?.path = path
        state.profiles.viewer?.data?.path = path
        func press(_ key: KeyCode) -> [Effect] { Reducer.reduce(&state, KeyTable.action(for: key, in: Reducer.context(state))!) }
        #expect(press(.character("2")).isEmpty)
        #expect(press(.character("p")).isEmpty)
        #expect(state.tab == .profiles && state.profiles.captures.isEmpty)
        #expect(plain(press(.character("s"))) == [.loadProfile(request: 0, path: path, options: TopOptions(order: .cum))])
        _ = press(.character("?"))
        #expect(DashboardView.render(state, width: 80, height: 24).text.contains("Keys (profileViewer)"))
        _ = press(.escape)
        #expect(!state.quit && !state.showHelp)
        #expect(press(.escape) == [.quit])
        #expect(state.quit)
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("Goroutine viewer: identical stacks grouped with their counts, leaf first; g switches to the top table")
    func goroutineGroups() async throws {
        var state = try await state()
        let path = "127.0.0.1_3000-goroutine-20261117T102640Z.pb.gz"
        func frame(_ function: String, _ file: String, _ line: Int64, inlined: Bool = false) -> GoroutineGroup.Frame {
            GoroutineGroup.Frame(function: function, file: file, line: line, inlined: inlined)
        }
        let groups = [
            GoroutineGroup(
                count: 412,
                frames: [
                    frame("runtime.gopark", "/usr/lib/go/src/runtime/proc.go", 398),
                    frame("runtime.netpollblock", "/usr/lib/go/src/runtime/netpoll.go", 564, inlined: true),
                    frame("internal/poll.(*FD).Read", "/usr/lib/go/src/internal/poll/fd_unix.go", 164),
                    frame("crypto/tls.(*Conn).Read", "/usr/lib/go/src/crypto/tls/conn.go", 1380),
                ]),
            GoroutineGroup(
                count: 37,
                frames: [
                    frame("runtime.gopark", "/usr/lib/go/src/runtime/proc.go", 398),
                    frame("github.com/gravitational/teleport/lib/srv.(*Heartbeat).Run", "lib/srv/heartbeat.go", 286),
                ]),
            GoroutineGroup(count: 1, frames: [frame("runtime/pprof.writeGoroutineStacks", "/usr/lib/go/src/runtime/pprof/pprof.go", 703)]),
        ]
        state.profiles.viewer = ProfileViewerState(path: path, kind: .goroutine)
        state.profiles.viewer?.data = ProfileViewerData(
            path: path, options: TopOptions(), report: nil, groups: groups,
            sampleTypes: ["goroutine"], error: nil)
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "profiles-goroutines-\(w)x\(h)")
            #expect(screen.text.contains("412"))
            #expect(screen.text.contains("runtime.gopark"))
        }
        let text = DashboardView.render(state, width: 160, height: 48).text
        let gopark = try #require(text.range(of: "runtime.gopark"))
        let read = try #require(text.range(of: "crypto/tls.(*Conn).Read"))
        #expect(gopark.lowerBound < read.lowerBound, "leaf first")
        #expect(Reducer.reduce(&state, .toggleGroups) == [])
        #expect(state.profiles.viewer?.groups == false)
    }

    @Test("Clicks on the Profiles tab: a kind is selected, a second click checks it; a saved capture opens on its second click")
    func clicks() async throws {
        var state = try await state()
        let lines = DashboardView.render(state, width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
        let allocsLine = try #require(lines.firstIndex { $0.contains("] allocs") })
        func click(_ y: Int) -> [Effect] {
            let screen = DashboardView.render(state, width: 80, height: 24)
            return Reducer.fold(&state, .input(.click(x: 10, y: y)), screen: screen)
        }
        #expect(click(allocsLine).isEmpty)
        #expect(state.profiles.cursor == 3)
        #expect(!state.profiles.checked.contains(.allocs))
        _ = click(allocsLine)
        #expect(state.profiles.checked.contains(.allocs))
        // A saved capture in the list below.
        let effects = Reducer.reduce(&state, .captureProfile)
        #expect(effects.count == 1)
        _ = ProfilesReducer.receive(&state, .saved(id: 1, path: "/tmp/x.pb.gz", bytes: 10))
        state.profiles.viewer = nil
        let after = DashboardView.render(state, width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
        let captureLine = try #require(after.firstIndex { $0.contains("/tmp/x.pb.gz") })
        #expect(click(captureLine).isEmpty)
        #expect(plain(click(captureLine)) == [.loadProfile(request: 0, path: "/tmp/x.pb.gz", options: TopOptions())])
    }

    @Test("A file that is not a profile shows the decoder's error in the viewer")
    func corrupt() async throws {
        var state = try await state()
        let bytes = Array("<html><body>502 Bad Gateway</body></html>".utf8)
        var message = ""
        do { _ = try PprofDecoder.decode(bytes) } catch { message = "\(error)" }
        #expect(!message.isEmpty)
        state.profiles.viewer = ProfileViewerState(path: "bad.pb.gz", kind: .heap)
        state.profiles.viewer?.data = ProfileViewerData(path: "bad.pb.gz", options: TopOptions(), report: nil, groups: [], sampleTypes: [], error: message)
        #expect(DashboardView.render(state, width: 80, height: 24).text.contains(String(message.prefix(40))))
    }
}
