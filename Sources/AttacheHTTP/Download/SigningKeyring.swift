public import AttacheCore
import Crypto
import Foundation
import Synchronization

/// The link signing keys a node holds. The key whose time to sign has come signs (a rotation stores
/// the next key ahead of its time: ``SigningKey/signsFrom``); every key verifies the links it signed
/// until they expire, and a key waiting for its time verifies already, so a rotation never breaks a
/// link, whichever node signed it and whichever checks it.
///
/// Keys come from one configured secret (`--signing-key`: never reloaded) or from the metadata store,
/// shared by every node: reloaded periodically (``reloadPeriodically(every:)``) and when a link's
/// signature matches no key held (``reloadAfterMismatch()``: a node that missed a reload), at most
/// once per ``minimumReloadInterval``.
public final class SigningKeyring: Sendable {
    private struct Held {
        private(set) var keys: [(key: SigningKey, hmac: KeyedHMAC)]
        /// Every link of a list is signed: the signing key is found when the keys change or a waiting
        /// key's time comes, not per link.
        private var signing: KeyedHMAC?
        /// The times between which ``signing`` signs: from its key's time to sign until the next key's
        /// (`nil`: none waits). Asked for another time (a clock that stepped back), the key is chosen again.
        private var signingSince: Date = .distantPast
        private var nextSwitch: Date?
        var lastReload: ContinuousClock.Instant

        init(keys: [SigningKey], lastReload: ContinuousClock.Instant) {
            self.keys = []
            self.lastReload = lastReload
            replace(with: keys)
        }

        /// Holds `keys`.
        mutating func replace(with keys: [SigningKey], now: Date = Date()) {
            self.keys = keys.map { ($0, KeyedHMAC(key: SymmetricKey(data: $0.secret))) }
            chooseSigningKey(at: now)
        }

        /// The HMAC of the key that signs at `now`.
        mutating func signing(at now: Date) -> KeyedHMAC? {
            if now < signingSince || nextSwitch.map({ now >= $0 }) ?? false { chooseSigningKey(at: now) }
            return signing
        }

        private mutating func chooseSigningKey(at now: Date) {
            let chosen = SigningKey.signing(among: keys.map(\.key), at: now)
            signing = keys.first { $0.key.id == chosen?.id }?.hmac
            signingSince = chosen.map { $0.signsFrom <= now ? $0.signsFrom : .distantPast } ?? .distantPast
            nextSwitch = keys.lazy.map(\.key.signsFrom).filter { $0 > now }.min()
        }
    }

    /// The shortest time between two reloads caused by unknown signatures.
    public static let minimumReloadInterval: Duration = .seconds(1)

    private let held: Mutex<Held>
    private let reload: (@Sendable () async throws -> [SigningKey])?

    /// A keyring of one configured secret.
    public convenience init(secret: [UInt8]) {
        self.init(keys: [SigningKey(id: 0, secret: secret, createdAt: Date(timeIntervalSince1970: 0))], reload: nil)
    }

    /// A keyring of `keys`, refreshed by `reload` (the metadata store's keys).
    public init(keys: [SigningKey], reload: (@Sendable () async throws -> [SigningKey])?) {
        self.held = Mutex(Held(keys: keys, lastReload: .now))
        self.reload = reload
    }

    /// The HMAC of the key that signs at `now`.
    func signing(at now: Date) -> KeyedHMAC? {
        held.withLock { $0.signing(at: now) }
    }

    /// The HMACs of every key that may have signed a link still valid at `now`: keys not retired
    /// (including one waiting for its time to sign), and keys retired less than `lifetime` ago.
    func verifying(now: Date, lifetime: TimeInterval) -> [KeyedHMAC] {
        held.withLock { held in
            held.keys.filter { entry in
                entry.key.retiredAt.map { $0.addingTimeInterval(max(lifetime, 0)) >= now } ?? true
            }.map(\.hmac)
        }
    }

    /// The ids of the keys held, oldest first (for tests and logs).
    public var keyIDs: [Int64] {
        held.withLock { $0.keys.map(\.key.id) }
    }

    /// Reloads the keys from the store. - Returns: whether they changed.
    @discardableResult
    public func reloadNow() async throws -> Bool {
        guard let reload else { return false }
        let keys = try await reload()
        return held.withLock { held in
            held.lastReload = .now
            let changed = held.keys.map(\.key) != keys
            if changed { held.replace(with: keys) }
            return changed
        }
    }

    /// Reloads after a signature matched no key, unless a reload happened within
    /// ``minimumReloadInterval`` (so forged links cannot hammer the database).
    /// - Returns: whether the keys changed, so the signature is worth checking again.
    func reloadAfterMismatch() async -> Bool {
        guard reload != nil else { return false }
        let due = held.withLock { held in
            guard ContinuousClock.now - held.lastReload >= Self.minimumReloadInterval else { return false }
            held.lastReload = .now
            return true
        }
        guard due else { return false }
        do {
            return try await reloadNow()
        } catch {
            return false
        }
    }

    /// Whether the keys come from the metadata store and are reloaded; `false` for one configured secret.
    public var reloads: Bool { reload != nil }

    /// Reloads every `interval` until the task is cancelled; a failed reload keeps the keys held.
    /// Returns at once when there is nothing to reload (``reloads`` is `false`): run it only when there is.
    public func reloadPeriodically(every interval: Duration) async {
        guard reload != nil else { return }
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            _ = try? await reloadNow()  // allowed: the keys held stay valid; the next turn tries again
        }
    }
}
