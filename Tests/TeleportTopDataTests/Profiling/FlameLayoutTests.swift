import Foundation
import TeleportTopTestSupport
import Testing

@testable import TeleportCore
@testable import TeleportTopData

/// The call tree and the flame layout as pure functions over generated profiles: values add
/// up, frames nest inside their parents, never overlap, are as wide as their share, and a
/// zoomed frame takes the whole width under its ancestors.
@Suite("Call tree and flame layout")
struct FlameLayoutTests {
    static func tree(seed: UInt64, options: TopOptions = TopOptions()) throws -> CallTree {
        let shape = SyntheticProfile(seed: seed, functions: 120, samples: 2000, maxDepth: 30, inlineShare: 0.4, recursionShare: 0.3)
        return try CallTree(try PprofDecoder.decode(shape.encoded()), options: options)
    }

    @Test("Totals: a node is its self value plus its children; the root is every sample; parents come before children")
    func totals() throws {
        for seed in UInt64(1)...UInt64(4) {
            let tree = try Self.tree(seed: seed)
            #expect(tree.nodes[0].total == tree.profileTotal)
            #expect(tree.nodes.count > 100)
            for (i, node) in tree.nodes.enumerated() {
                let children = tree.children(of: Int32(i))
                #expect(node.total == node.selfValue + children.reduce(0) { $0 + tree.nodes[Int($1)].total })
                #expect(zip(children, children.dropFirst()).allSatisfy { tree.nodes[Int($0)].total >= tree.nodes[Int($1)].total })
                #expect(node.parent < Int32(i))
                if node.parent >= 0 { #expect(node.depth == tree.nodes[Int(node.parent)].depth + 1) }
            }
            let folded = FoldedStacks.lines(tree)
            #expect(folded.reduce(Int64(0)) { $0 + (Int64($1.split(separator: " ").last ?? "") ?? 0) } == tree.nodes[0].total)
        }
    }

    @Test("Frames nest in their parents, do not overlap, and are as wide as their share (within a column)", arguments: [37, 80, 200])
    func nesting(width: Int) throws {
        let tree = try Self.tree(seed: 5)
        let layout = FlameLayout(tree, width: width)
        #expect(layout.frames(inRow: 0).map(\.width) == [width])
        var byNode: [Int32: FlameLayout.Frame] = [:]
        for frame in layout.frames { byNode[frame.node] = frame }
        for row in 0..<layout.rows {
            let frames = Array(layout.frames(inRow: row))
            #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.x + $0.width <= $1.x })
            for frame in frames {
                #expect(frame.width >= 1 && frame.x >= 0 && frame.x + frame.width <= width)
                let node = tree.nodes[Int(frame.node)]
                #expect(node.depth == Int32(row))
                let exact = Double(node.total) * Double(width) / Double(tree.nodes[0].total)
                #expect(abs(Double(frame.width) - exact) < 1.0001, "\(tree.name(of: frame.node)): \(frame.width) for \(exact)")
                if node.parent >= 0 {
                    let parent = try #require(byNode[node.parent], "a drawn frame's parent is drawn")
                    #expect(frame.x >= parent.x && frame.x + frame.width <= parent.x + parent.width)
                }
            }
        }
        // Every frame at least 1.5 columns wide exactly is drawn.
        for (i, node) in tree.nodes.enumerated() where Double(node.total) * Double(width) / Double(tree.nodes[0].total) >= 1.5 {
            #expect(byNode[Int32(i)] != nil, "\(tree.name(of: Int32(i))) is wide enough to draw")
        }
    }

    @Test("Zoom: ancestors and the zoomed frame take the full width; only its descendants below; neighbours and children")
    func zoom() throws {
        let tree = try Self.tree(seed: 6)
        let deep = try #require(tree.nodes.indices.first { tree.nodes[$0].depth == 3 && tree.nodes[$0].total > tree.nodes[0].total / 50 })
        let layout = FlameLayout(tree, zoom: Int32(deep), width: 120)
        let path = tree.path(to: Int32(deep))
        #expect(path.count == 4 && path.first == 0 && path.last == Int32(deep))
        for (row, node) in path.enumerated() { #expect(Array(layout.frames(inRow: row)) == [.init(node: node, row: row, x: 0, width: 120)]) }
        for frame in layout.frames where frame.row > 3 { #expect(tree.path(to: frame.node).contains(Int32(deep))) }
        let child = try #require(layout.firstChild(of: Int32(deep)))
        #expect(child.node == tree.children(of: Int32(deep)).first)
        let right = layout.neighbour(of: child.node, step: 1)
        if let right { #expect(right.x >= child.x + child.width && right.row == child.row) }
        #expect(layout.neighbour(of: child.node, step: -1) == nil)
        #expect(FlameLayout(tree, width: 0).frames.isEmpty)
        #expect(FlameLayout(tree, zoom: 99_999_999, width: 10).zoom == CallTree.root)
    }

    @Test("Packages and their colour hash are stable (no per-process seed)")
    func packages() {
        #expect(CallTree.package(of: "crypto/sha256.(*digest).Write") == "crypto/sha256")
        #expect(CallTree.package(of: "main.burnCPU") == "main")
        #expect(CallTree.package(of: "github.com/gravitational/teleport/lib/auth.(*Server).Ping") == "github.com/gravitational/teleport/lib/auth")
        #expect(CallTree.package(of: "runtime.goexit") == "runtime")
        #expect(CallTree.package(of: "[godiag]") == "[godiag]")
        #expect(CallTree.package(of: "main.f main.go:12") == "main")
        #expect(CallTree.stableHash("") == 0xcbf2_9ce4_8422_2325)
        #expect(CallTree.stableHash("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
