import Foundation
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

    @Test("assembling rows: one per instance, figures where answered, down targets kept as unreachable")
    func assemble() throws {
        let now = Date(timeIntervalSince1970: 1000)
        let answers: [PrometheusFleetQueries.Name: [PrometheusAnswer.Series]] = try [
            .state: [series(["instance": "a", "job": "teleport"], 2), series(["instance": "b", "job": "teleport"], 0)],
            .build: [series(["instance": "a", "version": "17.4.8"], 1), series(["instance": "b", "version": "16.5.11"], 1)],
            .services: [series(["instance": "a", "service_name": "auth_service"], 1), series(["instance": "a", "service_name": "proxy_service"], 1)],
            .cpu: [series(["instance": "a"], 0.25)],
            .grpcTotal: [series(["instance": "a"], 200), series(["instance": "b"], 0)],
            .grpcFailed: [series(["instance": "a"], 5)],
            .backendP99: [series(["instance": "a"], 0.012), series(["instance": "b"], .nan)],
            .changes: [series(["instance": "a"], 3)],
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
        #expect(a.grpcRate == 200 && a.grpcErrorShare == 0.025 && a.backendP99 == 0.012 && a.changes == 3)
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
        let raw = try [
            series(["__name__": "backend_read_seconds_count", "instance": "a", "job": "t"], 10),
            series(["__name__": "backend_read_seconds_bucket", "le": "+Inf", "instance": "a", "job": "t"], 10),
            series(["__name__": "backend_read_seconds_bucket", "le": "0.1", "instance": "a", "job": "t"], 7),
            series(["__name__": "backend_read_seconds_sum", "instance": "a", "job": "t"], 0.5),
            series(["__name__": "backend_requests", "component": "backend", "instance": "a", "job": "t"], 42),
            series(["__name__": "up", "instance": "a", "job": "t"], 1),
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
}
