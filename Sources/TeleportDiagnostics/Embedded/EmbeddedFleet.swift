import Foundation
import TeleportCore

/// N simulated Teleport processes in one process, each with its own diag listener on a free
/// port: auth servers, proxies and agents, most on the newest version and some older
/// (version skew), each with its own workload and fault episodes from a per-instance seed,
/// so the fleet view runs with no Teleport and tests get the same fleet every run.
public final class EmbeddedFleet: Sendable {
    /// One planned instance.
    public struct Member: Sendable, Hashable {
        public var name: String
        /// `auth`, `proxy`, `node`, `kube` or `db`.
        public var role: String
        public var version: String
        public var seed: UInt64
        /// When its first fault episode comes.
        public var firstEpisode: Duration

        /// The `teleport_services` names it reports and the components that heartbeat.
        public var services: [String] {
            switch role {
            case "auth": return ["auth_service"]
            case "proxy": return ["proxy_service"]
            case "kube": return ["kubernetes_service", "ssh_service"]
            case "db": return ["database_service"]
            default: return ["ssh_service"]
            }
        }

        public var components: [String] {
            switch role {
            case "auth", "proxy", "kube", "db": return [role]
            default: return ["node"]
            }
        }
    }

    /// The newest version the simulated fleet runs, and the older ones some agents run.
    public static let newest = "17.4.8"
    public static let older = ["17.4.3", "16.5.11"]

    /// The plan for `count` instances from `seed`: deterministic.
    public static func plan(count: Int, seed: UInt64) -> [Member] {
        var random = SplitMix64(seed: seed)
        let auths = count >= 10 ? 2 : 1
        let proxies = count >= 10 ? 2 : (count >= 2 ? 1 : 0)
        let agentRoles = ["node", "node", "kube", "db"]
        var members: [Member] = []
        var agentIndex = 0
        for i in 0..<count {
            let role: String
            let name: String
            if i < auths {
                role = "auth"
                name = "auth-\(i + 1)"
            } else if i < auths + proxies {
                role = "proxy"
                name = "proxy-\(i - auths + 1)"
            } else {
                role = agentRoles[agentIndex % agentRoles.count]
                agentIndex += 1
                name = "\(role)-\(agentIndex)"
            }
            var version = newest
            if role != "auth" && role != "proxy" {
                if agentIndex % 5 == 3 { version = older[0] } else if agentIndex % 11 == 7 { version = older[1] }
            }
            let memberSeed = random.next()
            members.append(
                Member(
                    name: name, role: role, version: version, seed: memberSeed,
                    firstEpisode: .seconds(45 + Int(memberSeed % 240))))
        }
        return members
    }

    public let members: [Member]
    public let instances: [EmbeddedTeleport]

    private init(members: [Member], instances: [EmbeddedTeleport]) {
        self.members = members
        self.instances = instances
    }

    /// Starts `count` instances on `host` (free ports); stops those started if one fails.
    public static func start(
        count: Int, seed: UInt64 = 1, host: String = "127.0.0.1", logSink: LogSink = .standardError,
        spans: (any SpanSink)? = nil, requestInterval: Duration = .seconds(5)
    ) async throws -> EmbeddedFleet {
        let members = plan(count: count, seed: seed)
        var instances: [EmbeddedTeleport] = []
        do {
            for member in members {
                let simulated = BuildInfo(version: member.version, gitref: "simulated", goversion: BuildInfo.simulated.goversion)
                var configuration = EmbeddedTeleport.configuration()
                configuration.components = member.components
                configuration.buildInfo = simulated
                let identity = EmbeddedTeleport.Identity(
                    seed: member.seed, services: member.services, hostName: member.name,
                    hostUUID: String(format: "%016llx-sim", member.seed), firstEpisode: member.firstEpisode, tick: .seconds(1))
                // Each with its debug service too (its logs and log level), as a Teleport has.
                let socket = DebugSocketPath.defaultDataDir() + "/fleet-\(getpid())-\(instances.count).sock"
                instances.append(
                    try await EmbeddedTeleport.start(
                        address: .tcp(host: host, port: 0), configuration: configuration,
                        logLevel: LogLevelControl(.info), logSink: logSink, spans: spans, requestInterval: requestInterval, identity: identity,
                        socketPath: socket))
            }
        } catch {
            for instance in instances { await instance.stop() }
            throw error
        }
        return EmbeddedFleet(members: members, instances: instances)
    }

    /// The fleet as a `--targets` file's entries.
    public var entries: [FleetTargetEntry] {
        zip(members, instances).map { member, instance in
            var addr = ""
            if case .tcp(let host, let port) = instance.address { addr = "\(host):\(port)" }
            return FleetTargetEntry(name: member.name, diagAddr: addr, debugSocket: instance.socketPath, hostName: member.name)
        }
    }

    /// Stops every instance.
    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for instance in instances { group.addTask { await instance.stop() } }
        }
    }
}
