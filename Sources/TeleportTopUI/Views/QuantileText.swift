import TeleportCore

/// Quantile estimates as text: `12ms`, or `≥ 32.768s` when the rank fell in +Inf.
public enum QuantileText {
    public static func format(_ estimate: QuantileEstimate?, unit: (Double) -> String = Format.seconds, gap: String = "≥ ") -> String {
        guard let estimate else { return "-" }
        return (estimate.atLeast ? gap : "") + unit(estimate.value)
    }

    /// The unit a histogram family's values are in (see `Unit.histogram(named:)`).
    public static func unit(forFamily name: String) -> (Double) -> String {
        switch Unit.histogram(named: name) {
        case .bytes: return { Format.bytes($0) }
        case .seconds: return { Format.seconds($0) }
        case .timestamp, .plain: return { Format.number($0) }
        }
    }
}
