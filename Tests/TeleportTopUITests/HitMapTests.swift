import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// Clicks through the hit map: each view names the regions it drew, a click is looked up in
/// the frame on display, and the screen's reducer acts on what it names.
@Suite("Hit maps and clicks")
struct HitMapTests {
    /// Renders, finds the region of `target`, clicks its middle, and returns the effects.
    static func click(_ state: inout DashboardState, _ target: HitTarget, width: Int = 160, height: Int = 48) throws -> [Effect] {
        let screen = DashboardView.render(state, width: width, height: height)
        let region = try #require(screen.regions.last { $0.target == target }, "no region \(target)")
        #expect(screen.target(atX: region.x + region.width / 2, y: region.y) == target)
        return Reducer.fold(&state, .input(.click(x: region.x + region.width / 2, y: region.y)), screen: screen)
    }

    @Test("Every region lies inside its screen, at both sizes, on every screen")
    func regionsInside() async throws {
        let snapshot = try await Fixtures.snapshot()
        for tab in Tab.ordered {
            for (w, h) in [(80, 24), (160, 48)] {
                let screen = DashboardView.render(Fixtures.state(snapshot, tab: tab), width: w, height: h)
                #expect(screen.regions.contains { $0.target == .tab(tab) })
                for region in screen.regions {
                    #expect(region.x >= 0 && region.y >= 0 && region.x + region.width <= w && region.y + region.height <= h, "\(tab) \(region)")
                }
            }
        }
        // A click on nothing does nothing.
        var state = Fixtures.state(snapshot, tab: .auth)
        let screen = DashboardView.render(state, width: 160, height: 48)
        #expect(Reducer.fold(&state, .input(.click(x: 150, y: 47)), screen: screen).isEmpty)
        #expect(Reducer.fold(&state, .input(.click(x: 3, y: 10)), screen: nil).isEmpty)
    }

    @Test("Tab 8's view bar and the operations table: a click selects a view, a row, then opens it")
    func spansViews() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .spans)
        state.now = SpanFixtures.now
        SpansReducer.receive(&state, await SpanFixtures.store().snapshot(now: SpanFixtures.now))
        _ = try Self.click(&state, .spansView(.operations))
        #expect(state.spansTab.view == .operations)
        #expect(try Self.click(&state, .spanRow(1)).isEmpty)
        #expect(state.selection[.spans] == 1)
        let operation = state.spans.operations[1]
        let effects = try Self.click(&state, .spanRow(1))
        #expect(state.spansTab.view == .feed)
        #expect(plain(effects) == [.querySpans(request: 0, SpanQuery(service: operation.service, operation: operation.operation), trace: nil)])
        _ = try Self.click(&state, .spansView(.operations))
        _ = try Self.click(&state, .spansView(.feed))
        #expect(state.spansTab.view == .feed)
    }

    @Test("Waterfall: a click selects a span, a second click folds its children")
    func waterfall() async throws {
        let store = await SpanFixtures.store()
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .spans)
        state.now = SpanFixtures.now
        SpansReducer.receive(&state, await store.snapshot(now: SpanFixtures.now))
        let failing = try #require(state.spans.feed.firstIndex { $0.isError && $0.parentSpanID == nil })
        state.selection[.spans] = failing
        await SpanFixtures.run(Reducer.reduce(&state, .enter), &state, store)
        #expect(Reducer.context(state) == .waterfall)
        #expect(WaterfallReducer.nodes(state).count == 5)
        #expect(try Self.click(&state, .waterfallRow(1)).isEmpty)
        #expect(state.spansTab.waterfallRow == 1)
        _ = try Self.click(&state, .waterfallRow(1))
        #expect(WaterfallReducer.nodes(state).count == 3)
        _ = try Self.click(&state, .waterfallRow(1))
        #expect(WaterfallReducer.nodes(state).count == 5)
    }

    @Test("Profile viewer: a click selects a row of the top-N, and a goroutine group")
    func viewerRows() async throws {
        var state = Fixtures.state(try await Fixtures.snapshot(), tab: .profiles)
        let (path, data) = try ProfilesScreenTests.viewerData()
        defer { try? FileManager.default.removeItem(atPath: path) }
        state.profiles.viewer = ProfileViewerState(path: path, kind: .profile)
        state.profiles.viewer?.data = data
        #expect(try Self.click(&state, .viewerRow(4)).isEmpty)
        #expect(state.profiles.viewer?.row == 4)
        let frame = GoroutineGroup.Frame(function: "runtime.gopark", file: "/usr/lib/go/src/runtime/proc.go", line: 398, inlined: false)
        state.profiles.viewer = ProfileViewerState(path: path, kind: .goroutine)
        state.profiles.viewer?.data = ProfileViewerData(
            path: path, options: TopOptions(), report: nil,
            groups: [GoroutineGroup(count: 9, frames: [frame, frame]), GoroutineGroup(count: 3, frames: [frame])], sampleTypes: ["goroutine"], error: nil)
        // The selected group spans its stack's lines; the next one is a line of its own.
        let screen = DashboardView.render(state, width: 160, height: 48)
        let first = try #require(screen.regions.first { $0.target == .viewerRow(0) })
        #expect(first.height == 2)
        _ = try Self.click(&state, .viewerRow(1))
        #expect(state.profiles.viewer?.row == 1)
    }
}
