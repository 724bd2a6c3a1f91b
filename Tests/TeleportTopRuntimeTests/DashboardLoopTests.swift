import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime
import TeleportTopTestSupport
import TeleportTopUI
import Testing

/// The run loop driven headless through scripted input and events: the one queue, the
/// reducers, effects out and answers in, frames painted.
@Suite("Run loop, headless", .serialized)
struct DashboardLoopTests {
    static let t0 = GoldenSnapshots.t0.addingTimeInterval(80)
    static let settings = DashboardLoop.Settings(symbols: .block, themeName: "default", environment: [:], logPath: nil)

    /// Runs a loop over `state` with the script and returns it with the terminal.
    static func run(
        _ state: DashboardState, queue: EventQueue = EventQueue(), width: Int = 160, height: Int = 48,
        effects: @escaping @Sendable ([Effect]) -> Void, steps: (ScriptedTerminal.Box) -> [ScriptedTerminal.Step]
    ) async throws
        -> (DashboardLoop, ScriptedTerminal)
    {
        let box = ScriptedTerminal.Box()
        let terminal = ScriptedTerminal(width: width, height: height, steps: steps(box))
        box.terminal = terminal
        let loop = DashboardLoop(initial: state, queue: queue, settings: settings, effects: effects, clock: { Self.t0 }, makeTerminal: { _ in terminal })
        box.loop = loop
        // On a thread of its own, as the dashboard runs it: the loop blocks while it waits for
        // input, and the cooperative pool must stay free for the effect runner's answers.
        try await loop.runOnOwnThread().get()
        #expect(terminal.failure == nil, "\(terminal.failure ?? "")")
        #expect(terminal.restored)
        return (loop, terminal)
    }

    @Test("A focus change racing a scrape: only the newest heatmap request's answer is shown, whatever the order answers arrive in")
    func focusRacesScrape() async throws {
        let store = try await GoldenSnapshots.store(scrapes: 40)
        let snapshot = await store.snapshot()
        let family = try #require(snapshot.family("backend_read_seconds"))
        try #require(family.histograms.count >= 2)
        let (a, b) = (
            HistogramSelection(family: family.name, labels: family.histograms[0].labels),
            HistogramSelection(family: family.name, labels: family.histograms[1].labels)
        )
        let heatmapA = try #require(await store.heatmap(family: a.family, labels: a.labels))
        let heatmapB = try #require(await store.heatmap(family: b.family, labels: b.labels))
        try #require(heatmapA != heatmapB)
        var state = DashboardState(snapshot: snapshot, isEmbedded: false, now: Self.t0)
        state.tab = .auth
        state.tables.expanded = [family.name]
        state.selection[.auth] = try #require(TableRows.rows(state).firstIndex { if case .histogram = $0 { return true } else { return false } })
        let log = EffectLog()
        let queue = EventQueue()
        let scrape = ScrapeEvent(outcome: .success(ScrapeResult(time: Self.t0, duration: .milliseconds(1), bytes: 1, families: [])), snapshot: snapshot)
        for answersInOrder in [false, true] {
            let before = log.heatmapRequests.count
            let (loop, terminal) = try await Self.run(
                state, queue: queue, effects: { log.record($0) },
                steps: { box in
                    [
                        .input(.key(.enter)),  // opens A: request 1
                        .run { queue.post(.scrape(scrape)) },  // a scrape while A is open: request 2, for A
                        .input(.key(.escape)),
                        .input(.key(.down)),
                        .input(.key(.enter)),  // opens B: request 3
                        .run {
                            let requests = log.heatmapRequests.dropFirst(before).map(\.0)
                            let answers = [(requests[0], heatmapA), (requests[1], heatmapA), (requests[2], heatmapB)]
                            // Late answers for A after B's, or all in order: B's is shown either way.
                            for (id, heatmap) in answersInOrder ? answers : answers.reversed() { queue.post(.heatmap(request: id, heatmap)) }
                            box.mark()
                        },
                        box.waitForNewFrame(),
                    ]
                })
            let requests = log.heatmapRequests.dropFirst(before)
            #expect(requests.map(\.1) == [a, a, b])
            #expect(Set(requests.map(\.0)).count == 3)
            #expect(loop.state.histogram == b)
            #expect(loop.state.heatmap == heatmapB)
            var expected = loop.state
            expected.heatmap = heatmapB
            #expect(terminal.last == DashboardView.render(expected, width: 160, height: 48))
            var wrong = loop.state
            wrong.heatmap = heatmapA
            #expect(terminal.last != DashboardView.render(wrong, width: 160, height: 48))
        }
    }

