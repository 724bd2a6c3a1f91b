import Foundation
import TeleportCore

/// What the command line means before the parser reads it: `--at -10s` is the value -10s
/// (the parser would take it for a flag: it becomes `--at=-10s`), and a mistyped command
/// (`snapshto`) is answered with the command it resembles.
enum ArgumentFixes {
    /// Options whose value may start with `-` (a time before the end).
    static let negativeValues: Set<String> = ["--at"]

    /// The arguments with `--at -10s` joined into `--at=-10s`.
    static func joined(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if negativeValues.contains(argument), i + 1 < arguments.count, arguments[i + 1].hasPrefix("-"),
                arguments[i + 1].dropFirst().first?.isNumber == true
            {
                out.append("\(argument)=\(arguments[i + 1])")
                i += 2
                continue
            }
            out.append(argument)
            i += 1
        }
        return out
    }

    /// A first word that is no command: the message naming the command it resembles, or
    /// nil (the parser then says what it says).
    static func unknownCommand(_ arguments: [String], commands: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first), first != "help" else { return nil }
        let nearest = commands.map { ($0, distance(first, $0)) }.min { $0.1 < $1.1 }
        guard let nearest, nearest.1 <= max(2, first.count / 3) else {
            return "unknown command \"\(Sanitized.quote(first))\"; the commands: \(commands.joined(separator: ", "))"
        }
        return "unknown command \"\(Sanitized.quote(first))\"; did you mean \"\(nearest.0)\"?"
    }

    /// Edit distance (insertions, deletions, substitutions, adjacent swaps).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
