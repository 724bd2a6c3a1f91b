/// The labels of `teleport_build_info`.
public struct BuildInfo: Sendable, Hashable, Codable {
    public var version: String
    public var gitref: String
    public var goversion: String

    public init(version: String, gitref: String, goversion: String) {
        self.version = version
        self.gitref = gitref
        self.goversion = goversion
    }

}
