import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// Diffs in the dashboard: `b` marks a capture as its kind's baseline, `D` diffs the open
/// capture against it (pprof's -base for a cumulative kind of the same process, else
/// -diff_base), `%` normalizes; goldens of the diff in the table, the flame graph with its
/// legend and the goroutine groups ranked by growth, at 80x24 and 200x60.
@Suite("Profile diffs (goldens)", .serialized)
struct ProfileDiffScreenTests {
    static let sizes = [(80, 24), (200, 60)]
    static let basePath = "saved/127.0.0.1_3000-profile-20261117T102640Z.pb.gz"
    static let newPath = "saved/127.0.0.1_3000-profile-20261117T103140Z.pb.gz"

    /// Two generated CPU profiles sharing their vocabulary of functions, the later one heavier.
    static func profiles() throws -> (base: PprofProfile, new: PprofProfile) {
        let base = try PprofDecoder.decode(SyntheticProfile(seed: 7, functions: 40, samples: 400).encoded())
        let new = try PprofDecoder.decode(SyntheticProfile(seed: 8, functions: 40, samples: 600).encoded())
        return (base, new)
    }

    static func press(_ state: inout DashboardState, _ key: KeyCode, width: Int = 80) -> [Effect] {
        state.columns = width
        guard let action = KeyTable.action(for: key, in: Reducer.context(state)) else { return [] }
        return Reducer.reduce(&state, action)
    }

