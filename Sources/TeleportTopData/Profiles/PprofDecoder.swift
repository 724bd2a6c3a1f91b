import Foundation
import OTLPProto
import SwiftProtobuf
import TeleportCore

/// Reads pprof profiles: gzip-compressed (as Go serves and saves them) or raw protobuf,
/// within size limits, into a checked `PprofProfile`. Everything profile.proto requires is
/// verified (string table starting with "", every id and string index in range, one value per
/// sample type), so reports never meet a dangling reference.
public enum PprofDecoder {
    /// Decodes a profile from bytes.
    public static func decode(_ bytes: [UInt8], limits: PprofLimits = .default) throws(PprofDecodeError) -> PprofProfile {
        let raw = try payload(bytes, limits: limits)
        let message: Perftools_Profiles_Profile
        do {
            message = try Perftools_Profiles_Profile(serializedBytes: raw)
        } catch {
            try rejectText(raw)
            throw .malformedProtobuf(detail: String(describing: error))
        }
        do {
            return try convert(message)
        } catch {
            try rejectText(raw)
            throw error
        }
    }

    /// Reads and decodes a file, refusing files over the input limit before reading them.
    public static func decode(contentsOf path: String, limits: PprofLimits = .default) throws(PprofDecodeError) -> PprofProfile {
        try decode(try readFile(path, limit: limits.maxInputBytes), limits: limits)
    }

