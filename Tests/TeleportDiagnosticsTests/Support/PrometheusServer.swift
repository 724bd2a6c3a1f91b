import Foundation

/// Debian's `prometheus` started by a test: a generated config scraping the given targets
/// every `scrapeInterval` under job `teleport`, a temporary storage directory, a free port.
/// Readiness is waited for by polling (`/-/ready`, then `/api/v1/targets`), never by sleeping.
struct PrometheusServer {
    static let available = Prerequisites.which("prometheus") != nil

    let process: ChildProcess
    let url: String
    let directory: URL

    static func start(targets: [String], scrapeInterval: String = "1s") async throws -> PrometheusServer {
        let binary = try require2(Prerequisites.which("prometheus"), "prometheus missing: apt-get install prometheus")
        let directory = Paths.temporaryDirectory("prom")
        let config = """
            global:
              scrape_interval: \(scrapeInterval)
              scrape_timeout: \(scrapeInterval)
            scrape_configs:
              - job_name: teleport
                static_configs:
                  - targets: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))]

            """
        let configPath = directory.appendingPathComponent("prometheus.yml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let port = Ports.closed()
        let process = try ChildProcess(
            binary,
            [
                "--config.file=\(configPath)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ])
        let server = PrometheusServer(process: process, url: "http://127.0.0.1:\(port)", directory: directory)
        try await server.waitUntil(timeout: .seconds(60), "Prometheus ready") {
            (try? await HTTP.request(server.url + "/-/ready"))?.status == 200
        }
        return server
    }

    /// Polls `condition` every 200 ms until it holds; throws after `timeout`.
    func waitUntil(timeout: Duration, _ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw FixtureError("\(what): not within \(timeout)")
    }

    /// The scrape targets' health by instance (`up`, `down`, `unknown`) and last errors.
    func targets() async -> [String: (health: String, lastError: String, scraped: Bool)] {
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

    func stop() async { _ = await process.stop() }
}

/// `#require` for helpers outside a test.
func require2<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw FixtureError(message) }
    return value
}
