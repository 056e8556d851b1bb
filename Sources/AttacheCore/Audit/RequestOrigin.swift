/// Where a request came from, for the audit trail.
public struct RequestOrigin: Sendable, Hashable {
    /// The client's IP address, when known.
    public var clientAddress: String?
    /// The server's id of the request (`X-Request-Id`), when there is one.
    public var requestID: String?

    public init(clientAddress: String? = nil, requestID: String? = nil) {
        self.clientAddress = clientAddress
        self.requestID = requestID
    }
}
