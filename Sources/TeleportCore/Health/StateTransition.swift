import Foundation

/// One change of state, of the process as a whole (`component == nil`) or of one component.
public struct StateTransition: Sendable, Hashable, Codable {
    public var time: Date
    public var component: String?
    public var from: ProcessState
    public var to: ProcessState

    public init(time: Date, component: String?, from: ProcessState, to: ProcessState) {
        self.time = time
        self.component = component
        self.from = from
        self.to = to
    }
}
