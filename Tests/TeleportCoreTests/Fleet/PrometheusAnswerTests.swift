import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore

/// Prometheus API answers: decoding, errors, the fleet rows they make, the families of one
/// instance's raw series, and hostile bodies.
@Suite("Prometheus answers")
struct PrometheusAnswerTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a vector, a matrix and a scalar decode; warnings are kept; special values parse")
    func decodes() throws {
        let vector =
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"process_state","instance":"a:3000","job":"teleport"},"value":[1764650000.5,"2"]},{"metric":{"instance":"b"},"value":[1764650000.5,"NaN"]},{"metric":{"instance":"c"},"value":[1764650000.5,"+Inf"]}]},"warnings":["partial \u001b[31mresponse"]}"#
        let (data, warnings) = try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: bytes(vector), status: 200)
        #expect(data.resultType == "vector")
        #expect(data.series.count == 3)
        #expect(data.series[0].value?.value == 2 && data.series[0].value?.time == 1764650000.5)
        #expect(data.series[1].value?.value.isNaN == true)
        #expect(data.series[2].value?.value == .infinity)
        #expect(warnings == ["partial \\e[31mresponse"])
        let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"a"},"values":[[1,"0"],[2,"2"]]}]}}"#
        let m = try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: bytes(matrix), status: 200).data
        #expect(m.series[0].values?.map(\.value) == [0, 2])
        let scalar = #"{"status":"success","data":{"resultType":"scalar","result":[1,"42"]}}"#
        #expect(try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: bytes(scalar), status: 200).data.scalar == 42)
    }

    @Test(
        "error answers, foreign bodies and truncation are clear failures",
        arguments: [
            (#"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#, 400, "HTTP 400: bad_data: parse error at char 5"),
            (#"{"status":"error","errorType":"timeout","error":"query timed out"}"#, 503, "HTTP 503: timeout: query timed out"),
            ("<html>502 Bad Gateway</html>", 502, "HTTP 502: <html>502 Bad Gateway</html>"),
            ("not json", 200, "not a Prometheus API answer"),
            (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}"#, 200, "not a Prometheus API answer"),
            (#"{"status":"success"}"#, 200, "answer without data"),
            (#"{"status":"success","data":{"resultType":"weird","result":1}}"#, 200, "not a Prometheus API answer"),
        ])
    func failures(body: String, status: Int, expected: String) {
        #expect {
            _ = try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: bytes(body), status: status)
        } throws: { error in
            String(describing: error).hasPrefix(expected)
        }
    }

    @Test("every truncation of a real answer fails clearly or decodes; oversized bodies are refused")
    func truncated() {
        let body = bytes(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"a"},"value":[1,"1"]}]}}"#)
        for cut in 0..<body.count {
            #expect(throws: PrometheusAnswer.Failure.self) {
                _ = try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: Array(body[..<cut]), status: 200)
            }
        }
        #expect(throws: PrometheusAnswer.Failure.self) {
            _ = try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: [UInt8](repeating: 0x20, count: PrometheusAnswer.maxBytes + 1), status: 200)
        }
    }

    @Test("targets: health, lastError, lastScrape with nanoseconds; Go's zero time is never")
    func targets() throws {
        let body =
            #"{"status":"success","data":{"activeTargets":[{"labels":{"instance":"a:3000","job":"teleport"},"scrapeUrl":"http://a:3000/metrics","health":"down","lastError":"Get \"http://a:3000/metrics\": dial tcp: connection refused","lastScrape":"2026-12-02T05:32:40.123456789Z"},{"labels":{"instance":"b"},"health":"unknown","lastError":"","lastScrape":"0001-01-01T00:00:00Z"}]}}"#
        let targets = try PrometheusAnswer.decode(PrometheusAnswer.TargetsData.self, body: bytes(body), status: 200).data.activeTargets
        #expect(targets[0].health == "down")
        let date = try #require(targets[0].lastScrapeDate)
        #expect(abs(date.timeIntervalSince1970 - 1_796_189_560.123) < 0.002)
        #expect(targets[1].lastScrapeDate == nil)
    }

    @Test("selectors: matchers kept, extra matchers added, bad ones refused")
    func selectors() throws {
        let selector = try PrometheusSelector(parsing: #" {job="teleport", env=~"prod.*"} "#)
        #expect(selector.metric("up") == #"up{job="teleport", env=~"prod.*"}"#)
        #expect(selector.metric("x", #"grpc_code!="OK""#) == #"x{job="teleport", env=~"prod.*",grpc_code!="OK"}"#)
        #expect(PrometheusSelector.all.metric("up") == "up")
        #expect(PrometheusSelector.equals("pod", #"a"b\c"#) == #"pod="a\"b\\c""#)
        for bad in ["job=teleport", "{job=\"x}", "{a=\"1\"}}", "{{}"] {
            #expect(throws: TargetError.self) { try PrometheusSelector(parsing: bad) }
        }
        #expect(try PrometheusSelector(parsing: #"{job="a}b"}"#).matchers == #"job="a}b""#)
    }

    func series(_ metric: [String: String], _ value: Double, at time: Double = 1000) throws -> PrometheusAnswer.Series {
        let json = try JSONSerialization.data(withJSONObject: ["metric": metric, "value": [time, String(value)]])
        return try JSONDecoder().decode(PrometheusAnswer.Series.self, from: json)
    }

    /// A matrix series: `values` from `start`, `step` apart (nil: no point at that step).
    func range(_ metric: [String: String], _ values: [Double?], start: Double, step: Double = 10) throws -> PrometheusAnswer.Series {
        let points = values.enumerated().compactMap { i, v in v.map { [start + Double(i) * step, String($0)] as [Any] } }
        let json = try JSONSerialization.data(withJSONObject: ["metric": metric, "values": points])
        return try JSONDecoder().decode(PrometheusAnswer.Series.self, from: json)
    }

    @Test("assembling rows: one per instance, figures where answered, down targets kept as unreachable")
    func assemble() throws {
        let now = Date(timeIntervalSince1970: 1000)
        // a: ok, degraded, ok, down (up 0), degraded: 4 changes. b began inside the window,
        // starting then ok: 1 change (its beginning is none, where MetricsQL's changes() says 1).
        let answers: [PrometheusFleetQueries.Name: [PrometheusAnswer.Series]] = [
            .state: [try series(["instance": "a", "job": "teleport"], 2), try series(["instance": "b", "job": "teleport"], 0)],
            .build: [try series(["instance": "a", "version": "17.4.8"], 1), try series(["instance": "b", "version": "16.5.11"], 1)],
            .services: [
                try series(["instance": "a", "service_name": "auth_service"], 1), try series(["instance": "a", "service_name": "proxy_service"], 1),
            ],
            .start: [try series(["instance": "a"], 100), try series(["instance": "b"], 950)],
            .cpu: [try series(["instance": "a"], 0.25)],
            .grpcTotal: [try series(["instance": "a"], 200), try series(["instance": "b"], 0)],
            .grpcFailed: [try series(["instance": "a"], 5)],
            .backendP99: [try series(["instance": "a"], 0.012), try series(["instance": "b"], .nan)],
            .restarts: [try series(["instance": "b"], 850)],
            .stateRange: [
                try range(["instance": "a"], [0, 0, 2, 2, 0, nil, 2, 2], start: 930),
                try range(["instance": "b"], [nil, nil, nil, nil, nil, 3, 0, 0], start: 930),
            ],
            .upRange: [try range(["instance": "a"], [1, 1, 1, 1, 1, 0, 1, 1], start: 930)],
        ]
        let targets = try PrometheusAnswer.decode(
            PrometheusAnswer.TargetsData.self,
            body: bytes(
                #"{"status":"success","data":{"activeTargets":[{"labels":{"instance":"c","job":"teleport"},"health":"down","lastError":"connection refused","lastScrape":"1970-01-01T00:16:30Z"},{"labels":{"instance":"z","job":"node"},"health":"down","lastError":"x","lastScrape":"1970-01-01T00:16:30Z"}]}}"#
            ), status: 200
        ).data.activeTargets
        let rows = PrometheusFleetQueries.assemble(answers: answers, targets: targets, instanceLabel: "instance", now: now, window: 600)
        #expect(rows.map(\.name) == ["a", "b", "c"])  // z is another job's target
        let a = rows[0]
        #expect(a.state == .degraded && a.version == "17.4.8" && a.roles == ["auth", "proxy"] && a.cpu == 0.25)
        #expect(a.grpcRate == 200 && a.grpcErrorShare == 0.025 && a.backendP99 == 0.012 && a.changes == 4)
        #expect(a.restartedAt == nil && a.stateSince == Date(timeIntervalSince1970: 990))
        #expect(a.strip.last == .degraded && a.strip.contains(.unreachable) && a.strip[0] == nil)
        #expect(rows[1].changes == 1 && rows[1].restartedAt == Date(timeIntervalSince1970: 950))  // starting, then ok
        #expect(a.memory == nil && a.goroutines == nil && a.heartbeatsMissed == nil)  // not answered: blank, never zero
        #expect(rows[1].grpcErrorShare == nil && rows[1].backendP99 == nil)  // no requests: no share; NaN: no p99
        #expect(rows[2].state == .unreachable && rows[2].scrapeError == "connection refused")
        #expect(rows[2].lastScrape == Date(timeIntervalSince1970: 990))
    }

    @Test("an instance's raw series become the families a scrape gives (histograms assembled by metadata)")
    func families() throws {
        let metadata: PrometheusAnswer.MetadataData = [
            "backend_read_seconds": [.init(type: "histogram", help: "read latency", unit: "")],
            "backend_requests": [.init(type: "counter", help: nil, unit: nil)],
        ]
        let raw = [
            try series(["__name__": "backend_read_seconds_count", "instance": "a", "job": "t"], 10),
            try series(["__name__": "backend_read_seconds_bucket", "le": "+Inf", "instance": "a", "job": "t"], 10),
            try series(["__name__": "backend_read_seconds_bucket", "le": "0.1", "instance": "a", "job": "t"], 7),
            try series(["__name__": "backend_read_seconds_sum", "instance": "a", "job": "t"], 0.5),
            try series(["__name__": "backend_requests", "component": "backend", "instance": "a", "job": "t"], 42),
            try series(["__name__": "up", "instance": "a", "job": "t"], 1),
        ]
        let families = PrometheusFleetQueries.families(from: raw, metadata: metadata, dropping: ["instance", "job"])
        #expect(families.map(\.name) == ["backend_read_seconds", "backend_requests", "up"])
        let histogram = families[0]
        #expect(histogram.type == .histogram && histogram.help == "read latency")
        #expect(
            histogram.samples.map(\.name) == [
                "backend_read_seconds_bucket", "backend_read_seconds_bucket", "backend_read_seconds_sum",
                "backend_read_seconds_count",
            ])
        #expect(histogram.samples[0].labels == [Label("le", "0.1")])
        #expect(families[1].type == .counter && families[1].samples[0].labels == [Label("component", "backend")])
        #expect(families[2].type == .untyped)
        // Written by our writer and parsed back, the families are what a scrape of them gives.
        let parsed = try ExpositionParser().parse(ExpositionWriter.writeString(families))
        #expect(parsed.map(\.name) == families.map(\.name))
    }

    @Test("without metadata (VictoriaMetrics answers {}), types come from the catalog, then from the sample names")
    func familiesWithoutMetadata() throws {
        let raw = [
            try series(["__name__": "backend_read_seconds_bucket", "le": "+Inf", "instance": "a"], 10),
            try series(["__name__": "backend_read_seconds_bucket", "le": "0.1", "instance": "a"], 7),
            try series(["__name__": "backend_read_seconds_sum", "instance": "a"], 0.5),
            try series(["__name__": "backend_read_seconds_count", "instance": "a"], 10),
            try series(["__name__": "process_cpu_seconds_total", "instance": "a"], 12.5),
            try series(["__name__": "process_state", "instance": "a"], 0),
            // Not in the catalog: typed by their names.
            try series(["__name__": "fixture_wait_seconds_bucket", "le": "1", "instance": "a"], 3),
            try series(["__name__": "fixture_wait_seconds_bucket", "le": "+Inf", "instance": "a"], 4),
            try series(["__name__": "fixture_wait_seconds_sum", "instance": "a"], 2),
            try series(["__name__": "fixture_wait_seconds_count", "instance": "a"], 4),
            try series(["__name__": "fixture_gc_seconds", "quantile": "0.5", "instance": "a"], 0.01),
            try series(["__name__": "fixture_gc_seconds_sum", "instance": "a"], 1),
            try series(["__name__": "fixture_gc_seconds_count", "instance": "a"], 100),
            try series(["__name__": "fixture_requests_total", "instance": "a"], 42),
            try series(["__name__": "fixture_temperature", "instance": "a"], 21),
            try series(["__name__": "fixture_lonely_count", "instance": "a"], 1),
        ]
        let families = PrometheusFleetQueries.families(from: raw, metadata: [:], dropping: ["instance"])
        let types = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0.type) })
        #expect(
            types == [
                "backend_read_seconds": .histogram, "process_cpu_seconds_total": .counter, "process_state": .gauge, "fixture_wait_seconds": .histogram,
                "fixture_gc_seconds": .summary, "fixture_requests_total": .counter, "fixture_temperature": .untyped, "fixture_lonely_count": .untyped,
            ])
        #expect(families.first { $0.name == "backend_read_seconds" }?.help == "Latency for read operations.")
        #expect(families.first { $0.name == "fixture_wait_seconds" }?.samples.count == 4)
        // Such families parse back as a scrape's would.
        let parsed = try ExpositionParser().parse(ExpositionWriter.writeString(families))
        #expect(Dictionary(uniqueKeysWithValues: parsed.map { ($0.name, $0.type) }) == types)
    }

    @Test("state history from range answers: steps down are unreachable, gaps are no observation, the first point is no change")
    func stateHistory() throws {
        let state = try range(["instance": "a"], [3, 0, 0, nil, nil, 0, 2, 1, 0], start: 100)
        let up = try range(["instance": "a"], [1, 1, 1, 0, 0, 1, 1, 1, 1], start: 100)
        let timeline = try #require(PrometheusStateHistory.timelines(state: [state], up: [up], instanceLabel: "instance")["a"])
        #expect(timeline.transitions.map(\.to) == [.starting, .ok, .unreachable, .ok, .degraded, .recovering, .ok])
        #expect(timeline.changes(since: Date(timeIntervalSince1970: 0)) == 6)
        #expect(timeline.changes(since: Date(timeIntervalSince1970: 150)) == 4)
        #expect(timeline.since(.ok) == Date(timeIntervalSince1970: 180))
        // A gap with up still 1 (a series that stopped) is no observation, not a change.
        let gap = PrometheusStateHistory.timeline(state: (try range([:], [0, nil, 0], start: 0)).values ?? [])
        #expect(gap.changes(since: .distantPast) == 0)
        // Only up: its downs are history; never down, none.
        #expect(PrometheusStateHistory.timelines(state: [], up: [up], instanceLabel: "instance")["a"]?.transitions.map(\.to) == [.unreachable])
        #expect(PrometheusStateHistory.timelines(state: [], up: [try range(["instance": "z"], [1, 1], start: 0)], instanceLabel: "instance").isEmpty)
    }

    @Test("the engine: VictoriaMetrics by its active queries or an empty build info; Prometheus by its version; nothing when neither answered")
    func engine() {
        let prometheus = (200, bytes(#"{"status":"success","data":{"version":"2.42.0+ds","revision":"x","goVersion":"go1.19"}}"#))
        let notFound = (404, bytes("404 page not found\n"))
        #expect(PrometheusEngine.detect(buildInfo: prometheus, activeQueries: notFound)?.description == "Prometheus 2.42.0+ds")
        #expect(PrometheusEngine.detect(buildInfo: (200, bytes(#"{"status":"success","data":{}}"#)), activeQueries: (200, [])) == .victoriaMetrics)
        #expect(PrometheusEngine.detect(buildInfo: (200, bytes(#"{"status":"success","data":{}}"#)), activeQueries: nil) == .victoriaMetrics)
        // A later VictoriaMetrics answers a Prometheus-like version: its active queries tell.
        #expect(PrometheusEngine.detect(buildInfo: prometheus, activeQueries: (200, bytes(#"{"status":"ok","data":[]}"#))) == .victoriaMetrics)
        let mimir = (200, bytes(#"{"status":"success","data":{"application":"Grafana Mimir","version":"2.9.0"}}"#))
        #expect(PrometheusEngine.detect(buildInfo: mimir, activeQueries: notFound)?.description == "Grafana Mimir 2.9.0")
        let hostile = (200, bytes(#"{"status":"success","data":{"version":"1.0\u001b[2J"}}"#))
        #expect(PrometheusEngine.detect(buildInfo: hostile, activeQueries: notFound)?.description == "Prometheus 1.0\\e[2J")
        #expect(PrometheusEngine.detect(buildInfo: nil, activeQueries: nil) == nil)
        #expect(PrometheusEngine.detect(buildInfo: notFound, activeQueries: notFound) == nil)
        #expect(PrometheusEngine.via(.victoriaMetrics, lag: 30.4) == "via VictoriaMetrics, 30s behind")
        #expect(PrometheusEngine.via(PrometheusEngine(name: "Prometheus", version: "2.42.0"), lag: nil) == "via Prometheus 2.42.0")
        #expect(PrometheusEngine.via(nil, lag: nil) == nil)
    }

    @Test("the lag: the median of last scrape minus newest sample, told only beyond a scrape or two")
    func lag() {
        let scrapes = ["a": Date(timeIntervalSince1970: 1000), "b": Date(timeIntervalSince1970: 1001), "c": Date(timeIntervalSince1970: 999)]
        #expect(PrometheusEngine.lag(newestSamples: ["a": 970, "b": 970.5, "c": 968], lastScrapes: scrapes, scrapeInterval: 2) == 30.5)
        #expect(PrometheusEngine.lag(newestSamples: ["a": 1000, "b": 1000, "c": 998], lastScrapes: scrapes, scrapeInterval: 1) == nil)
        #expect(PrometheusEngine.lag(newestSamples: ["a": 985, "b": 986, "c": 984], lastScrapes: scrapes, scrapeInterval: 15) == nil)
        #expect(PrometheusEngine.lag(newestSamples: [:], lastScrapes: scrapes, scrapeInterval: nil) == nil)
    }

    @Test("queries: no changes(), restarts as max over min of the start, the range at the refresh step; an empty selector adds no braces")
    func queries() throws {
        let queries = PrometheusFleetQueries(selector: .all, instanceLabel: "instance", window: 600, step: 2)
        let instant = Dictionary(uniqueKeysWithValues: queries.instant)
        #expect(!instant.values.contains { $0.contains("changes(") })
        #expect(instant[.restarts] == "max_over_time(process_start_time_seconds[600s]) - min_over_time(process_start_time_seconds[600s]) > 1")
        #expect(instant[.newest] == "timestamp(process_state)")
        #expect(queries.step == 2)
        #expect(PrometheusFleetQueries(selector: .all, instanceLabel: "instance", window: 86_400, step: 1).step == 8.64)
        #expect(queries.instant.count + queries.range.count + 1 + 2 + 2 <= PrometheusFleetQueries.perRefresh)
        #expect(PrometheusSelector.all.matchers.isEmpty)
    }
}
