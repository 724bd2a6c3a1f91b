import CompressNIO
import NIOCore
import OTLPProto
import SwiftProtobuf
import TeleportCore

/// Generated pprof profiles of any size for tests and benchmarks: a random call graph of
/// Go-like functions, locations with inlined frames, stacks with shared prefixes and
/// recursion, and values spread over several orders of magnitude. The same seed gives the
/// same bytes.
public struct SyntheticProfile: Sendable {
    public var seed: UInt64
    public var functions: Int
    public var locationsPerFunction: Int
    public var samples: Int
    public var maxDepth: Int
    /// Sample types (type, unit); values of the first are small counts, the others spread
    /// over up to `magnitude` decimal digits.
    public var sampleTypes: [(type: String, unit: String)]
    public var magnitude: Int
    /// Share of locations with inlined frames, and of stacks that recurse.
    public var inlineShare: Double
    public var recursionShare: Double
    public var timeNanos: Int64
    public var durationNanos: Int64
    public var mappingFile: String
    /// Extra text mixed into function names (for hostile-name tests).
    public var nameDecoration: String

    public init(
        seed: UInt64 = 1, functions: Int = 200, locationsPerFunction: Int = 3, samples: Int = 2000, maxDepth: Int = 24,
        sampleTypes: [(type: String, unit: String)] = [("samples", "count"), ("cpu", "nanoseconds")], magnitude: Int = 7,
        inlineShare: Double = 0.2, recursionShare: Double = 0.1, timeNanos: Int64 = 1_700_000_000_000_000_000,
        durationNanos: Int64 = 10_000_000_000, mappingFile: String = "/usr/local/bin/teleport", nameDecoration: String = ""
    ) {
        self.seed = seed
        self.functions = functions
        self.locationsPerFunction = locationsPerFunction
        self.samples = samples
        self.maxDepth = maxDepth
        self.sampleTypes = sampleTypes
        self.magnitude = magnitude
        self.inlineShare = inlineShare
        self.recursionShare = recursionShare
        self.timeNanos = timeNanos
        self.durationNanos = durationNanos
        self.mappingFile = mappingFile
        self.nameDecoration = nameDecoration
    }

