import Foundation

/// A certificate authority made by the test with Debian's openssl: a CA, a server
/// certificate for 127.0.0.1/localhost, and a client certificate for mutual TLS.
package struct TestCA {
    package let directory: URL
    package var caCert: String { directory.appendingPathComponent("ca.pem").path }
    package var serverCert: String { directory.appendingPathComponent("server.pem").path }
    package var serverKey: String { directory.appendingPathComponent("server.key").path }
    package var clientCert: String { directory.appendingPathComponent("client.pem").path }
    package var clientKey: String { directory.appendingPathComponent("client.key").path }

    package static func make() throws -> TestCA {
        let openssl = try Prerequisites.which("openssl").orThrow("openssl missing: apt-get install openssl")
        let dir = Paths.temporaryDirectory("ca")
        func sh(_ arguments: [String]) throws {
            let result = try run(openssl, arguments, directory: dir)
            guard result.status == 0 else { throw FixtureError("openssl \(arguments.joined(separator: " ")):\n\(result.stderr)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try sh(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=teleport-top test CA"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(
            to: dir.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(to: dir.appendingPathComponent("client.ext"), atomically: true, encoding: .utf8)
        for who in ["server", "client"] {
            try sh(["req"] + ec + ["-keyout", "\(who).key", "-out", "\(who).csr", "-subj", "/CN=\(who == "server" ? "localhost" : "teleport-top")"])
            try sh([
                "x509", "-req", "-in", "\(who).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "\(who).pem", "-days", "2", "-extfile", "\(who).ext",
            ])
        }
        return TestCA(directory: dir)
    }
}

extension Optional {
    package func orThrow(_ message: String) throws -> Wrapped {
        guard let value = self else { throw FixtureError(message) }
        return value
    }
}
