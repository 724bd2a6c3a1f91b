import Foundation
import TeleportCore

/// `teleport debug profile [LIST] [-s N]` as Teleport implements it (tool/teleport/common/
/// debug.go, lib/client/debug): LIST is comma-separated (repeated neighbours collapsed),
/// default `goroutine,heap,profile`; `-s N` > 0 adds `?seconds=N` to every request, and with
/// 0 `profile` and `trace` still take 10 s; the result is a gzip-compressed tar with one
/// `<name>.pprof` entry (mode 0600) per profile, in the order asked for. Nothing is produced
/// unless every profile was collected.
public enum DebugProfileBundle {
    public static let defaultList: [ProfileKind] = [.goroutine, .heap, .profile]

    /// Why a bundle was not produced; the texts are Teleport's.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// `"X" profile not supported`.
        case unsupported(String)
        /// `Unable to collect profile "X": <body>`.
        case collect(name: String, detail: String)
        case cancelled

        public var description: String {
            switch self {
            case .unsupported(let name): return "\(goQuote(name)) profile not supported"
            case .collect(let name, let detail): return "Unable to collect profile \(goQuote(name)): \(detail)"
            case .cancelled: return "Request canceled"
            }
        }
    }

    /// Parses LIST (nil or empty for the default).
    public static func parse(_ list: String?) throws(Failure) -> [ProfileKind] {
        guard let list, !list.isEmpty else { return defaultList }
        var names: [String] = []
        for name in list.split(separator: ",", omittingEmptySubsequences: false).map(String.init) where names.last != name {
            names.append(name)
        }
        var kinds: [ProfileKind] = []
        for name in names {
            guard let kind = ProfileKind(rawValue: name) else { throw .unsupported(name) }
            kinds.append(kind)
        }
        return kinds
    }

    /// Collects the profiles in order and returns the tar.gz bytes. `progress` is told
    /// which profile is being collected.
    public static func collect(
        _ kinds: [ProfileKind], seconds: Int, client: DiagClient, limits: PprofLimits = .default,
        progress: (@Sendable (ProfileKind) -> Void)? = nil
    ) async throws(Failure) -> [UInt8] {
        let time = Date()
        var tar = TarGzWriter()
        for kind in kinds {
            progress?(kind)
            let capture = ProfileCapture(kind: kind, seconds: seconds > 0 ? seconds : nil)
            let body = try await capture.fetch(client: client, limits: limits)
            do { try tar.append(name: kind.rawValue + ".pprof", contents: body, mode: 0o600, modified: time) } catch {
                throw .collect(name: kind.rawValue, detail: error.description)
            }
        }
        return tar.finish()
    }

    /// Go's `%q` for the plain names this prints: quotes, with `"` and `\` escaped and
    /// control characters shown as escapes.
    static func goQuote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if Sanitized.isUnsafe(scalar) { out += Sanitized.quote(String(scalar)) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension ProfileCapture {
    /// The raw body as Teleport's debug client takes it: any 200 answer, unchecked; a
    /// non-200 answer fails with its body.
    func fetch(client: DiagClient, limits: PprofLimits) async throws(DebugProfileBundle.Failure) -> [UInt8] {
        let answer: DiagClient.Answer
        do {
            answer = try await client.get(
                path, timeout: requestTimeout(clientTimeout: client.options.timeout),
                maxBodyBytes: limits.maxInputBytes)
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw .collect(name: kind.rawValue, detail: error.description)
        }
        if Task.isCancelled { throw .cancelled }
        guard answer.status == 200 else {
            var detail = Sanitized.quote(Self.firstLine(answer.body))
            if detail.isEmpty { detail = "HTTP \(answer.status)" }
            if answer.status == 404 { detail += " (\(ProfileCaptureError.pprofOffMessage))" }
            throw .collect(name: kind.rawValue, detail: detail)
        }
        return answer.body
    }
}
