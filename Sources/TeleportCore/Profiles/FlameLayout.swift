/// Where each frame of a call tree goes in an icicle graph `width` columns wide: the root on
/// row 0, children below their parent, each frame as wide as its share of the zoomed frame.
/// Zoomed, the zoomed frame and its ancestors take the whole width (rows 0 ... its depth) and
/// its descendants share it. Frames narrower than one column are left out (with everything
/// under them). A pure function of the tree, so it is tested and measured without a terminal.
public struct FlameLayout: Sendable, Hashable {
    /// One drawn frame: columns `x ..< x + width` of `row`.
    public struct Frame: Sendable, Hashable {
        public var node: Int32
        public var row: Int
        public var x: Int
        public var width: Int
    }

    public let width: Int
    public let zoom: Int32
    /// Frames by row, then by column.
    public let frames: [Frame]
    /// The number of rows (the deepest drawn frame's row + 1).
    public let rows: Int
    private let rowStart: [Int]

    public init(_ tree: CallTree, zoom: Int32 = CallTree.root, width: Int, maxRows: Int = .max) {
        self.width = max(0, width)
        let zoom = zoom >= 0 && Int(zoom) < tree.nodes.count ? zoom : CallTree.root
        self.zoom = zoom
        var rowsOfFrames: [[Frame]] = []
        func add(_ frame: Frame) {
            while rowsOfFrames.count <= frame.row { rowsOfFrames.append([]) }
            rowsOfFrames[frame.row].append(frame)
        }
        let path = tree.path(to: zoom)
        let zoomTotal = max(0, tree.nodes[Int(zoom)].total)
        if self.width > 0, maxRows > 0, zoomTotal > 0 || path.count > 1 {
            for (row, node) in path.enumerated() where row < maxRows {
                add(Frame(node: node, row: row, x: 0, width: self.width))
            }
            if zoomTotal > 0 {
                let scale = Double(self.width) / Double(zoomTotal)
                // Depth first, exact positions in doubles, columns by rounding both edges (so
                // children never leave their parent and neighbours never overlap).
                var stack: [(node: Int32, row: Int, x: Double, left: Int, right: Int)] = [(zoom, path.count - 1, 0, 0, self.width)]
                while let (node, row, x, left, right) = stack.popLast() {
                    guard row + 1 < maxRows else { continue }
                    var offset = x
                    var pending: [(node: Int32, row: Int, x: Double, left: Int, right: Int)] = []
                    for child in tree.children(of: node) {
                        let total = tree.nodes[Int(child)].total
                        if total <= 0 { continue }
                        let w = Double(total) * scale
                        let start = max(left, Int((offset).rounded()))
                        let end = min(right, Int((offset + w).rounded()))
                        if end > start {
                            add(Frame(node: child, row: row + 1, x: start, width: end - start))
                            pending.append((child, row + 1, offset, start, end))
                        } else if w < 0.5 {
                            break  // the rest are lighter still
                        }
                        offset += w
                    }
                    stack.append(contentsOf: pending.reversed())
                }
            }
        }
        var frames: [Frame] = []
        var starts: [Int] = []
        for row in rowsOfFrames.indices {
            starts.append(frames.count)
            frames += rowsOfFrames[row].sorted { $0.x < $1.x }
        }
        starts.append(frames.count)
        self.frames = frames
        rows = rowsOfFrames.count
        rowStart = starts
    }

    /// The frames of one row, left to right.
    public func frames(inRow row: Int) -> ArraySlice<Frame> {
        guard row >= 0, row < rows else { return [] }
        return frames[rowStart[row]..<rowStart[row + 1]]
    }

    /// The drawn frame of a node, if it is drawn.
    public func frame(of node: Int32) -> Frame? {
        for row in 0..<rows {
            if let frame = frames(inRow: row).first(where: { $0.node == node }) { return frame }
        }
        return nil
    }

    /// The frame beside `node` on its row (`step` -1: left, 1: right), if any.
    public func neighbour(of node: Int32, step: Int) -> Frame? {
        guard let frame = frame(of: node) else { return nil }
        let row = frames(inRow: frame.row)
        guard let position = row.firstIndex(of: frame) else { return nil }
        let next = position + (step < 0 ? -1 : 1)
        return row.indices.contains(next) ? row[next] : nil
    }

    /// The heaviest drawn child of `node`, if any: children are laid out heaviest first (ties
    /// by name, as `CallTree` orders them), so the leftmost frame under it. Its drawn width
    /// alone could disagree by a column where two children weigh the same.
    public func firstChild(of node: Int32) -> Frame? {
        guard let frame = frame(of: node) else { return nil }
        return frames(inRow: frame.row + 1).filter { $0.x >= frame.x && $0.x + $0.width <= frame.x + frame.width }
            .min { $0.x < $1.x }
    }
}
