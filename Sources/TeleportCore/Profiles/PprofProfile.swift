/// A decoded pprof profile (profile.proto) with every string resolved and every id turned
/// into an array index, so reports can walk it without lookups. Built by `PprofDecoder`,
/// which has already checked every reference.
public struct PprofProfile: Sendable {
    /// A sample type or the period type: `cpu`/`nanoseconds`, `inuse_space`/`bytes`.
    public struct ValueType: Sendable, Hashable, CustomStringConvertible {
        public var type: String
        public var unit: String
        public init(type: String, unit: String) {
            self.type = type
            self.unit = unit
        }
        public var description: String { "\(type)/\(unit)" }
    }

    /// A sample label: a string value or a number with an optional unit.
    public struct Label: Sendable, Hashable {
        public var key: String
        public var string: String?
        public var number: Int64
        public var unit: String?
        public init(key: String, string: String? = nil, number: Int64 = 0, unit: String? = nil) {
            self.key = key
            self.string = string
            self.number = number
            self.unit = unit
        }
    }

    /// One stack with its values, one per sample type.
    public struct Sample: Sendable {
        /// Indices into `locations`, leaf first (the caller of `locations[i]` is `locations[i + 1]`).
        public var locations: [Int32]
        /// One value per entry of `sampleTypes`.
        public var values: [Int64]
        public var labels: [Label]
        public init(locations: [Int32], values: [Int64], labels: [Label] = []) {
            self.locations = locations
            self.values = values
            self.labels = labels
        }
    }

    /// One source line of a location; several per location when calls were inlined.
    public struct Line: Sendable, Hashable {
        /// Index into `functions`.
        public var function: Int32
        public var line: Int64
        public init(function: Int32, line: Int64) {
            self.function = function
            self.line = line
        }
    }

    /// A program counter and the lines it stands for; `lines[0]` is the innermost (inlined)
    /// frame, the last line the function that contains the address.
    public struct Location: Sendable {
        public var id: UInt64
        /// Index into `mappings`.
        public var mapping: Int32?
        public var address: UInt64
        public var lines: [Line]
        public var isFolded: Bool
        public init(id: UInt64, mapping: Int32? = nil, address: UInt64 = 0, lines: [Line], isFolded: Bool = false) {
            self.id = id
            self.mapping = mapping
            self.address = address
            self.lines = lines
            self.isFolded = isFolded
        }
    }

    public struct Function: Sendable, Hashable {
        public var id: UInt64
        public var name: String
        public var systemName: String
        public var filename: String
        public var startLine: Int64
        public init(id: UInt64, name: String, systemName: String = "", filename: String = "", startLine: Int64 = 0) {
            self.id = id
            self.name = name
            self.systemName = systemName
            self.filename = filename
            self.startLine = startLine
        }
    }

    /// A mapped binary or library.
    public struct Mapping: Sendable, Hashable {
        public var id: UInt64
        public var start: UInt64
        public var limit: UInt64
        public var offset: UInt64
        public var file: String
        public var buildID: String
        public var hasFunctions: Bool
        public var hasFilenames: Bool
        public var hasLineNumbers: Bool
        public var hasInlineFrames: Bool
        public init(
            id: UInt64, start: UInt64 = 0, limit: UInt64 = 0, offset: UInt64 = 0, file: String = "", buildID: String = "",
            hasFunctions: Bool = false, hasFilenames: Bool = false, hasLineNumbers: Bool = false, hasInlineFrames: Bool = false
        ) {
            self.id = id
            self.start = start
            self.limit = limit
            self.offset = offset
            self.file = file
            self.buildID = buildID
            self.hasFunctions = hasFunctions
            self.hasFilenames = hasFilenames
            self.hasLineNumbers = hasLineNumbers
            self.hasInlineFrames = hasInlineFrames
        }
    }

    public var sampleTypes: [ValueType]
    public var samples: [Sample]
    public var locations: [Location]
    public var functions: [Function]
    public var mappings: [Mapping]
    /// Regular expressions of frames to drop and keep (read, not applied: Go never sets them).
    public var dropFrames: String
    public var keepFrames: String
    /// When the profile was taken (Unix nanoseconds; 0 when unknown).
    public var timeNanos: Int64
    /// How long it covers (0 for snapshots).
    public var durationNanos: Int64
    public var periodType: ValueType?
    public var period: Int64
    public var comments: [String]
    /// The sample type to show by default (`alloc_space` for Go's allocs profile), if named.
    public var defaultSampleType: String?

    public init(
        sampleTypes: [ValueType], samples: [Sample], locations: [Location], functions: [Function], mappings: [Mapping] = [],
        dropFrames: String = "", keepFrames: String = "", timeNanos: Int64 = 0, durationNanos: Int64 = 0, periodType: ValueType? = nil,
        period: Int64 = 0, comments: [String] = [], defaultSampleType: String? = nil
    ) {
        self.sampleTypes = sampleTypes
        self.samples = samples
        self.locations = locations
        self.functions = functions
        self.mappings = mappings
        self.dropFrames = dropFrames
        self.keepFrames = keepFrames
        self.timeNanos = timeNanos
        self.durationNanos = durationNanos
        self.periodType = periodType
        self.period = period
        self.comments = comments
        self.defaultSampleType = defaultSampleType
    }

    /// The index of a sample type as `go tool pprof -sample_index` takes it: nil or empty for
    /// the default (the profile's default type, else the last), a number, or a type name
    /// (`inuse_` may be left off, as pprof allows).
    public func sampleTypeIndex(_ selector: String?) throws(PprofReportError) -> Int {
        guard !sampleTypes.isEmpty else { throw .noSampleTypes }
        guard let selector, !selector.isEmpty else {
            if let name = defaultSampleType, !name.isEmpty, let index = sampleTypes.firstIndex(where: { $0.type == name }) {
                return index
            }
            return sampleTypes.count - 1
        }
        if let number = Int(selector) {
            guard number >= 0, number < sampleTypes.count else {
                throw .sampleIndexOutOfRange(selector, last: sampleTypes.count - 1)
            }
            return number
        }
        let withoutInuse = selector.hasPrefix("inuse_") ? String(selector.dropFirst(6)) : selector
        if let index = sampleTypes.firstIndex(where: { $0.type == selector || $0.type == withoutInuse }) { return index }
        throw .unknownSampleType(selector, known: sampleTypes.map(\.type))
    }

    /// The total of one sample type as pprof's reports take it (computeTotal): the sum of the
    /// absolute values over every sample, or, in a `-diff_base` diff, over the baseline's
    /// samples only (those labelled `pprof::base`), so shares are shares of the baseline.
    public func total(sampleTypeIndex index: Int) -> Int64 {
        var total: Int64 = 0
        var baseTotal: Int64 = 0
        for sample in samples {
            let value = sample.values[index]
            let magnitude = value < 0 ? 0 &- value : value
            total &+= magnitude
            if sample.isDiffBase { baseTotal &+= magnitude }
        }
        return baseTotal > 0 ? baseTotal : total
    }
}

extension PprofProfile.Sample {
    /// Whether the sample comes from the baseline of a `-diff_base` diff.
    public var isDiffBase: Bool {
        labels.contains { $0.key == ProfileDiff.baseLabel && $0.string == "true" }
    }
}