    /// Reads a whole file, up to `limit` bytes.
    static func readFile(_ path: String, limit: Int) throws(PprofDecodeError) -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw .unreadable(path: UnreadableFile.absolute(path), detail: UnreadableFile.reason(path))
        }
        if let size = attributes[.size] as? Int, size > limit { throw .tooLarge(limitBytes: limit) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable(path: path, detail: "cannot open") }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            if data.count > limit { throw PprofDecodeError.tooLarge(limitBytes: limit) }
            return [UInt8](data)
        } catch let error as PprofDecodeError {
            throw error
        } catch {
            throw .unreadable(path: path, detail: String(describing: error))
        }
    }

    /// The protobuf bytes: gunzipped when the input starts with gzip's magic, else as given;
    /// HTML pages, text and empty bodies are named as such.
    static func payload(_ bytes: [UInt8], limits: PprofLimits) throws(PprofDecodeError) -> [UInt8] {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.maxInputBytes else { throw .tooLarge(limitBytes: limits.maxInputBytes) }
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            let raw: [UInt8]
            do {
                raw = try GzipMember.decompress(bytes, limit: limits.maxDecodedBytes)
            } catch {
                switch error {
                case .tooLarge: throw .tooLarge(limitBytes: limits.maxDecodedBytes)
                case .corrupt(let detail): throw .badGzip(detail: detail)
                }
            }
            guard !raw.isEmpty else { throw .empty }
            return raw
        }
        return bytes
    }

    /// Throws when the bytes are an HTML page.
    static func rejectHTML(_ bytes: [UInt8]) throws(PprofDecodeError) {
        let head = bytes.prefix(256)
        let start = head.firstIndex { !(($0 == 0x20) || ($0 >= 0x09 && $0 <= 0x0D)) } ?? head.endIndex
        let lower = String(decoding: head[start...].prefix(64), as: UTF8.self).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<head") || lower.hasPrefix("<body")
            || lower.hasPrefix("<!--") || lower.hasPrefix("<?xml")
        {
            throw .htmlPage
        }
    }

    /// Throws when bytes that failed to decode are an HTML page or printable text, to say so
    /// rather than "malformed protobuf".
    static func rejectText(_ bytes: [UInt8]) throws(PprofDecodeError) {
        try rejectHTML(bytes)
        let head = bytes.prefix(512)
        let start = head.firstIndex { !(($0 == 0x20) || ($0 >= 0x09 && $0 <= 0x0D)) } ?? head.endIndex
        let trimmed = head[start...]
        // Text: every byte of the first 512 printable ASCII, tab, newline or valid UTF-8 letters.
        let printable = trimmed.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 >= 0x80 }
        if printable, trimmed.count >= 4, String(validating: trimmed, as: UTF8.self) != nil || trimmed.count == 512 {
            let line = String(decoding: trimmed.prefix { $0 != 0x0A && $0 != 0x0D }.prefix(80), as: UTF8.self)
            throw .text(firstLine: line)
        }
    }

    /// Turns the generated message into the checked model.
    static func convert(_ message: Perftools_Profiles_Profile) throws(PprofDecodeError) -> PprofProfile {
        let strings = message.stringTable
        guard let first = strings.first else { throw .invalid("the string table is empty (entry 0 must be \"\")") }
        guard first.isEmpty else { throw .invalid("the string table does not start with an empty string") }
        func string(_ index: Int64, _ what: @autoclosure () -> String) throws(PprofDecodeError) -> String {
            guard index >= 0, index < Int64(strings.count) else {
                throw .invalid("\(what()) refers to string \(index), outside the table of \(strings.count)")
            }
            return strings[Int(index)]
        }
        func valueType(_ type: Perftools_Profiles_ValueType, _ what: String) throws(PprofDecodeError) -> PprofProfile.ValueType {
            PprofProfile.ValueType(type: try string(type.type, what + " type"), unit: try string(type.unit, what + " unit"))
        }

        var sampleTypes: [PprofProfile.ValueType] = []
        sampleTypes.reserveCapacity(message.sampleType.count)
        for (i, type) in message.sampleType.enumerated() { sampleTypes.append(try valueType(type, "sample type \(i)")) }
        if sampleTypes.isEmpty, !message.sample.isEmpty { throw .invalid("samples without sample types") }

        var mappings: [PprofProfile.Mapping] = []
        mappings.reserveCapacity(message.mapping.count)
        var mappingIndex = IDIndex(capacity: message.mapping.count)
        for m in message.mapping {
            guard m.id != 0 else { throw .invalid("a mapping has the reserved id 0") }
            guard mappingIndex.insert(m.id, index: mappings.count) else { throw .invalid("two mappings have id \(m.id)") }
            mappings.append(
                PprofProfile.Mapping(
                    id: m.id, start: m.memoryStart, limit: m.memoryLimit, offset: m.fileOffset,
                    file: try string(m.filename, "mapping \(m.id) file"), buildID: try string(m.buildID, "mapping \(m.id) build id"),
                    hasFunctions: m.hasFunctions_p, hasFilenames: m.hasFilenames_p, hasLineNumbers: m.hasLineNumbers_p,
                    hasInlineFrames: m.hasInlineFrames_p))
        }

        var functions: [PprofProfile.Function] = []
        functions.reserveCapacity(message.function.count)
        var functionIndex = IDIndex(capacity: message.function.count)
        for f in message.function {
            guard f.id != 0 else { throw .invalid("a function has the reserved id 0") }
            guard functionIndex.insert(f.id, index: functions.count) else { throw .invalid("two functions have id \(f.id)") }
            functions.append(
                PprofProfile.Function(
                    id: f.id, name: try string(f.name, "function \(f.id) name"),
                    systemName: try string(f.systemName, "function \(f.id) system name"),
                    filename: try string(f.filename, "function \(f.id) file name"), startLine: f.startLine))
        }

        var locations: [PprofProfile.Location] = []
        locations.reserveCapacity(message.location.count)
        var locationIndex = IDIndex(capacity: message.location.count)
        guard message.location.count < Int(Int32.max) else { throw .invalid("too many locations") }
        for l in message.location {
            guard l.id != 0 else { throw .invalid("a location has the reserved id 0") }
            guard locationIndex.insert(l.id, index: locations.count) else { throw .invalid("two locations have id \(l.id)") }
            var lines: [PprofProfile.Line] = []
            lines.reserveCapacity(l.line.count)
            for line in l.line {
                guard let f = functionIndex[line.functionID] else {
                    throw .invalid("location \(l.id) refers to function \(line.functionID), which does not exist")
                }
                lines.append(PprofProfile.Line(function: Int32(f), line: line.line))
            }
            // Like Go's pprof, a mapping id that names no mapping leaves the location unmapped.
            let mapping = l.mappingID == 0 ? nil : mappingIndex[l.mappingID].map { Int32($0) }
            locations.append(PprofProfile.Location(id: l.id, mapping: mapping, address: l.address, lines: lines, isFolded: l.isFolded))
        }

        var samples: [PprofProfile.Sample] = []
        samples.reserveCapacity(message.sample.count)
        let typeCount = sampleTypes.count
        for (i, s) in message.sample.enumerated() {
            guard s.value.count == typeCount else {
                throw .invalid("sample \(i) has \(s.value.count) values for \(typeCount) sample types")
            }
            var refs = [Int32](repeating: 0, count: s.locationID.count)
            for (j, id) in s.locationID.enumerated() {
                guard let index = locationIndex[id] else {
                    throw .invalid("sample \(i) refers to location \(id), which does not exist")
                }
                refs[j] = Int32(truncatingIfNeeded: index)
            }
            var labels: [PprofProfile.Label] = []
            if !s.label.isEmpty {
                for label in s.label {
                    let key = try string(label.key, "sample \(i) label key")
                    if label.str != 0 {
                        labels.append(PprofProfile.Label(key: key, string: try string(label.str, "sample \(i) label value")))
                    } else if label.num != 0 || label.numUnit != 0 {
                        let unit = label.numUnit == 0 ? nil : try string(label.numUnit, "sample \(i) label unit")
                        labels.append(PprofProfile.Label(key: key, number: label.num, unit: unit))
                    }
                }
            }
            samples.append(PprofProfile.Sample(locations: refs, values: s.value, labels: labels))
        }

        var comments: [String] = []
        for (i, c) in message.comment.enumerated() { comments.append(try string(c, "comment \(i)")) }
        let defaultType = try string(message.defaultSampleType, "default sample type")
        return PprofProfile(
            sampleTypes: sampleTypes, samples: samples, locations: locations, functions: functions, mappings: mappings,
            dropFrames: try string(message.dropFrames, "drop_frames"), keepFrames: try string(message.keepFrames, "keep_frames"),
            timeNanos: message.timeNanos, durationNanos: message.durationNanos,
            periodType: message.hasPeriodType ? try valueType(message.periodType, "period") : nil,
            period: message.period, comments: comments, defaultSampleType: defaultType.isEmpty ? nil : defaultType)
    }
}

/// Maps profile ids to array indices: a flat table when ids are dense (Go numbers them
/// 1...n), a dictionary otherwise.
struct IDIndex {
    private var dense: [Int32]
    private var sparse: [UInt64: Int] = [:]
    private let denseLimit: Int

    init(capacity: Int) {
        denseLimit = capacity * 2 + 16
        dense = []
    }

    /// Adds an id; false when it is already there.
    mutating func insert(_ id: UInt64, index: Int) -> Bool {
        if id < UInt64(denseLimit) {
            let slot = Int(id)
            if slot >= dense.count { dense.append(contentsOf: repeatElement(-1, count: slot - dense.count + 1)) }
            guard dense[slot] < 0 else { return false }
            dense[slot] = Int32(truncatingIfNeeded: index)
            return true
        }
        return sparse.updateValue(index, forKey: id) == nil
    }

    subscript(id: UInt64) -> Int? {
        if id < UInt64(dense.count) {
            let value = dense[Int(id)]
            return value < 0 ? nil : Int(value)
        }
        return sparse[id]
    }
}
