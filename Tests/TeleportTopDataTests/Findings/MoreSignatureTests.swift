import Foundation
import TeleportCore
import Testing

@testable import TeleportTopData

@Suite("Findings: watcher queues, cache resets, tunnels against resources, gRPC latency per method")
struct MoreSignatureTests {
    @Test("Backend watcher queues growing steadily (summed over components) warn; steady queues do not")
    func watcherQueues() throws {
        func queues(_ t: Double, growing: Bool) -> MetricFamily {
            let grow = growing ? t : 0
            return MetricFamily(
                name: "backend_watcher_queues_total", type: .gauge,
                samples: [
                    Sample(name: "backend_watcher_queues_total", labels: [Label("component", "cache")], value: 40 + grow * 0.4),
                    Sample(name: "backend_watcher_queues_total", labels: [Label("component", "backend")], value: 20 + grow * 0.2),
                ])
        }
        var growing = HistoryBuilder()
        growing.run(to: 620) { t in [queues(t, growing: true)] }
        let finding = try #require(growing.evaluate().findings.first { $0.check == "watcher-queues-growing" })
        #expect(finding.severity == .warning)
        #expect(finding.title.hasPrefix("backend watcher queues climbing steadily"))
        #expect((finding.value ?? 0) > 400)  // the total of both components
        var steady = HistoryBuilder()
        steady.run(to: 620) { t in [queues(t, growing: false)] }
        #expect(!steady.evaluate().findings.contains { $0.check == "watcher-queues-growing" })
    }

    @Test("The cache going unhealthy and back twice in the windows is resets; once is a hiccup")
    func cacheResets() throws {
        for (dips, expected) in [([100.0, 220.0], true), ([100.0], false), ([], false)] {
            var builder = HistoryBuilder()
            builder.run(to: 320) { t in
                let unhealthy = dips.contains { t >= $0 && t < $0 + 6 }
                return [HistoryBuilder.gauge("teleport_cache_health", unhealthy ? 0 : 1, labels: [Label("cache_component", "auth")])]
            }
            let finding = builder.evaluate().findings.first { $0.check == "cache-resets" }
            #expect((finding != nil) == expected, "dips at \(dips)")
            if let finding {
                #expect(finding.value == 2)
                let since = try #require(finding.since).timeIntervalSince(HistoryBuilder.t0)
                #expect(since > 90 && since <= 100)  // the start of the slot the first dip fell in
            }
        }
    }

    @Test("Reverse tunnels dropping while connected resources hold is told (information); both dropping is not a disagreement")
    func tunnelsDisagree() throws {
        func run(tunnelsAfter: Double, resourcesAfter: Double) -> FindingsReport {
            var builder = HistoryBuilder()
            builder.run(to: 360) { t in
                [
                    HistoryBuilder.gauge("teleport_reverse_tunnels_connected", t < 300 ? 30 : tunnelsAfter, labels: [Label("type", "node")]),
                    HistoryBuilder.gauge("teleport_connected_resources", t < 300 ? 30 : resourcesAfter, labels: [Label("type", "node")]),
                ]
            }
            return builder.evaluate()
        }
        let disagree = try #require(run(tunnelsAfter: 10, resourcesAfter: 30).findings.first { $0.check == "tunnels-disagree" })
        #expect(disagree.severity == .info)
        #expect(disagree.title.hasPrefix("reverse tunnels dropped to 10 from 30 while connected resources held at 30"))
        let other = try #require(run(tunnelsAfter: 30, resourcesAfter: 12).findings.first { $0.check == "tunnels-disagree" })
        #expect(other.title.hasPrefix("connected resources dropped to 12"))
        #expect(!run(tunnelsAfter: 10, resourcesAfter: 10).findings.contains { $0.check == "tunnels-disagree" })
        #expect(!run(tunnelsAfter: 30, resourcesAfter: 30).findings.contains { $0.check == "tunnels-disagree" })
    }

    @Test("gRPC latency per method against its baseline: a unary method 20× slower is critical, named by method; streams are not judged")
    func grpcLatency() throws {
        let bounds: [Double] = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, .infinity]
        func family(_ fast: Double, _ slow: Double, type: String) -> MetricFamily {
            var samples: [Sample] = []
            let labels = [Label("grpc_method", "GetNodes"), Label("grpc_service", "proto.AuthService"), Label("grpc_type", type)]
            for bound in bounds {
                // fast calls at ~30 ms, slow ones at ~0.8 s
                let count = (bound >= 0.032 ? fast : 0) + (bound >= 1.024 ? slow : 0)
                let le = bound.isInfinite ? "+Inf" : String(bound)
                samples.append(Sample(name: "grpc_server_handling_seconds_bucket", labels: labels + [Label("le", le)], value: count))
            }
            samples.append(Sample(name: "grpc_server_handling_seconds_count", labels: labels, value: fast + slow))
            samples.append(Sample(name: "grpc_server_handling_seconds_sum", labels: labels, value: 0))
            return MetricFamily(name: "grpc_server_handling_seconds", type: .histogram, samples: samples)
        }
        for type in ["unary", "server_stream"] {
            var builder = HistoryBuilder()
            var fast = 0.0
            var slow = 0.0
            builder.run(to: 360) { t in
                if t < 300 { fast += 100 } else { slow += 100 }
                return [family(fast, slow, type: type)]
            }
            let finding = builder.evaluate().findings.first { $0.check == "grpc-latency" }
            if type == "unary" {
                let finding = try #require(finding)
                #expect(finding.severity == .critical)
                #expect(finding.title.hasPrefix("gRPC proto.AuthService/GetNodes latency "))
                #expect(finding.title.contains("its baseline of"))
            } else {
                #expect(finding == nil)
            }
        }
    }
}
