import Foundation

/// The family and type of each sample name among an instance's raw series, from the best
/// that is known: the server's metadata, then the embedded metric catalog, then the sample
/// names themselves (`x_bucket` with `le`: histogram `x`; `x_sum` with `x_count`: summary
/// `x`; `_total`: counter). VictoriaMetrics answers `/api/v1/metadata` with `{}`, so there
/// the catalog and the names type everything.
public enum PrometheusFamilyTypes {
    /// A sample name's family and type.
    public struct Kind: Sendable, Hashable {
        public var family: String
        public var type: MetricType
    }

    static let suffixes = ["_bucket", "_sum", "_count"]

    /// Each sample name's kind; `labelNames` holds the label names each sample name carries.
    public static func resolve(labelNames: [String: Set<String>], metadata: PrometheusAnswer.MetadataData, catalog: MetricCatalog) -> [String: Kind] {
        let names = Set(labelNames.keys)
        func isHistogram(_ base: String) -> Bool { labelNames[base + "_bucket"]?.contains("le") == true }
        func isSummary(_ base: String) -> Bool {
            !isHistogram(base) && names.contains(base + "_sum") && names.contains(base + "_count")
        }
        /// What the metadata or the catalog says of a name (nil: nothing). Metadata that says
        /// `unknown` (a target's untyped family, or one an engine mixes up) does not hide the
        /// catalog's type; any declared type wins over another target's `unknown`.
        func declared(_ name: String) -> MetricType? {
            let stated = (metadata[name] ?? []).map { MetricType(prometheusType: $0.type) }
            if let known = stated.first(where: { $0 != .untyped }) { return known }
            return catalog.entries(named: name).first?.type ?? stated.first
        }
        var kinds: [String: Kind] = [:]
        for name in names {
            // A histogram's or summary's own sample (`x_bucket`, `x_sum`, `x_count`).
            var kind: Kind?
            for suffix in suffixes where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                switch declared(base) {
                case .histogram? where isHistogram(base) || metadata[base] != nil: kind = Kind(family: base, type: .histogram)
                case .summary? where isSummary(base) || metadata[base] != nil: kind = Kind(family: base, type: .summary)
                default:
                    if isHistogram(base) {
                        kind = Kind(family: base, type: .histogram)
                    } else if suffix != "_bucket" && isSummary(base) {
                        kind = Kind(family: base, type: .summary)
                    }
                }
            }
            if kind == nil {
                switch declared(name) {
                case .histogram?, .summary?:
                    // The quantiles of a summary are named as the family.
                    kind = Kind(family: name, type: isSummary(name) ? .summary : .untyped)
                case let type?: kind = Kind(family: name, type: type)
                case nil:
                    if isSummary(name) {
                        kind = Kind(family: name, type: .summary)
                    } else {
                        kind = Kind(family: name, type: name.hasSuffix("_total") ? .counter : .untyped)
                    }
                }
            }
            if let kind { kinds[name] = kind }
        }
        return kinds
    }
}
