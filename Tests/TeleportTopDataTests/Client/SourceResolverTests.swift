import Foundation
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Where data comes from: one rule")
struct SourceResolverTests {
    let none = "/nonexistent/teleport.yaml"

    @Test("--diag-addr > --debug-socket > -c > /etc/teleport.yaml's live socket > embedded (UI) or an error (headless)")
    func order() throws {
        let dir = Paths.temporaryDirectory("resolve")
        let withAddr = dir.appendingPathComponent("a.yaml")
        try "teleport:\n  diag_addr: 127.0.0.1:3100\n  data_dir: /var/lib/x\n".write(to: withAddr, atomically: true, encoding: .utf8)
        let withDir = dir.appendingPathComponent("b.yaml")
        try "teleport:\n  data_dir: \(dir.path)\n".write(to: withDir, atomically: true, encoding: .utf8)
        typealias R = SourceResolver.Request
        func resolve(_ r: R, headless: Bool = false, answers: Bool = false) throws -> SourceResolver.Source {
            try SourceResolver.resolve(r, headless: headless, socketAnswers: { _ in answers })
        }
        #expect(
            try resolve(R(diagAddr: "127.0.0.1:3000", debugSocket: "/x.sock", configPath: withAddr.path, defaultConfigPath: none))
                == .target(.http(baseURL: "http://127.0.0.1:3000")))
        #expect(try resolve(R(debugSocket: "/x.sock", configPath: withAddr.path, defaultConfigPath: none)) == .target(.socket(path: "/x.sock")))
        #expect(try resolve(R(configPath: withAddr.path, defaultConfigPath: none)) == .target(.http(baseURL: "http://127.0.0.1:3100")))
        #expect(try resolve(R(configPath: withDir.path, defaultConfigPath: none)) == .target(.socket(path: "\(dir.path)/debug.sock")))
        #expect(try resolve(R(defaultConfigPath: withDir.path), answers: true) == .target(.socket(path: "\(dir.path)/debug.sock")))
        #expect(try resolve(R(defaultConfigPath: withDir.path), answers: false) == .embedded)
        #expect(try resolve(R(defaultConfigPath: none)) == .embedded)
        #expect(throws: TargetError(SourceResolver.noTargetMessage)) { try resolve(R(defaultConfigPath: none), headless: true) }
        #expect(try resolve(R(embedded: true, defaultConfigPath: none), headless: true) == .embedded)
        #expect(throws: TargetError.self) { try resolve(R(diagAddr: "127.0.0.1:1", embedded: true)) }
        #expect(throws: TargetError.self) { try resolve(R(configPath: none)) }
    }
}
