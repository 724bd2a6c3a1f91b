/// What a cell is, not how it looks: a theme maps each role to colours and attributes.
public enum StyleRole: UInt8, Sendable, Hashable, CaseIterable {
    case text
    case dim
    case accent
    case border
    case selection
    case header
    case stateOK
    case stateRecovering
    case stateDegraded
    case stateStarting
    case stateUnreachable
    case error
}
