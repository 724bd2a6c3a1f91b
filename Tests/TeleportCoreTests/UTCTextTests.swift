import Foundation
import Testing

@testable import TeleportCore

@Suite("UTC times as text")
struct UTCTextTests {
    @Test("The same instant as a time and as a file-name stamp, whatever the local zone")
    func texts() {
        let date = Date(timeIntervalSince1970: 1_796_652_309.9)  // 2026-12-07 14:05:09.9 UTC
        #expect(UTCText.time(date) == "2026-12-07 14:05:09 UTC")
        #expect(UTCText.stamp(date) == "20261207T140509Z")
        #expect(UTCText.time(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00 UTC")
    }
}
