/// Who signed in for a token made by a sign-in (`POST /Authorization`, `POST /api/2.0/authentication`):
/// the credential's kind and public identifier (the Bloxs API key, the ONLYOFFICE user name).
public struct SignInIdentity: Sendable, Hashable, Codable {
    public var credentialID: Int64
    public var kind: CredentialKind
    public var identifier: String

    public init(credentialID: Int64, kind: CredentialKind, identifier: String) {
        self.credentialID = credentialID
        self.kind = kind
        self.identifier = identifier
    }
}
