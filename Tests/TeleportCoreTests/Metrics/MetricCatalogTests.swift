import Foundation
import TeleportTopTestPeers
import Testing

@testable import TeleportCore

@Suite("Metric catalog")
struct MetricCatalogTests {
    static let repoCopy = Paths.repo("Sources/TeleportCore/Metrics/metric-catalog.tsv")

    @Test("The embedded catalog equals the repository's copy, which equals ../shared's when present")
    func embeddedMatchesFiles() throws {
        let file = try String(contentsOf: Self.repoCopy, encoding: .utf8)
        #expect(MetricCatalog.embeddedTSV + "\n" == file, "run Scripts/embed-resources.sh")
        let shared = Paths.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/metric-catalog.tsv")
        if let sharedText = try? String(contentsOf: shared, encoding: .utf8) {
            #expect(sharedText == file, "copy ../shared/metric-catalog.tsv into the repository")
        }
    }

    @Test("Every row is kept, repeated names included")
    func everyRow() throws {
        let catalog = MetricCatalog.builtin
        let file = try String(contentsOf: Self.repoCopy, encoding: .utf8)
        let rows = file.split(separator: "\n").count - 1
        #expect(catalog.entries.count == rows)
        #expect(rows == 194)
        let kube = catalog.entries(named: "teleport_kubernetes_client_requests_total")
        #expect(kube.map(\.section) == ["Kubernetes Access (Client)", "Teleport Kubernetes Service (Client)"])
        #expect(catalog.entries(named: "proxy_peer_server_connections").count == 2)
        #expect(catalog.entries(named: "backend_requests").first?.type == .counter)
        #expect(Set(catalog.entries.map(\.type)).isSubset(of: [.counter, .gauge, .histogram, .summary]))
    }

    @Test("Every catalog section maps to a tab, and names map by section then prefix")
    func grouping() {
        let catalog = MetricCatalog.builtin
        for section in catalog.sections {
            #expect(MetricGroup.forSection(section) != nil, "unmapped section \(section)")
        }
        #expect(catalog.sections.count == 12)
        #expect(catalog.group(ofFamily: "backend_requests") == .authBackends)
        #expect(catalog.group(ofFamily: "go_goroutines") == .runtime)
        #expect(catalog.group(ofFamily: "teleport_kubernetes_server_in_flight_requests") == .kubernetes)
        #expect(catalog.group(ofFamily: "teleport_build_info") == .runtime)
        #expect(catalog.group(ofFamily: "teleport_services") == .runtime)
        #expect(catalog.group(ofFamily: "teleport_audit_emitted_event_sizes") == .authBackends)
        #expect(catalog.group(ofFamily: "remote_clusters") == .proxy)
        #expect(catalog.group(ofFamily: "teleport_db_something_new") == .database)
        #expect(catalog.group(ofFamily: "fixture_synthetic_series") == .other)
    }

    @Test("A malformed catalog names the line")
    func malformed() {
        #expect(throws: CatalogError(line: 2, reason: "expected 5 tab-separated columns, found 2")) {
            try MetricCatalog(tsv: "name\ttype\tcomponent\tsection\tdescription\nx\tgauge\n")
        }
        #expect(throws: CatalogError(line: 2, reason: "unknown type \"meter\"")) {
            try MetricCatalog(tsv: "name\ttype\tcomponent\tsection\tdescription\nx\tmeter\tc\ts\td\n")
        }
    }
}
