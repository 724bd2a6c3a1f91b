import Foundation
import TeleportCore

/// The flame graph (icicle: the root on top): a title line, the selected frame's detail
/// line, then one row per depth with each frame as wide as its share of the zoomed frame,
/// its name cut to fit and its share when there is room. Every frame starts with a boundary
/// mark, so adjacent frames stay apart without colour (monochrome, `--symbols ascii`).
public enum FlameView {
    public static func draw(_ state: DashboardState, into screen: inout Screen, top: Int, bottom: Int, symbols: Symbols = .block) {
        guard let viewer = state.profiles.viewer, viewer.showsFlame, let flame = viewer.flame else { return }
        var y = top
        let type = flame.tree?.sampleType.type ?? "-"
        var x = screen.write(" flame graph · sample \(type) (i)", x: 0, y: y, role: .accent)
        if let tree = flame.tree, !flame.search.isEmpty {
            let share = PprofMeasurement.percentage(flame.matchedTotal, of: tree.profileTotal).trimmingCharacters(in: .whitespaces)
            let text = flame.searchError.map { "/\(flame.search): \($0)" } ?? "/\(flame.search): \(share) of the total"
            x = screen.write(text, x: x + 2, y: y, role: flame.searchError == nil ? .flameMatch : .error)
        }
        if let focus = viewer.options.focus { x = screen.write("  focus /\(focus)", x: x, y: y, role: .accent) }
        x = ProfileViewerView.drawDiffTag(state, x: x, y: y, into: &screen)
        screen.write("  \((viewer.path as NSString).lastPathComponent)", x: x, y: y, role: .dim)
        y += 1
        guard y < bottom else { return }
        guard let tree = flame.tree, flame.options == viewer.options, flame.diff == ViewerReducer.diff(state) else {
            screen.write(flame.error.map { "  " + $0 } ?? "  decoding…", x: 0, y: y, role: flame.error == nil ? .dim : .error)
            return
        }
        let shading = tree.isDiff ? FlameDiffShading(tree) : nil
        screen.write(shading == nil ? detail(tree, flame.selected) : diffDetail(tree, flame.selected, meaning: flame.diff?.meaning), x: 0, y: y, role: .text)
        y += 1
        if let shading, y < bottom {
            drawLegend(tree, shading, safe: state.colorBlindSafe, y: y, into: &screen)
            y += 1
        }
        guard tree.nodes[0].total > 0 else {
            screen.write("  no samples of this type (i: another)", x: 0, y: y, role: .dim)
            return
        }
        let layout = FlameLayout(tree, zoom: flame.zoom, width: screen.width)
        let visible = max(1, bottom - y)
        let selectedRow = layout.frame(of: flame.selected)?.row ?? 0
        let first = max(0, min(selectedRow - visible + 2, layout.rows - visible))
        let boundary: Character = symbols == .ascii ? "|" : "▏"
        for row in first..<min(layout.rows, first + visible) {
            for frame in layout.frames(inRow: row) {
                let node = frame.node
                let role: StyleRole =
                    node == flame.selected
                    ? .selection
                    : (!flame.matches.isEmpty && node != CallTree.root && flame.matches[Int(tree.nodes[Int(node)].name)])
                        ? .flameMatch : shading.map { diffRole($0, tree.nodes[Int(node)], safe: state.colorBlindSafe) } ?? self.role(tree, node)
                let text = shading == nil ? label(tree, node, columns: frame.width - 1) : diffLabel(tree, node, columns: frame.width - 1)
                draw(frame, label: text, boundary: boundary, role: role, y: y, into: &screen)
                screen.mark(.flameFrame(node), x: frame.x, y: y, width: frame.width)
            }
            y += 1
        }
    }

    static func draw(_ frame: FlameLayout.Frame, label: String, boundary: Character, role: StyleRole, y: Int, into screen: inout Screen) {
        for column in frame.x..<min(screen.width, frame.x + frame.width) { screen[column, y] = Cell(" ", role: role) }
        screen[frame.x, y] = Cell(boundary, role: role)
        // Under three columns a cut name says nothing: the boundary and the colour only.
        if frame.width > 3 { screen.put(label, x: frame.x + 1, y: y, role: role, maxWidth: frame.width - 1) }
    }

    /// The longest label that fits `columns`: the name and its share of the total, the name,
    /// the name without its import path's directories (`auth.(*Server).Ping`) with and without
    /// the share; else that short name, cut.
    static func label(_ tree: CallTree, _ node: Int32, columns: Int) -> String {
        let name = tree.name(of: node)
        let percent = share(tree, tree.nodes[Int(node)].total)
        let short = shortName(name)
        let candidates = [name + " " + percent, name, short + " " + percent, short]
        return candidates.first { $0.count <= columns } ?? short
    }

    /// A Go name without the directories of its import path (what comes after the last `/`
    /// before the first dot).
    static func shortName(_ name: String) -> String {
        let package = CallTree.package(of: name)
        guard let slash = package.lastIndex(of: "/") else { return name }
        return String(name[name.index(after: slash)...])
    }

