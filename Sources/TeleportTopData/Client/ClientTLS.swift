import Foundation
import NIOSSL
import TeleportCore

/// TLS material for an https:// diag endpoint: a CA to trust (else the system's) and,
/// for mutual TLS, a client certificate and key (PEM files).
public struct ClientTLS: Sendable, Hashable {
    public var caCertPath: String?
    public var certPath: String?
    public var keyPath: String?

    public init(caCertPath: String? = nil, certPath: String? = nil, keyPath: String? = nil) {
        self.caCertPath = caCertPath
        self.certPath = certPath
        self.keyPath = keyPath
    }

    /// The NIOSSL configuration, with clear errors for missing or unreadable files.
    func configuration() throws(TargetError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if (certPath == nil) != (keyPath == nil) { throw TargetError("--cert and --key go together") }
        for (flag, path) in [("--ca-cert", caCertPath), ("--cert", certPath), ("--key", keyPath)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw TargetError("\(flag) \(path): no such readable file")
            }
        }
        do {
            if let caCertPath {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCertPath))
            }
            if let certPath, let keyPath {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certPath).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
            }
        } catch {
            throw TargetError("cannot load TLS material: \(error)")
        }
        return tls
    }
}
