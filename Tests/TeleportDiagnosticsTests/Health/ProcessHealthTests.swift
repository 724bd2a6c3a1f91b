import Foundation
import Synchronization
import TeleportTopTestPeers
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportDiagnostics
@testable import TeleportOTLP
@testable import TeleportTopData

@Suite("Process state, as Teleport's state.go")
struct ProcessHealthTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let period: Duration = .seconds(5)

    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test(
        "Component transitions, one by one",
        arguments: [
            (ProcessState.starting, HeartbeatResult.ok, ProcessState.ok),
            (.starting, .failed, .degraded),
            (.ok, .ok, .ok),
            (.ok, .failed, .degraded),
            (.degraded, .failed, .degraded),
            (.degraded, .ok, .recovering),
            (.recovering, .failed, .degraded),
        ])
    func componentTable(from: ProcessState, result: HeartbeatResult, to: ProcessState) {
        var component = ComponentHealth(registeredAt: t0)
        let path: [HeartbeatResult]
        switch from {
        case .starting: path = []
        case .ok: path = [.ok]
        case .degraded: path = [.failed]
        case .recovering: path = [.failed, .ok]
        }
        for step in path { component.apply(step, at: t0, checkPeriod: period) }
        #expect(component.state == from)
        #expect(component.apply(result, at: t0.addingTimeInterval(1), checkPeriod: period) == to)
    }

    @Test("Recovering -> ok only on an OK heartbeat more than 2 x the check period after recovery began")
    func recoveryTiming() {
        var component = ComponentHealth(registeredAt: t0)
        component.apply(.failed, at: at(0), checkPeriod: period)
        component.apply(.ok, at: at(1), checkPeriod: period)  // recovering, clock starts at 1
        #expect(component.state == .recovering)
        #expect(component.recoveryStart == at(1))
        component.apply(.ok, at: at(6), checkPeriod: period)
        #expect(component.state == .recovering)
        component.apply(.ok, at: at(11), checkPeriod: period)  // exactly 10 s: not more than
        #expect(component.state == .recovering)
        component.apply(.ok, at: at(11.001), checkPeriod: period)
        #expect(component.state == .ok)
    }

    @Test("A failure while recovering restarts the recovery clock at the next OK")
    func recoveryClockRestarts() {
        var component = ComponentHealth(registeredAt: t0)
        component.apply(.failed, at: at(0), checkPeriod: period)
        component.apply(.ok, at: at(1), checkPeriod: period)
        component.apply(.failed, at: at(8), checkPeriod: period)
        component.apply(.ok, at: at(9), checkPeriod: period)
        component.apply(.ok, at: at(12), checkPeriod: period)
        #expect(component.state == .recovering)  // 12 - 9 = 3 s, not 11 s
        component.apply(.ok, at: at(19.5), checkPeriod: period)
        #expect(component.state == .ok)
    }

    @Test(
        "Aggregation: degraded beats recovering beats starting; ok needs every component ok",
        arguments: [
            ([ProcessState](), ProcessState.starting),
            ([.ok], .ok),
            ([.ok, .ok, .ok], .ok),
            ([.ok, .starting], .starting),
            ([.ok, .recovering], .recovering),
            ([.starting, .recovering], .recovering),
            ([.ok, .recovering, .degraded], .degraded),
            ([.degraded, .starting], .degraded),
        ])
    func aggregation(states: [ProcessState], expected: ProcessState) {
        #expect(ProcessHealth.aggregate(states) == expected)
    }

    @Test("The process walks starting -> ok -> degraded -> recovering -> ok, recording each transition")
    func processTimeline() {
        var health = ProcessHealth(checkPeriod: period)
        health.register("auth", at: at(0))
        health.register("proxy", at: at(0))
        #expect(health.state == .starting)
        health.apply(.ok, component: "auth", at: at(1))
        #expect(health.state == .starting)  // proxy has not reported
        let toOK = health.apply(.ok, component: "proxy", at: at(2))
        #expect(toOK.last == StateTransition(time: at(2), component: nil, from: .starting, to: .ok))
        health.apply(.failed, component: "proxy", at: at(60))
        #expect(health.state == .degraded)
        health.apply(.ok, component: "proxy", at: at(65))
        #expect(health.state == .recovering)
        health.apply(.ok, component: "proxy", at: at(70))
        #expect(health.state == .recovering)
        health.apply(.ok, component: "proxy", at: at(75.5))
        #expect(health.state == .ok)
        let processTransitions = health.transitions.filter { $0.component == nil }
        #expect(processTransitions.map(\.to) == [.ok, .degraded, .recovering, .ok])
        #expect(processTransitions.map(\.time) == [at(2), at(60), at(65), at(75.5)])
        let proxy = health.transitions.filter { $0.component == "proxy" }.map(\.to)
        #expect(proxy == [.ok, .degraded, .recovering, .ok])
    }

    @Test("History is bounded")
    func historyBound() {
        var health = ProcessHealth(checkPeriod: period, historyLimit: 10)
        for i in 0..<100 {
            health.apply(i % 2 == 0 ? .failed : .ok, component: "auth", at: at(Double(i)))
        }
        #expect(health.transitions.count == 10)
        #expect(health.transitions.last?.time == at(99))
    }

    @Test("Gauge values, readyz codes and texts match Teleport")
    func contract() {
        #expect(ProcessState.allCases.map(\.gaugeValue) == [0, 1, 2, 3])
        #expect(ProcessState.allCases.map(\.readyzStatusCode) == [200, 400, 503, 400])
        #expect(ProcessState(readyzStatusText: "teleport is starting and hasn't joined the cluster yet") == .starting)
        #expect(ProcessState(gaugeValue: 2) == .degraded)
        #expect(ProcessState(gaugeValue: 2.5) == nil)
        #expect(ProcessState(gaugeValue: .nan) == nil)
    }

    @Test("The engine's process_state gauge and readyz follow heartbeats, with a fault schedule")
    func engineFollowsSchedule() throws {
        let clock = TestClock(t0)
        let engine = DiagnosticsEngine(
            configuration: EngineConfiguration(components: ["auth"], faultSchedule: try FaultSchedule(parsing: "ok:1,fail:1")),
            logSink: LogSink(handle: FileHandle(forWritingAtPath: "/dev/null")!),
            now: { clock.now })
        func gauge() -> Double? {
            engine.registry.gather().first { $0.name == "process_state" }?.samples.first?.value
        }
        #expect(gauge() == 3)
        #expect(engine.readyz().status == 400)
        let schedule = engine.configuration.faultSchedule!
        engine.heartbeat(schedule.result(at: 0), component: "auth")
        #expect(gauge() == 0)
        #expect(engine.readyz().status == 200)
        #expect(engine.readyz().body == "{\"status\":\"ok\",\"pid\":\(getpid())}")
        engine.heartbeat(schedule.result(at: 1), component: "auth")
        #expect(gauge() == 2)
        #expect(engine.readyz().status == 503)
        clock.advance(5)
        engine.heartbeat(.ok, component: "auth")
        #expect(gauge() == 1)
        clock.advance(10.5)
        engine.heartbeat(.ok, component: "auth")
        #expect(gauge() == 0)
        #expect(HeartbeatService.delay(after: .ok, configuration: engine.configuration) == .seconds(60))
        #expect(HeartbeatService.delay(after: .failed, configuration: engine.configuration) == .seconds(5))
    }

    @Test("Fault schedules parse, repeat, and reject bad text")
    func faultSchedules() throws {
        let schedule = try FaultSchedule(parsing: "ok:2,fail:1")
        #expect((0..<7).map(schedule.result(at:)) == [.ok, .ok, .failed, .ok, .ok, .failed, .ok])
        #expect(schedule.description == "ok:2,fail:1")
        for bad in ["", "ok", "ok:0", "ok:x", "maybe:1", "ok:1,", "fail:-1"] {
            #expect(throws: FaultScheduleError.self, "\(bad)") { try FaultSchedule(parsing: bad) }
        }
    }
}
