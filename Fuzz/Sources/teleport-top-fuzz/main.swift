// One libFuzzer binary for every reader: TT_FUZZ_TARGET names the one to fuzz (see
// FuzzTarget). A broken invariant aborts, so libFuzzer keeps the input as a crash.
import Foundation
import TeleportTopFuzzing

var target = FuzzTarget.exposition

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    guard let name = ProcessInfo.processInfo.environment["TT_FUZZ_TARGET"], let chosen = FuzzTarget(rawValue: name) else {
        fputs("teleport-top-fuzz: set TT_FUZZ_TARGET to one of: \(names)\n", stderr)
        exit(2)
    }
    target = chosen
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let broken = target.check(bytes)
    if !broken.isEmpty {
        fputs("teleport-top-fuzz \(target.rawValue): \(broken.joined(separator: "\n"))\n", stderr)
        abort()
    }
    return 0
}
