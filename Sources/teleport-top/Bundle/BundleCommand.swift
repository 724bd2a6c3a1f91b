import ArgumentParser
import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopRuntime

/// `teleport-top bundle`: the incident in one file. Watches a target (or a fleet) for
/// `--for`, or reads a recording cut to `--window`, then writes one `.tar.gz` with the
/// snapshot, the findings, the history as a recording, profiles, logs, spans, the redacted
/// teleport.yaml and versions, indexed by README.txt (docs/bundle.md).
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write a diagnostics bundle (.tar.gz): snapshot, findings, history, profiles, logs, spans, redacted teleport.yaml, versions.",
        discussion: """
            Watches the target for --for (default 60s), capturing profiles in its last --profile-seconds, \
            or reads a recording (--from DIR) cut to its last --window; then writes one .tar.gz (0600, \
            through a temporary file and a rename; -o - for stdout) and prints what it holds. README.txt \
            in the bundle says what each file is, the command that made it, and what was left out or \
            failed and why. teleport.yaml (-c FILE) is redacted by an allowlist: addresses, switches and \
            file paths stay, every other value becomes <redacted>. With a fleet each instance gets a \
            folder, plus the fleet table. In the dashboard, B writes the same from what it holds. \
            Never uses the embedded engine unless --embedded is given. See docs/bundle.md.
            """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup(title: "Fleet") var fleet: FleetOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: "The file to write (default ./teleport-top-bundle-<UTC time>.tar.gz; - for stdout).")
    var output: String?

    @Option(name: .customLong("for"), help: "How long to watch before writing, e.g. 60s, 5m.", transform: TargetOptions.duration)
    var watch: Duration = .seconds(60)

    @Option(help: "Time between scrapes (250ms to 60s).", transform: TargetOptions.interval)
    var interval: Duration = .seconds(2)

    @Option(help: "Read a recording (`record`, `--record`) instead of a target.")
    var from: String?

    @Option(help: "The history bundled: the last part of the watch or of the recording, e.g. 10m.", transform: TargetOptions.duration)
    var window: Duration = .seconds(600)

    @Option(name: .customLong("profile-seconds"), help: "Length of the bundle's CPU profile, 1-300 seconds.")
    var profileSeconds: Int = 10

    @Flag(name: .customLong("no-profiles"), help: "Capture no profiles.")
    var noProfiles = false

    func validate() throws {
        guard (1...300).contains(profileSeconds) else { throw ValidationError("--profile-seconds takes 1 to 300") }
    }

    /// The command line, as the index shows it.
    static var commandLine: String {
        (["teleport-top"] + CommandLine.arguments.dropFirst()).map { argument in
            argument.isEmpty || argument.contains(where: { " \"'$\\".contains($0) })
                ? "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'" : argument
        }.joined(separator: " ")
    }

    func run() async throws {
        let created = Date()
        let path = output ?? BundleOutput.defaultName(created)
        if path == "-", isatty(STDOUT_FILENO) != 0 {
            throw fail("refusing to write a gzip-compressed tar to a terminal: redirect stdout (teleport-top bundle -o - > bundle.tar.gz)")
        }
        // A wrong -o fails now, not after the watch.
        do { try BundleOutput.check(path) } catch { throw fail(error.description) }
        // A file-size limit (ulimit -f) makes write fail with EFBIG instead of killing us.
        signal(SIGXFSZ, SIG_IGN)
        var manifest: BundleManifest
        if let from {
            manifest = try await BundleRecording.collect(path: from, window: window, created: created)
        } else if fleet.isFleet(target) {
            manifest = try await BundleFleet.collect(command: self, created: created)
        } else {
            manifest = try await BundleTarget.collect(command: self, created: created)
        }
        BundleFiles.addConfig(&manifest, path: target.config)
        try Self.write(manifest, to: path)
    }

    /// Archives and saves the bundle, then says what it holds (on stderr when stdout is the bundle).
    static func write(_ manifest: BundleManifest, to path: String) throws {
        let bytes: [UInt8]
        do { bytes = try manifest.archive() } catch { throw fail("cannot make the archive: \(error)") }
        do { try BundleOutput().save(bytes, to: path) } catch { throw fail(error.description) }
        var text =
            "teleport-top bundle: wrote \(path == "-" ? "standard output" : path) (\(Self.size(bytes.count)) compressed, \(manifest.entries.count + 1) files)\n"
        text += "  \(manifest.folder)/README.txt\n"
        for entry in manifest.entries { text += "  \(manifest.folder)/\(entry.name)  \(Self.size(entry.bytes.count))\n" }
        for gap in manifest.leftOut { text += "  left out \(gap.what): \(gap.why)\n" }
        for gap in manifest.failed { text += "  FAILED \(gap.what): \(gap.why)\n" }
        let clean = text.split(separator: "\n").map { Sanitized.quote(String($0)) }.joined(separator: "\n") + "\n"
        if path == "-" { FileHandleOutput.standardError(clean) } else { FileHandleOutput.standardOutput(clean) }
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }

    /// A line on stderr while collecting.
    static func say(_ text: String) {
        FileHandleOutput.standardError("teleport-top bundle: \(Sanitized.quote(text))\n")
    }
}
