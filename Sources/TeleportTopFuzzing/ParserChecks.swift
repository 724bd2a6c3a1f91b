import Foundation
import TeleportCore
import TeleportOTLP
import TeleportTopData

/// Checks of the wire readers: the exposition parser, OTLP protobuf and JSON, trace-file
/// lines, Prometheus API answers.
enum ParserChecks {
    /// Parsed families written back by our writer parse to the same families (compared as
    /// written text, so NaN values compare equal).
    static func exposition(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let parser = ExpositionParser()
        for format in [ExpositionFormat.detect, .text, .openMetrics] {
            guard let families = try? parser.parse(bytes, format: format) else { continue }
            // OpenMetrics may name two families alike (client_golang's gauge `x` and counter
            // `x_total` are both family `x`; a TYPE after untyped samples starts another):
            // text 0.0.4 cannot say that, so such a set is not written back.
            let names = families.map(ExpositionWriter.textName)
            guard Set(names).count == names.count else { continue }
            let written = ExpositionWriter.write(families)
            do {
                let again = try parser.parse(written, format: .text)
                let rewritten = ExpositionWriter.write(again)
                if rewritten != written {
                    broken.append(
                        "exposition (\(format)): written back and parsed again, the families differ:\n\(String(decoding: written, as: UTF8.self).prefix(2000))\n---\n\(String(decoding: rewritten, as: UTF8.self).prefix(2000))"
                    )
                }
            } catch {
                broken.append("exposition (\(format)): our writer's output does not parse: \(error)\n\(String(decoding: written, as: UTF8.self).prefix(2000))")
            }
        }
        return broken
    }

    /// A decoded export, encoded by our writer and decoded again, encodes to the same bytes.
    static func otlpProtobuf(_ bytes: [UInt8]) -> [String] {
        guard let decoded = try? OTLPSpans.decode(protobuf: bytes) else { return [] }
        return spansRoundTrip(decoded, "otlp-protobuf")
    }

    /// As `otlpProtobuf`, for OTLP/HTTP JSON bodies.
    static func otlpJSON(_ bytes: [UInt8]) -> [String] {
        guard let decoded = try? OTLPSpans.decode(json: bytes) else { return [] }
        return spansRoundTrip(decoded, "otlp-json")
    }

    static func spansRoundTrip(_ decoded: OTLPSpans.Decoded, _ name: String) -> [String] {
        do {
            let encoded = try OTLPSpans.encodeRequest(decoded.spans)
            let again = try OTLPSpans.decode(protobuf: encoded)
            if again.spans.count != decoded.spans.count || again.rejected != 0 {
                return ["\(name): \(decoded.spans.count) spans encoded, \(again.spans.count) decoded back (\(again.rejected) rejected: \(again.reason ?? ""))"]
            }
            if try OTLPSpans.encodeRequest(again.spans) != encoded {
                return ["\(name): spans encoded, decoded and encoded again differ"]
            }
        } catch {
            return ["\(name): our encoding of decoded spans fails: \(error)"]
        }
        return []
    }

    /// Every line of a trace file decodes or is counted bad; the spans it gives survive our
    /// writer, and a line never counts twice.
    static func traceFile(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        var lines = 0
        var pass = TraceDirectoryTail.Pass()
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let before = pass.badLines + pass.decoded.spans.count + pass.decoded.rejected
            TraceDirectoryTail.decode(Array(line), into: &pass)
            if pass.badLines + pass.decoded.spans.count + pass.decoded.rejected > before { lines += 1 }
        }
        if pass.badLines > lines { broken.append("trace-file: \(pass.badLines) bad lines counted of \(lines)") }
        broken += spansRoundTrip(pass.decoded, "trace-file")
        return broken
    }

    /// Each of the API's answer shapes, at 200 and at an error status: decoded or a failure,
    /// and a failure's text holds no control character (it reaches the header).
    static func prometheus(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        func failure(_ text: String) {
            if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
                broken.append("prometheus: a failure text holds a control character: \(text.debugDescription)")
            }
        }
        for status in [200, 503] {
            do {
                let (data, warnings) = try PrometheusAnswer.decode(PrometheusAnswer.QueryData.self, body: bytes, status: status)
                warnings.forEach(failure)
                // An open instance's raw samples regrouped into scrapes: in time order, no
                // scrape empty, no more samples than the answer held.
                let scrapes = PrometheusRawScrapes.scrapes(from: data.series, metadata: [:], dropping: ["instance", "job"])
                let points = data.series.reduce(0) { $0 + ($1.values?.count ?? 0) }
                let samples = scrapes.reduce(0) { $0 + $1.families.reduce(0) { $0 + $1.samples.count } }
                if zip(scrapes, scrapes.dropFirst()).contains(where: { $0.time >= $1.time }) { broken.append("prometheus: raw scrapes out of order") }
                if scrapes.contains(where: { $0.families.isEmpty }) || samples > points {
                    broken.append("prometheus: \(samples) samples in \(scrapes.count) scrapes from \(points) points")
                }
                _ = PrometheusFleetQueries.families(from: data.series, metadata: [:], dropping: [])
            } catch { failure(error.description) }
            do { _ = try PrometheusAnswer.decode(PrometheusAnswer.TargetsData.self, body: bytes, status: status) } catch { failure(error.description) }
            do { _ = try PrometheusAnswer.decode(PrometheusAnswer.MetadataData.self, body: bytes, status: status) } catch { failure(error.description) }
        }
        return broken
    }
}
