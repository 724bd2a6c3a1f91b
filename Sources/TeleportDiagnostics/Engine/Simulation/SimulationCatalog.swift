import TeleportCore

/// Which families the simulation registers: every family of the catalog's service sections,
/// the catalog families of other sections that tctl top or the label tables need, and the
/// families tctl top reads that the catalog lacks. Each name once, with the catalog's type
/// and description as HELP.
enum SimulationCatalog {
    /// The catalog sections simulated in full.
    static let sections: Set<String> = [
        "Auth Service and backends", "Proxy Service", "Teleport SSH Service", "Enhanced Session Recording / BPF",
        "Kubernetes Access (Client)", "Kubernetes Access (Server)", "Teleport Kubernetes Service (Client)",
        "Teleport Kubernetes Service (Server)", "Database Service",
    ]

    /// Catalog families of other sections ("All Teleport instances") simulated too.
    static let otherCatalogNames: [String] = [
        "server_interactive_sessions_total", "teleport_cache_events", "teleport_cache_stale_events",
    ]

    /// Families tctl top reads that the catalog does not list, with Teleport's HELP texts.
    static let extras: [(name: String, type: MetricType, help: String)] = [
        ("teleport_services", .gauge, "Teleport services currently enabled and running"),
        ("backend_watcher_queues_total", .gauge, "Watcher queue sizes"),
        ("teleport_roles_total", .gauge, "Number of roles that exist in the cluster"),
        ("teleport_audit_emitted_event_sizes", .histogram, "Size of single events emitted"),
        ("teleport_audit_stored_trimmed_events", .counter, "Number of events that were trimmed before being stored"),
    ]

    /// The families tctl top reads (besides process and Go runtime metrics); every one is
    /// among `specs()`.
    static let tctlTopNames: [String] = [
        "teleport_services", "backend_watcher_queues_total", "teleport_roles_total", "teleport_migrations",
        "teleport_audit_emitted_event_sizes", "teleport_audit_stored_trimmed_events", "server_interactive_sessions_total",
        "auth_generate_requests", "auth_generate_requests_total", "auth_generate_requests_throttled_total",
        "auth_generate_seconds", "backend_requests", "backend_read_seconds", "backend_batch_read_seconds",
        "backend_write_seconds", "backend_batch_write_seconds", "watcher_events", "watcher_event_sizes",
        "audit_failed_emit_events",
    ]

    /// The families to register, in catalog order then the extras. A catalog `summary` row
    /// (none is in these sections) would become a histogram: the registry has no summaries.
    static func specs(catalog: MetricCatalog = .builtin) -> [SimulatedFamilySpec] {
        var seen = Set<String>()
        var specs: [SimulatedFamilySpec] = []
        func add(_ name: String, _ type: MetricType, _ help: String) {
            guard seen.insert(name).inserted else { return }
            let registered: MetricType = type == .summary ? .histogram : type
            guard registered == .counter || registered == .gauge || registered == .histogram else { return }
            specs.append(
                SimulatedFamilySpec(
                    name: name, type: registered, help: help,
                    labels: SimulationLabelTables.labels(for: name),
                    buckets: registered == .histogram ? SimulationProfiles.buckets(for: name) : [],
                    movement: SimulationProfiles.movement(for: name, type: registered)))
        }
        for entry in catalog.entries where sections.contains(entry.section) {
            add(entry.name, entry.type, entry.description)
        }
        for name in otherCatalogNames {
            if let entry = catalog.entries(named: name).first { add(entry.name, entry.type, entry.description) }
        }
        for extra in extras { add(extra.name, extra.type, extra.help) }
        return specs
    }
}
