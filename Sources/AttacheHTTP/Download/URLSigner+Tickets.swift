import AttacheCore
import Foundation

/// Tickets: short-lived proofs a server hands a client (in a cookie) and takes back, such as "this
/// browser gave the share's password" or "this download was counted already". A ticket is
/// `<expires>.<signature>`, the signature an HMAC (with the link keys) over `TICKET`, its subject and
/// the expiry; the subject names what it is for, so a ticket for one thing is worth nothing for another.
extension URLSigner {
    /// A ticket for `subject`, valid for `lifetime` or a link's lifetime, whichever is shorter (the
    /// keys that check links are kept that long after a rotation, and no longer).
    package func ticket(for subject: String, lifetime: TimeInterval, now: Date = Date()) -> (value: String, expiresAt: Date) {
        let expires = Int64(now.addingTimeInterval(min(lifetime, self.lifetime)).timeIntervalSince1970)
        let signature = keyring.signing(at: now)?.signature(of: Self.ticketMessage(subject: subject, expires: expires)) ?? ""
        return ("\(expires).\(signature)", Date(timeIntervalSince1970: TimeInterval(expires)))
    }

    /// Whether `ticket` is one the cluster's keys made for `subject` and has not expired. A ticket that
    /// matches no key held is checked again after reloading the keys (``SigningKeyring/reloadAfterMismatch()``),
    /// as a link is: another node may have rotated the key and signed with the new one already.
    package func isValidTicket(_ ticket: String, for subject: String, now: Date = Date()) async -> Bool {
        let parts = ticket.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let expires = Int64(parts[0]), String(expires) == parts[0], Double(expires) >= now.timeIntervalSince1970 else {
            return false
        }
        let message = Self.ticketMessage(subject: subject, expires: expires)
        let signature = String(parts[1])
        if keyring.verifying(now: now, lifetime: lifetime).contains(where: { $0.isSignature(signature, of: message) }) { return true }
        guard await keyring.reloadAfterMismatch() else { return false }
        return keyring.verifying(now: now, lifetime: lifetime).contains { $0.isSignature(signature, of: message) }
    }

    private static func ticketMessage(subject: String, expires: Int64) -> String {
        "TICKET\n\(subject)\n\(expires)"
    }
}