    static func share(_ tree: CallTree, _ value: Int64) -> String {
        PprofMeasurement.percentage(value, of: tree.profileTotal).trimmingCharacters(in: .whitespaces)
    }

    /// The colour role of a frame: its package's, stable across runs.
    public static func role(_ tree: CallTree, _ node: Int32) -> StyleRole {
        guard node != CallTree.root else { return .flame0 }
        let package = CallTree.package(of: tree.name(of: node))
        return StyleRole.flames[Int(CallTree.stableHash(package) % UInt64(StyleRole.flames.count))]
    }

    /// A diff frame's role: grew or shrank beyond the noise floor, else unchanged.
    public static func diffRole(_ shading: FlameDiffShading, _ node: CallTree.Node, safe: Bool) -> StyleRole {
        switch shading.shade(node) {
        case .grew: return safe ? .flameGrewSafe : .flameGrew
        case .shrank: return safe ? .flameShrankSafe : .flameShrank
        case .same: return .flameSame
        }
    }

    /// A diff frame's label: the name, `(new)` or `(gone)` when its path has samples on one
    /// side only, and its change as a signed share of the diff's total.
    static func diffLabel(_ tree: CallTree, _ node: Int32, columns: Int) -> String {
        let name = tree.name(of: node)
        let entry = tree.nodes[Int(node)]
        let change = signedShare(tree, entry.delta)
        let side: String
        switch FlameDiffShading.side(entry) {
        case .both: side = ""
        case .newOnly: side = " (new)"
        case .baseOnly: side = " (gone)"
        }
        let short = shortName(name)
        let candidates = [name + side + " " + change, name + side, short + side + " " + change, short + side, short]
        return candidates.first { $0.count <= columns } ?? short
    }

    /// `+1.25%`, `-0.5%`, `0%`: a change as a share of the tree's total, with its sign.
    static func signedShare(_ tree: CallTree, _ value: Int64) -> String {
        let share = PprofMeasurement.percentage(value, of: tree.profileTotal).trimmingCharacters(in: .whitespaces)
        if share == "0%" { return share }
        return (value < 0 ? "-" : "+") + share
    }

    /// The legend under a diff's detail line: the three colours, the noise floor, the marks.
    static func drawLegend(_ tree: CallTree, _ shading: FlameDiffShading, safe: Bool, y: Int, into screen: inout Screen) {
        let unit = tree.sampleType.unit
        var x = screen.write(" ", x: 0, y: y, role: .dim)
        x = screen.write(" grew ", x: x, y: y, role: safe ? .flameGrewSafe : .flameGrew)
        x = screen.write(" ", x: x, y: y, role: .dim)
        x = screen.write(" shrank ", x: x, y: y, role: safe ? .flameShrankSafe : .flameShrank)
        x = screen.write(" ", x: x, y: y, role: .dim)
        x = screen.write(" within ±\(PprofMeasurement.label(shading.floor, unit: unit)) ", x: x, y: y, role: .flameSame)
        screen.write("  (new) only in this capture · (gone) only in the baseline · width: both captures", x: x, y: y, role: .dim)
    }

    /// A diff's selected frame: this path's value now and in the baseline, the change and its
    /// share of the diff's total, and whether it is on one side only.
    static func diffDetail(_ tree: CallTree, _ node: Int32, meaning: DiffMeaning?) -> String {
        let entry = tree.nodes[Int(node)]
        let unit = tree.sampleType.unit
        let value = { (v: Int64) in PprofMeasurement.label(v, unit: unit) }
        let now = entry.total &- entry.baseTotal
        let of = meaning == .base ? "of the diff's total" : "of the baseline's total"
        let change = (entry.delta > 0 ? "+" : "") + value(entry.delta)
        var text = " \(node == CallTree.root ? "root" : tree.name(of: node)) · now \(value(now)) · baseline \(value(entry.baseTotal))"
        text += " · change \(change) (\(signedShare(tree, entry.delta)) \(of))"
        switch FlameDiffShading.side(entry) {
        case .both: break
        case .newOnly: text += " · only in this capture"
        case .baseOnly: text += " · only in the baseline"
        }
        return text
    }

    /// The selected frame: name, the function's flat and cum (as the top table), this call
    /// path's value, file:line when the profile has them.
    static func detail(_ tree: CallTree, _ node: Int32) -> String {
        let entry = tree.nodes[Int(node)]
        let unit = tree.sampleType.unit
        let value = { (v: Int64) in PprofMeasurement.label(v, unit: unit) }
        guard node != CallTree.root else {
            return " root · \(value(entry.total)) (\(share(tree, entry.total))) · Enter zooms, ↓ goes down"
        }
        var text = " \(tree.name(of: node)) · flat \(value(tree.flat[Int(entry.name)])) (\(share(tree, tree.flat[Int(entry.name)])))"
        text += " · cum \(value(tree.cum[Int(entry.name)])) (\(share(tree, tree.cum[Int(entry.name)])))"
        text += " · this path \(value(entry.total)) (\(share(tree, entry.total)))"
        if let file = tree.file(of: node) {
            text += " · \((file as NSString).lastPathComponent)" + (entry.line > 0 ? ":\(entry.line)" : "")
        }
        return text
    }
}
