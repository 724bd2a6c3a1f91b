import Dispatch
import Foundation
import Synchronization

/// Waits for one of some signals (their default action is suspended meanwhile).
public final class SignalWait: Sendable {
    private let stream: AsyncStream<Int32>
    private let sources: Mutex<[DispatchSourceSignal]>

    public init(_ numbers: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        var sources: [DispatchSourceSignal] = []
        for number in numbers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = Mutex(sources)
    }

    public func wait() async { _ = await stream.first { _ in true } }
}
