import Foundation
import TeleportCore

/// Tab 9: the checklist of profile kinds and the duration (as `tctl debug live`), the
/// session's captures with a countdown while they run; the viewer when one is open.
public enum ProfilesTabView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols = .block) {
        if state.profiles.viewer != nil {
            ProfileViewerView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            return
        }
        let p = state.profiles
        let captures = p.shown(for: state.fleet?.open)
        var y = top
        screen.write(" capture from \(state.snapshot.target) · duration \(p.seconds)s (←/→) · saved in \(p.directory)", x: 0, y: y, role: .accent)
        y += 1
        for (i, kind) in ProfilesTabState.kinds.enumerated() where y < bottom {
            let box = p.checked.contains(kind) ? "[x]" : "[ ]"
            let x = screen.write("  \(box) \(kind.rawValue)", x: 0, y: y, role: .text)
            screen.write("  " + describe(kind, seconds: p.seconds), x: max(x, 22), y: y, role: .dim)
            if i == p.cursor { screen.fill(row: y, role: .selection) }
            screen.mark(row: y, .profileRow(i))
            y += 1
        }
        guard y + 1 < bottom else { return }
        y += 1
        screen.write(
            captures.isEmpty
                ? " no capture yet: Space checks, Enter captures, p takes a CPU profile from any tab" : " captures of this session (Enter opens one)",
            x: 0, y: y, role: captures.isEmpty ? .dim : .accent)
        y += 1
        let base = ProfilesTabState.kinds.count
        let visible = max(1, bottom - y)
        let selected = p.cursor - base
        let first = max(0, min(selected - visible / 2, captures.count - visible))
        for index in max(0, first)..<min(captures.count, max(0, first) + visible) {
            let entry = captures[index]
            let time = String(Format.utc(entry.started).dropFirst(11).prefix(8))
            var x = screen.write("  \(time)  \(entry.kind.rawValue)", x: 0, y: y, role: .text)
            x = max(x + 2, 26)
            switch entry.status {
            case .running(let remaining):
                screen.write(remaining.map { "capturing… \(Int($0.rounded(.up)))s left (c cancels)" } ?? "fetching…", x: x, y: y, role: .accent)
            case .saved(let path, let bytes):
                if p.isBaseline(path: path, kind: entry.kind) { x = screen.write("baseline  ", x: x, y: y, role: .accent) }
                screen.write("\(Format.bytes(Double(bytes)))  \(path)", x: x, y: y, role: .dim)
            case .failed(let message):
                screen.write(message, x: x, y: y, role: .error)
            case .cancelled:
                screen.write("cancelled", x: x, y: y, role: .dim)
            }
            if index == selected { screen.fill(row: y, role: .selection) }
            screen.mark(row: y, .profileRow(base + index))
            y += 1
        }
    }

    static func describe(_ kind: ProfileKind, seconds: Int) -> String {
        switch kind {
        case .profile: return "CPU, \(seconds)s"
        case .trace: return "Go execution trace, \(seconds)s (saved, not decoded)"
        case .heap: return "live heap"
        case .allocs: return "allocations since start"
        case .goroutine: return "every goroutine's stack"
        case .block: return "blocking events"
        case .mutex: return "mutex contention"
        case .threadcreate: return "thread creation"
        case .cmdline: return "command line (saved as text)"
        }
    }
}

