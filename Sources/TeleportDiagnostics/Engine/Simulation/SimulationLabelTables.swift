import TeleportCore

/// The label tables of the simulated families, named as Teleport names them (label names
/// sorted, as client_golang writes them, except `backend_requests`, kept in Teleport's order
/// registers it). Families that are not listed have no labels.
enum SimulationLabelTables {
    static func labels(for name: String) -> SimulationLabels { table[name] ?? .none }

    // MARK: Auth backends

    /// `component`: the backend itself and the auth cache; cache reads take a tenth of the time.
    static let readComponent = SimulationLabels.scaled("component", [("backend", 1, 1), ("cache", 3, 0.08)])
    static let writeComponent = SimulationLabels.scaled("component", [("backend", 1, 1), ("cache", 1, 0.05)])

    /// The key prefixes tctl top lists under Top Backend Requests: (req, range, weight).
    static let backendKeys = SimulationLabels.rows(
        ["req", "range"],
        [
            (["/nodes/default", "true"], 18, 1), (["/nodes/default", "false"], 6, 1),
            (["/roles", "true"], 5, 1), (["/users", "true"], 2, 1),
            (["/authorities/host", "true"], 3, 1), (["/authorities/user", "true"], 2, 1),
            (["/cluster_configuration/name", "false"], 4, 1), (["/cluster_configuration/audit", "false"], 1, 1),
            (["/cluster_configuration/networking", "false"], 1, 1), (["/web/sessions", "false"], 5, 1),
            (["/namespaces/default", "false"], 2, 1), (["/kubeServers", "true"], 2, 1),
            (["/db_servers/default", "true"], 2, 1), (["/session_tracker", "true"], 2, 1),
            (["/locks", "true"], 1, 1), (["/tokens", "true"], 0.5, 1),
        ])

    static let backendRequests = SimulationLabels.label("component", [("backend", 1), ("cache", 2)]).crossed(with: backendKeys)

    static let dynamoOperations = SimulationLabels.label("type", [("backend", 3), ("events", 1)])
        .crossed(with: .label("operation", [("GetItem", 8), ("Query", 5), ("PutItem", 3), ("UpdateItem", 1), ("BatchWriteItem", 0.5), ("DeleteItem", 0.5)]))
    static let outcome = SimulationLabels.label("result", [("success", 0.998), ("error", 0.002)])
    static let s3Operations = SimulationLabels.label(
        "operation",
        [
            ("UploadPart", 6), ("PutObject", 2), ("CreateMultipartUpload", 1), ("CompleteMultipartUpload", 1),
            ("GetObject", 0.5), ("ListObjectsV2", 0.5),
        ])
    static let status = SimulationLabels.label("status", [("success", 0.998), ("failure", 0.002)])

    // MARK: gRPC (go-grpc-prometheus)

    /// (service, method, type, weight, messages received per call, messages sent per call).
    typealias RPC = (service: String, method: String, type: String, weight: Double, received: Double, sent: Double)

    static let authRPCs: [RPC] = [
        ("proto.AuthService", "GetClusterName", "unary", 12, 1, 1),
        ("proto.AuthService", "GetAuthPreference", "unary", 8, 1, 1),
        ("proto.AuthService", "GetClusterNetworkingConfig", "unary", 5, 1, 1),
        ("proto.AuthService", "ListResources", "unary", 14, 1, 1),
        ("proto.AuthService", "GetRoles", "unary", 6, 1, 1),
        ("proto.AuthService", "GetUser", "unary", 4, 1, 1),
        ("proto.AuthService", "GenerateUserCerts", "unary", 1.5, 1, 1),
        ("proto.AuthService", "UpsertNode", "unary", 2, 1, 1),
        ("proto.AuthService", "WatchEvents", "server_stream", 1, 1, 40),
        ("proto.AuthService", "InventoryControlStream", "bidi_stream", 0.5, 8, 4),
        ("proto.AuthService", "SendKeepAlives", "client_stream", 1, 20, 1),
        ("proto.AuthService", "CreateAuditStream", "bidi_stream", 0.3, 30, 30),
        ("teleport.trust.v1.TrustService", "GetCertAuthority", "unary", 2, 1, 1),
        ("grpc.health.v1.Health", "Check", "unary", 3, 1, 1),
    ]

