import CSampler
import Foundation
import TeleportCore

/// Address -> function name for this process, after a capture (never in the handler):
/// `dladdr` for the symbol, Swift's demangler for Swift names, the address itself when
/// nothing is known. Cached per symbol start.
final class SymbolTable {
    struct Symbol {
        var name: String
        var systemName: String
        var image: String
    }

    private var cache: [UInt: Symbol] = [:]

    func lookup(_ address: UInt) -> Symbol {
        var rawName: UnsafePointer<CChar>?
        var symbolStart: UnsafeMutableRawPointer?
        var imagePath: UnsafePointer<CChar>?
        var imageBase: UnsafeMutableRawPointer?
        guard csampler_symbol(UnsafeRawPointer(bitPattern: address), &rawName, &symbolStart, &imagePath, &imageBase) != 0 else {
            return Symbol(name: "0x" + String(address, radix: 16), systemName: "", image: "")
        }
        let image = imagePath.map { String(cString: $0) } ?? ""
        guard let rawName else {
            let base = UInt(bitPattern: imageBase)
            return Symbol(name: "\((image as NSString).lastPathComponent)+0x\(String(address &- base, radix: 16))", systemName: "", image: image)
        }
        let start = UInt(bitPattern: symbolStart)
        if let hit = cache[start] { return hit }
        let mangled = String(cString: rawName)
        let symbol = Symbol(name: Self.demangle(mangled), systemName: mangled, image: image)
        cache[start] = symbol
        return symbol
    }

    /// A Swift symbol's readable name (without the module's generic noise); others as is.
    static func demangle(_ mangled: String) -> String {
        guard mangled.hasPrefix("$s") || mangled.hasPrefix("_$s") || mangled.hasPrefix("$S") else { return mangled }
        return mangled.withCString { pointer in
            guard let out = swiftDemangle(pointer, strlen(pointer), nil, nil, 0) else { return mangled }
            defer { free(out) }
            return String(cString: out)
        }
    }
}

@_silgen_name("swift_demangle")
private func swiftDemangle(
    _ mangledName: UnsafePointer<CChar>?, _ length: Int, _ outputBuffer: UnsafeMutablePointer<CChar>?,
    _ outputBufferSize: UnsafeMutablePointer<Int>?, _ flags: UInt32
) -> UnsafeMutablePointer<CChar>?
