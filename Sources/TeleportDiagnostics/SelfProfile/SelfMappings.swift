import Foundation
import TeleportCore

/// The executable mappings of this process, from `/proc/self/maps` (pprof's Mapping rows).
struct SelfMappings {
    var start: UInt
    var end: UInt
    var offset: UInt
    var path: String

    static func read() -> [SelfMappings] {
        guard let text = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1].contains("x") else { return nil }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                let offset = UInt(fields[2], radix: 16)
            else { return nil }
            return SelfMappings(start: start, end: end, offset: offset, path: fields[5...].joined(separator: " "))
        }
    }
}