    static let proxyRPCs: [RPC] = [
        ("proto.AuthService", "GetClusterName", "unary", 6, 1, 1),
        ("proto.AuthService", "ListResources", "unary", 10, 1, 1),
        ("proto.AuthService", "GetAuthPreference", "unary", 4, 1, 1),
        ("proto.AuthService", "GetUser", "unary", 3, 1, 1),
        ("proto.AuthService", "GenerateUserCerts", "unary", 1, 1, 1),
        ("proto.AuthService", "WatchEvents", "server_stream", 0.5, 40, 1),
        ("proto.AuthService", "InventoryControlStream", "bidi_stream", 0.2, 4, 8),
        ("teleport.trust.v1.TrustService", "GetCertAuthority", "unary", 1, 1, 1),
    ]

    static let grpcCodes = SimulationLabels.label(
        "grpc_code",
        [
            ("OK", 0.99), ("NotFound", 0.005), ("PermissionDenied", 0.002), ("Canceled", 0.0015),
            ("Unavailable", 0.001), ("DeadlineExceeded", 0.0005),
        ])

    /// A gRPC table: per method, with `server="teleport-auth"` when `server`, with
    /// `grpc_code` when `codes`, scaled by messages per call when `messages` is set.
    enum Messages { case received, sent }

    static func grpc(_ rpcs: [RPC], server: Bool, codes: Bool = false, messages: Messages? = nil) -> SimulationLabels {
        var names = ["grpc_method", "grpc_service", "grpc_type"]
        if server { names.append("server") }
        var table = SimulationLabels.rows(
            names,
            rpcs.map { rpc in
                (
                    server ? [rpc.method, rpc.service, rpc.type, "teleport-auth"] : [rpc.method, rpc.service, rpc.type],
                    rpc.weight, messages.map { $0 == .received ? rpc.received : rpc.sent } ?? 1
                )
            })
        if codes { table = table.crossed(with: grpcCodes).ordered(["grpc_code"] + names) }
        return table
    }

    // MARK: Kubernetes (both the proxy's kube listener and the Kubernetes Service)

    static let kubeComponent = SimulationLabels.label("component", [("proxy:kube", 1), ("kube", 1)])
    static let kubeMethods = SimulationLabels.label("method", [("get", 0.78), ("post", 0.1), ("patch", 0.06), ("put", 0.03), ("delete", 0.03)])
    static let kubeCodes = SimulationLabels.label("code", [("200", 0.955), ("201", 0.02), ("403", 0.012), ("404", 0.01), ("500", 0.003)])
    static let kubeRequests = kubeComponent.crossed(with: kubeMethods).crossed(with: kubeCodes).ordered(["code", "component", "method"])
    static let kubeTLS = kubeComponent.crossed(with: .scaled("event", [("tls_handshake_start", 1, 0.1), ("tls_handshake_done", 1, 1)]))

    // MARK: Database Service

    /// The databases behind the service; the scale is the typical number of open connections.
    static let databaseLevels = SimulationLabels.rows(
        ["component", "db_protocol", "db_type"],
        [
            (["db", "postgres", "rds"], 0.55, 4), (["db", "mysql", "self-hosted"], 0.3, 2), (["db", "mongodb", "atlas"], 0.15, 1),
        ])
    static let database = databaseLevels.unscaled
    static let databaseMethods = database.crossed(with: .label("method", [("EmitEvent", 0.8), ("GetTLSConfig", 0.2)]))

    // MARK: The table