    /// The dashboard with two saved captures of `kind` (ids 1 and 2, of `pids`), on the list.
    func listState(kind: ProfileKind = .profile, pids: (Int?, Int?) = (4242, 4242)) async throws -> DashboardState {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .profiles)
        state.profiles = ProfilesTabState(seconds: 30, directory: "./saved")
        state.profiles.captures = [
            ProfileCaptureEntry(
                id: 1, kind: kind, seconds: nil, started: Fixtures.t0, status: .saved(path: Self.basePath, bytes: 4096), instance: nil, pid: pids.0),
            ProfileCaptureEntry(
                id: 2, kind: kind, seconds: nil, started: Fixtures.t0.addingTimeInterval(300), status: .saved(path: Self.newPath, bytes: 5120),
                instance: nil, pid: pids.1),
        ]
        state.profiles.cursor = ProfilesTabState.kinds.count
        return state
    }

    @Test("b marks the capture under the cursor as its kind's baseline (the list says so), again unmarks; a running capture cannot be one")
    func markOnTheList() async throws {
        var state = try await listState()
        #expect(Self.press(&state, .character("b")).isEmpty)
        #expect(state.profiles.baselines[.profile] == ProfileBaseline(path: Self.basePath, kind: .profile, started: Fixtures.t0, pid: 4242))
        #expect(state.message?.contains("baseline for profile") == true)
        let screen = DashboardView.render(state, width: 160, height: 48).text
        let line = try #require(screen.split(separator: "\n").first { $0.contains(Self.basePath) })
        #expect(line.contains("baseline"))
        #expect(screen.split(separator: "\n").first { $0.contains(Self.newPath) }?.contains("baseline") == false)
        _ = Self.press(&state, .character("b"))
        #expect(state.profiles.baselines.isEmpty)
        // On the checklist, or on a capture still running: a message, no baseline.
        state.profiles.cursor = 0
        _ = Self.press(&state, .character("b"))
        #expect(state.profiles.baselines.isEmpty)
        state.profiles.captures[0].status = .running(remaining: 3)
        state.profiles.cursor = ProfilesTabState.kinds.count
        _ = Self.press(&state, .character("b"))
        #expect(state.profiles.baselines.isEmpty)
        #expect(state.message == "only a saved pprof capture can be a baseline")
    }

    @Test("Captures a replay found are baselines too: b on one, D on a later one diffs with -diff_base (their pid is unknown)")
    func replayed() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .profiles)
        state.profiles = ProfilesTabState(seconds: 30, directory: "./saved")
        _ = ProfilesReducer.receive(&state, .replayed(kind: .allocs, started: Fixtures.t0, path: Self.basePath, bytes: 4096))
        _ = ProfilesReducer.receive(&state, .replayed(kind: .allocs, started: Fixtures.t0.addingTimeInterval(60), path: Self.newPath, bytes: 4096))
        state.profiles.cursor = ProfilesTabState.kinds.count
        try openLater(&state)
        #expect(state.profiles.baselines[.allocs]?.pid == nil)
        let effects = Self.press(&state, .character("D"))
        #expect(
            plain(effects) == [
                .loadProfile(request: 0, path: Self.newPath, options: TopOptions(), diff: ProfileDiffRequest(basePath: Self.basePath, meaning: .diffBase))
            ])
    }

    /// Marks capture 1 as the baseline and opens capture 2 in the viewer.
    func openLater(_ state: inout DashboardState) throws {
        _ = Self.press(&state, .character("b"))
        _ = Self.press(&state, .down)
        let effects = Self.press(&state, .enter)
        #expect(effects.count == 1)
        #expect(Reducer.context(state) == .profileViewer)
    }

    @Test("D asks for the diff: -base for allocs, block and mutex of the same pid, -diff_base otherwise; % adds -normalize; D again: the capture alone")
    func meanings() async throws {
        let cases: [(ProfileKind, (Int?, Int?), DiffMeaning)] = [
            (.allocs, (4242, 4242), .base), (.block, (4242, 4242), .base), (.mutex, (4242, 4242), .base),
            (.allocs, (4242, 4300), .diffBase), (.allocs, (nil, nil), .diffBase), (.heap, (4242, 4242), .diffBase),
            (.profile, (4242, 4242), .diffBase), (.goroutine, (4242, 4242), .diffBase),
        ]
        for (kind, pids, meaning) in cases {
            var state = try await listState(kind: kind, pids: pids)
            try openLater(&state)
            let effects = Self.press(&state, .character("D"))
            let expected = ProfileDiffRequest(basePath: Self.basePath, meaning: meaning)
            #expect(plain(effects) == [.loadProfile(request: 0, path: Self.newPath, options: TopOptions(), diff: expected)], "\(kind) \(pids)")
            let normalized = Self.press(&state, .character("%"))
            #expect(
                plain(normalized) == [
                    .loadProfile(
                        request: 0, path: Self.newPath, options: TopOptions(),
                        diff: ProfileDiffRequest(basePath: Self.basePath, meaning: meaning, normalize: true))
                ])
            #expect(plain(Self.press(&state, .character("D"))) == [.loadProfile(request: 0, path: Self.newPath, options: TopOptions())])
        }
    }

    @Test("D without a baseline, or on the baseline itself, says why and asks for nothing; % needs a diff")
    func refusals() async throws {
        var state = try await listState()
        _ = Self.press(&state, .enter)  // opens capture 1, no baseline yet
        #expect(Self.press(&state, .character("D")).isEmpty)
        #expect(state.message == "no profile baseline yet: b marks one (here or on the Profiles tab)")
        #expect(Self.press(&state, .character("%")).isEmpty)
        #expect(state.message == "% normalizes a diff: D shows one first")
        #expect(Self.press(&state, .character("b")).isEmpty)  // b in the viewer marks the open capture
        #expect(state.profiles.baselines[.profile]?.path == Self.basePath)
        #expect(Self.press(&state, .character("D")).isEmpty)
        #expect(state.message == "this capture is the profile baseline: open a later one to diff")
        #expect(DashboardView.render(state, width: 160, height: 48).text.contains("the profile baseline (b)"))
    }

    @Test("The flame graph follows: D there asks for the diff's tree (and the table's report); F after D asks for the tree of the diff")
    func flameKeys() async throws {
        var state = try await listState(kind: .allocs)
        try openLater(&state)
        _ = Self.press(&state, .character("D"))
        let effects = Self.press(&state, .character("F"))
        let diff = ProfileDiffRequest(basePath: Self.basePath, meaning: .base)
        #expect(plain(effects) == [.loadFlame(request: 0, path: Self.newPath, options: TopOptions(), diff: diff)])
        #expect(Reducer.context(state) == .flame)
        let back = Self.press(&state, .character("D"))
        #expect(
            plain(back) == [
                .loadProfile(request: 0, path: Self.newPath, options: TopOptions()), .loadFlame(request: 0, path: Self.newPath, options: TopOptions()),
            ])
        let normalized = Self.press(&state, .character("%"))
        #expect(normalized.isEmpty)
    }

    /// The viewer on capture 2 diffed against capture 1 (both CPU profiles), its report and tree computed as the runner does.
    static func diffState(safe: Bool = false) throws -> DashboardState {
        let (base, new) = try profiles()
        let diff = ProfileDiffRequest(basePath: basePath, meaning: .diffBase)
        let combined = try ProfileDiff.combine(new: new, base: base, meaning: .diffBase)
        var state = DashboardState(snapshot: .empty(target: newPath, interval: .seconds(2)), isEmbedded: false, now: Fixtures.t0)
        state.tab = .profiles
        state.colorBlindSafe = safe
        state.profiles.baselines[.profile] = ProfileBaseline(path: basePath, kind: .profile, started: Fixtures.t0, pid: 4242)
        var viewer = ProfileViewerState(path: newPath, kind: .profile, started: Fixtures.t0.addingTimeInterval(300), pid: 4242)
        viewer.showsDiff = true
        viewer.data = ProfileViewerData(
            path: newPath, options: TopOptions(), report: try TopReport(combined), groups: [], sampleTypes: new.sampleTypes.map(\.type), error: nil,
            diff: diff)
        var flame = FlameViewState()
        flame.tree = try CallTree(combined, diff: true)
        flame.options = TopOptions()
        flame.diff = diff
        viewer.flame = flame
        state.profiles.viewer = viewer
        return state
    }

    /// One character per cell for the diff roles: `+` grew, `-` shrank, `=` within the noise
    /// floor, `P`/`Q` their colour-blind-safe pair, `S` selection, `.` anything else.
    static func diffRoleMap(_ screen: Screen) -> Screen {
        var map = Screen(width: screen.width, height: screen.height)
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let marks: [StyleRole: Character] = [
                    .flameGrew: "+", .flameShrank: "-", .flameSame: "=", .flameGrewSafe: "P", .flameShrankSafe: "Q", .selection: "S",
                ]
                map[x, y] = Cell(marks[screen[x, y].role] ?? ".")
            }
        }
        return map
    }

    @Test("Goldens: the diff's table (signed values, shares of the baseline's total, the meaning said) and its flame graph with the legend")
    func goldens() throws {
        var state = try Self.diffState()
        state.profiles.viewer?.showsFlame = false
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "diff-table-\(w)x\(h)")
            #expect(screen.text.contains("diff -diff_base vs \(BaselineMarking.time(Fixtures.t0)) (D) · % normalizes") || w < 100, "\(screen.text)")
        }
        let report = try #require(state.profiles.viewer?.data?.report)
        #expect(report.rows.contains { $0.flat < 0 } && report.rows.contains { $0.flat > 0 })
        state.profiles.viewer?.showsFlame = true
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "diff-flame-\(w)x\(h)")
            Golden.check(Self.diffRoleMap(screen), "diff-flame-roles-\(w)x\(h)")
            #expect(screen.text.contains(" grew ") && screen.text.contains(" shrank ") && screen.text.contains(" within ±"))
        }
        // Colour-blind safe: the same frames in the safe pair, never red or green.
        var safeState = try Self.diffState(safe: true)
        safeState.profiles.viewer?.showsFlame = true
        let safe = DashboardView.render(safeState, width: 200, height: 60)
        var flameState = state
        flameState.columns = 200
        let standard = DashboardView.render(flameState, width: 200, height: 60)
        let safeRoles = Set(safe.cells.map(\.role))
        #expect(safeRoles.contains(.flameGrewSafe) && safeRoles.contains(.flameShrankSafe))
        #expect(!safeRoles.contains(.flameGrew) && !safeRoles.contains(.flameShrank))
        #expect(safe.text == standard.text)
    }

    @Test("The noise floor: one sample more (0 → 1) is not painted; a path only in one capture says (new) or (gone)")
    func noiseFloorAndSides() throws {
        // 200 samples of a;b in the baseline; now 200 of a;b, one of a;c (new), and a;d gone.
        func profile(_ stacks: [([String], Int64)]) -> PprofProfile {
            var functions: [PprofProfile.Function] = []
            var locations: [PprofProfile.Location] = []
            var index: [String: Int32] = [:]
            func location(_ name: String) -> Int32 {
                if let known = index[name] { return known }
                functions.append(PprofProfile.Function(id: UInt64(functions.count + 1), name: name))
                locations.append(
                    PprofProfile.Location(id: UInt64(locations.count + 1), lines: [PprofProfile.Line(function: Int32(functions.count - 1), line: 1)]))
                index[name] = Int32(locations.count - 1)
                return Int32(locations.count - 1)
            }
            let samples = stacks.map { frames, value in PprofProfile.Sample(locations: frames.reversed().map(location), values: [value]) }
            return PprofProfile(
                sampleTypes: [.init(type: "samples", unit: "count")], samples: samples, locations: locations, functions: functions,
                periodType: .init(type: "cpu", unit: "nanoseconds"), period: 10_000_000)
        }
        let base = profile([(["a", "b"], 200), (["a", "d"], 30)])
        let new = profile([(["a", "b"], 200), (["a", "c"], 1), (["x"], 40)])
        let tree = try CallTree(ProfileDiff.combine(new: new, base: base, meaning: .diffBase), diff: true)
        let shading = FlameDiffShading(tree)
        #expect(shading.floor == 3)  // 1% of 241 rounded up, at least two samples
        func node(_ path: [String]) throws -> CallTree.Node {
            var current = CallTree.root
            for name in path { current = try #require(tree.children(of: current).first { tree.name(of: $0) == name }) }
            return tree.nodes[Int(current)]
        }
        #expect(shading.shade(try node(["a", "b"])) == .same)
        #expect(shading.shade(try node(["a", "c"])) == .same)  // 0 → 1: noise
        #expect(FlameDiffShading.side(try node(["a", "c"])) == .newOnly)
        #expect(shading.shade(try node(["a", "d"])) == .shrank)
        #expect(FlameDiffShading.side(try node(["a", "d"])) == .baseOnly)
        #expect(shading.shade(try node(["x"])) == .grew)
        #expect(FlameDiffShading.side(try node(["a"])) == .both)
        #expect(FlameView.diffLabel(tree, try #require(tree.children(of: CallTree.root).first { tree.name(of: $0) == "x" }), columns: 40) == "x (new) +17.39%")
    }

    @Test("Goroutine diff: the stacks ranked by growth, the leak first with its count change, in the grouped view (g)")
    func goroutineGoldens() throws {
        func goroutines(_ stacks: [([String], Int64)]) -> PprofProfile {
            var functions: [PprofProfile.Function] = []
            var locations: [PprofProfile.Location] = []
            var index: [String: Int32] = [:]
            func location(_ name: String) -> Int32 {
                if let known = index[name] { return known }
                functions.append(PprofProfile.Function(id: UInt64(functions.count + 1), name: name, filename: "/src/\(name).go"))
                locations.append(
                    PprofProfile.Location(id: UInt64(locations.count + 1), lines: [PprofProfile.Line(function: Int32(functions.count - 1), line: 42)]))
                index[name] = Int32(locations.count - 1)
                return Int32(locations.count - 1)
            }
            let samples = stacks.map { frames, value in PprofProfile.Sample(locations: frames.map(location), values: [value]) }
            return PprofProfile(
                sampleTypes: [.init(type: "goroutine", unit: "count")], samples: samples, locations: locations, functions: functions,
                periodType: .init(type: "goroutine", unit: "count"), period: 1)
        }
        let parked = ["runtime.gopark", "runtime.chanrecv1", "main.parkedOnChannel", "runtime.goexit"]
        let leak = ["runtime.gopark", "runtime.chanrecv1", "main.leakLoop.func1", "runtime.goexit"]
        let served = ["runtime.gopark", "runtime.netpollblock", "net/http.(*conn).serve", "runtime.goexit"]
        let base = goroutines([(parked, 5), (served, 4), (["runtime.gopark", "main.main"], 1)])
        let new = goroutines([(parked, 5), (leak, 60), (served, 2), (["runtime.gopark", "main.main"], 1)])
        let changes = GoroutineGroupChange.changes(new: new, base: base)
        #expect(changes.map(\.change) == [60, -2, 0, 0])
        #expect(changes.first?.frames.map(\.function) == leak)
        var state = DashboardState(snapshot: .empty(target: Self.newPath, interval: .seconds(2)), isEmbedded: false, now: Fixtures.t0)
        state.tab = .profiles
        state.profiles.baselines[.goroutine] = ProfileBaseline(path: Self.basePath, kind: .goroutine, started: Fixtures.t0)
        var viewer = ProfileViewerState(path: Self.newPath, kind: .goroutine)
        viewer.showsDiff = true
        let diff = ProfileDiffRequest(basePath: Self.basePath, meaning: .diffBase)
        viewer.data = ProfileViewerData(
            path: Self.newPath, options: TopOptions(), report: try TopReport(ProfileDiff.combine(new: new, base: base, meaning: .diffBase)), groups: [],
            sampleTypes: ["goroutine"], error: nil, diff: diff, groupChanges: changes)
        state.profiles.viewer = viewer
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "diff-goroutines-\(w)x\(h)")
            #expect(screen.text.contains("     +60      0     60  main.leakLoop.func1 (in runtime.gopark)"), "\(screen.text)")
        }
        // g: the diff's top table instead, with its signed rows.
        _ = Self.press(&state, .character("g"))
        #expect(DashboardView.render(state, width: 200, height: 60).text.contains("main.leakLoop.func1"))
    }
}
