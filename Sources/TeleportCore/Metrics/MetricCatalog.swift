/// Teleport's documented metrics (the "Monitoring your Cluster" reference), embedded in the
/// binary: name, type, component, section and description of every row. A name may appear in
/// several sections; every row is kept.
public struct MetricCatalog: Sendable {
    /// One row of the catalog.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var type: MetricType
        public var component: String
        public var section: String
        public var description: String

        /// The dashboard group the row's section maps to.
        public var group: MetricGroup { MetricGroup.forSection(section) ?? MetricGroup.forPrefix(of: name) }
    }

    /// Every row, in the order of the catalog file.
    public let entries: [Entry]
    private let rowsByName: [String: [Int]]

    /// The catalog built into the binary.
    public static let builtin: MetricCatalog = {
        do {
            return try MetricCatalog(tsv: embeddedTSV)
        } catch {
            // The embedded text is checked by the tests; an empty catalog keeps the tool running.
            return MetricCatalog(entries: [])
        }
    }()

    /// Parses the catalog's tab-separated form (a header row, then five columns a row).
    public init(tsv: String) throws(CatalogError) {
        var entries: [Entry] = []
        var sawHeader = false
        for (index, line) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.hasSuffix("\r") ? line.dropLast() : line[...]
            if text.isEmpty { continue }
            let columns = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 5 else {
                throw CatalogError(line: index + 1, reason: "expected 5 tab-separated columns, found \(columns.count)")
            }
            if !sawHeader {
                sawHeader = true
                if columns[0] == "name" { continue }
            }
            guard let type = MetricType(rawValue: columns[1]) else {
                throw CatalogError(line: index + 1, reason: "unknown type \"\(columns[1])\"")
            }
            entries.append(Entry(name: columns[0], type: type, component: columns[2], section: columns[3], description: columns[4]))
        }
        self.init(entries: entries)
    }

    public init(entries: [Entry]) {
        self.entries = entries
        var rows: [String: [Int]] = [:]
        for (i, entry) in entries.enumerated() { rows[entry.name, default: []].append(i) }
        self.rowsByName = rows
    }

    /// Every row for a name (several when the catalog lists it under several sections).
    public func entries(named name: String) -> [Entry] {
        rowsByName[name]?.map { entries[$0] } ?? []
    }

    /// The group a family belongs to: its first catalog row's section, else its name prefix.
    public func group(ofFamily name: String) -> MetricGroup {
        if let first = rowsByName[name]?.first { return entries[first].group }
        return MetricGroup.forPrefix(of: name)
    }

    /// The distinct sections in catalog order.
    public var sections: [String] {
        var seen = Set<String>()
        return entries.compactMap { seen.insert($0.section).inserted ? $0.section : nil }
    }
}

/// A malformed catalog row.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "metric catalog line \(line): \(reason)" }
}
