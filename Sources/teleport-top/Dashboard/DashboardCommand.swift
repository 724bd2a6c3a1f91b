import ArgumentParser
import Foundation
import TeleportDiagnostics
import TeleportTopUI

/// Options of the dashboard (the default command).
struct DashboardOptions: ParsableArguments {
    @Option(help: "Time between scrapes (250ms to 60s).", transform: TargetOptions.duration)
    var interval: Duration = .seconds(2)

    @Option(help: "History kept for timelines, sparklines and windows.", transform: TargetOptions.duration)
    var history: Duration = .seconds(600)

    @Option(help: "Colour theme: default, light, high-contrast, monochrome, or a theme file's path. NO_COLOR forces monochrome.")
    var theme: String?

    @Option(help: "Chart glyphs: block, braille or ascii.")
    var symbols: Symbols = .block

    @Option(name: .customLong("log-file"), help: "Where logs go while the dashboard owns the terminal.")
    var logFile: String = "/tmp/teleport-top-\(getuid()).log"
}

extension Symbols: ExpressibleByArgument {}

/// Runs the dashboard: resolves the source (falling back to the embedded engine), polls it,
/// and hands snapshots to the UI loop.
enum DashboardCommand {
    static func run(target: TargetOptions, options: DashboardOptions) async throws {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw fail("the dashboard needs a terminal; for text or JSON use `teleport-top snapshot`")
        }
        let source: SourceResolver.Source
        do { source = try SourceResolver.resolve(target.request, headless: false) } catch { throw fail(error.description) }
        var embedded: EmbeddedTeleport?
        let diagTarget: DiagTarget
        switch source {
        case .target(let t): diagTarget = t
        case .embedded:
            let sink = LogSink(handle: FileHandle(forWritingAtPath: "/dev/null") ?? .standardError)
            do { embedded = try await EmbeddedTeleport.start(address: try target.embeddedAddress(), logSink: sink) } catch {
                throw fail("cannot start the embedded engine: \(error)")
            }
            diagTarget = embedded!.target
        }
        let client: DiagClient
        do { client = try DiagClient(target: diagTarget, options: .init(timeout: target.timeout, tls: target.tls)) } catch {
            throw fail(error.description)
        }
        let label = embedded == nil ? diagTarget.description : "embedded \(diagTarget.description)"
        let schedule = PollSchedule(interval: options.interval)
        let store = MetricStore(target: label, interval: schedule.interval, history: options.history)
        let poller = Poller(client: client, store: store, schedule: schedule)
        let mailbox = SnapshotMailbox()
        let pollTask = Task {
            await poller.run {
                Task { mailbox.put(await store.snapshot()) }
            }
        }
        let engine = embedded?.engine
        let initial = DashboardState(snapshot: .empty(target: label, interval: schedule.interval), isEmbedded: embedded != nil, now: Date())
        let loop = DashboardLoop(
            initial: initial, mailbox: mailbox,
            settings: .init(symbols: options.symbols, themeName: options.theme ?? "default",
                environment: ProcessInfo.processInfo.environment, logPath: options.logFile),
            onEffect: { effect in
                switch effect {
                case .setInterval(let interval): Task { await poller.setInterval(interval) }
                case .injectFailure: engine?.injectFailure(component: "proxy")
                case .focusHistogram(let selection):
                    Task {
                        await store.focus(family: selection?.family, labels: selection?.labels ?? [])
                        mailbox.put(await store.snapshot())
                    }
                case .setTheme, .quit: break
                }
            })
        let outcome: Result<Void, any Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { try loop.run() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        pollTask.cancel()
        await client.shutdown()
        await embedded?.stop()
        if case .failure(let error) = outcome { throw fail(String(describing: error)) }
    }
}
