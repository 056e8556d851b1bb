import Foundation

/// The cookies of share links and the tickets they carry (``AttacheHTTP/URLSigner``'s tickets). Each is
/// scoped by its `Path` to one share (the unlock) or one of its downloads (the continuation), so a
/// browser with several links open keeps them apart.
enum ShareCookie {
    /// "This browser gave the share's password", for the share's whole path; names the password, so a
    /// new one locks out every browser that gave the old one.
    static let unlock = "attache_share"
    /// "This download was counted", for one file's (or the archive's) path and content: requests that
    /// continue it (`Range`, a browser resuming) are not counted again.
    static let download = "attache_download"

    /// How long a given password holds: an hour, and never past the share's own expiry.
    static let unlockLifetime: TimeInterval = 3600
    /// How long a counted download may be continued.
    static let continuationLifetime: TimeInterval = 3600

    static func unlockSubject(share: UUID, passwordVersion: String) -> String {
        "share-unlock\n\(share.uuidString)\n\(passwordVersion)"
    }

    /// `item` is the attachment's uuid or `archive`; `etag` the content's, so a ticket continues only
    /// the same bytes.
    static func continuationSubject(share: UUID, item: String, etag: String) -> String {
        "share-download\n\(share.uuidString)\n\(item)\n\(etag)"
    }
}
