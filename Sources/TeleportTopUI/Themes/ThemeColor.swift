import TeleportCore

/// A colour in a theme: the terminal's own, an entry of the 256-colour palette, or 24-bit RGB.
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's own foreground or background (`default` in a theme file).
    case terminalDefault
    /// An entry of the 256-colour palette: 0-15 the ANSI colours, 16-231 the cube, 232-255 greys.
    case index(UInt8)
    /// A 24-bit colour (`"#rrggbb"` in a theme file).
    case rgb(UInt8, UInt8, UInt8)

    /// Parses `#rrggbb` (hex digits in either case), a decimal index 0-255 or `default`.
    public init?(text: String) {
        if text.lowercased() == "default" {
            self = .terminalDefault
        } else if text.hasPrefix("#") {
            let hex = text.dropFirst()
            guard hex.count == 6, hex.allSatisfy(\.isHexDigit), let value = UInt32(hex, radix: 16) else { return nil }
            self = .rgb(UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
        } else if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = UInt8(text) {
            self = .index(value)
        } else {
            return nil
        }
    }

    /// The colour as xterm's default palette shows it; nil for `.terminalDefault`.
    public var rgbComponents: (red: UInt8, green: UInt8, blue: UInt8)? {
        switch self {
        case .terminalDefault: return nil
        case .index(let index): return XtermPalette.rgb(Int(index))
        case .rgb(let red, let green, let blue): return (red, green, blue)
        }
    }

    /// The 256-colour palette entry to draw this colour with: an index as it is, RGB as the
    /// nearest entry of the cube (16-231) or the greys (232-255) by squared RGB distance
    /// (the lowest index on a tie); nil for `.terminalDefault`.
    public func nearestIndex256() -> Int? {
        switch self {
        case .terminalDefault: return nil
        case .index(let index): return Int(index)
        case .rgb(let red, let green, let blue): return XtermPalette.nearest256(red: red, green: green, blue: blue)
        }
    }

    /// The ANSI colour 0-15 to draw this colour with on a 16-colour terminal: 0-15 as they
    /// are, anything else through its RGB (see `XtermPalette.nearestANSI`); nil for `.terminalDefault`.
    public func nearestIndex16() -> Int? {
        if case .index(let index) = self, index < 16 { return Int(index) }
        guard let rgb = rgbComponents else { return nil }
        return XtermPalette.nearestANSI(red: rgb.red, green: rgb.green, blue: rgb.blue, bright: true)
    }

    /// The ANSI colour 0-7 to draw this colour with on an 8-colour terminal: 0-7 as they are,
    /// anything else through its RGB; nil for `.terminalDefault`.
    public func nearestIndex8() -> Int? {
        if case .index(let index) = self, index < 8 { return Int(index) }
        guard let rgb = rgbComponents else { return nil }
        return XtermPalette.nearestANSI(red: rgb.red, green: rgb.green, blue: rgb.blue, bright: false)
    }
}

extension ThemeColor: CustomStringConvertible {
    /// The colour as a theme file writes it: `default`, `244` or `#5fafff`.
    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case .index(let index): return String(index)
        case .rgb(let red, let green, let blue): return "#" + [red, green, blue].map(Self.hex).joined()
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
}
