import Foundation
import OTLPProto
import SwiftProtobuf
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

/// The decoder against truncated, oversized and hostile input: every failure is a clear
/// error, never a crash or a half-read profile.
@Suite("pprof decoding: valid, corrupt and hostile input")
struct PprofDecoderTests {
    /// A small valid profile message to break in different ways.
    func validMessage() -> Perftools_Profiles_Profile {
        SyntheticProfile(seed: 7, functions: 12, locationsPerFunction: 2, samples: 50, maxDepth: 6).message()
    }

    func bytes(_ message: Perftools_Profiles_Profile, gzip: Bool = false) throws -> [UInt8] {
        let raw: [UInt8] = try message.serializedBytes()
        return gzip ? SyntheticProfile.gzip(raw) : raw
    }

    @Test("A generated profile decodes the same gzip-compressed or raw, every reference resolved")
    func roundTrip() throws {
        let message = validMessage()
        let fromGzip = try PprofDecoder.decode(try bytes(message, gzip: true))
        let fromRaw = try PprofDecoder.decode(try bytes(message))
        #expect(fromGzip.samples.count == 50)
        #expect(fromGzip.sampleTypes == [.init(type: "samples", unit: "count"), .init(type: "cpu", unit: "nanoseconds")])
        #expect(fromGzip.locations.count == message.location.count)
        #expect(fromGzip.functions.map(\.name) == message.function.map { message.stringTable[Int($0.name)] })
        #expect(fromRaw.samples.map(\.values) == fromGzip.samples.map(\.values))
        for (decoded, original) in zip(fromGzip.samples, message.sample) {
            #expect(decoded.locations.map { fromGzip.locations[Int($0)].id } == original.locationID)
        }
        #expect(fromGzip.timeNanos == message.timeNanos)
        #expect(fromGzip.durationNanos == message.durationNanos)
        #expect(fromGzip.mappings.first?.file == "/usr/local/bin/teleport")
    }

    @Test("0 bytes, a gzip stream of nothing, an HTML page and a text dump are named for what they are")
    func notProfiles() throws {
        #expect(throws: PprofDecodeError.empty) { try PprofDecoder.decode([]) }
        #expect(throws: PprofDecodeError.empty) { try PprofDecoder.decode(SyntheticProfile.gzip([])) }
        let html = Array("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n".utf8)
        #expect(throws: PprofDecodeError.htmlPage) { try PprofDecoder.decode(html) }
        #expect(throws: PprofDecodeError.htmlPage) { try PprofDecoder.decode(SyntheticProfile.gzip(html)) }
        let text = Array("goroutine profile: total 26\n5 @ 0x43a0d6 0x406ecf\n".utf8)
        #expect(throws: PprofDecodeError.text(firstLine: "goroutine profile: total 26")) { try PprofDecoder.decode(text) }
        let error = try #require(throws: PprofDecodeError.self) { try PprofDecoder.decode(html) }
        #expect(error.description == "not a pprof profile: the body is an HTML page")
    }

    @Test("Truncated gzip at many cut points: an error every time, never a profile")
    func truncatedGzip() throws {
        let full = try bytes(validMessage(), gzip: true)
        for cut in stride(from: 2, to: full.count - 1, by: max(1, full.count / 40)) {
            let error = try #require(throws: PprofDecodeError.self) { try PprofDecoder.decode(Array(full.prefix(cut))) }
            guard case .badGzip = error else {
                Issue.record("cut at \(cut) of \(full.count): \(error)")
                continue
            }
            #expect(error.description.hasPrefix("the gzip stream is truncated or corrupt"))
        }
        var corrupt = full
        corrupt[corrupt.count / 2] ^= 0xFF
        corrupt[corrupt.count / 2 + 1] ^= 0xFF
        #expect(throws: PprofDecodeError.self) { try PprofDecoder.decode(corrupt) }
    }

