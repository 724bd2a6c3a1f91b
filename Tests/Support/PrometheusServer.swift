import Foundation

/// A Prometheus-API server started by a test: Debian's `prometheus`, or Debian's
/// `victoria-metrics` (with its default `-search.latencyOffset` of 30 s, or another), with a
/// generated config scraping the given targets every `scrapeInterval` under job `teleport`,
/// a temporary storage directory, a free port. Readiness is waited for by polling (`/-/ready`
/// or `/health`), never by sleeping.
package struct PrometheusServer {
    /// Which server, and how it is started.
    package enum Engine: Sendable, CustomStringConvertible {
        case prometheus
        /// `latencyOffset`: `-search.latencyOffset` (nil: the default, 30 s).
        case victoriaMetrics(latencyOffset: String?)

        package var binary: String {
            switch self {
            case .prometheus: return "prometheus"
            case .victoriaMetrics: return "victoria-metrics"
            }
        }

        package var available: Bool { Prerequisites.which(binary) != nil }

        package var description: String {
            switch self {
            case .prometheus: return "Prometheus"
            case .victoriaMetrics(let offset?): return "VictoriaMetrics -search.latencyOffset=\(offset)"
            case .victoriaMetrics(nil): return "VictoriaMetrics"
            }
        }
    }

    package static let available = Prerequisites.which("prometheus") != nil

    package let process: ChildProcess
    package let url: String
    package let directory: URL
    package let engine: Engine

    /// `jobs`: each scrapes every target at its own interval (job name, interval); by default
    /// one job, `teleport`, at `scrapeInterval`.
    package static func start(
        targets: [String], scrapeInterval: String = "1s", engine: Engine = .prometheus, jobs: [(name: String, interval: String)]? = nil
    ) async throws -> PrometheusServer {
        let binary = try require2(Prerequisites.which(engine.binary), "\(engine.binary) missing: apt-get install \(engine.binary)")
        let directory = Paths.temporaryDirectory("prom")
        let list = targets.map { "\"\($0)\"" }.joined(separator: ", ")
        let scrapeConfigs = (jobs ?? [("teleport", scrapeInterval)]).map { job in
            """
              - job_name: \(job.name)
                scrape_interval: \(job.interval)
                scrape_timeout: \(job.interval)
                static_configs:
                  - targets: [\(list)]
            """
        }
        let config = """
            global:
              scrape_interval: \(scrapeInterval)
              scrape_timeout: \(scrapeInterval)
            scrape_configs:
            \(scrapeConfigs.joined(separator: "\n"))

            """
        let configPath = directory.appendingPathComponent("prometheus.yml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let port = Ports.closed()
        let data = directory.appendingPathComponent("data").path
        let arguments: [String]
        let readiness: String
        switch engine {
        case .prometheus:
            arguments = [
                "--config.file=\(configPath)", "--storage.tsdb.path=\(data)", "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ]
            readiness = "/-/ready"
        case .victoriaMetrics(let offset):
            arguments =
                [
                    "-promscrape.config=\(configPath)", "-storageDataPath=\(data)", "-httpListenAddr=127.0.0.1:\(port)", "-loggerLevel=ERROR",
                ] + (offset.map { ["-search.latencyOffset=\($0)"] } ?? [])
            readiness = "/health"
        }
        let process = try ChildProcess(binary, arguments)
        let server = PrometheusServer(process: process, url: "http://127.0.0.1:\(port)", directory: directory, engine: engine)
        try await server.waitUntil(timeout: .seconds(60), "\(engine) ready") {
            (try? await HTTP.request(server.url + readiness))?.status == 200
        }
        return server
    }

    /// Polls `condition` every 200 ms until it holds; throws after `timeout`.
    package func waitUntil(timeout: Duration, _ what: String, _ condition: () async -> Bool) async throws {
        try await Self.poll(timeout: timeout, what, condition)
    }

    /// Polls `condition` every 200 ms until it holds; throws after `timeout`.
    package static func poll(timeout: Duration, _ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw FixtureError("\(what): not within \(timeout)")
    }

    /// The scrape targets' health by instance (`up`, `down`, `unknown`) and last errors.
    package func targets() async -> [String: (health: String, lastError: String, scraped: Bool)] {
        guard let answer = try? await HTTP.request(url + "/api/v1/targets"),
            let json = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
            let data = json["data"] as? [String: Any], let active = data["activeTargets"] as? [[String: Any]]
        else { return [:] }
        var out: [String: (String, String, Bool)] = [:]
        for target in active {
            guard let labels = target["labels"] as? [String: String], let instance = labels["instance"] else { continue }
            let last = target["lastScrape"] as? String ?? ""
            out[instance] = (target["health"] as? String ?? "", target["lastError"] as? String ?? "", !last.hasPrefix("0001"))
        }
        return out
    }

    /// Stops the server and removes its data.
    package func stop() async {
        _ = await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// `#require` for helpers outside a test.
package func require2<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw FixtureError(message) }
    return value
}