/// The pprof viewer: the header lines and top-N table as `go tool pprof -top` prints them
/// (flat, flat%, sum%, cum, cum%, function), or a goroutine profile's identical stacks
/// grouped with counts.
public enum ProfileViewerView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols = .block) {
        guard let viewer = state.profiles.viewer else { return }
        if viewer.peek != nil {
            PeekView.draw(state, into: &screen, top: top, bottom: bottom)
            return
        }
        if viewer.showsFlame {
            FlameView.draw(state, into: &screen, top: top, bottom: bottom, symbols: symbols)
            return
        }
        var y = top
        let o = viewer.options
        var x = screen.write(" \((viewer.path as NSString).lastPathComponent)", x: 0, y: y, role: .accent)
        // The diff in force first: on a narrow screen it is what must not be cut.
        x = drawDiffTag(state, x: x, y: y, into: &screen)
        x = screen.write(
            "  sort \(o.order.rawValue) (s) · \(o.granularity.rawValue) (L) · sample \(viewer.data?.report.map { $0.sampleType.type } ?? "-") (i)", x: x, y: y,
            role: .dim)
        if let focus = o.focus { x = screen.write("  focus /\(focus)", x: x, y: y, role: .accent) }
        if viewer.kind == .goroutine { screen.write("  stacks (g)", x: x, y: y, role: .dim) }
        y += 1
        guard let data = viewer.data, data.path == viewer.path, data.options == viewer.options || viewer.groups,
            data.diff == ViewerReducer.diff(state)
        else {
            screen.write("  decoding…", x: 0, y: y, role: .dim)
            return
        }
        if let error = data.error {
            screen.write("  " + error, x: 0, y: y, role: .error)
            return
        }
        if viewer.groups && !data.groupChanges.isEmpty {
            if let diff = data.diff {
                screen.write(" " + meaning(diff), x: 0, y: y, role: .accent)
                y += 1
            }
            drawGroupChanges(data.groupChanges, row: viewer.row, into: &screen, top: y, bottom: bottom)
            return
        }
        if viewer.groups && !data.groups.isEmpty {
            drawGroups(data.groups, row: viewer.row, into: &screen, top: y, bottom: bottom)
            return
        }
        guard let report = data.report else { return }
        if let diff = data.diff, y < bottom {
            screen.write(" " + meaning(diff), x: 0, y: y, role: .accent)
            y += 1
        }
        for label in report.labels.dropFirst(report.labels.count > 4 ? report.labels.count - 4 : 0) where y < bottom {
            screen.write(" " + label, x: 0, y: y, role: .dim)
            y += 1
        }
        screen.write("      flat  flat%   sum%        cum   cum%", x: 0, y: y, role: .dim)
        y += 1
        let lines = max(1, bottom - y)
        let selected = min(viewer.row, max(0, report.rows.count - 1))
        let first = max(0, min(selected - lines / 2, report.rows.count - lines))
        for index in first..<min(report.rows.count, first + lines) {
            let row = report.rows[index]
            let numbers = pad(row.flatText) + " " + row.flatPercent + " " + row.sumPercent + " " + pad(row.cumText) + " " + row.cumPercent + "  "
            let nx = screen.write(numbers, x: 0, y: y, role: .text)
            screen.write(row.name + (row.inline == .none ? "" : " " + row.inline.rawValue), x: nx, y: y, role: .accent)
            if index == selected { screen.fill(row: y, role: .selection) }
            screen.mark(row: y, .viewerRow(index))
            y += 1
        }
    }

    static func pad(_ text: String) -> String { rightAligned(text, 10) }

    static func rightAligned(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

    /// What the header says about diffs: the diff in force (pprof's meaning, the baseline's
    /// time, -normalize), or that this capture is the baseline, or that `D` would diff it.
    @discardableResult
    static func drawDiffTag(_ state: DashboardState, x: Int, y: Int, into screen: inout Screen) -> Int {
        guard let viewer = state.profiles.viewer, let baseline = state.profiles.baselines[viewer.kind] else { return x }
        let when = baseline.started.map { " " + BaselineMarking.time($0) } ?? " " + (baseline.path as NSString).lastPathComponent
        if baseline.path == viewer.path { return screen.write("  the \(viewer.kind.rawValue) baseline (b)", x: x, y: y, role: .accent) }
        guard let diff = ViewerReducer.diff(state) else { return screen.write("  D: diff vs baseline\(when)", x: x, y: y, role: .dim) }
        var end = screen.write("  diff \(diff.meaning.flag) vs\(when) (D)", x: x, y: y, role: .accent)
        end = screen.write(diff.normalize ? " · -normalize (%)" : " · % normalizes", x: end, y: y, role: diff.normalize ? .accent : .dim)
        return end
    }

    /// The diff's meaning in words: which pprof flag, what the signed values and shares are.
    static func meaning(_ diff: ProfileDiffRequest) -> String {
        let scaled = diff.normalize ? ", this capture scaled to the baseline's total" : ""
        switch diff.meaning {
        case .diffBase: return "-diff_base: this capture minus the baseline\(scaled); shares of the baseline's total"
        case .base: return "-base: the baseline subtracted sample by sample\(scaled) (same process): what happened in between"
        }
    }

    /// What names a goroutine stack in one line: its first frame outside the runtime (where
    /// the goroutine's own code waits), else its leaf.
    static func headline(_ frames: [GoroutineGroup.Frame]) -> String {
        let own = frames.first { !$0.function.hasPrefix("runtime.") && !$0.function.hasPrefix("runtime/") }
        guard let own, let leaf = frames.first, own != leaf else { return frames.first?.function ?? "(no stack)" }
        return own.function + " (in \(leaf.function))"
    }

    /// A goroutine diff: stacks ranked by growth, the change and both counts; the selected
    /// stack whole, the others by their top frame.
    static func drawGroupChanges(_ changes: [GoroutineGroupChange], row: Int, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let now = changes.reduce(Int64(0)) { $0 &+ $1.count }
        let before = changes.reduce(Int64(0)) { $0 &+ $1.baseCount }
        let changed = changes.filter { $0.change != 0 }.count
        let delta = now &- before
        screen.write(
            " \(before) → \(now) goroutines (\(delta > 0 ? "+" : "")\(delta)), \(changed) of \(changes.count) stacks changed, most growth first",
            x: 0, y: y, role: .dim)
        y += 1
        screen.write("  change   then    now  stack", x: 0, y: y, role: .dim)
        y += 1
        let selected = min(row, changes.count - 1)
        for (index, change) in changes.enumerated() where y < bottom && index >= max(0, selected - 3) {
            let head = headline(change.frames)
            let sign = change.change > 0 ? "+" : ""
            let numbers =
                rightAligned("\(sign)\(change.change)", 8) + " " + rightAligned("\(change.baseCount)", 6) + " " + rightAligned("\(change.count)", 6) + "  "
            let role: StyleRole = index == selected ? .accent : (change.change > 0 ? .error : .text)
            screen.write(numbers + head, x: 0, y: y, role: role)
            let groupTop = y
            if index == selected {
                screen.fill(row: y, role: .selection)
                for frame in change.frames.dropFirst() where y + 1 < bottom {
                    y += 1
                    screen.write(
                        "                         \(frame.function)  \((frame.file as NSString).lastPathComponent):\(frame.line)", x: 0, y: y, role: .dim)
                }
            }
            screen.mark(.viewerRow(index), y: groupTop, height: y - groupTop + 1)
            y += 1
        }
    }

    static func drawGroups(_ groups: [GoroutineGroup], row: Int, into screen: inout Screen, top: Int, bottom: Int) {
        var y = top
        let total = groups.reduce(Int64(0)) { $0 + $1.count }
        screen.write(" \(total) goroutines in \(groups.count) distinct stacks, most first", x: 0, y: y, role: .dim)
        y += 1
        let selected = min(row, groups.count - 1)
        // The selected group shows its whole stack; the others their top frame.
        for (index, group) in groups.enumerated() where y < bottom && index >= max(0, selected - 3) {
            let head = group.frames.first.map { "\($0.function)" } ?? "?"
            screen.write(String(format: "%7d  ", group.count) + head, x: 0, y: y, role: index == selected ? .accent : .text)
            let groupTop = y
            if index == selected {
                screen.fill(row: y, role: .selection)
                for frame in group.frames.dropFirst() where y + 1 < bottom {
                    y += 1
                    screen.write("           \(frame.function)  \((frame.file as NSString).lastPathComponent):\(frame.line)", x: 0, y: y, role: .dim)
                }
            }
            screen.mark(.viewerRow(index), y: groupTop, height: y - groupTop + 1)
            y += 1
        }
    }
}
