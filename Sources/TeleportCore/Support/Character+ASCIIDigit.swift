extension Character {
    /// Whether this is one of `0`...`9` and nothing else: `Character.isNumber` is also true
    /// for Thai, Arabic-Indic or fullwidth digits and for a digit with a combining mark, none
    /// of which `Int(_:)` reads.
    public var isASCIIDigit: Bool {
        guard let ascii = asciiValue else { return false }
        return ascii >= 0x30 && ascii <= 0x39
    }
}
