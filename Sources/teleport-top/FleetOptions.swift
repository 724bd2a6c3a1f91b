import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData

/// The options that name a fleet: a targets file, a Prometheus server, or N simulated instances.
struct FleetOptions: ParsableArguments {
    @Option(name: .customLong("targets"), help: "A YAML list of targets: {name, diag_addr, debug_socket, config, ca_cert, cert, key, host_name}.")
    var targetsFile: String?

    @Option(help: "Read the fleet from a Prometheus-API server (tested: Prometheus 2.42, VictoriaMetrics 1.79): http(s)://host:port.")
    var prometheus: String?

    @Option(help: "With --prometheus: the series selector, e.g. '{job=\"teleport\"}' (default: every series carrying process_state).")
    var selector: String?

    @Option(name: .customLong("instance-label"), help: "With --prometheus: the label naming an instance (e.g. pod).")
    var instanceLabel: String = "instance"

    @Option(name: .customLong("bearer-token-file"), help: "With --prometheus: send this file's token as a bearer token.")
    var bearerTokenFile: String?

    @Option(name: .customLong("basic-auth-user"), help: "With --prometheus: basic auth user.")
    var basicAuthUser: String?

    @Option(name: .customLong("basic-auth-password-file"), help: "With --prometheus: basic auth password, read from this file.")
    var basicAuthPasswordFile: String?

    @Option(help: "Simulated instances with --embedded (each its own diag listener, roles, version, faults).")
    var instances: Int?

    @Option(help: "Seed of the simulated fleet (the same fleet every run).")
    var seed: UInt64 = 1

    @Option(help: "Polls in flight at once across a fleet.")
    var concurrency: Int = 16

    /// Whether these options (with the target's) name a fleet.
    func isFleet(_ target: TargetOptions) -> Bool {
        targetsFile != nil || prometheus != nil || target.diagAddrs.count > 1 || (instances ?? 1) > 1
    }
}

/// A fleet resolved from the options, started and ready to run.
struct FleetSetup {
    var source: any FleetSource
    /// What the header says feeds the fleet.
    var label: String
    var embedded: EmbeddedFleet?
    var isPrometheus: Bool

    /// Starts what the options name: the embedded fleet's instances, the clients.
    static func make(
        target: TargetOptions, fleet: FleetOptions, interval: Duration, history: Duration, headless: Bool,
        spans: (any SpanSink)? = nil
    ) async throws -> FleetSetup {
        guard fleet.concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if let url = fleet.prometheus {
            guard fleet.targetsFile == nil, target.diagAddrs.isEmpty, target.debugSocket == nil, target.config == nil, !target.embedded,
                fleet.instances == nil
            else {
                throw ValidationError(
                    "--prometheus reads the fleet from the server; it does not go with --targets, --diag-addr, --debug-socket, -c, --embedded or --instances")
            }
            let selector: PrometheusSelector
            do { selector = try fleet.selector.map { text throws(TargetError) in try PrometheusSelector(parsing: text) } ?? .all } catch {
                throw ValidationError(error.description)
            }
            let client: PrometheusClient
            do {
                client = try PrometheusClient(
                    options: .init(
                        baseURL: url, bearerTokenFile: fleet.bearerTokenFile, basicUser: fleet.basicAuthUser,
                        basicPasswordFile: fleet.basicAuthPasswordFile, tls: target.tls, timeout: target.timeout))
            } catch { throw ValidationError(error.description) }
            // `d` polls an instance at its instance label; its diag listener is plain HTTP
            // (the TLS options are the server's).
            var direct = target.clientOptions
            direct.tls = nil
            let source = PrometheusFleet(
                client: client,
                options: .init(
                    selector: selector, instanceLabel: fleet.instanceLabel,
                    interval: interval, window: history, direct: direct))
            return FleetSetup(source: source, label: "Prometheus \(url)" + (selector.matchers.isEmpty ? "" : " \(selector)"), embedded: nil, isPrometheus: true)
        }
        if fleet.selector != nil || fleet.bearerTokenFile != nil || fleet.basicAuthUser != nil {
            throw ValidationError("--selector, --bearer-token-file and --basic-auth-user go with --prometheus")
        }
        var entries: [FleetTargetEntry] = []
        var embedded: EmbeddedFleet?
        if let count = fleet.instances, count > 1 || target.embedded {
            guard count >= 1, count <= 2000 else { throw ValidationError("--instances must be from 1 to 2000") }
            guard fleet.targetsFile == nil, target.diagAddrs.isEmpty, target.debugSocket == nil, target.config == nil else {
                throw ValidationError("--instances runs a simulated fleet; it does not go with --targets, --diag-addr, --debug-socket or -c")
            }
            if headless && !target.embedded { throw ValidationError("--instances runs simulated instances: add --embedded") }
            let started: EmbeddedFleet
            do {
                started = try await EmbeddedFleet.start(count: count, seed: fleet.seed, logSink: LogSink(handle: .nullDevice), spans: spans)
            } catch { throw ValidationError("cannot start the simulated fleet: \(error)") }
            embedded = started
            entries = started.entries
        } else {
            if let file = fleet.targetsFile {
                do { entries = try TargetsFile.load(file) } catch { throw ValidationError(error.description) }
            }
            for addr in target.diagAddrs {
                do { _ = try DiagTarget(diagAddr: addr) } catch { throw ValidationError("--diag-addr: \(error.description)") }
                entries.append(FleetTargetEntry(name: addr, diagAddr: addr))
            }
        }
        var targets: [DirectFleet.Target] = []
        for entry in entries {
            do {
                var options = target.clientOptions
                if entry.caCert != nil || entry.cert != nil {
                    options.tls = ClientTLS(caCertPath: entry.caCert, certPath: entry.cert, keyPath: entry.key)
                }
                targets.append(
                    DirectFleet.Target(
                        name: entry.name, target: try entry.metricsTarget(), options: options, hostName: entry.hostName,
                        socketPath: entry.socketPath))
            } catch { throw ValidationError(error.description) }
        }
        let source: DirectFleet
        do { source = try DirectFleet(targets: targets, interval: interval, history: history, concurrency: fleet.concurrency) } catch {
            await embedded?.stop()
            throw ValidationError(error.description)
        }
        let label = embedded != nil ? "\(targets.count) simulated instances" : "\(targets.count) targets"
        return FleetSetup(source: source, label: label, embedded: embedded, isPrometheus: false)
    }
}
