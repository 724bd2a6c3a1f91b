import TeleportCore

/// A run of cells in one row that differ between two frames: what the terminal rewrites.
public struct ScreenChange: Sendable, Hashable {
    public var y: Int
    public var x: Int
    public var count: Int

    public init(y: Int, x: Int, count: Int) {
        self.y = y
        self.x = x
        self.count = count
    }
}

extension Screen {
    /// The runs of cells that differ from `previous`, row by row; every row whole when there
    /// is no previous frame or its size differs. An unchanged frame has no change at all.
    public func changes(from previous: Screen?) -> [ScreenChange] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { ScreenChange(y: $0, x: 0, count: width) }
        }
        var changes: [ScreenChange] = []
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                for y in 0..<height {
                    let row = y * width
                    var x = 0
                    while x < width {
                        guard now[row + x] != before[row + x] else {
                            x += 1
                            continue
                        }
                        let start = x
                        while x < width, now[row + x] != before[row + x] { x += 1 }
                        changes.append(ScreenChange(y: y, x: start, count: x - start))
                    }
                }
            }
        }
        return changes
    }
}
