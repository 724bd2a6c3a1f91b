import Foundation
import TeleportCore
import TeleportTopData
import TeleportTopTestSupport
import Testing

@testable import TeleportTopUI

/// The profile viewer's flame graph and peek: goldens (text, roles, and the styles of the
/// default and monochrome themes), and the keys as a person presses them.
@Suite("Flame graph and peek (goldens)", .serialized)
struct FlameScreenTests {
    static let sizes = [(80, 24), (200, 60)]
    static let shownPath = "saved/127.0.0.1_3000-profile-20261117T102640Z.pb.gz"

    /// `pprof FILE` on a terminal with the flame graph open on a deterministic profile.
    static func state() throws -> (state: DashboardState, profile: PprofProfile, tree: CallTree) {
        let profile = try PprofDecoder.decode(SyntheticProfile(seed: 7, functions: 40, samples: 400).encoded())
        let report = try TopReport(profile)
        let tree = try CallTree(profile)
        var state = DashboardState(snapshot: .empty(target: shownPath, interval: .seconds(2)), isEmbedded: false, now: Fixtures.t0)
        state.fileViewer = true
        state.tab = .profiles
        var viewer = ProfileViewerState(path: shownPath, kind: .profile)
        viewer.data = ProfileViewerData(
            path: shownPath, options: TopOptions(), report: report, groups: [], sampleTypes: profile.sampleTypes.map(\.type), error: nil)
        var flame = FlameViewState()
        flame.tree = tree
        flame.options = TopOptions()
        viewer.flame = flame
        viewer.showsFlame = true
        state.profiles.viewer = viewer
        return (state, profile, tree)
    }

    static func press(_ state: inout DashboardState, _ key: KeyCode, width: Int = 80) -> [Effect] {
        state.columns = width
        guard let action = KeyTable.action(for: key, in: Reducer.context(state)) else { return [] }
        return Reducer.reduce(&state, action)
    }

