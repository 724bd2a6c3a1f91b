import ArgumentParser
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopRuntime

/// `teleport-top profile [LIST] [-s N]`: `teleport debug profile`'s tarball, from any target.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Collect pprof profiles and write them to stdout as a gzip-compressed tar, like `teleport debug profile`.",
        discussion: """
            LIST is comma-separated; the default is goroutine,heap,profile. Accepted: allocs, block, \
            cmdline, goroutine, heap, mutex, profile, threadcreate, trace. With -s N > 0 every request \
            gets ?seconds=N (a duration for profile and trace, a delta for the others); with 0, profile \
            and trace still take 10 s. The tar holds one <name>.pprof entry (mode 0600) per profile, in \
            the order given; nothing is written unless every profile was collected. The target comes \
            from --diag-addr, --debug-socket or -c (never the embedded engine); the debug socket serves \
            /debug/pprof always, the diag listener only under Teleport's --debug, so -c means its \
            <data_dir>/debug.sock unless --diag-addr is given. Example: \
            teleport-top profile --debug-socket /var/lib/teleport/debug.sock heap,profile -s 30 > profiles.tar.gz
            """
    )

    @OptionGroup var target: RemoteTargetOptions

    @Argument(help: "Profiles to collect, comma-separated (default goroutine,heap,profile).")
    var list: String?

    @Option(name: [.customShort("s"), .customLong("seconds")], help: "Seconds for every profile (0: profile and trace take 10 s, the rest are snapshots).")
    var seconds: Int = 0

    func run() async throws {
        let kinds: [ProfileKind]
        do { kinds = try DebugProfileBundle.parse(list) } catch { throw fail(error.description) }
        if isatty(STDOUT_FILENO) != 0 {
            throw fail("refusing to write a gzip-compressed tar to a terminal: redirect stdout (teleport-top profile > profiles.tar.gz)")
        }
        // The one rule: the debug socket serves /debug/pprof always, the diag listener only
        // under Teleport's --debug; so the socket the options name (-c: its data_dir's) goes
        // first, unless --diag-addr is given.
        let diagTarget: DiagTarget
        do {
            if target.diagAddr == nil, let socket = try SourceResolver.socket(target.request, socketAnswers: DebugSocketFile.answers) {
                diagTarget = .socket(path: socket)
            } else if case .target(let named) = try target.resolve(headless: true) {
                diagTarget = named
            } else {
                throw fail(SourceResolver.noProcessMessage)
            }
        } catch let error as TargetError {
            throw fail(error.description == SourceResolver.noTargetMessage ? SourceResolver.noProcessMessage : error.description)
        }
        let client: DiagClient
        do { client = try DiagClient(target: diagTarget, options: .init(timeout: target.timeout, tls: target.tls)) } catch {
            throw fail(error.description)
        }
        // A capture takes its seconds: on a terminal, say what runs and how long (stdout is the tar).
        let talk = isatty(STDERR_FILENO) != 0
        if talk {
            let timed = kinds.contains { $0.isTimed }
            let length = seconds > 0 ? seconds : timed ? 10 : 0
            FileHandleOutput.standardError(
                "teleport-top profile: collecting \(kinds.map(\.rawValue).joined(separator: ", ")) from \(diagTarget)"
                    + (length > 0 ? " (\(length) s each timed one)…\n" : "…\n"))
        }
        let bytes: [UInt8]
        do {
            bytes = try await DebugProfileBundle.collect(kinds, seconds: seconds, client: client)
        } catch {
            await client.shutdown()
            throw fail(error.description)
        }
        await client.shutdown()
        FileHandle.standardOutput.write(Data(bytes))
        if talk { FileHandleOutput.standardError("teleport-top profile: wrote \(bytes.count) bytes (\(kinds.count) profiles)\n") }
    }
}