    @Test("Truncated and garbage protobuf: malformed, never a crash")
    func garbageProtobuf() throws {
        let raw = try bytes(validMessage())
        var failures = 0
        for cut in stride(from: 1, to: raw.count, by: max(1, raw.count / 60)) {
            if (try? PprofDecoder.decode(Array(raw.prefix(cut)))) == nil { failures += 1 }
        }
        // Cutting between two top-level fields can leave a valid (smaller) message, but most cuts must fail.
        #expect(failures > 40)
        var random = SplitMix64(seed: 99)
        for round in 0..<200 {
            let garbage = (0..<(16 + round * 7)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            do {
                _ = try PprofDecoder.decode(garbage)
            } catch {
                continue  // any PprofDecodeError is fine; the point is no crash and no trap
            }
        }
        let error = try #require(throws: PprofDecodeError.self) { try PprofDecoder.decode([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]) }
        guard case .malformedProtobuf = error else { throw FixtureError("expected malformed protobuf, got \(error)") }
        // A group nested deeper than any profile field: refused by the depth limit, no stack overflow.
        let deep = [UInt8](repeating: 0x0B, count: 100_000)
        #expect(throws: PprofDecodeError.self) { try PprofDecoder.decode(deep) }
    }

    @Test("Oversized input and oversized decompression are refused at the limit")
    func oversized() throws {
        let raw = try bytes(validMessage())
        let gz = SyntheticProfile.gzip(raw)
        #expect(throws: PprofDecodeError.tooLarge(limitBytes: 100)) {
            try PprofDecoder.decode(raw, limits: PprofLimits(maxInputBytes: 100))
        }
        #expect(throws: PprofDecodeError.tooLarge(limitBytes: raw.count - 1)) {
            try PprofDecoder.decode(gz, limits: PprofLimits(maxInputBytes: gz.count, maxDecodedBytes: raw.count - 1))
        }
        #expect(try PprofDecoder.decode(gz, limits: PprofLimits(maxInputBytes: gz.count, maxDecodedBytes: raw.count)).samples.count == 50)
        // A gzip bomb: 64 MiB of zeros in a few KiB.
        let bomb = SyntheticProfile.gzip([UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 1 << 20)
        #expect(throws: PprofDecodeError.tooLarge(limitBytes: 8 << 20)) {
            try PprofDecoder.decode(bomb, limits: PprofLimits(maxDecodedBytes: 8 << 20))
        }
        let path = try temporaryFile(raw, name: "big.pb")
        #expect(throws: PprofDecodeError.tooLarge(limitBytes: 10)) {
            try PprofDecoder.decode(contentsOf: path, limits: PprofLimits(maxInputBytes: 10))
        }
        #expect(throws: PprofDecodeError.self) { try PprofDecoder.decode(contentsOf: "/nonexistent/profile.pb.gz") }
    }

    @Test("Broken references and tables: each names what is wrong")
    func invalidReferences() throws {
        func reason(_ change: (inout Perftools_Profiles_Profile) -> Void) throws -> String {
            var message = validMessage()
            change(&message)
            let error = try #require(throws: PprofDecodeError.self) { try PprofDecoder.decode(try bytes(message)) }
            guard case .invalid(let text) = error else { return "not invalid: \(error)" }
            return text
        }
        #expect(try reason { $0.stringTable[0] = "x" } == "the string table does not start with an empty string")
        #expect(try reason { $0.stringTable = [] }.hasPrefix("the string table is empty"))
        #expect(try reason { $0.sample[3].locationID[0] = 9999 } == "sample 3 refers to location 9999, which does not exist")
        #expect(try reason { $0.location[2].line[0].functionID = 777 }.contains("refers to function 777, which does not exist"))
        #expect(try reason { $0.location[2].line[0].functionID = 0 }.contains("refers to function 0"))
        #expect(try reason { $0.function[1].name = 100_000 }.contains("refers to string 100000, outside the table"))
        #expect(try reason { $0.function[1].filename = -3 }.contains("refers to string -3"))
        #expect(try reason { $0.sampleType[0].unit = 99_999 }.contains("sample type 0 unit"))
        #expect(try reason { $0.sample[0].value.append(1) } == "sample 0 has 3 values for 2 sample types")
        #expect(try reason { $0.location[1].id = $0.location[0].id }.hasPrefix("two locations have id"))
        #expect(try reason { $0.function[1].id = 0 } == "a function has the reserved id 0")
        #expect(try reason { $0.mapping.append($0.mapping[0]) } == "two mappings have id 1")
        #expect(try reason { $0.sampleType = [] } == "samples without sample types")
        #expect(try reason { $0.comment = [5, 123_456] }.contains("comment 1"))
        #expect(try reason { $0.dropFrames = 424_242 }.contains("drop_frames"))
    }

    @Test("Sparse and huge ids resolve (not only Go's dense 1...n numbering)")
    func sparseIDs() throws {
        var message = validMessage()
        var map: [UInt64: UInt64] = [:]
        for i in message.location.indices {
            let id = UInt64.max - UInt64(i) * 1_000_003
            map[message.location[i].id] = id
            message.location[i].id = id
        }
        for i in message.sample.indices { message.sample[i].locationID = message.sample[i].locationID.map { map[$0]! } }
        let decoded = try PprofDecoder.decode(try bytes(message))
        let reference = try PprofDecoder.decode(try bytes(validMessage()))
        #expect(decoded.samples.map(\.locations) == reference.samples.map(\.locations))
    }
}
