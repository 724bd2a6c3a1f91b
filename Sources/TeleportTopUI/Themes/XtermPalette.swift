import TeleportCore

/// xterm's default 256-colour palette and the nearest-colour searches themes use to fit
/// RGB colours into terminals with 256, 16 or 8 colours.
enum XtermPalette {
    /// The 16 ANSI colours as xterm draws them by default.
    static let ansi: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    /// The six levels of each channel of the 6×6×6 cube (16-231).
    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The RGB of a palette entry; indices outside 0-255 are clamped.
    static func rgb(_ index: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let index = min(255, max(0, index))
        switch index {
        case 0..<16:
            let (red, green, blue) = ansi[index]
            return (red, green, blue)
        case 16..<232:
            let cube = index - 16
            return (cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
        default:
            let level = UInt8(8 + 10 * (index - 232))
            return (level, level, level)
        }
    }

    /// The cube or grey entry (16-255) nearest to an RGB colour by squared distance; the
    /// ANSI colours 0-15 are left out because terminals redefine them.
    static func nearest256(red: UInt8, green: UInt8, blue: UInt8) -> Int {
        var best = 16
        var bestDistance = Int.max
        for index in 16...255 {
            let entry = rgb(index)
            let distance =
                square(Int(red) - Int(entry.red)) + square(Int(green) - Int(entry.green))
                + square(Int(blue) - Int(entry.blue))
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    /// The ANSI colour for an RGB colour: 0-15 when `bright`, else 0-7.
    ///
    /// Squared distance to xterm's 16 colours turns mid greys into cyan or yellow and light
    /// greens into cyan, so greys (max - min < 40) go to the grey entry nearest in lightness
    /// (black, bright black, white, bright white; black or white for 8 colours) and other
    /// colours to the ANSI colour of their hue's sixth of the colour wheel (red, yellow, green,
    /// cyan, blue, magenta, centred on 0°, 60°...), bright when `bright` and the colour is
    /// light (max ≥ 230 or lightness ≥ 160).
    static func nearestANSI(red: UInt8, green: UInt8, blue: UInt8, bright: Bool) -> Int {
        let (r, g, b) = (Int(red), Int(green), Int(blue))
        let high = max(r, g, b)
        let low = min(r, g, b)
        let doubleLightness = high + low
        if high - low < 40 {
            let greys: [(index: Int, level: Int)] = bright ? [(0, 0), (8, 127), (7, 229), (15, 255)] : [(0, 0), (7, 229)]
            var best = greys[0]
            for grey in greys.dropFirst() where abs(doubleLightness - 2 * grey.level) < abs(doubleLightness - 2 * best.level) {
                best = grey
            }
            return best.index
        }
        let chroma = Double(high - low)
        var hue: Double
        if high == r {
            hue = Double(g - b) / chroma
        } else if high == g {
            hue = Double(b - r) / chroma + 2
        } else {
            hue = Double(r - g) / chroma + 4
        }
        hue *= 60
        if hue < 0 { hue += 360 }
        let sector = min(5, max(0, Int((hue + 30).truncatingRemainder(dividingBy: 360) / 60)))
        let base = [1, 3, 2, 6, 4, 5][sector]  // red, yellow, green, cyan, blue, magenta
        let light = high >= 230 || doubleLightness >= 320
        return bright && light ? base + 8 : base
    }

    private static func square(_ value: Int) -> Int { value * value }
}
