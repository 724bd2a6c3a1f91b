/// Family assembly: which family a sample belongs to (by the declared type, never by suffix
/// alone), and the checks buckets and quantiles get.
extension ParseState {
    mutating func append(_ sample: Sample) throws(ExpositionParseError) {
        let index: Int
        let role: SampleRole
        if let cache = ownerCache, cache.nameGeneration == nameGeneration, cache.declarationGeneration == declarationGeneration {
            index = cache.index
            role = cache.role
        } else {
            index = try owningFamily(of: sample.name)
            role = Self.role(of: sample.name, in: families[index])
            ownerCache = (nameGeneration, declarationGeneration, index, role)
        }
        switch role {
        case .bucket:
            guard let le = sample.labels[label: "le"] else { throw fail("\(sample.name): histogram bucket without an le label") }
            guard ExpositionNumber.parse(le) != nil else { throw fail("\(sample.name): le=\"\(Sanitized.quote(le))\" is not a number") }
        case .quantile:
            if let q = sample.labels[label: "quantile"], ExpositionNumber.parse(q) == nil {
                throw fail("\(sample.name): quantile=\"\(Sanitized.quote(q))\" is not a number")
            }
        case .other:
            break
        }
        sampleCount += 1
        if sampleCount > limits.maxSeries {
            throw fail("more than \(limits.maxSeries) series in one payload (raise --max-series to read it)")
        }
        families[index].samples.append(sample)
    }

    /// What a sample is to its family: a histogram bucket, a summary quantile, or anything else.
    enum SampleRole {
        case bucket, quantile, other
    }

    static func role(of sampleName: String, in family: MetricFamily) -> SampleRole {
        let nameBytes = sampleName.utf8.count
        let familyBytes = family.name.utf8.count
        switch family.type {
        case .histogram, .gaugehistogram:
            return nameBytes == familyBytes + 7 && sampleName.hasSuffix("_bucket") && sampleName.hasPrefix(family.name) ? .bucket : .other
        case .summary:
            return nameBytes == familyBytes ? .quantile : .other
        default:
            return .other
        }
    }

    mutating func owningFamily(of sampleName: String) throws(ExpositionParseError) -> Int {
        if let current, families[current].owns(sampleName: sampleName) { return current }
        if let index = familyIndex[sampleName], families[index].owns(sampleName: sampleName) {
            current = index
            return index
        }
        for suffix in ["_bucket", "_count", "_sum", "_total", "_created", "_gsum", "_gcount", "_info"]
        where sampleName.hasSuffix(suffix) {
            let stem = String(sampleName.dropLast(suffix.count))
            if let index = familyIndex[stem], families[index].owns(sampleName: sampleName) {
                current = index
                return index
            }
        }
        let index = family(named: sampleName)
        current = index
        return index
    }

}
