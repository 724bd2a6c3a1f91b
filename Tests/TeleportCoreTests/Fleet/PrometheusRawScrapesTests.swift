import Foundation
import Testing

@testable import TeleportCore

/// An instance's raw samples (a range selector asked as an instant query) regrouped into the
/// scrapes that took them, each at its own timestamp.
@Suite("raw samples to scrapes")
struct PrometheusRawScrapesTests {
    /// A matrix answer as both engines write it.
    static func answer(_ series: [(labels: String, points: [(Double, String)])]) throws -> [PrometheusAnswer.Series] {
        let result = series.map { item in
            "{\"metric\":{\(item.labels)},\"values\":[" + item.points.map { "[\($0.0),\"\($0.1)\"]" }.joined(separator: ",") + "]}"
        }
        let body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\(result.joined(separator: ","))]}}"
        return try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: Array(body.utf8), status: 200).data.series
    }

    static let series: [(labels: String, points: [(Double, String)])] = [
        (
            #""__name__":"backend_requests","component":"backend","instance":"a:1","job":"t""#,
            [(1_700_000_000.000, "10"), (1_700_000_015.000, "40"), (1_700_000_030.000, "70")]
        ),
        (#""__name__":"process_state","instance":"a:1","job":"t""#, [(1_700_000_000.000, "0"), (1_700_000_015.000, "1"), (1_700_000_030.000, "1")]),
        // A series that appeared at the second scrape, its sample stamped 3 ms later.
        (#""__name__":"go_goroutines","instance":"a:1","job":"t""#, [(1_700_000_015.003, "12"), (1_700_000_030.000, "13")]),
    ]

    @Test("One scrape per timestamp, oldest first, each at the samples' own time with the families a scrape gives")
    func grouping() throws {
        let scrapes = PrometheusRawScrapes.scrapes(from: try Self.answer(Self.series), metadata: [:], dropping: ["instance", "job"])
        #expect(scrapes.map { ($0.time.timeIntervalSince1970 * 1000).rounded() } == [1_700_000_000_000, 1_700_000_015_003, 1_700_000_030_000])
        #expect(
            scrapes.map { $0.families.map(\.name) } == [
                ["backend_requests", "process_state"], ["backend_requests", "go_goroutines", "process_state"],
                ["backend_requests", "go_goroutines", "process_state"],
            ])
        let requests = try #require(scrapes[1].families.first { $0.name == "backend_requests" })
        // Typed by the catalog without metadata (Teleport's counter without _total); the
        // instance and job labels dropped.
        #expect(requests.type == .counter)
        #expect(requests.samples == [Sample(name: "backend_requests", labels: [Label("component", "backend")], value: 40)])
    }

    @Test("Only samples after the newest held; nothing new is no scrape")
    func after() throws {
        let series = try Self.answer(Self.series)
        let newer = PrometheusRawScrapes.scrapes(
            from: series, metadata: [:], dropping: [], after: Date(timeIntervalSince1970: 1_700_000_015.003))
        #expect(newer.map { ($0.time.timeIntervalSince1970 * 1000).rounded() } == [1_700_000_030_000])
        #expect(PrometheusRawScrapes.scrapes(from: series, metadata: [:], dropping: [], after: Date(timeIntervalSince1970: 1_700_000_030)).isEmpty)
        #expect(PrometheusRawScrapes.scrapes(from: [], metadata: [:], dropping: []).isEmpty)
        // Up to a moment (an engine that holds the newest back): later samples wait.
        let held = PrometheusRawScrapes.scrapes(from: series, metadata: [:], dropping: [], through: Date(timeIntervalSince1970: 1_700_000_015.003))
        #expect(held.map { ($0.time.timeIntervalSince1970 * 1000).rounded() } == [1_700_000_000_000, 1_700_000_015_003])
    }

    @Test("Timestamps apart by the tolerance or more are separate scrapes; a series keeps its newest sample within one")
    func tolerance() throws {
        let series = try Self.answer([
            (#""__name__":"x""#, [(100.0, "1"), (100.2, "2"), (101.0, "3")]),
            (#""__name__":"y""#, [(100.4, "7")]),
        ])
        let scrapes = PrometheusRawScrapes.scrapes(from: series, metadata: [:], dropping: [], tolerance: 0.5)
        #expect(scrapes.map { ($0.time.timeIntervalSince1970 * 1000).rounded() } == [100_400, 101_000])
        #expect(scrapes[0].families.flatMap(\.samples).map(\.value) == [2, 7])
        #expect(scrapes[1].families.flatMap(\.samples).map(\.value) == [3])
    }

    @Test("Hostile times (huge, negative, not finite) are dropped, never a trap")
    func hostileTimes() throws {
        let series = try Self.answer([(#""__name__":"x""#, [(1e300, "1"), (-1e300, "2"), (5.0, "3")])])
        let scrapes = PrometheusRawScrapes.scrapes(from: series, metadata: [:], dropping: [])
        #expect(scrapes.map { ($0.time.timeIntervalSince1970 * 1000).rounded() } == [5_000])
    }

    @Test("Metadata that says unknown does not hide the catalog's type; a declared type wins over another target's unknown")
    func unknownMetadata() throws {
        let body =
            #"{"status":"success","data":{"backend_requests":[{"type":"unknown","help":"h","unit":""}],"x_total":[{"type":"unknown","help":"","unit":""},{"type":"gauge","help":"","unit":""}]}}"#
        let metadata = try PrometheusAnswer.decode(PrometheusAnswer.MetadataData.self, body: Array(body.utf8), status: 200).data
        let series = try Self.answer([(#""__name__":"backend_requests""#, [(1.0, "1")]), (#""__name__":"x_total""#, [(1.0, "2")])])
        let types = PrometheusRawScrapes.scrapes(from: series, metadata: metadata, dropping: []).first?.families.map(\.type)
        #expect(types == [.counter, .gauge])
    }
}
