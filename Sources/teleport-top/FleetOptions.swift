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

/// A fleet the options name, started: its setup (made by the data side's `FleetSetup`) and
/// the simulated fleet it runs, if any.
struct FleetLaunch {
    var setup: FleetSetup
    var embedded: EmbeddedFleet?
    var source: any FleetSource { setup.source }
    /// What the header says feeds the fleet.
    var label: String { setup.label }

    /// Starts what the options name: the embedded fleet's instances, the clients.
    static func start(
        target: TargetOptions, fleet: FleetOptions, interval: Duration, history: Duration, headless: Bool,
        spans: (any SpanSink)? = nil
    ) async throws -> FleetLaunch {
        var request = FleetRequest()
        request.targetsFile = fleet.targetsFile
        request.prometheus = fleet.prometheus
        request.selector = fleet.selector
        request.instanceLabel = fleet.instanceLabel
        request.bearerTokenFile = fleet.bearerTokenFile
        request.basicAuthUser = fleet.basicAuthUser
        request.basicAuthPasswordFile = fleet.basicAuthPasswordFile
        request.instances = fleet.instances
        request.concurrency = fleet.concurrency
        request.diagAddrs = target.diagAddrs
        request.debugSocket = target.debugSocket
        request.config = target.config
        request.embedded = target.embedded
        request.client = target.clientOptions
        var embedded: EmbeddedFleet?
        let seed = fleet.seed
        do {
            let setup = try await FleetSetup.make(
                request, interval: interval, history: history, headless: headless,
                startSimulated: { count in
                    let started = try await EmbeddedFleet.start(count: count, seed: seed, logSink: LogSink(handle: .nullDevice), spans: spans)
                    embedded = started
                    return started.entries
                },
                stopSimulated: { await embedded?.stop() })
            return FleetLaunch(setup: setup, embedded: embedded)
        } catch { throw ValidationError(error.description) }
    }
}
