import Foundation
import NIOSSL
import TeleportCore

/// TLS for the OTLP receivers (`--otlp-tls-cert`, `--otlp-tls-key`, and `--otlp-client-ca`
/// for mutual TLS: clients without a certificate signed by it are refused).
public struct ReceiverTLS: Sendable, Hashable {
    public var certPath: String
    public var keyPath: String
    public var clientCAPath: String?

    public init(certPath: String, keyPath: String, clientCAPath: String? = nil) {
        self.certPath = certPath
        self.keyPath = keyPath
        self.clientCAPath = clientCAPath
    }

    /// The server configuration; errors name the file.
    public func configuration(alpn: [String]) throws -> TLSConfiguration {
        for (what, path) in [("certificate", certPath), ("key", keyPath)] + (clientCAPath.map { [("client CA", $0)] } ?? []) {
            guard FileManager.default.isReadableFile(atPath: path) else { throw ReceiverError("OTLP receiver TLS \(what): \(UnreadableFile.message(path))") }
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certPath).map { NIOSSLCertificateSource.certificate($0) }
            // Loaded here as PEM: NIOSSL's `.file` guesses the format from the extension and
            // reads a `.key` file as DER.
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            var config = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            if let clientCAPath {
                config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAPath))
                config.certificateVerification = .noHostnameVerification
            }
            config.applicationProtocols = alpn
            return config
        } catch {
            throw ReceiverError("OTLP receiver TLS: \(error)")
        }
    }
}

/// A receiver that could not start or a request it refused.
public struct ReceiverError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