    /// The profile as a protobuf message.
    public func message() -> Perftools_Profiles_Profile {
        var random = SplitMix64(seed: seed)
        var strings = [""]
        var stringIndex: [String: Int64] = ["": 0]
        func intern(_ text: String) -> Int64 {
            if let index = stringIndex[text] { return index }
            let index = Int64(strings.count)
            strings.append(text)
            stringIndex[text] = index
            return index
        }
        let packages = [
            "runtime", "net/http", "github.com/gravitational/teleport/lib/auth", "github.com/gravitational/teleport/lib/srv",
            "github.com/gravitational/teleport/lib/backend", "crypto/tls", "encoding/json", "google.golang.org/grpc", "sync", "é/ünïcode",
        ]
        let verbs = ["Serve", "handle", "Read", "Write", "Lock", "Unlock", "Marshal", "Decode", "process", "watch", "Upsert", "Get"]

        var message = Perftools_Profiles_Profile()
        for (type, unit) in sampleTypes {
            var valueType = Perftools_Profiles_ValueType()
            valueType.type = intern(type)
            valueType.unit = intern(unit)
            message.sampleType.append(valueType)
        }
        var mapping = Perftools_Profiles_Mapping()
        mapping.id = 1
        mapping.memoryStart = 0x400000
        mapping.memoryLimit = 0x4000000
        mapping.filename = intern(mappingFile)
        mapping.hasFunctions_p = true
        mapping.hasFilenames_p = true
        mapping.hasLineNumbers_p = true
        mapping.hasInlineFrames_p = true
        message.mapping = [mapping]

        for f in 0..<functions {
            let package = packages[random.next(below: packages.count)]
            var function = Perftools_Profiles_Function()
            function.id = UInt64(f + 1)
            let receiver = random.next(below: 3) == 0 ? "(*T\(f % 17))." : ""
            // Now and then a nameless function, and file names pprof cleans or trims.
            let name = f % 211 == 7 ? "" : "\(package).\(receiver)\(verbs[random.next(below: verbs.count)])\(f)\(nameDecoration)"
            function.name = intern(name)
            function.systemName = function.name
            switch f % 7 {
            case 3: function.filename = intern("/proc/self/cwd/./src/\(package)/file\(f % 23).go")
            case 5: function.filename = intern("src//\(package)/../\(package)/./file\(f % 23).go")
            default: function.filename = intern("/src/\(package)/file\(f % 23).go")
            }
            function.startLine = Int64(10 + random.next(below: 500))
            message.function.append(function)
        }

        var address: UInt64 = 0x401000
        for f in 0..<functions {
            for _ in 0..<locationsPerFunction {
                var location = Perftools_Profiles_Location()
                location.id = UInt64(message.location.count + 1)
                location.mappingID = 1
                location.address = address
                address += UInt64(8 + random.next(below: 64))
                if message.location.count % 997 == 9 {
                    message.location.append(location)  // unsymbolized: an address, no lines
                    continue
                }
                if random.unit() < inlineShare {
                    for _ in 0..<(1 + random.next(below: 2)) {
                        var line = Perftools_Profiles_Line()
                        line.functionID = UInt64(1 + random.next(below: functions))
                        line.line = Int64(1 + random.next(below: 900))
                        location.line.append(line)
                    }
                }
                var line = Perftools_Profiles_Line()
                line.functionID = UInt64(f + 1)
                line.line = Int64(1 + random.next(below: 900))
                location.line.append(line)
                message.location.append(location)
            }
        }

        // Stacks walk a fixed random "callee" table, so prefixes repeat as in real programs.
        let locationCount = message.location.count
        let callees = (0..<locationCount).map { _ in (0..<3).map { _ in random.next(below: locationCount) } }
        let roots = (0..<max(1, functions / 20)).map { _ in random.next(below: locationCount) }
        message.sample.reserveCapacity(samples)
        for _ in 0..<samples {
            var stack: [Int] = [roots[random.next(below: roots.count)]]
            let depth = 2 + random.next(below: max(1, maxDepth - 1))
            while stack.count < depth {
                if random.unit() < recursionShare, stack.count > 2 {
                    stack.append(stack[stack.count - 2 - random.next(below: stack.count - 2)])
                } else {
                    stack.append(callees[stack[stack.count - 1]][random.next(below: 3)])
                }
            }
            var sample = Perftools_Profiles_Sample()
            sample.locationID = stack.reversed().map { UInt64($0 + 1) }
            let count = Int64(1 + random.next(below: 5))
            for index in 0..<sampleTypes.count {
                if index == 0 {
                    sample.value.append(count)
                } else {
                    let digits = random.next(below: max(1, magnitude))
                    var scale: Int64 = 1
                    for _ in 0..<digits { scale *= 10 }
                    sample.value.append(count * scale * Int64(1 + random.next(below: 9)))
                }
            }
            message.sample.append(sample)
        }
        message.stringTable = strings
        message.timeNanos = timeNanos
        message.durationNanos = durationNanos
        if let last = sampleTypes.last {
            var period = Perftools_Profiles_ValueType()
            period.type = intern(last.type)
            period.unit = intern(last.unit)
            message.periodType = period
            message.period = 10_000_000
            message.stringTable = strings
        }
        return message
    }

    /// The profile as bytes, gzip-compressed like Go's.
    public func encoded(gzip: Bool = true) -> [UInt8] {
        let raw: [UInt8] = (try? message().serializedBytes()) ?? []
        guard gzip else { return raw }
        return Self.gzip(raw)
    }

    public static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        guard let compressed = try? buffer.compress(with: .gzip()) else { return [] }
        return Array(compressed.readableBytesView)
    }

    /// A profile whose gzip-compressed size is close to `bytes`: two small trials give the
    /// fixed size (functions, locations) and the size per sample, which set the sample count.
    public static func ofCompressedSize(_ bytes: Int, seed: UInt64 = 1) -> [UInt8] {
        var shape = SyntheticProfile(seed: seed, functions: 20_000, locationsPerFunction: 4, samples: 10_000, maxDepth: 48)
        let small = shape.encoded().count
        shape.samples = 30_000
        let large = shape.encoded().count
        let perSample = max(1, Double(large - small) / 20_000)
        let fixed = Double(small) - perSample * 10_000
        shape.samples = max(1000, Int((Double(bytes) - fixed) / perSample))
        return shape.encoded()
    }
}
