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
        let signature = keyring.signing?.signature(of: Self.ticketMessage(subject: subject, expires: expires)) ?? ""
        return ("\(expires).\(signature)", Date(timeIntervalSince1970: TimeInterval(expires)))
    }

    /// Whether `ticket` is one this server's keys made for `subject` and has not expired.
    package func isValidTicket(_ ticket: String, for subject: String, now: Date = Date()) -> Bool {
        let parts = ticket.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let expires = Int64(parts[0]), String(expires) == parts[0], Double(expires) >= now.timeIntervalSince1970 else {
            return false
        }
        let message = Self.ticketMessage(subject: subject, expires: expires)
        return keyring.verifying(now: now, lifetime: lifetime).contains { $0.isSignature(String(parts[1]), of: message) }
    }

    private static func ticketMessage(subject: String, expires: Int64) -> String {
        "TICKET\n\(subject)\n\(expires)"
    }
}
