/// Go's `path/filepath` Clean and Base for Unix paths, byte for byte, so file names in
/// reports match `go tool pprof`'s.
public enum GoPath {
    /// The shortest lexically equivalent path (`a//b/./c/..` -> `a/b`).
    public static func clean(_ path: String) -> String {
        let p = Array(path.utf8)
        if p.isEmpty { return "." }
        let rooted = p[0] == UInt8(ascii: "/")
        let n = p.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var r = 0
        var dotdot = 0
        if rooted {
            out.append(UInt8(ascii: "/"))
            r = 1
            dotdot = 1
        }
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        while r < n {
            if p[r] == slash {
                r += 1
            } else if p[r] == dot && (r + 1 == n || p[r + 1] == slash) {
                r += 1
            } else if p[r] == dot && r + 1 < n && p[r + 1] == dot && (r + 2 == n || p[r + 2] == slash) {
                r += 2
                if out.count > dotdot {
                    // Back to the last slash, which goes too (Go's lazybuf: w-- while out[w] != '/').
                    var w = out.count - 1
                    while w > dotdot && out[w] != slash { w -= 1 }
                    out.removeSubrange(w...)
                } else if !rooted {
                    if !out.isEmpty { out.append(slash) }
                    out.append(dot)
                    out.append(dot)
                    dotdot = out.count
                }
            } else {
                if (rooted && out.count != 1) || (!rooted && !out.isEmpty) { out.append(slash) }
                while r < n && p[r] != slash {
                    out.append(p[r])
                    r += 1
                }
            }
        }
        if out.isEmpty { return "." }
        return String(decoding: out, as: UTF8.self)
    }

    /// The last element (`/a/b/` -> `b`, `` -> `.`, `///` -> `/`).
    public static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.hasSuffix("/") { p.removeLast() }
        if let slash = p.lastIndex(of: "/") { p = p[p.index(after: slash)...] }
        if p.isEmpty { return "/" }
        return String(p)
    }
}
