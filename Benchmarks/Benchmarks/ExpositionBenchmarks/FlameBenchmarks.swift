import Benchmark
import Foundation
import TeleportCore
import TeleportDiagnostics
import TeleportTopData
import TeleportTopTestSupport

/// The flame graph of the same generated ~10 MB profile as the pprof cases: building the call
/// tree (once per decode or sample type) and laying it out (every frame drawn, every key), and
/// the folded stacks `pprof --folded` prints.
func flameBenchmarks() {
    let bytes = SyntheticProfile.ofCompressedSize(10 << 20)
    guard let profile = try? PprofDecoder.decode(bytes), let tree = try? CallTree(profile) else {
        print("synthetic profile did not decode")
        return
    }
    print("flame benchmark tree: \(tree.nodes.count) nodes, \(tree.names.count) names")
    let deep = tree.children(of: tree.children(of: CallTree.root).first ?? CallTree.root).first ?? CallTree.root

    Benchmark("Flame call tree of the 10 MB profile") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? CallTree(profile))
        }
    }
    Benchmark("Flame layout 200 columns, 10 MB profile") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(FlameLayout(tree, width: 200))
        }
    }
    Benchmark("Flame layout 200 columns zoomed, 10 MB profile") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(FlameLayout(tree, zoom: deep, width: 200))
        }
    }
    Benchmark("Flame folded stacks of the 10 MB profile") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(FoldedStacks.text(tree))
        }
    }
}
