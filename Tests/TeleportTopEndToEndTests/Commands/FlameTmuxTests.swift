import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// The flame graph as a person uses it: `teleport-top pprof FILE` under tmux on a CPU
/// capture of the Go fixture, F, moving, zooming, searching, peek, Esc back to the table.
@Suite(
    "Flame graph under tmux", .serialized,
    .enabled(if: Prerequisites.required(Prerequisites.which("tmux") != nil) && Prerequisites.required(Prerequisites.go)))
struct FlameTmuxTests {
    let binary = Paths.teleportTopBinary.path

    @Test("Capture, F, ↓ ↓ →, Enter zooms, / highlights with a share, P peeks, Esc zooms out then back to the table; --flame opens on it")
    func flame() async throws {
        let capture = try await ProfilingFixture.capture(.profile)
        let profile = try #require(capture.captured.profile)
        let tree = try CallTree(profile)
        let session = try DashboardTmuxTests.Session(width: 160, height: 48)
        try session.type("\(binary) pprof \(capture.path) --log-file /tmp/tt-flame-tmux.log")
        _ = try await session.wait(for: "flat  flat%   sum%")
        try session.send("F")
        var screen = try await session.wait(for: "flame graph · sample cpu (i)")
        #expect(screen.contains("root · "))
        #expect(screen.contains("▏root 100%"))
        // ↓ twice: the heaviest child of the heaviest child, named in the detail line.
        try session.send("Down")
        try session.send("j")
        let first = try #require(tree.children(of: CallTree.root).first)
        let second = try #require(tree.children(of: first).first)
        screen = try await session.wait(for: " \(tree.name(of: second)) · flat ")
        #expect(screen.contains(" · cum "))
        // → moves to the frame beside it on the row (as laid out at 160 columns), ← comes back.
        if let beside = FlameLayout(tree, width: 160).neighbour(of: second, step: 1) {
            try session.send("Right")
            _ = try await session.wait(for: " \(tree.name(of: beside.node)) · flat ")
            try session.send("h")
            _ = try await session.wait(for: " \(tree.name(of: second)) · flat ")
        }
        // Enter zooms: the frame spans the whole width.
        try session.send("Enter")
        screen = try await session.wait(for: "▏\(tree.name(of: second)) ")
        let row = screen.split(separator: "\n").first { $0.hasPrefix("▏\(tree.name(of: second)) ") }
        #expect(row.map { $0.count >= 150 || !$0.contains("▏", after: 1) } == true, "\(screen)")
        try session.send("/")
        try session.send("-l", "sha256")
        try session.send("Enter")
        screen = try await session.wait(for: "/sha256: ")
        #expect(screen.contains("of the total"))
        try session.send("P")
        screen = try await session.wait(for: "callers and callees of \(tree.name(of: second))")
        _ = try await session.wait(for: "calls calls% + context")
        try session.send("Escape")
        _ = try await session.wait(for: "flame graph · sample cpu")
        try session.send("Escape")  // zoom out
        screen = try await session.wait(for: "▏root 100%")
        try session.send("Escape")  // back to the table
        screen = try await session.wait(for: "flat  flat%   sum%")
        #expect(!screen.contains("flame graph"))
        try session.send("q")
        _ = try await session.wait(for: "shell> ")

        try session.type("\(binary) pprof \(capture.path) --flame --symbols ascii --theme monochrome --log-file /tmp/tt-flame-tmux.log")
        screen = try await session.wait(for: "flame graph · sample cpu (i)")
        _ = try await session.wait(for: "|root 100%")
        try session.send("q")
        _ = try await session.wait(for: "shell> ")
    }
}

extension Substring {
    /// Whether `character` occurs after the first `offset` characters.
    fileprivate func contains(_ character: Character, after offset: Int) -> Bool {
        dropFirst(offset).contains(character)
    }
}