    static let table: [String: SimulationLabels] = {
        var t: [String: SimulationLabels] = [:]
        for name in ["backend_read_seconds", "backend_read_requests_total", "backend_batch_read_seconds", "backend_batch_read_requests_total"] {
            t[name] = name.hasSuffix("_seconds") ? readComponent : readComponent.unscaled
        }
        for name in ["backend_write_seconds", "backend_write_requests_total", "backend_batch_write_seconds", "backend_batch_write_requests_total"] {
            t[name] = name.hasSuffix("_seconds") ? writeComponent : writeComponent.unscaled
        }
        t["backend_requests"] = backendRequests
        t["backend_watcher_queues_total"] = .levels("component", [("auth:cache", 1), ("proxy:cache", 0.5), ("node:cache", 0.25)])
        t["dynamo_requests_total"] = dynamoOperations.ordered(["operation", "type"])
        t["dynamo_requests_seconds"] = dynamoOperations.ordered(["operation", "type"])
        t["dynamo_requests"] = dynamoOperations.crossed(with: outcome).ordered(["operation", "result", "type"])
        t["s3_requests_total"] = s3Operations
        t["s3_requests_seconds"] = s3Operations
        t["s3_requests"] = s3Operations.crossed(with: outcome)
        for name in ["write_requests", "batch_read_requests", "batch_delete_requests"] {
            t["teleport_postgres_events_backend_" + name] = status
        }
        t["grpc_server_started_total"] = grpc(authRPCs, server: true)
        t["grpc_server_handled_total"] = grpc(authRPCs, server: true, codes: true)
        t["grpc_server_msg_received_total"] = grpc(authRPCs, server: true, messages: .received)
        t["grpc_server_msg_sent_total"] = grpc(authRPCs, server: true, messages: .sent)
        t["grpc_client_started_total"] = grpc(proxyRPCs, server: false)
        t["grpc_client_handled_total"] = grpc(proxyRPCs, server: false, codes: true)
        t["grpc_client_msg_received_total"] = grpc(proxyRPCs, server: false, messages: .received)
        t["grpc_client_msg_sent_total"] = grpc(proxyRPCs, server: false, messages: .sent)
        t["teleport_connected_resources"] = .levels("type", [("node", 48), ("kube", 3), ("db", 6), ("app", 4)])
        t["teleport_registered_servers"] = .levels("version", [("17.4.8", 44), ("17.4.3", 12), ("16.5.11", 5)])
        t["teleport_registered_servers_by_install_methods"] = .levels(
            "install_methods",
            [
                ("systemctl", 40), ("node_script", 14), ("helm_kube_agent", 7),
            ])
        t["teleport_migrations"] = .levels("migration", [("remote_clusters", 1), ("cert_authority_key_usage", 1), ("db_service_labels", 1)])
        t["teleport_cache_events"] = .label("cache_component", [("auth", 5), ("proxy", 3), ("node", 1), ("kube", 0.5), ("db", 0.5)])
        t["teleport_cache_stale_events"] = t["teleport_cache_events"]
        t["teleport_services"] = .levels(
            "service_name",
            [
                ("auth_service", 1), ("proxy_service", 1), ("ssh_service", 1), ("kubernetes_service", 1), ("database_service", 1),
            ])
        t["teleport_reverse_tunnels_connected"] = .levels("type", [("node", 41), ("kube", 3), ("db", 2), ("app", 2)])
        t["remote_clusters"] = .levels("cluster", [("leaf-eu.example.com", 1), ("leaf-ap.example.com", 1)])
        t["trusted_clusters"] = SimulationLabels(names: ["cluster"], series: [])  // a root cluster has none
        t["watcher_events"] = .scaled(
            "resource",
            [
                ("node", 10, 1.4), ("session_tracker", 4, 1.2), ("app_server", 2, 1.6), ("db_server", 2, 1.8),
                ("kube_server", 1, 2), ("role", 0.3, 2.5), ("cert_authority", 0.1, 4), ("lock", 0.1, 0.5),
            ])
        for name in [
            "client_in_flight_requests", "client_got_conn_duration_seconds", "client_first_byte_response_duration_seconds",
            "client_request_duration_seconds", "server_in_flight_requests", "server_response_size_bytes",
            "server_exec_in_flight_sessions", "server_exec_sessions_total", "server_portforward_in_flight_sessions",
            "server_portforward_sessions_total", "server_join_in_flight_sessions", "server_join_sessions_total",
        ] {
            t["teleport_kubernetes_" + name] = kubeComponent
        }
        t["teleport_kubernetes_client_requests_total"] = kubeRequests
        t["teleport_kubernetes_server_api_requests_total"] = kubeRequests
        t["teleport_kubernetes_server_request_duration_seconds"] = kubeComponent.crossed(with: kubeMethods)
        t["teleport_kubernetes_client_tls_duration_seconds"] = kubeTLS
        for name in [
            "messages_from_client_total", "messages_from_server_total", "initialized_connections_total",
            "connection_durations_seconds", "connection_setup_time_seconds", "errors_total",
        ] {
            t["teleport_db_" + name] = database
        }
        t["teleport_db_active_connections_total"] = databaseLevels
        t["teleport_db_method_call_count_total"] = databaseMethods
        t["teleport_db_method_call_latency_seconds"] = databaseMethods
        return t
    }()
}
