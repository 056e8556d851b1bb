/// A stored content that `verify` found damaged, with everyone it concerns.
public struct DamagedContent: Sendable, Hashable, CustomStringConvertible {
    public var address: BlobAddress
    public var tenantSlug: String
    /// What is wrong: `content is missing`, `content hashes to …`, `N bytes stored, M recorded`.
    public var reason: String
    /// The files of this content, with their attachments and records.
    public var files: [FileLinks]
    /// How many files were quarantined (`verify --quarantine`); 0 otherwise.
    public var quarantinedFiles = 0

    public init(address: BlobAddress, tenantSlug: String, reason: String, files: [FileLinks]) {
        self.address = address
        self.tenantSlug = tenantSlug
        self.reason = reason
        self.files = files
    }

    /// `tenant acme, content 3f…: content is missing; file 12 'lease.pdf' (attachment … on record …)`.
    public var description: String {
        let concerned = files.map { file in
            let links = file.attachments.map { "attachment \($0.attachmentUUID.lowercasedText) on record \($0.recordUUID.lowercasedText)" }
            return "file \(file.fileID) '\(file.name)' (\(links.isEmpty ? "unlinked" : links.joined(separator: ", ")))"
        }
        let quarantined = quarantinedFiles > 0 ? "; quarantined" : ""
        return "tenant \(tenantSlug), content \(address.sha256): \(reason); " + concerned.joined(separator: "; ") + quarantined
    }
}
