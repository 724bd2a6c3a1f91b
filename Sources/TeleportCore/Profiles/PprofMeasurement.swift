import Foundation

/// pprof's unit arithmetic and number formatting (internal/measurement), so values print
/// exactly as `go tool pprof` prints them: `10ms`, `1.50s`, `512.02kB`, `0.5%`.
public enum PprofMeasurement {
    struct Unit {
        let name: String
        let aliases: [String]
        let factor: Double
    }

    struct UnitType {
        let units: [Unit]
        let defaultUnit: Unit

        func find(alias: String) -> Unit? {
            units.first { $0.aliases.contains(alias) }
        }

        /// Lower-cases and drops one trailing `s` from names longer than two bytes, as pprof does.
        func sniff(_ unit: String) -> Unit? {
            var unit = unit.lowercased()
            if unit.utf8.count > 2, unit.hasSuffix("s") { unit.removeLast() }
            return find(alias: unit)
        }

        func autoScale(_ value: Double) -> (Double, String)? {
            var factor = 0.0
            var name = ""
            for unit in units where unit.factor >= factor && value / unit.factor >= 1 {
                factor = unit.factor
                name = unit.name
            }
            return factor == 0 ? nil : (value / factor, name)
        }

        func convert(_ value: Int64, from: String, to: String) -> (Double, String)? {
            guard let fromUnit = sniff(from) else { return nil }
            let v = Double(value) * fromUnit.factor
            if to == "minimum" || to == "auto" {
                if let scaled = autoScale(v) { return scaled }
                return (v / defaultUnit.factor, defaultUnit.name)
            }
            guard let toUnit = sniff(to) else { return (v / defaultUnit.factor, defaultUnit.name) }
            return (v / toUnit.factor, toUnit.name)
        }
    }

    static let unitTypes: [UnitType] = [
        UnitType(
            units: [
                Unit(name: "B", aliases: ["b", "byte"], factor: 1),
                Unit(name: "kB", aliases: ["kb", "kbyte", "kilobyte"], factor: 1024),
                Unit(name: "MB", aliases: ["mb", "mbyte", "megabyte"], factor: 1_048_576),
                Unit(name: "GB", aliases: ["gb", "gbyte", "gigabyte"], factor: 1_073_741_824),
                Unit(name: "TB", aliases: ["tb", "tbyte", "terabyte"], factor: 1_099_511_627_776),
                Unit(name: "PB", aliases: ["pb", "pbyte", "petabyte"], factor: 1_125_899_906_842_624),
            ],
            defaultUnit: Unit(name: "B", aliases: ["b", "byte"], factor: 1)),
        UnitType(
            units: [
                Unit(name: "ns", aliases: ["ns", "nanosecond"], factor: 1),
                Unit(name: "us", aliases: ["μs", "us", "microsecond"], factor: 1e3),
                Unit(name: "ms", aliases: ["ms", "millisecond"], factor: 1e6),
                Unit(name: "s", aliases: ["s", "sec", "second"], factor: 1e9),
                Unit(name: "hrs", aliases: ["hour", "hr"], factor: 3600e9),
            ],
            defaultUnit: Unit(name: "s", aliases: [], factor: 1e9)),
        UnitType(
            units: [
                Unit(name: "n*GCU", aliases: ["nanogcu"], factor: 1e-9),
                Unit(name: "u*GCU", aliases: ["microgcu"], factor: 1e-6),
                Unit(name: "m*GCU", aliases: ["milligcu"], factor: 1e-3),
                Unit(name: "GCU", aliases: ["gcu"], factor: 1),
                Unit(name: "k*GCU", aliases: ["kilogcu"], factor: 1e3),
                Unit(name: "M*GCU", aliases: ["megagcu"], factor: 1e6),
                Unit(name: "G*GCU", aliases: ["gigagcu"], factor: 1e9),
                Unit(name: "T*GCU", aliases: ["teragcu"], factor: 1e12),
                Unit(name: "P*GCU", aliases: ["petagcu"], factor: 1e15),
            ],
            defaultUnit: Unit(name: "GCU", aliases: [], factor: 1)),
    ]

    /// A value in `fromUnit` expressed in `toUnit` (`minimum`/`auto` pick the largest unit the
    /// value reaches), with the unit's printed name; empty for plain counts.
    public static func scale(_ value: Int64, from fromUnit: String, to toUnit: String) -> (value: Double, unit: String) {
        if value < 0, 0 &- value > 0 {
            let (v, u) = scale(0 &- value, from: fromUnit, to: toUnit)
            return (-v, u)
        }
        for type in unitTypes {
            if let converted = type.convert(value, from: fromUnit, to: toUnit) { return converted }
        }
        switch toUnit {
        case "count", "sample", "unit", "minimum", "auto": return (Double(value), "")
        default: return (Double(value), toUnit)
        }
    }

    /// `scale` printed with two decimals, `.00` dropped: `10ms`, `1.50s`, `512.02kB`, `0`.
    public static func scaledLabel(_ value: Int64, from fromUnit: String, to toUnit: String) -> String {
        let (v, u) = scale(value, from: fromUnit, to: toUnit)
        var text = format("%.2f", v)
        if text.hasSuffix(".00") { text.removeLast(3) }
        if text == "0" || text == "-0" { return "0" }
        return text + u
    }

    /// A value with its unit scaled automatically (`3.14s`).
    public static func label(_ value: Int64, unit: String) -> String {
        scaledLabel(value, from: unit, to: "auto")
    }

    /// A share of a total as pprof prints it: `  100%`, `66.00%`, `  0.5%`, `    0%`.
    public static func percentage(_ value: Int64, of total: Int64) -> String {
        var ratio = 0.0
        if total != 0 { ratio = abs(Double(value) / Double(total)) * 100 }
        if ratio >= 99.95 && ratio <= 100.05 { return "  100%" }
        if ratio >= 1 { return format("%5.2f%%", ratio) }
        return format("%5.2g%%", ratio)
    }

    static func format(_ pattern: String, _ value: Double) -> String {
        String(format: pattern, value)
    }
}
