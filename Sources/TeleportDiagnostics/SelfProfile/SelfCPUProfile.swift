import CSampler
import CompressNIO
import Foundation
import NIOCore
import OTLPProto
import Synchronization
import TeleportCore

/// The engine's own CPU profile, in pprof format: SIGPROF from `setitimer(ITIMER_PROF)`
/// samples whichever thread burns CPU (as Go's runtime does), the C handler copies a
/// `backtrace()` into a preallocated ring, and symbols are resolved and demangled after the
/// capture. Nothing runs while no capture does.
public enum SelfCPUProfile {
    /// Samples per CPU-second, as Go's default.
    public static let hz = 100

    /// Why a capture could not be made.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Samples every thread for `seconds` and returns the gzip-compressed profile. One
    /// capture at a time, as Go: a second one fails with Go's text.
    public static func capture(seconds: Double) async throws -> [UInt8] {
        let stacks = try await sample(seconds: seconds)
        return try gzip(encode(stacks, seconds: seconds))
    }

    /// The raw stacks of a capture (innermost frame first, the handler's frames removed).
    static func sample(seconds: Double) async throws -> [[UInt]] {
        let capacity = max(1000, Int(seconds * Double(hz) * Double(ProcessInfo.processInfo.activeProcessorCount) * 2) + 100)
        switch csampler_start(Int32(hz), capacity) {
        case 0: break
        case -1: throw Failure(description: "Could not enable CPU profiling: cpu profiling already in use")
        default: throw Failure(description: "Could not enable CPU profiling: the interval timer or its memory is not available")
        }
        do {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        } catch {
            _ = csampler_stop()
            throw error
        }
        let count = csampler_stop()
        usleep(2000)  // a handler already past its check finishes its copy
        var stacks: [[UInt]] = []
        stacks.reserveCapacity(count)
        for i in 0..<count {
            var depth: Int32 = 0
            guard let frames = csampler_sample(i, &depth), depth > 2 else { continue }
            // Frame 0 is the handler, frame 1 the kernel's signal trampoline.
            stacks.append((2..<Int(depth)).map { UInt(bitPattern: frames[$0]) })
        }
        return stacks
    }

    /// The pprof message for these stacks: sample types samples/count and cpu/nanoseconds,
    /// one location per address, one function per symbol, mappings from /proc/self/maps.
    static func encode(_ stacks: [[UInt]], seconds: Double) -> Perftools_Profiles_Profile {
        var profile = Perftools_Profiles_Profile()
        var strings = ["": 0]
        var table = [""]
        func string(_ s: String) -> Int64 {
            if let index = strings[s] { return Int64(index) }
            strings[s] = table.count
            table.append(s)
            return Int64(table.count - 1)
        }
        let period = Int64(1_000_000_000 / hz)
        func valueType(_ type: String, _ unit: String) -> Perftools_Profiles_ValueType {
            var v = Perftools_Profiles_ValueType()
            v.type = string(type)
            v.unit = string(unit)
            return v
        }
        profile.sampleType = [valueType("samples", "count"), valueType("cpu", "nanoseconds")]
        profile.periodType = valueType("cpu", "nanoseconds")
        profile.period = period
        profile.timeNanos = Int64(Date().timeIntervalSince1970 * 1e9) - Int64(seconds * 1e9)
        profile.durationNanos = Int64(seconds * 1e9)

        let mappings = SelfMappings.read()
        for (i, m) in mappings.enumerated() {
            var mapping = Perftools_Profiles_Mapping()
            mapping.id = UInt64(i + 1)
            mapping.memoryStart = UInt64(m.start)
            mapping.memoryLimit = UInt64(m.end)
            mapping.fileOffset = UInt64(m.offset)
            mapping.filename = string(m.path)
            mapping.hasFunctions_p = true
            profile.mapping.append(mapping)
        }
        var locations: [UInt: UInt64] = [:]
        var functions: [String: UInt64] = [:]
        var samples: [[UInt64]: Int64] = [:]
        var order: [[UInt64]] = []
        let symbols = SymbolTable()
        for stack in stacks {
            var ids: [UInt64] = []
            ids.reserveCapacity(stack.count)
            for (depth, raw) in stack.enumerated() {
                // Return addresses point after the call: look up the call itself.
                let address = depth == 0 ? raw : raw &- 1
                if let id = locations[address] {
                    ids.append(id)
                    continue
                }
                let symbol = symbols.lookup(address)
                let functionID: UInt64
                if let existing = functions[symbol.name] {
                    functionID = existing
                } else {
                    var function = Perftools_Profiles_Function()
                    function.id = UInt64(profile.function.count + 1)
                    function.name = string(symbol.name)
                    function.systemName = string(symbol.systemName)
                    function.filename = string(symbol.image)
                    profile.function.append(function)
                    functions[symbol.name] = function.id
                    functionID = function.id
                }
                var location = Perftools_Profiles_Location()
                location.id = UInt64(profile.location.count + 1)
                location.address = UInt64(address)
                location.mappingID = mappings.firstIndex { address >= $0.start && address < $0.end }.map { UInt64($0 + 1) } ?? 0
                var line = Perftools_Profiles_Line()
                line.functionID = functionID
                location.line = [line]
                profile.location.append(location)
                locations[address] = location.id
                ids.append(location.id)
            }
            if samples[ids] == nil { order.append(ids) }
            samples[ids, default: 0] += 1
        }
        profile.sample = order.map { ids in
            var sample = Perftools_Profiles_Sample()
            sample.locationID = ids
            let count = samples[ids] ?? 0
            sample.value = [count, count * period]
            return sample
        }
        profile.stringTable = table
        return profile
    }

    static func gzip(_ profile: Perftools_Profiles_Profile) throws -> [UInt8] {
        let bytes: [UInt8] = try profile.serializedBytes()
        var buffer = ByteBuffer(bytes: bytes)
        let compressed = try buffer.compress(with: .gzip())
        return Array(compressed.readableBytesView)
    }
}
