import Foundation

/// A call tree as folded stacks, the text `flamegraph.pl`, inferno and speedscope read: one
/// line per distinct stack, frames root first joined by `;`, a space and the stack's value
/// (`main.main;main.work;runtime.memmove 30`). Frames are named as in the top table, with
/// control characters escaped and `;` (the separator) written as `:`. Samples without any
/// frame (Go's threadcreate profile has them) have no stack to print, as in `pprof -raw`.
public enum FoldedStacks {
    /// The lines of every stack with a non-zero value, in the tree's order (heaviest first).
    public static func lines(_ tree: CallTree) -> [String] {
        var out: [String] = []
        var cleaned = [String?](repeating: nil, count: tree.names.count)
        func frame(_ name: Int32) -> String {
            if let done = cleaned[Int(name)] { return done }
            let text = Sanitized.quote(tree.names[Int(name)]).replacingOccurrences(of: ";", with: ":")
            cleaned[Int(name)] = text
            return text
        }
        // Depth first with the prefix built once per node.
        var stack: [(node: Int32, prefix: String)] = tree.children(of: CallTree.root).reversed().map { ($0, "") }
        while let (node, prefix) = stack.popLast() {
            let entry = tree.nodes[Int(node)]
            let path = prefix.isEmpty ? frame(entry.name) : prefix + ";" + frame(entry.name)
            if entry.selfValue != 0 { out.append("\(path) \(entry.selfValue)") }
            for child in tree.children(of: node).reversed() { stack.append((child, path)) }
        }
        return out
    }

    /// The folded text: every line followed by a newline.
    public static func text(_ tree: CallTree) -> String {
        lines(tree).map { $0 + "\n" }.joined()
    }
}
