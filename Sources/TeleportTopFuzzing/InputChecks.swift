import Foundation
import TeleportCore
import TeleportTopUI

/// Checks of the parsers of what a person types: option values (durations, sizes, times,
/// selectors) and prompts (the replay's `:` time, `f` label matchers, `/` regexes). Each
/// reads the bytes as UTF-8 text; a refusal must be one clean line, an acceptance must read
/// back.
enum InputChecks {
    /// The end of the recording the time checks jump in: 2026-11-18 11:06:40 UTC.
    static let end = Date(timeIntervalSince1970: 1_795_000_000)

    /// `--at` and the replay's `:`: a time or a one-line reason; the optional form agrees.
    static func time(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let date = try ReplayJump.read(text, end: end)
            if !date.timeIntervalSince1970.isFinite { return ["time: \(text.debugDescription.prefix(200)) read as a non-finite time"] }
            if ReplayJump.time(text, end: end) != date { return ["time: time(_:) and read(_:) disagree on \(text.debugDescription.prefix(200))"] }
        } catch {
            if ReplayJump.time(text, end: end) != nil { return ["time: read refused what time(_:) took: \(text.debugDescription.prefix(200))"] }
            return ConfigChecks.oneLine(error.description, "time")
        }
        return []
    }

    /// The Findings screen's `b` window: nil (rolling) or a span of positive length, at most
    /// `BaselineWindow.maxSpan`, ending at or before the newest scrape; or a one-line reason.
    static func baseline(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            guard let interval = try BaselineWindow.parse(text, newest: end) else { return [] }
            let shown = text.debugDescription.prefix(200)
            guard interval.start.timeIntervalSince1970.isFinite, interval.end.timeIntervalSince1970.isFinite else {
                return ["baseline: \(shown) read as a non-finite span"]
            }
            if interval.duration <= 0 || interval.duration > BaselineWindow.maxSpan { return ["baseline: \(shown) read as \(interval.duration) s"] }
            if interval.end > end { return ["baseline: \(shown) ends after the newest scrape"] }
            if BaselineWindow.label(interval).contains(where: { $0.isNewline }) { return ["baseline: the label of \(shown) has a line break"] }
        } catch {
            return ConfigChecks.oneLine(error.description, "baseline")
        }
        return []
    }

    /// Durations: a finite, non-negative duration whose short form reads again, or a
    /// one-line reason.
    static func duration(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let duration = try DurationText.read(text)
            guard duration >= .zero, duration.seconds.isFinite else { return ["duration: \(text.debugDescription.prefix(200)) read as \(duration)"] }
            let written = DurationText.format(duration)
            if DurationText.parse(written) == nil { return ["duration: \(duration) is written as \(written.debugDescription), which does not read back"] }
        } catch {
            return ConfigChecks.oneLine(error.description, "duration")
        }
        return []
    }

    /// Sizes (`--max-payload`, `--segment-size`): a positive count that its text form reads
    /// back to, or nothing.
    static func size(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let count = Int(byteCount: text) else { return [] }
        guard count > 0 else { return ["size: \(text.debugDescription.prefix(200)) read as \(count)"] }
        if Int(byteCount: count.byteCountText) != count { return ["size: \(count) is written as \(count.byteCountText), which reads back otherwise"] }
        return []
    }

    /// `f` label matchers: a filter that runs over labels, or a one-line reason.
    static func matchers(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let filter = try LabelFilter(parsing: text)
            _ = filter.matches([Label("component", "backend"), Label("le", "+Inf")])
            _ = filter.matches([])
        } catch {
            return ConfigChecks.oneLine(error.description, "matchers")
        }
        return []
    }

    /// `--selector`: matchers that read back the same when written in braces, or a
    /// one-line reason.
    static func selector(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let selector = try PrometheusSelector(parsing: text)
            _ = selector.metric("up")
            let again = try PrometheusSelector(parsing: "{\(selector.matchers)}")
            if again != selector { return ["selector: \(selector.description.debugDescription.prefix(200)) does not read back the same"] }
        } catch {
            return ConfigChecks.oneLine(String(describing: error), "selector")
        }
        return []
    }

    /// The `/` prompt: a regular expression the filters compile, or a one-line reason that
    /// Enter shows; the prompt and the compiler agree.
    static func regex(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let problem = PromptCheck.regexProblem(text)
        let body = text.hasPrefix("!") ? String(text.dropFirst()) : text
        let compiled = body.isEmpty ? nil : try? RegexText.compile(body)
        if problem == nil, !body.isEmpty, compiled == nil { return ["regex: the prompt took \(text.debugDescription.prefix(200)), which does not compile"] }
        if let problem {
            if compiled != nil { return ["regex: the prompt refused \(text.debugDescription.prefix(200)), which compiles"] }
            return ConfigChecks.oneLine(InputError(text, problem).description, "regex")
        }
        if let compiled {
            let sample = "backend_requests{component=\"backend\"}"
            _ = compiled.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample))
            _ = FilterMatcher(text)
        }
        return []
    }
}