    @Test("Two viewer reloads racing: the newest request's report wins even when the older one arrives last")
    func viewerReloadsRace() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tt-loop-\(getpid()).pb.gz").path
        try Data(SyntheticProfile(seed: 11, functions: 30, samples: 300).encoded()).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = DashboardState(snapshot: .empty(target: "t", interval: .seconds(2)), isEmbedded: false, now: Self.t0)
        state.tab = .profiles
        var viewer = ProfileViewerState(path: path, kind: .profile)
        viewer.data = ProfileRunner.report(path: path, options: viewer.options)
        state.profiles.viewer = viewer
        let log = EffectLog()
        let queue = EventQueue()
        let (loop, terminal) = try await Self.run(
            state, queue: queue, effects: { log.record($0) },
            steps: { box in
                [
                    .input(.key(.character("s"))),  // cum
                    .input(.key(.character("s"))),  // flat again
                    .run {
                        let requests = log.reportRequests
                        // The newer (flat) report first, the older (cum) one after it.
                        for (id, options) in requests.reversed() { queue.post(.report(request: id, ProfileRunner.report(path: path, options: options))) }
                        box.mark()
                    },
                    box.waitForNewFrame(),
                ]
            })
        #expect(log.reportRequests.map(\.1.order) == [.cum, .flat])
        let shown = try #require(loop.state.profiles.viewer?.data)
        #expect(shown.options.order == .flat)
        #expect(loop.state.profiles.viewer?.options.order == .flat)
        let text = try #require(terminal.last).text
        #expect(text.contains("sort flat (s)"))
        let flat = try #require(shown.report)
        #expect(text.contains(flat.rows[0].name))
        #expect(terminal.last == DashboardView.render(loop.state, width: 160, height: 48))
    }

    @Test("The real effect runner over real stores: span notices bring queries and answers, a click on a tab, a heatmap from the store")
    func runnerEndToEnd() async throws {
        let store = try await GoldenSnapshots.store(scrapes: 40)
        let queue = EventQueue()
        let spans = SpanStore(capacity: 100) { count in queue.post(.spansArrived(count)) }
        await spans.addSource("test source")
        await spans.add([Self.span("first.Operation", id: 1)])
        let runner = EffectRunner(queue: queue, parts: .init(metrics: store, spans: spans))
        var state = DashboardState(snapshot: await store.snapshot(), isEmbedded: false, now: Self.t0)
        state.tables.expanded = ["backend_read_seconds"]
        let (loop, terminal) = try await Self.run(
            state, queue: queue, effects: { runner.run($0) },
            steps: { box in
                [
                    // A click on tab 8's label in the tab bar.
                    .inputFrom { screen in
                        let region = screen?.regions.first { $0.target == .tab(.spans) }
                        return .click(x: region?.x ?? 0, y: region?.y ?? 0)
                    },
                    .waitFor("the first span") { $0.text.contains("first.Operation") },
                    .run { Task { await spans.add([Self.span("second.Operation", id: 2)]) } },
                    .waitFor("the second span") { $0.text.contains("second.Operation") && $0.text.contains("2 spans") },
                    .input(.key(.character("2"))),
                    .waitFor("tab 2 with the histogram series") { $0.text.contains("{component=") },
                    // The histogram series row of backend_read_seconds, clicked twice (select, open).
                    .inputFrom { screen in box.click(screen) { $0.contains("{component=") } },
                    .waitFor("the series row selected") { _ in box.loop?.state.selectedRow == box.row },
                    .inputFrom { screen in box.click(screen) { $0.contains("{component=") } },
                    .waitFor("the heatmap from the store") { _ in box.loop?.state.heatmap != nil },
                ]
            })
        await runner.finish()
        #expect(loop.state.histogram?.family == "backend_read_seconds")
        #expect(loop.state.heatmap?.columns.count == 39)
        #expect(terminal.frames.count >= 3)
    }

    @Test("Input is never stuck behind data: a flood of scrapes, span notices and progress stays bounded, input and answers are kept")
    func floodStaysBounded() {
        let queue = EventQueue(dataLimit: 8)
        let snapshot = MetricsSnapshot.empty(target: "t", interval: .seconds(1))
        let scrape = ScrapeEvent(outcome: .success(ScrapeResult(time: Self.t0, duration: .zero, bytes: 0, families: [])), snapshot: snapshot)
        for i in 0..<10_000 {
            queue.post(.scrape(scrape))
            queue.post(.spansArrived(1))
            queue.post(.profile(.progress(id: 1, remaining: Double(i))))
            if i == 5_000 { queue.post(.input(.key(.character("q")))) }
        }
        queue.post(.spans(request: 7, .empty))
        let events = queue.drain()
        #expect(events.count <= 8 + 2)
        #expect(events.contains { if case .input(.key(.character("q"))) = $0 { return true } else { return false } })
        #expect(events.contains { if case .spans(7, _) = $0 { return true } else { return false } })
        let notices = events.compactMap { if case .spansArrived(let n) = $0 { return n } else { return nil } }
        #expect(notices == [10_000])
        #expect(queue.dropped > 9_000)
        #expect(queue.isEmpty)
    }

    static func span(_ name: String, id: UInt64) -> SpanRecord {
        let start = UInt64(t0.timeIntervalSince1970 * 1e9) - 1_000_000_000
        return SpanRecord(
            traceID: TraceID(high: 1, low: id), spanID: SpanID(id), name: name, startNanos: start, endNanos: start + 5_000_000,
            resource: SpanResource(attributes: [SpanAttribute("service.name", .string("svc"))]), scope: "test")
    }
}

extension ScriptedTerminal {
    /// Lets a script's steps refer to the terminal they run in.
    final class Box: @unchecked Sendable {
        var terminal: ScriptedTerminal?
        /// The loop (its state is read on its own thread, between two reads).
        var loop: DashboardLoop?
        /// The table row the last `click` hit.
        var row: Int?
        private var marked = 0

        /// A click on the first table row whose line's text satisfies `line`.
        func click(_ screen: Screen?, where line: (Substring) -> Bool) -> InputEvent {
            guard let screen else { return .resize }
            let lines = screen.text.split(separator: "\n", omittingEmptySubsequences: false)
            guard let region = screen.regions.first(where: { if case .tableRow = $0.target { return line(lines[$0.y]) } else { return false } }),
                case .tableRow(let index) = region.target
            else { return .resize }
            row = index
            return .click(x: region.x + 4, y: region.y)
        }

        /// Notes how many frames were painted so far.
        func mark() { marked = terminal?.frames.count ?? 0 }

        /// A step that waits for a frame painted after the last `mark()`.
        func waitForNewFrame() -> Step {
            .waitFor("a new frame") { [unowned self] _ in (self.terminal?.frames.count ?? 0) > self.marked }
        }
    }
}
