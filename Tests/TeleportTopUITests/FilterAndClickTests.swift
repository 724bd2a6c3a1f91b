import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

@Suite("Label filter, mouse clicks, row memo")
struct FilterAndClickTests {
    @Test("Label matchers: =, !=, =~ (whole value), !~, quoted values, several at once")
    func matchers() throws {
        let labels = [Label("component", "backend"), Label("req", "/nodes/default")]
        func holds(_ text: String) throws -> Bool { try LabelFilter(parsing: text).matches(labels) }
        #expect(try holds("component=backend"))
        #expect(try !holds("component=cache"))
        #expect(try holds("component!=cache"))
        #expect(try holds("req=~/nodes/.*"))
        #expect(try !holds("req=~nodes"))  // PromQL anchors: a partial match is no match
        #expect(try holds("req!~/roles.*"))
        #expect(try holds("component=\"backend\", req=~/nodes/.+"))
        #expect(try !holds("component=backend,req=/roles"))
        #expect(try holds("missing="))  // an absent label is the empty value
        #expect(try holds(""))
    }

    @Test("Bad matchers name the part and the reason")
    func badMatchers() {
        for (text, reason) in [
            ("component", "expected name=value"), ("comp onent=x", "is not a label name"), ("req=~(", "not a regular expression"),
            ("=x", "is not a label name"),
        ] {
            #expect(throws: LabelFilter.FilterError.self) { try LabelFilter(parsing: text) }
            do { _ = try LabelFilter(parsing: text) } catch { #expect(error.description.contains(reason), "\(text): \(error)") }
        }
    }

    @Test("Rows under a label filter: only families with a matching series, only matching series, histograms too")
    func filteredRows() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot, tab: .auth)
        state.tables.labelFilter = "component=cache"
        let rows = TableRows.rows(state)
        #expect(!rows.isEmpty)
        for row in rows {
            switch row {
            case .family(let f):
                let family = snapshot.families[f]
                #expect(
                    family.series.contains { $0.key.labels[label: "component"] == "cache" }
                        || family.histograms.contains { $0.labels[label: "component"] == "cache" })
            case .series(let f, let s): #expect(snapshot.families[f].series[s].key.labels[label: "component"] == "cache")
            case .histogram(let f, let h): #expect(snapshot.families[f].histograms[h].labels[label: "component"] == "cache")
            }
        }
        #expect(rows.contains { if case .histogram = $0 { return true } else { return false } })
        // Typing it through the keys gives the same rows; a bad one is refused with the reason.
        var typed = Fixtures.state(snapshot, tab: .auth)
        _ = Reducer.reduce(&typed, .startLabelFilter)
        for c in "component=cache" { _ = Reducer.reduce(&typed, .filterInput(c)) }
        _ = Reducer.reduce(&typed, .filterDone)
        #expect(typed.editing == nil)
        #expect(TableRows.rows(typed) == rows)
        _ = Reducer.reduce(&typed, .startLabelFilter)
        _ = Reducer.reduce(&typed, .filterInput(","))
        _ = Reducer.reduce(&typed, .filterInput("x"))
        _ = Reducer.reduce(&typed, .filterDone)
        #expect(typed.editing == .labels)
        #expect(typed.message?.contains("expected name=value") == true)
        _ = Reducer.reduce(&typed, .filterCancel)
        #expect(typed.tables.labelFilter.isEmpty)
    }

    @Test("Clicks: a tab, tab 2's view bar, a row selects it, a click on the selected row opens it")
    func clicks() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot)
        let (w, h) = (160, 48)
        func click(_ x: Int, _ y: Int) -> [Effect] {
            let screen = DashboardView.render(state, width: w, height: h)
            return Reducer.fold(&state, .input(.click(x: x, y: y)), screen: screen)
        }
        let authColumn = try #require(DashboardView.render(state, width: w, height: h).regions.first { $0.target == .tab(.auth) }).x + 1
        _ = click(authColumn, 2)
        #expect(state.tab == .auth)
        let screen = DashboardView.render(state, width: w, height: h)
        let bar = screen.text.split(separator: "\n", omittingEmptySubsequences: false)[3]
        let watcherColumn = try #require(bar.range(of: "watcher")).lowerBound.utf16Offset(in: bar)
        _ = click(watcherColumn, 3)
        #expect(state.tables.authView == .watcher)
        state.tables.authView = .families
        state.tables.expanded = ["backend_read_seconds"]
        // The line showing the histogram series of backend_read_seconds, read off the screen.
        let lines = DashboardView.render(state, width: w, height: h).text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("{component=\"backend\"}") })
        _ = click(5, line)
        let rows = TableRows.rows(state)
        guard case .histogram = rows[state.selectedRow] else {
            Issue.record("row \(state.selectedRow) is \(rows[state.selectedRow])")
            return
        }
        #expect(state.histogram == nil)
        let effects = click(5, line)
        #expect(state.histogram?.family == "backend_read_seconds")
        #expect(plain(effects) == [.queryHeatmap(request: 0, try #require(state.histogram))])
        #expect(click(5, h - 1).isEmpty)
    }

    @Test("Rows are computed once per snapshot and settings")
    func memo() async throws {
        let snapshot = try await Fixtures.snapshot()
        var state = Fixtures.state(snapshot, tab: .raw)
        let first = TableRows.rows(state)
        #expect(TableRows.rows(state) == first)
        state.tables.filter = "^backend_"
        let filtered = TableRows.rows(state)
        #expect(filtered.count < first.count)
        #expect(filtered == TableRows.compute(state))
        state.tables.filter = ""
        #expect(TableRows.rows(state) == first)
    }
}
