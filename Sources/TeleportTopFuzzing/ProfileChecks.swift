import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport

/// Checks of the pprof decoder, raw and gzip-compressed, through to the reports the
/// Profiles screen draws.
enum ProfileChecks {
    /// The bytes decode (or not) the same whether given raw or inside gzip; a decoded
    /// profile gives its top-N report and goroutine groups without trapping.
    static func pprof(_ bytes: [UInt8]) -> [String] {
        let raw = Result { () throws(PprofDecodeError) in try PprofDecoder.decode(bytes) }
        if case .success(let profile) = raw { report(profile) }
        // Inputs that already start with gzip's magic were the gzip path above.
        guard !bytes.isEmpty, !(bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B) else { return [] }
        let zipped = Result { () throws(PprofDecodeError) in try PprofDecoder.decode(SyntheticProfile.gzip(bytes)) }
        switch (raw, zipped) {
        case (.success(let a), .success(let b)):
            if a.samples.count != b.samples.count || a.functions.count != b.functions.count || a.locations.count != b.locations.count
                || a.sampleTypes.map(\.description) != b.sampleTypes.map(\.description)
            {
                return ["pprof: the profile decoded raw and gzipped differs"]
            }
        case (.failure(let a), .failure(let b)):
            if a != b { return ["pprof: raw and gzipped fail differently: \(a) / \(b)"] }
        case (.success, .failure(let error)): return ["pprof: decoded raw, but gzipped fails: \(error)"]
        case (.failure(let error), .success): return ["pprof: decoded gzipped, but raw fails: \(error)"]
        }
        return []
    }

    static func report(_ profile: PprofProfile) {
        for type in profile.sampleTypes.prefix(4) {
            _ = try? TopReport(profile, options: TopOptions(sampleIndex: type.type, nodeCount: 20))
            _ = try? TopReport(profile, options: TopOptions(sampleIndex: type.type, nodeCount: 20, order: .cum))
        }
        _ = GoroutineGroup.groups(profile)
    }
}
