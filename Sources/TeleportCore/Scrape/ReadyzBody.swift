import Foundation

/// The body of `/readyz`: `{"status":"...","pid":N}` (older Teleport omits `pid`).
public struct ReadyzBody: Sendable, Hashable, Codable {
    public var status: String
    public var pid: Int?

    public init(status: String, pid: Int?) {
        self.status = status
        self.pid = pid
    }

    /// The body as Teleport writes it (`json.Marshal` of its Readiness struct): `status`
    /// first, then `pid`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let status = (try? encoder.encode(status)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        return "{\"status\":\(status)" + (pid.map { ",\"pid\":\($0)" } ?? "") + "}"
    }
}
