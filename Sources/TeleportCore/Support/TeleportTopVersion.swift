/// The tool's version.
public enum TeleportTopVersion {
    public static let current = "0.1.0"
    #if compiler(>=6.3)
        public static let swift = "6.3"
    #else
        public static let swift = "6"
    #endif
}
