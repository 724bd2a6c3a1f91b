import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a TCP address can be bound, asked before anything starts, so `serve` on a port in
/// use says that one thing and exits (no state changes logged, no shutdown errors).
enum PortCheck {
    /// The system's reason the address cannot be bound (`Address already in use`), or nil.
    static func bindProblem(host: String, port: Int) -> String? {
        guard port != 0 else { return nil }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return nil }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 else { return nil }
        return String(cString: strerror(errno))
    }
}