    /// One character per cell for its role: what colours a theme gives the screen.
    static func roleMap(_ screen: Screen) -> Screen {
        var map = Screen(width: screen.width, height: screen.height)
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let role = screen[x, y].role
                let mark: Character
                switch role {
                case .text: mark = "."
                case .dim: mark = "d"
                case .accent: mark = "a"
                case .selection: mark = "S"
                case .header: mark = "H"
                case .error: mark = "E"
                case .border: mark = "b"
                case .flameMatch: mark = "M"
                default:
                    if let level = StyleRole.flames.firstIndex(of: role) { mark = Character(String(level)) } else { mark = "?" }
                }
                map[x, y] = Cell(mark, role: role)
            }
        }
        return map
    }

    /// One letter per distinct style of `theme`, in order of first appearance.
    static func styleMap(_ screen: Screen, _ theme: Theme) -> Screen {
        var letters: [RoleStyle: Character] = [:]
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var map = Screen(width: screen.width, height: screen.height)
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let style = theme.style(for: screen[x, y].role)
                let letter = letters[style] ?? alphabet[min(alphabet.count - 1, letters.count)]
                letters[style] = letter
                map[x, y] = Cell(letter)
            }
        }
        return map
    }

    @Test("Goldens: the whole profile and zoomed, at 80x24 and 200x60; ascii symbols; roles and the default and monochrome styles")
    func goldens() throws {
        var (state, _, tree) = try Self.state()
        /// The text, and the styles each theme gives it.
        func check(_ name: String) {
            for (w, h) in Self.sizes {
                let screen = DashboardView.render(state, width: w, height: h)
                Golden.check(screen, "\(name)-\(w)x\(h)")
                Golden.check(Self.styleMap(screen, ThemeLoader.defaultTheme), "\(name)-styles-default-\(w)x\(h)")
                Golden.check(Self.styleMap(screen, Theme.monochrome), "\(name)-styles-monochrome-\(w)x\(h)")
            }
        }
        check("flame")
        let screen = DashboardView.render(state, width: 80, height: 24)
        Golden.check(Self.roleMap(screen), "flame-roles-80x24")
        Golden.check(DashboardView.render(state, width: 80, height: 24, symbols: .ascii), "flame-ascii-80x24")
        // Down twice, then zoom on that frame.
        _ = Self.press(&state, .down)
        _ = Self.press(&state, .down)
        let selected = try #require(state.profiles.viewer?.flame?.selected)
        #expect(tree.nodes[Int(selected)].depth == 2)
        _ = Self.press(&state, .enter)
        #expect(state.profiles.viewer?.flame?.zoom == selected)
        check("flame-zoomed")
        Golden.check(Self.roleMap(DashboardView.render(state, width: 80, height: 24)), "flame-zoomed-roles-80x24")
    }

    @Test("Every frame starts with a boundary mark, so adjacent frames stay apart without colour (block and ascii)")
    func boundaries() throws {
        let (state, _, tree) = try Self.state()
        for symbols in [Symbols.block, .ascii] {
            let screen = DashboardView.render(state, width: 120, height: 40, symbols: symbols)
            let layout = FlameLayout(tree, width: 120)
            let top = 1 + 2  // the file viewer's header, the title and the detail line
            var checked = 0
            for frame in layout.frames where top + frame.row < 39 {
                #expect(screen[frame.x, top + frame.row].character == (symbols == .ascii ? "|" : "▏"), "\(frame)")
                checked += 1
            }
            #expect(checked > 20)
            // In monochrome adjacent frames share a style: the marks are what tells them apart.
            let row = layout.frames(inRow: 2)
            #expect(row.count >= 2)
            if let a = row.first, let b = row.dropFirst().first, a.x + a.width == b.x {
                #expect(Theme.monochrome.style(for: screen[a.x + 1, top + 2].role) == Theme.monochrome.style(for: screen[b.x + 1, top + 2].role))
            }
        }
    }

    @Test("Keys: ↓ heaviest child, →/← beside, ↑ parent, Enter zooms, Esc zooms out, then the table, then quits; clicks select and zoom")
    func keys() throws {
        var (state, _, tree) = try Self.state()
        #expect(Reducer.context(state) == .flame)
        _ = Self.press(&state, .down)
        let child = try #require(tree.children(of: CallTree.root).first)
        #expect(state.profiles.viewer?.flame?.selected == child)
        _ = Self.press(&state, .down)
        let grandchild = try #require(state.profiles.viewer?.flame?.selected)
        #expect(tree.nodes[Int(grandchild)].parent == child)
        let layout = FlameLayout(tree, width: 80)
        let beside = try #require(layout.neighbour(of: grandchild, step: 1))
        _ = Self.press(&state, .character("l"))
        #expect(state.profiles.viewer?.flame?.selected == beside.node)
        _ = Self.press(&state, .left)
        #expect(state.profiles.viewer?.flame?.selected == grandchild)
        _ = Self.press(&state, .left)
        #expect(state.profiles.viewer?.flame?.selected == grandchild, "nothing to the left of the first frame")
        _ = Self.press(&state, .character("k"))
        #expect(state.profiles.viewer?.flame?.selected == child)
        _ = Self.press(&state, .enter)
        #expect(state.profiles.viewer?.flame?.zoom == child)
        // Tabs do not move here: ←/→/h/l are the flame graph's.
        #expect(state.tab == .profiles)
        #expect(Self.press(&state, .escape).isEmpty)
        #expect(state.profiles.viewer?.flame?.zoom == CallTree.root)
        #expect(state.profiles.viewer?.flame != nil)
        #expect(Self.press(&state, .escape).isEmpty)
        #expect(state.profiles.viewer?.showsFlame == false && !state.quit)
        #expect(Reducer.context(state) == .profileViewer)
        // F again: the tree is kept for the same options (no new request).
        #expect(Self.press(&state, .character("F")).isEmpty)
        #expect(Reducer.context(state) == .flame)
        // A click selects a frame, a second click on it zooms.
        let screen = DashboardView.render(state, width: 80, height: 24)
        let frame = try #require(FlameLayout(tree, width: 80).frames(inRow: 1).first)
        _ = Reducer.fold(&state, .input(.click(x: frame.x + 2, y: 3 + frame.row)), screen: screen)
        #expect(state.profiles.viewer?.flame?.selected == frame.node)
        _ = Reducer.fold(&state, .input(.click(x: frame.x + 2, y: 3 + frame.row)), screen: screen)
        #expect(state.profiles.viewer?.flame?.zoom == frame.node)
        _ = Self.press(&state, .character("F"))
        #expect(Self.press(&state, .escape) == [.quit])
    }

    @Test("F from the table asks for the tree; the answer opens it; i asks for the table and the tree of the next type")
    func loading() throws {
        var (state, profile, _) = try Self.state()
        state.profiles.viewer?.flame = nil
        state.profiles.viewer?.showsFlame = false
        let effects = Self.press(&state, .character("F"))
        guard case .loadFlame(let request, let path, let options, _) = effects.first, effects.count == 1 else {
            Issue.record("expected one loadFlame, got \(effects)")
            return
        }
        #expect(path == Self.shownPath && options == TopOptions())
        #expect(DashboardView.render(state, width: 80, height: 24).text.contains("decoding…"))
        // An answer to another request is dropped.
        _ = Reducer.fold(&state, .flame(request: request + 100, options: options, diff: nil, .success(try CallTree(profile))))
        #expect(state.profiles.viewer?.flame?.tree == nil)
        _ = Reducer.fold(&state, .flame(request: request, options: options, diff: nil, .failure(PprofFailure("bad file"))))
        #expect(DashboardView.render(state, width: 80, height: 24).text.contains("bad file"))
        let next = Self.press(&state, .character("i"))
        let type = profile.sampleTypes[0].type
        #expect(next.count == 2)
        #expect(next.contains { if case .loadProfile(_, _, let o, _) = $0 { return o.sampleIndex == type } else { return false } })
        guard case .loadFlame(let second, _, let secondOptions, _) = next.last else {
            Issue.record("no loadFlame in \(next)")
            return
        }
        #expect(secondOptions.sampleIndex == type)
        let samples = try CallTree(profile, options: secondOptions)
        _ = Reducer.fold(&state, .flame(request: second, options: secondOptions, diff: nil, .success(samples)))
        #expect(state.profiles.viewer?.flame?.tree?.sampleTypeIndex == 0)
        #expect(DashboardView.render(state, width: 80, height: 24).text.contains("sample \(type) (i)"))
    }

    @Test("/ highlights matching frames and says their share: every sample through a match counted once")
    func search() throws {
        var (state, _, tree) = try Self.state()
        _ = Self.press(&state, .character("/"))
        #expect(Reducer.context(state) == .filter)
        for c in "auth" { _ = Reducer.reduce(&state, .filterInput(c)) }
        _ = Reducer.reduce(&state, .filterDone)
        #expect(Reducer.context(state) == .flame)
        // Independently: the folded stacks with a matching frame.
        let expected = FoldedStacks.lines(tree).filter { line in
            line.split(separator: " ").dropLast().joined(separator: " ").split(separator: ";").contains { $0.contains("auth") }
        }.reduce(Int64(0)) { $0 + (Int64($1.split(separator: " ").last ?? "") ?? 0) }
        let flame = try #require(state.profiles.viewer?.flame)
        #expect(flame.matchedTotal == expected && expected > 0)
        let share = PprofMeasurement.percentage(expected, of: tree.profileTotal).trimmingCharacters(in: .whitespaces)
        let screen = DashboardView.render(state, width: 80, height: 24)
        #expect(screen.text.contains("/auth: \(share) of the total"))
        #expect(screen.cells.contains { $0.role == .flameMatch && $0.character == "▏" })
        Golden.check(screen, "flame-search-80x24")
        _ = Self.press(&state, .character("/"))
        for c in "(unclosed" { _ = Reducer.reduce(&state, .filterInput(c)) }
        // Enter on an expression that does not compile keeps the prompt open with the reason; Esc leaves.
        _ = Reducer.reduce(&state, .filterDone)
        #expect(state.editing == .regex)
        #expect(DashboardView.render(state, width: 80, height: 24).text.contains("not a regular expression"))
        _ = Reducer.reduce(&state, .filterCancel)
        #expect(state.editing == nil)
        // In the table, / stays pprof's focus.
        _ = Self.press(&state, .character("F"))
        _ = Self.press(&state, .character("/"))
        for c in "Serve" { _ = Reducer.reduce(&state, .filterInput(c)) }
        let focused = Reducer.reduce(&state, .filterDone)
        #expect(focused.contains { if case .loadProfile(_, _, let o, _) = $0 { return o.focus == "Serve" } else { return false } })
    }

    @Test("P peeks at the selected frame's or row's function; the answer shows as go tool pprof -peek prints it; Esc closes")
    func peek() throws {
        var (state, profile, tree) = try Self.state()
        #expect(Self.press(&state, .character("P")).isEmpty, "the root is no function")
        _ = Self.press(&state, .down)
        let selected = try #require(state.profiles.viewer?.flame?.selected)
        let name = tree.name(of: selected)
        let effects = Self.press(&state, .character("P"))
        guard case .peekProfile(let request, _, _, let symbol, _) = effects.first else {
            Issue.record("expected peekProfile, got \(effects)")
            return
        }
        #expect(symbol == "^" + NSRegularExpression.escapedPattern(for: name) + "$")
        #expect(Reducer.context(state) == .peek)
        let report = try PeekReport(profile, symbol: symbol)
        #expect(report.entries.map(\.name) == [name])
        _ = Reducer.fold(&state, .peek(request: request, .success(report)))
        for (w, h) in Self.sizes {
            let screen = DashboardView.render(state, width: w, height: h)
            Golden.check(screen, "peek-\(w)x\(h)")
            #expect(screen.text.contains("| " + name))
        }
        _ = Self.press(&state, .escape)
        #expect(Reducer.context(state) == .flame)
        _ = Self.press(&state, .character("F"))
        // From the table: the selected row's function.
        let row = try #require(state.profiles.viewer?.data?.report?.rows.first)
        let fromTable = Self.press(&state, .character("P"))
        guard case .peekProfile(_, _, _, let tableSymbol, _) = fromTable.first else {
            Issue.record("expected peekProfile, got \(fromTable)")
            return
        }
        #expect(tableSymbol == "^" + NSRegularExpression.escapedPattern(for: row.name) + "$")
        _ = Self.press(&state, .character("P"))
        #expect(Reducer.context(state) == .profileViewer)
    }
}
