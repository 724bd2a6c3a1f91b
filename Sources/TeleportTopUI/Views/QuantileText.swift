import TeleportCore

/// Quantile estimates as text: `12ms`, or `≥ 32.768s` when the rank fell in +Inf.
public enum QuantileText {
    public static func format(_ estimate: QuantileEstimate?, unit: (Double) -> String = Format.seconds, gap: String = "≥ ") -> String {
        guard let estimate else { return "-" }
        return (estimate.atLeast ? gap : "") + unit(estimate.value)
    }

    /// The unit a histogram family's values are in: bytes for `_bytes`/sizes, else seconds.
    public static func unit(forFamily name: String) -> (Double) -> String {
        if name.hasSuffix("_bytes") || name.hasSuffix("_sizes") || name == "watcher_events" { return { Format.bytes($0) } }
        return { Format.seconds($0) }
    }
}
