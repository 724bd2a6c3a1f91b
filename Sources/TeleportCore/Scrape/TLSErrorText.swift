/// A TLS library's error as a user reads it: the reason codes BoringSSL names
/// (`WRONG_VERSION_NUMBER`), never its source paths or numeric codes.
public enum TLSErrorText {
    /// `text`: the error as the library describes it.
    public static func describe(_ text: String) -> String {
        let reasons = reasonCodes(text)
        if reasons.contains(where: { ["WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG", "RECORD_TOO_LARGE"].contains($0) }) {
            return "the peer does not speak TLS (a plain-HTTP port? use http://)"
        }
        if reasons.contains("CERTIFICATE_VERIFY_FAILED") { return "the server's certificate cannot be verified (--ca-cert)" }
        if let first = reasons.first { return "handshake failed: " + first.lowercased().replacingOccurrences(of: "_", with: " ") }
        if text.contains("uncleanShutdown") { return "the peer closed the connection during the handshake" }
        // Without reason codes: the text up to any source path.
        let head = text.split(separator: " at /", maxSplits: 1).first.map(String.init) ?? text
        return head.count > 120 ? String(head.prefix(120)) + "…" : head
    }

    /// BoringSSL's reason codes in a description (`…:OPENSSL_internal:WRONG_VERSION_NUMBER at …`).
    static func reasonCodes(_ text: String) -> [String] {
        var codes: [String] = []
        for part in text.split(separator: ":") {
            let word = part.split(separator: " ").first.map(String.init) ?? ""
            if word.count > 3, word.allSatisfy({ $0.isUppercase || $0 == "_" || $0.isNumber }), word.contains("_"), word != "OPENSSL_internal" {
                if !codes.contains(word) { codes.append(word) }
            }
        }
        return codes
    }
}
