/// One histogram series assembled from its `_bucket`, `_sum` and `_count` samples.
public struct HistogramSeries: Sendable, Hashable {
    /// One cumulative bucket: the count of observations less than or equal to `upperBound`.
    public struct Bucket: Sendable, Hashable {
        public var upperBound: Double
        public var cumulativeCount: Double

        public init(upperBound: Double, cumulativeCount: Double) {
            self.upperBound = upperBound
            self.cumulativeCount = cumulativeCount
        }
    }

    /// The series' labels without `le`.
    public var labels: [Label]
    /// Buckets sorted by upper bound; the last is `+Inf` when the exposition had it.
    public var buckets: [Bucket]
    public var sum: Double?
    public var count: Double?

    public init(labels: [Label], buckets: [Bucket], sum: Double?, count: Double?) {
        self.labels = labels
        self.buckets = buckets
        self.sum = sum
        self.count = count
    }
}

/// One summary series assembled from its quantile, `_sum` and `_count` samples.
public struct SummarySeries: Sendable, Hashable {
    public var labels: [Label]
    /// (quantile, value) pairs sorted by quantile.
    public var quantiles: [Quantile]
    public var sum: Double?
    public var count: Double?

    public struct Quantile: Sendable, Hashable {
        public var quantile: Double
        public var value: Double
    }
}

extension MetricFamily {
    /// The family's histogram series, grouped by their labels without `le`, in order of
    /// first appearance. Empty unless the family is a histogram or gauge histogram.
    public func histogramSeries() -> [HistogramSeries] {
        guard type == .histogram || type == .gaugehistogram else { return [] }
        let le: Set<String> = ["le"]
        let all = grouped(
            key: { suffix, labels in suffix == "_bucket" ? labels.removing(le) : labels },
            make: { HistogramSeries(labels: $0, buckets: [], sum: nil, count: nil) },
            add: { series, suffix, sample in
                switch suffix {
                case "_bucket":
                    guard let raw = sample.labels[label: "le"], let bound = ExpositionNumber.parse(raw) else { return }
                    series.buckets.append(.init(upperBound: bound, cumulativeCount: sample.value))
                case "_sum", "_gsum": series.sum = sample.value
                case "_count", "_gcount": series.count = sample.value
                default: return
                }
            })
        return all.map { series in
            var series = series
            series.buckets.sort { $0.upperBound < $1.upperBound }
            return series
        }
    }

    /// The family's summary series, grouped by their labels without `quantile`.
    public func summarySeries() -> [SummarySeries] {
        guard type == .summary else { return [] }
        let quantileName: Set<String> = ["quantile"]
        let all = grouped(
            key: { suffix, labels in suffix.isEmpty ? labels.removing(quantileName) : labels },
            make: { SummarySeries(labels: $0, quantiles: [], sum: nil, count: nil) },
            add: { series, suffix, sample in
                switch suffix {
                case "":
                    guard let raw = sample.labels[label: "quantile"], let q = ExpositionNumber.parse(raw) else { return }
                    series.quantiles.append(.init(quantile: q, value: sample.value))
                case "_sum": series.sum = sample.value
                case "_count": series.count = sample.value
                default: return
                }
            })
        return all.map { series in
            var series = series
            series.quantiles.sort { $0.quantile < $1.quantile }
            return series
        }
    }

    /// The samples grouped by `key` (of the sample name's suffix after the family's name and
    /// the labels), in order of first appearance; `add` folds each sample into its group.
    private func grouped<Group>(
        key: (Substring, [Label]) -> [Label], make: ([Label]) -> Group, add: (inout Group, Substring, Sample) -> Void
    ) -> [Group] {
        var all: [Group] = []
        var index: [[Label]: Int] = [:]
        for sample in samples {
            let suffix = sample.name.dropFirst(name.count)
            let labels = key(suffix, sample.labels)
            let at: Int
            if let found = index[labels] {
                at = found
            } else {
                at = all.count
                index[labels] = at
                all.append(make(labels))
            }
            add(&all[at], suffix, sample)
        }
        return all
    }
}
