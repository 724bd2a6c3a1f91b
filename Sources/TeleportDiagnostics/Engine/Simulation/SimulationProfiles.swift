import TeleportCore

/// How each simulated family moves: the shared activities (events a second) and every
/// family's movement. Rates are a small, busy cluster: about 60 agents, a few users.
enum SimulationProfiles {
    /// Activities shared by several families, so their counts agree: events a second.
    static let activities: [(name: String, rate: Double)] = [
        ("backend.read", 90), ("backend.write", 9), ("backend.batch_read", 6), ("backend.batch_write", 0.8),
        ("auth.generate", 0.6), ("audit.emit", 6), ("audit.parquet_batch", 0.05), ("watcher.events", 25),
        ("dynamo", 30), ("s3", 0.4), ("gcs.upload", 0.05), ("gcs.download", 0.01),
        ("etcd.read", 40), ("etcd.batch_read", 4), ("etcd.write", 6), ("etcd.tx", 3),
        ("firestore.write", 4), ("firestore.batch_read", 1), ("firestore.batch_write", 0.3),
        ("postgres.write", 5), ("postgres.batch_read", 0.5), ("postgres.batch_delete", 0.02),
        ("grpc.server", 120), ("grpc.client", 45), ("peer.client_rpc", 3), ("peer.server_rpc", 3),
        ("proxy.connect_node", 0.8), ("proxy.db_dial", 0.3), ("kube.requests", 12), ("kube.tls", 0.8),
        ("db.connections", 0.1), ("db.method_calls", 4),
    ]

    /// The movement of a family: its entry in `movements`, else a default for its type
    /// (rare counter, small gauge, latency or size histogram).
    static func movement(for name: String, type: MetricType) -> SimulationMovement {
        if let movement = movements[name] { return movement }
        switch type {
        case .gauge: return .walk(level: 1, low: 0, high: 5, volatility: 0.2)
        case .histogram: return .observe(.rate(0.5), isBytes(name) ? .bytes(median: 1024) : .latency(median: 0.01))
        default: return .count(.rate(0.01))
        }
    }

    /// Whether a histogram observes bytes rather than seconds.
    static func isBytes(_ name: String) -> Bool {
        name.hasSuffix("_bytes") || name.contains("size") || name == "watcher_events"
    }

    /// Byte buckets: 64 B x 4^k, 13 bounds (64 B ... 1 GiB).
    static let byteBuckets = HistogramBuckets.exponential(start: 64, factor: 4, count: 13)

    /// The upper bounds of a histogram: Teleport's latency buckets; byte buckets for sizes;
    /// for the two database connection histograms, Teleport's own 0.1 s x 2^k (20 bounds,
    /// up to 14.5 h), since connections last minutes and would all land in +Inf otherwise.
    static func buckets(for name: String) -> [Double] {
        if isBytes(name) { return byteBuckets }
        if name == "teleport_db_connection_durations_seconds" || name == "teleport_db_connection_setup_time_seconds" {
            return HistogramBuckets.exponential(start: 0.1, factor: 2, count: 20)
        }
        return HistogramBuckets.teleport
    }

    static func walk(_ level: Double, _ low: Double, _ high: Double, _ volatility: Double, whole: Bool = true) -> SimulationMovement {
        .walk(level: level, low: low, high: high, volatility: volatility, whole: whole)
    }

