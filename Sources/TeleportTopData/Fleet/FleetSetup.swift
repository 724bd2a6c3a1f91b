import Foundation
import TeleportCore

/// What the command line names as a fleet: a targets file, a Prometheus-API server, several
/// `--diag-addr`s, or N simulated instances.
public struct FleetRequest: Sendable {
    public var targetsFile: String?
    public var prometheus: String?
    public var selector: String?
    public var instanceLabel = "instance"
    public var bearerTokenFile: String?
    public var basicAuthUser: String?
    public var basicAuthPasswordFile: String?
    public var instances: Int?
    public var concurrency = 16
    public var diagAddrs: [String] = []
    public var debugSocket: String?
    public var config: String?
    public var embedded = false
    /// The options every direct poll uses (TLS here is the Prometheus server's too).
    public var client = DiagClient.Options()

    public init() {}
}

/// A fleet's options refused, or its source that could not be made: the words to print.
public struct FleetSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A fleet resolved from a request and ready to run: its source and what the header calls it.
public struct FleetSetup: Sendable {
    public var source: any FleetSource
    /// What the header says feeds the fleet.
    public var label: String
    public var isSimulated: Bool
    public var isPrometheus: Bool

    /// Checks the request and makes its source. `startSimulated` starts N simulated
    /// instances and gives their entries (only asked when the request names them); a
    /// failure after it ran calls `stopSimulated` before throwing.
    public static func make(
        _ request: FleetRequest, interval: Duration, history: Duration, headless: Bool,
        startSimulated: (Int) async throws -> [FleetTargetEntry], stopSimulated: () async -> Void
    ) async throws(FleetSetupError) -> FleetSetup {
        guard request.concurrency >= 1 else { throw FleetSetupError("--concurrency must be at least 1") }
        if let url = request.prometheus { return try prometheus(url, request, interval: interval, history: history) }
        if request.selector != nil || request.bearerTokenFile != nil || request.basicAuthUser != nil {
            throw FleetSetupError("--selector, --bearer-token-file and --basic-auth-user go with --prometheus")
        }
        var entries: [FleetTargetEntry] = []
        var simulated = false
        if let count = request.instances, count > 1 || request.embedded {
            guard count >= 1, count <= 2000 else { throw FleetSetupError("--instances must be from 1 to 2000") }
            guard request.targetsFile == nil, request.diagAddrs.isEmpty, request.debugSocket == nil, request.config == nil else {
                throw FleetSetupError("--instances runs a simulated fleet; it does not go with --targets, --diag-addr, --debug-socket or -c")
            }
            if headless && !request.embedded { throw FleetSetupError("--instances runs simulated instances: add --embedded") }
            do { entries = try await startSimulated(count) } catch { throw FleetSetupError("cannot start the simulated fleet: \(error)") }
            simulated = true
        } else {
            if let file = request.targetsFile {
                do { entries = try TargetsFile.load(file) } catch { throw FleetSetupError(error.description) }
            }
            for addr in request.diagAddrs {
                do { _ = try DiagTarget(diagAddr: addr) } catch { throw FleetSetupError("--diag-addr: \(error.description)") }
                entries.append(FleetTargetEntry(name: addr, diagAddr: addr))
            }
        }
        do {
            let targets = try entries.map { entry throws(TargetError) in
                var options = request.client
                if entry.caCert != nil || entry.cert != nil {
                    options.tls = ClientTLS(caCertPath: entry.caCert, certPath: entry.cert, keyPath: entry.key)
                }
                return DirectFleet.Target(
                    name: entry.name, target: try entry.metricsTarget(), options: options, hostName: entry.hostName, socketPath: entry.socketPath)
            }
            let source = try DirectFleet(targets: targets, interval: interval, history: history, concurrency: request.concurrency)
            let label = simulated ? "\(targets.count) simulated instances" : "\(targets.count) targets"
            return FleetSetup(source: source, label: label, isSimulated: simulated, isPrometheus: false)
        } catch {
            if simulated { await stopSimulated() }
            throw FleetSetupError(error.description)
        }
    }

    /// The fleet read from a Prometheus-API server; `d` polls an instance at its instance
    /// label, whose diag listener is plain HTTP (the TLS options are the server's).
    static func prometheus(_ url: String, _ request: FleetRequest, interval: Duration, history: Duration) throws(FleetSetupError) -> FleetSetup {
        guard request.targetsFile == nil, request.diagAddrs.isEmpty, request.debugSocket == nil, request.config == nil, !request.embedded,
            request.instances == nil
        else {
            throw FleetSetupError(
                "--prometheus reads the fleet from the server; it does not go with --targets, --diag-addr, --debug-socket, -c, --embedded or --instances")
        }
        let selector: PrometheusSelector
        do { selector = try request.selector.map { text throws(TargetError) in try PrometheusSelector(parsing: text) } ?? .all } catch {
            throw FleetSetupError(error.description)
        }
        let client: PrometheusClient
        do {
            client = try PrometheusClient(
                options: .init(
                    baseURL: url, bearerTokenFile: request.bearerTokenFile, basicUser: request.basicAuthUser,
                    basicPasswordFile: request.basicAuthPasswordFile, tls: request.client.tls, timeout: request.client.timeout))
        } catch { throw FleetSetupError(error.description) }
        var direct = request.client
        direct.tls = nil
        let source = PrometheusFleet(
            client: client,
            options: .init(selector: selector, instanceLabel: request.instanceLabel, interval: interval, window: history, direct: direct))
        let label = "Prometheus \(url)" + (selector.matchers.isEmpty ? "" : " \(selector)")
        return FleetSetup(source: source, label: label, isSimulated: false, isPrometheus: true)
    }
}
