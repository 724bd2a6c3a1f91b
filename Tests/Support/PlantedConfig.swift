import Foundation

/// A teleport.yaml with secrets planted wherever Teleport takes one (join tokens, static
/// tokens, a token file's text inline, passwords, inline keys and certificates, a URL with a
/// password, a comment): the bundle's redaction must let none of them through.
package enum PlantedConfig {
    /// Every secret planted, each unique enough that finding it anywhere is a leak.
    package static let secrets = [
        "s3cr3t-join-token-AAAA", "static-token-BBBB", "node-token-CCCC", "hunter2-password-DDDD", "MIIEsecretKeyEEEE",
        "MIICsecretCertFFFF", "dbpass-GGGG", "comment-secret-HHHH", "github-client-secret-IIII", "webhook-secret-JJJJ",
        "anchored-secret-KKKK",
    ]

    /// Paths and addresses that must stay.
    package static let kept = [
        "127.0.0.1:3000", "/var/lib/teleport", "/etc/teleport/exporter_key.pem", "/etc/teleport/exporter_cert.pem",
        "/etc/teleport/ca.pem", "auth.example.com:3025", "grpc://collector.example.com:4317",
    ]

    package static let yaml = """
        # teleport.yaml (comment-secret-HHHH)
        version: v3
        teleport:
          nodename: node-1
          data_dir: /var/lib/teleport
          diag_addr: 127.0.0.1:3000
          auth_token: s3cr3t-join-token-AAAA
          join_params:
            method: token
            token_name: s3cr3t-join-token-AAAA
          auth_server: auth.example.com:3025
          log:
            output: stderr
            severity: INFO
          storage:
            type: postgresql
            conn_string: postgresql://teleport:dbpass-GGGG@db.example.com:5432/teleport
            audit_events_uri: ["postgresql://teleport:dbpass-GGGG@db.example.com/audit"]
        auth_service:
          enabled: true
          cluster_name: example
          tokens:
            - "proxy,node:static-token-BBBB"
            - node:node-token-CCCC
          authentication:
            type: github
            client_secret: github-client-secret-IIII
          listen_addr: 0.0.0.0:3025
          ca_key: |
            -----BEGIN RSA PRIVATE KEY-----
            MIIEsecretKeyEEEE
            -----END RSA PRIVATE KEY-----
          extra: &anchor anchored-secret-KKKK
          again: *anchor
        ssh_service:
          enabled: true
          labels:
            env: prod
          password: hunter2-password-DDDD
        proxy_service:
          enabled: true
          web_listen_addr: 0.0.0.0:3080
          https_keypairs:
            - key_file: /etc/teleport/exporter_key.pem
              cert_file: /etc/teleport/exporter_cert.pem
          cert_file: "-----BEGIN CERTIFICATE-----MIICsecretCertFFFF-----END CERTIFICATE-----"
        tracing_service:
          enabled: true
          exporter_url: grpc://collector.example.com:4317
          ca_certs: [/etc/teleport/ca.pem]
          webhook: https://user:webhook-secret-JJJJ@hooks.example.com/x
        """
}