    /// Every family's movement.
    static let movements: [String: SimulationMovement] = [
        // Audit log
        "audit_failed_disk_monitoring": .count(.rate(0.0003)),
        "audit_failed_emit_events": .count(.rate(0.002)),
        "audit_percentage_disk_space_used": walk(37, 5, 95, 0.02, whole: false),
        "audit_server_open_files": walk(6, 1, 40, 0.3),
        "teleport_audit_emit_events": .count(.shared("audit.emit")),
        "teleport_audit_emitted_event_sizes": .observe(.shared("audit.emit"), .bytes(median: 600)),
        "teleport_audit_stored_trimmed_events": .count(.rate(0.003)),
        "teleport_audit_parquetlog_batch_processing_seconds": .observe(.shared("audit.parquet_batch"), .duration(median: 1.5)),
        "teleport_audit_parquetlog_s3_flush_seconds": .observe(.shared("audit.parquet_batch"), .duration(median: 0.8)),
        "teleport_audit_parquetlog_delete_events_seconds": .observe(.shared("audit.parquet_batch"), .latency(median: 0.2)),
        "teleport_audit_parquetlog_batch_size": .observe(.shared("audit.parquet_batch"), .bytes(median: 300_000)),
        "teleport_audit_parquetlog_batch_count": .count(.shared("audit.parquet_batch"), amount: .whole(50...500)),
        "teleport_audit_parquetlog_last_processed_timestamp": .clock(lag: 20),
        "teleport_audit_parquetlog_age_oldest_processed_message": walk(8, 0, 120, 0.8, whole: false),
        "teleport_audit_parquetlog_errors_from_collect_count": .count(.rate(0.0005)),
        // Auth
        "auth_generate_requests_total": .count(.shared("auth.generate")),
        "auth_generate_requests_throttled_total": .count(.rate(0.004)),
        "auth_generate_requests": walk(0.3, 0, 6, 0.5),
        "auth_generate_seconds": .observe(.shared("auth.generate"), .latency(median: 0.12)),
        "cluster_name_not_found_total": .count(.rate(0.0008)),
        "heartbeat_connections_received_total": .count(.rate(0.01)),
        "user_login_total": .count(.rate(0.05)),
        "teleport_connected_resources": walk(1, 0.85, 1.1, 0.004),
        "teleport_registered_servers": walk(1, 0.85, 1.1, 0.004),
        "teleport_registered_servers_by_install_methods": walk(1, 0.85, 1.1, 0.004),
        "teleport_migrations": .flag(rate: 1.0 / 1800, seconds: 45),
        "teleport_roles_total": walk(14, 12, 18, 0.01),
        "teleport_services": .constant(1),
        "server_interactive_sessions_total": walk(4, 0, 30, 0.6),
        // Backend and cache
        "backend_requests": .count(.rate(140)),
        "backend_read_requests_total": .count(.shared("backend.read")),
        "backend_read_seconds": .observe(.shared("backend.read"), .latency(median: 0.004)),
        "backend_write_requests_total": .count(.shared("backend.write")),
        "backend_write_seconds": .observe(.shared("backend.write"), .latency(median: 0.012)),
        "backend_batch_read_requests_total": .count(.shared("backend.batch_read")),
        "backend_batch_read_seconds": .observe(.shared("backend.batch_read"), .latency(median: 0.008)),
        "backend_batch_write_requests_total": .count(.shared("backend.batch_write")),
        "backend_batch_write_seconds": .observe(.shared("backend.batch_write"), .latency(median: 0.02)),
        "backend_watcher_queues_total": walk(1, 0, 50, 1.2),
        "watcher_events": .observe(.shared("watcher.events"), .bytes(median: 700)),
        "watcher_event_sizes": .observe(.shared("watcher.events"), .bytes(median: 900)),
        "teleport_cache_events": .count(.rate(60)),
        "teleport_cache_stale_events": .count(.rate(0.02)),
        "dynamo_requests_total": .count(.shared("dynamo")),
        "dynamo_requests": .count(.shared("dynamo")),
        "dynamo_requests_seconds": .observe(.shared("dynamo"), .latency(median: 0.008)),
        "etcd_backend_read_requests": .count(.shared("etcd.read")),
        "etcd_backend_read_seconds": .observe(.shared("etcd.read"), .latency(median: 0.003)),
        "etcd_backend_batch_read_requests": .count(.shared("etcd.batch_read")),
        "etcd_backend_batch_read_seconds": .observe(.shared("etcd.batch_read"), .latency(median: 0.01)),
        "etcd_backend_write_requests": .count(.shared("etcd.write")),
        "etcd_backend_write_seconds": .observe(.shared("etcd.write"), .latency(median: 0.01)),
        "etcd_backend_tx_requests": .count(.shared("etcd.tx")),
        "etcd_backend_tx_seconds": .observe(.shared("etcd.tx"), .latency(median: 0.008)),
        "teleport_etcd_events": .count(.rate(12)),
        "teleport_etcd_event_backpressure": .count(.rate(0.001)),
        "firestore_events_backend_write_requests": .count(.shared("firestore.write")),
        "firestore_events_backend_write_seconds": .observe(.shared("firestore.write"), .latency(median: 0.03)),
        "firestore_events_backend_batch_read_requests": .count(.shared("firestore.batch_read")),
        "firestore_events_backend_batch_read_seconds": .observe(.shared("firestore.batch_read"), .latency(median: 0.05)),
        "firestore_events_backend_batch_write_requests": .count(.shared("firestore.batch_write")),
        "firestore_events_backend_batch_write_seconds": .observe(.shared("firestore.batch_write"), .latency(median: 0.06)),
        "gcs_event_storage_uploads": .count(.shared("gcs.upload")),
        "gcs_event_storage_uploads_seconds": .observe(.shared("gcs.upload"), .latency(median: 0.3)),
        "gcs_event_storage_downloads": .count(.shared("gcs.download")),
        "gcs_event_storage_downloads_seconds": .observe(.shared("gcs.download"), .latency(median: 0.2)),
        "s3_requests_total": .count(.shared("s3")),
        "s3_requests": .count(.shared("s3")),
        "s3_requests_seconds": .observe(.shared("s3"), .latency(median: 0.08)),
        "teleport_postgres_events_backend_write_requests": .count(.shared("postgres.write")),
        "teleport_postgres_events_backend_write_seconds": .observe(.shared("postgres.write"), .latency(median: 0.005)),
        "teleport_postgres_events_backend_batch_read_requests": .count(.shared("postgres.batch_read")),
        "teleport_postgres_events_backend_batch_read_seconds": .observe(.shared("postgres.batch_read"), .latency(median: 0.01)),
        "teleport_postgres_events_backend_batch_delete_requests": .count(.shared("postgres.batch_delete")),
        "teleport_postgres_events_backend_batch_delete_seconds": .observe(.shared("postgres.batch_delete"), .latency(median: 0.05)),
        // gRPC
        "grpc_server_started_total": .count(.shared("grpc.server")),
        "grpc_server_handled_total": .count(.shared("grpc.server")),
        "grpc_server_msg_received_total": .count(.shared("grpc.server")),
        "grpc_server_msg_sent_total": .count(.shared("grpc.server")),
        "grpc_client_started_total": .count(.shared("grpc.client")),
        "grpc_client_handled_total": .count(.shared("grpc.client")),
        "grpc_client_msg_received_total": .count(.shared("grpc.client")),
        "grpc_client_msg_sent_total": .count(.shared("grpc.client")),
        // BPF and SSH
        "bpf_lost_command_events": .count(.rate(0.0005)),
        "bpf_lost_disk_events": .count(.rate(0.0003)),
        "bpf_lost_network_events": .count(.rate(0.0002)),
        "user_max_concurrent_sessions_hit_total": .count(.rate(0.0008)),
        // Proxy
        "teleport_connect_to_node_attempts_total": .count(.shared("proxy.connect_node")),
        "failed_connect_to_node_attempts_total": .count(.rate(0.008)),
        "failed_login_attempts_total": .count(.rate(0.006)),
        "proxy_connection_limit_exceeded_total": .count(.rate(0.0005)),
        "proxy_ssh_sessions_total": walk(6, 0, 40, 0.8),
        "proxy_missing_ssh_tunnels": .flag(rate: 1.0 / 900, seconds: 20),
        "remote_clusters": .constant(1),
        "trusted_clusters": .constant(0),
        "teleport_reverse_tunnels_connected": walk(1, 0.85, 1.1, 0.004),
        "proxy_peer_client_dial_error_total": .count(.rate(0.0003)),
        "proxy_peer_server_connections": walk(2, 1, 3, 0.05),
        "proxy_peer_client_rpc": walk(0.5, 0, 4, 0.4),
        "proxy_peer_client_rpc_total": .count(.shared("peer.client_rpc")),
        "proxy_peer_client_rpc_duration_seconds": .observe(.shared("peer.client_rpc"), .latency(median: 0.004)),
        "proxy_peer_client_message_sent_size": .observe(.shared("peer.client_rpc"), .bytes(median: 2048)),
        "proxy_peer_client_message_received_size": .observe(.shared("peer.client_rpc"), .bytes(median: 4096)),
        "proxy_peer_server_rpc": walk(0.5, 0, 4, 0.4),
        "proxy_peer_server_rpc_total": .count(.shared("peer.server_rpc")),
        "proxy_peer_server_rpc_duration_seconds": .observe(.shared("peer.server_rpc"), .latency(median: 0.003)),
        "proxy_peer_server_message_sent_size": .observe(.shared("peer.server_rpc"), .bytes(median: 4096)),
        "proxy_peer_server_message_received_size": .observe(.shared("peer.server_rpc"), .bytes(median: 2048)),
        "teleport_proxy_db_connection_dial_attempts_total": .count(.shared("proxy.db_dial")),
        "teleport_proxy_db_connection_dial_failures_total": .count(.rate(0.003)),
        "teleport_proxy_db_connection_setup_time_seconds": .observe(.shared("proxy.db_dial"), .latency(median: 0.05)),
        "teleport_proxy_db_connection_tls_config_time_seconds": .observe(.shared("proxy.db_dial"), .latency(median: 0.002)),
        "teleport_proxy_db_attempted_servers_total": .observe(.shared("proxy.db_dial"), .choice([1, 2, 3], weights: [0.9, 0.08, 0.02])),
        "teleport_proxy_db_active_connections_total": walk(3, 0, 20, 0.4),
        // Kubernetes
        "teleport_kubernetes_client_in_flight_requests": walk(1, 0, 12, 0.6),
        "teleport_kubernetes_client_requests_total": .count(.shared("kube.requests")),
        "teleport_kubernetes_client_tls_duration_seconds": .observe(.shared("kube.tls"), .latency(median: 0.015)),
        "teleport_kubernetes_client_got_conn_duration_seconds": .observe(.shared("kube.requests"), .latency(median: 0.006)),
        "teleport_kubernetes_client_first_byte_response_duration_seconds": .observe(.shared("kube.requests"), .latency(median: 0.035)),
        "teleport_kubernetes_client_request_duration_seconds": .observe(.shared("kube.requests"), .latency(median: 0.045)),
        "teleport_kubernetes_server_in_flight_requests": walk(1, 0, 12, 0.6),
        "teleport_kubernetes_server_api_requests_total": .count(.shared("kube.requests")),
        "teleport_kubernetes_server_request_duration_seconds": .observe(.shared("kube.requests"), .latency(median: 0.05)),
        "teleport_kubernetes_server_response_size_bytes": .observe(.shared("kube.requests"), .bytes(median: 4096)),
        "teleport_kubernetes_server_exec_in_flight_sessions": walk(0.5, 0, 5, 0.15),
        "teleport_kubernetes_server_exec_sessions_total": .count(.rate(0.02)),
        "teleport_kubernetes_server_portforward_in_flight_sessions": walk(0.3, 0, 3, 0.1),
        "teleport_kubernetes_server_portforward_sessions_total": .count(.rate(0.006)),
        "teleport_kubernetes_server_join_in_flight_sessions": walk(0.1, 0, 2, 0.05),
        "teleport_kubernetes_server_join_sessions_total": .count(.rate(0.002)),
        // Database Service
        "teleport_db_initialized_connections_total": .count(.shared("db.connections")),
        "teleport_db_connection_setup_time_seconds": .observe(.shared("db.connections"), .latency(median: 0.15)),
        "teleport_db_connection_durations_seconds": .observe(.shared("db.connections"), .duration(median: 240)),
        "teleport_db_active_connections_total": walk(1, 0, 3, 0.05),
        "teleport_db_messages_from_client_total": .count(.rate(12)),
        "teleport_db_messages_from_server_total": .count(.rate(20)),
        "teleport_db_method_call_count_total": .count(.shared("db.method_calls")),
        "teleport_db_method_call_latency_seconds": .observe(.shared("db.method_calls"), .latency(median: 0.003)),
        "teleport_db_errors_total": .count(.rate(0.001)),
    ]
}
