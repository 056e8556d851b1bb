/// A share just made, with its token: the only time the token is known to anyone but its holder.
public struct IssuedShare: Sendable {
    public var share: Share
    public var token: String
}
