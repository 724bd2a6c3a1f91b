import ArgumentParser
import TeleportCore
import TeleportDiagnostics
import TeleportTopData

/// Where captures are saved and how long the one-key CPU profile runs; for the dashboard
/// (`@OptionGroup var profiling: ProfileOptions`) and any command that captures.
struct ProfileOptions: ParsableArguments {
    @Option(name: .customLong("profile-dir"), help: "Folder for captured profiles (created 0700; files 0600).")
    var profileDir: String = ProfileDirectory.defaultPath

    @Option(name: .customLong("profile-seconds"), help: "Length of a CPU profile or trace capture, 1-300 seconds.")
    var profileSeconds: Int = 30

    func validate() throws {
        guard (1...300).contains(profileSeconds) else { throw ValidationError("--profile-seconds takes 1 to 300") }
    }

    var directory: ProfileDirectory { ProfileDirectory(path: profileDir) }
}
