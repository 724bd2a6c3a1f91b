import ArgumentParser

/// `teleport-top-fixtures`: generators the measuring scripts use, kept out of the shipped
/// `teleport-top` binary (they link the test support).
@main
struct TeleportTopFixtures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teleport-top-fixtures",
        abstract: "Generators for teleport-top's measuring scripts (not part of teleport-top).",
        subcommands: [SyntheticProfileCommand.self]
    )
}
