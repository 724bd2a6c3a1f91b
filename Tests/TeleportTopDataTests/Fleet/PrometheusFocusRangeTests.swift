import Foundation
import Testing

@testable import TeleportTopData

/// How many seconds of raw samples the open instance of a Prometheus fleet asks for.
@Suite("The open instance's raw-sample ranges")
struct PrometheusFocusRangeTests {
    @Test("A refresh on time asks the live range; a late one asks for all it missed (tens of seconds, at most the window)")
    func catchUp() {
        let live = PrometheusFleet.liveRange(refresh: 1, scrape: 1, lag: nil, window: 600)
        #expect(live == 8)
        #expect(PrometheusFleet.catchUpRange(live: live, since: 2, window: 600) == live)
        #expect(PrometheusFleet.catchUpRange(live: live, since: 7.9, window: 600) == live)
        // 8 s since the newest sample held: the live range would leave nothing out at its edge, asked with slack.
        #expect(PrometheusFleet.catchUpRange(live: live, since: 8, window: 600) == 20)
        #expect(PrometheusFleet.catchUpRange(live: live, since: 31, window: 600) == 40)
        #expect(PrometheusFleet.catchUpRange(live: live, since: 5000, window: 600) == 600)
        #expect(PrometheusFleet.catchUpRange(live: live, since: .infinity, window: 600) == live)
        #expect(PrometheusFleet.catchUpRange(live: live, since: .nan, window: 600) == live)
    }
}
