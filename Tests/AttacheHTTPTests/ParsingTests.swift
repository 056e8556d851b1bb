import AttacheTestSupport
import AttacheCore
import AttacheJSON
import Crypto
import Foundation
import NIOCore
import Testing

@testable import AttacheHTTP

@Suite("HTTP parsing units", .timeLimit(.minutes(3)))
struct ParsingTests {
    @Test(arguments: [
        ("bytes=0-9", ByteRange.partial(0..<10)),
        ("bytes=-5", .partial(95..<100)),
        ("bytes=-500", .partial(0..<100)),
        ("bytes=90-", .partial(90..<100)),
        ("bytes=90-1000", .partial(90..<100)),
        ("bytes=100-", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=5-2", .whole),
        ("bytes=0-1,5-6", .whole),
        ("items=0-1", .whole),
        ("bytes=abc", .whole),
    ] as [(String, ByteRange)])
    func ranges(header: String, expected: ByteRange) {
        #expect(ByteRange(header: header, length: 100) == expected)
    }

    @Test func headerParameters() {
        let disposition = HeaderParameters(#"form-data; name="file"; filename="a \"b\".pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf"#)
        #expect(disposition.value == "form-data")
        #expect(disposition["name"] == "file")
        #expect(disposition["filename"] == "€ rates.pdf")
        #expect(disposition.parameters["filename"] == #"a "b".pdf"#)
        #expect(HeaderParameters(#"form-data; name="file"; filename="C:\Users\jan\payslip.pdf""#)["filename"] == #"C:\Users\jan\payslip.pdf"#)
        let type = HeaderParameters("multipart/form-data; charset=utf-8; BOUNDARY=----abc")
        #expect(type.value == "multipart/form-data")
        #expect(type["boundary"] == "----abc")
    }

    @Test func contentDispositionValues() {
        #expect(ContentDispositionValue.make(inline: true, fileName: "a.pdf") == "inline; filename=\"a.pdf\"; filename*=UTF-8''a.pdf")
        #expect(ContentDispositionValue.make(inline: false, fileName: "q\"1\".pdf") == "attachment; filename=\"q_1_.pdf\"; filename*=UTF-8''q%221%22.pdf")
    }

    @Test func timestamps() async {
        let date = Date(timeIntervalSince1970: 1_795_509_000.25)
        #expect(TimestampFormat.httpDate(date) == "Tue, 24 Nov 2026 08:30:00 GMT")
        #expect(TimestampFormat.withOffset(date) == "2026-11-24T08:30:00+00:00")
        #expect(TimestampFormat.utcFractional(date) == "2026-11-24T08:30:00.250Z")
        #expect(TimestampFormat.httpDate(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        // Written without a formatter, as Foundation's ISO 8601 style writes it, milliseconds truncated:
        // edge cases, dates whose 1970 interval rounds the other way than the 2001 one Date keeps
        // (.547 in 1970 terms, .546 as Foundation writes it), and 2,000 random dates, yielding as it goes
        // (a loop that held a thread of the suite's pool for seconds starved a timed test beside it).
        let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        var generator = SystemRandomNumberGenerator()
        let dates = [0, -0.0005, -1.25, 951_782_400.999_9, 4_102_444_799.9995, 1_795_509_000.0004, 3_920_030_975.547, 1_872_805_002.547, -1_116_142_176.424]
            + (0..<2000).map { _ in Double.random(in: -2_000_000_000...4_000_000_000, using: &generator) }
        for (index, seconds) in dates.enumerated() {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(TimestampFormat.utcFractional(date) == foundation.format(date), "\(seconds)")
            if index % 200 == 0 { await Task.yield() }
        }
    }

    @Test func signedLinks() throws {
        let signer = URLSigner(secret: Array(repeating: 1, count: 32), lifetime: 60)
        let now = Date(timeIntervalSince1970: 1_000_000)
        let query = signer.query(path: "/v1/files/1/download", tenantSlug: "acme", now: now)
        let items = Dictionary(uniqueKeysWithValues: query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        })
        let signature = try #require(items["signature"])
        let expires = try #require(items["expires"])
        #expect(expires == "1000060")
        try signer.verify(path: "/v1/files/1/download", tenantSlug: "acme", expires: expires, signature: signature, now: now)
        #expect(throws: AttacheError.self) {
            try signer.verify(path: "/v1/files/2/download", tenantSlug: "acme", expires: expires, signature: signature, now: now)
        }
        #expect(throws: AttacheError.self) {
            try signer.verify(path: "/v1/files/1/download", tenantSlug: "acme", expires: expires, signature: signature, now: now.addingTimeInterval(61))
        }
        let other = URLSigner(secret: Array(repeating: 2, count: 32))
        #expect(throws: AttacheError.self) {
            try other.verify(path: "/v1/files/1/download", tenantSlug: "acme", expires: expires, signature: signature, now: now)
        }
    }

    /// After a rotation the new key signs, and the retired key still verifies its links for one link
    /// lifetime; a keyring reloads from its store when a signature matches no key it holds.
    @Test(arguments: [0, 1, 32, 63, 64, 65, 200])
    func keyedHMACMatchesSwiftCrypto(keyLength: Int) {
        let key = SymmetricKey(data: (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        let keyed = KeyedHMAC(key: key)
        for messageLength in [0, 1, 55, 56, 64, 119, 1000] {
            let message = (0..<messageLength).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            let ours = message.withUnsafeBytes { keyed.code(for: $0) }
            let theirs = HMAC<SHA256>.authenticationCode(for: message, using: key)
            #expect(Array(ours) == Array(theirs), "key \(keyLength) bytes, message \(messageLength) bytes")
        }
    }

    @Test func rotatedKeysKeepTheirLinksUntilTheyExpire() async throws {
        let created = Date(timeIntervalSince1970: 1_000_000)
        let first = SigningKey(id: 1, secret: Array(repeating: 1, count: 32), createdAt: created)
        let store = KeyStoreModel(keys: [first])
        let keyring = SigningKeyring(keys: [first], reload: { await store.keys })
        let signer = URLSigner(keyring: keyring, lifetime: 60)
        let path = "/v1/files/1/download"
        func parts(_ query: String) -> (expires: String, signature: String) {
            let items = Dictionary(uniqueKeysWithValues: query.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), String(parts[1]))
            })
            return (items["expires"] ?? "", items["signature"] ?? "")
        }
        let old = parts(signer.query(path: path, tenantSlug: "acme", now: created))
        #expect(old.signature == parts(URLSigner(secret: first.secret, lifetime: 60).query(path: path, tenantSlug: "acme", now: created)).signature)

        // Another node rotates: this one learns the new key when a link signed with it arrives.
        let rotatedAt = created.addingTimeInterval(10)
        let second = SigningKey(id: 2, secret: Array(repeating: 2, count: 32), createdAt: rotatedAt)
        await store.set([SigningKey(id: 1, secret: first.secret, createdAt: created, retiredAt: rotatedAt), second])
        let fromOtherNode = parts(URLSigner(secret: second.secret, lifetime: 60).query(path: path, tenantSlug: "acme", now: rotatedAt))
        #expect(throws: AttacheError.self) {
            try signer.verify(path: path, tenantSlug: "acme", expires: fromOtherNode.expires, signature: fromOtherNode.signature, now: rotatedAt)
        }
        try await Task.sleep(for: SigningKeyring.minimumReloadInterval)
        #expect(try await keyring.reloadNow())
        #expect(keyring.keyIDs == [1, 2])
        try signer.verify(path: path, tenantSlug: "acme", expires: fromOtherNode.expires, signature: fromOtherNode.signature, now: rotatedAt)
        try signer.verify(path: path, tenantSlug: "acme", expires: old.expires, signature: old.signature, now: rotatedAt.addingTimeInterval(30))
        let new = parts(signer.query(path: path, tenantSlug: "acme", now: rotatedAt))
        #expect(new.signature == fromOtherNode.signature, "the new key signs")
        // A key retired longer ago than a link lives verifies nothing (its links have all expired): one
        // it signed with a longer expiry opens 60 s after the rotation and not 61 s after.
        let long = parts(URLSigner(secret: first.secret, lifetime: 3600).query(path: path, tenantSlug: "acme", now: rotatedAt))
        try signer.verify(path: path, tenantSlug: "acme", expires: long.expires, signature: long.signature, now: rotatedAt.addingTimeInterval(60))
        #expect(throws: AttacheError.self) {
            try signer.verify(path: path, tenantSlug: "acme", expires: long.expires, signature: long.signature, now: rotatedAt.addingTimeInterval(61))
        }
    }

    /// A rotation ahead of time: once a node holds the next key it checks links signed with it, but it
    /// signs with the old key until the new key's time comes, and then switches without a reload. So a
    /// node that has not reloaded since the rotation is never handed a link it cannot check.
    @Test func aKeyWaitingForItsTimeVerifiesBeforeItSigns() throws {
        let rotatedAt = Date(timeIntervalSince1970: 2_000_000)
        let takesOver = rotatedAt.addingTimeInterval(120)
        let old = SigningKey(id: 1, secret: Array(repeating: 1, count: 32), createdAt: rotatedAt.addingTimeInterval(-3600), retiredAt: takesOver)
        let next = SigningKey(id: 2, secret: Array(repeating: 2, count: 32), createdAt: rotatedAt, signsFrom: takesOver)
        let node = URLSigner(keyring: SigningKeyring(keys: [old, next], reload: nil), lifetime: 600)
        let oldOnly = URLSigner(secret: old.secret, lifetime: 600)
        let nextOnly = URLSigner(secret: next.secret, lifetime: 600)
        let path = "/v1/files/1/download"
        func signature(_ query: String) -> String {
            query.split(separator: "&").first { $0.hasPrefix("signature=") }.map { String($0.dropFirst("signature=".count)) } ?? ""
        }
        func expires(_ query: String) -> String {
            query.split(separator: "&").first { $0.hasPrefix("expires=") }.map { String($0.dropFirst("expires=".count)) } ?? ""
        }
        for moment in [rotatedAt, takesOver.addingTimeInterval(-1)] {
            let query = node.query(path: path, tenantSlug: "acme", now: moment)
            #expect(signature(query) == signature(oldOnly.query(path: path, tenantSlug: "acme", now: moment)), "the old key still signs")
            // A node that loaded the next key checks a link another node signed with it (a node whose clock runs ahead).
            let early = nextOnly.query(path: path, tenantSlug: "acme", now: moment)
            try node.verify(path: path, tenantSlug: "acme", expires: expires(early), signature: signature(early), now: moment)
        }
        for moment in [takesOver, takesOver.addingTimeInterval(300)] {
            let query = node.query(path: path, tenantSlug: "acme", now: moment)
            #expect(signature(query) == signature(nextOnly.query(path: path, tenantSlug: "acme", now: moment)), "the next key signs from its time")
        }
        // The old key verifies for a link's lifetime after it retired, and not after: a link it signed
        // with a longer expiry (as a node configured otherwise would) opens at 500 s and not at 601 s.
        let long = URLSigner(secret: old.secret, lifetime: 86_400).query(path: path, tenantSlug: "acme", now: takesOver.addingTimeInterval(-1))
        try node.verify(path: path, tenantSlug: "acme", expires: expires(long), signature: signature(long), now: takesOver.addingTimeInterval(500))
        #expect(throws: AttacheError.self) {
            try node.verify(path: path, tenantSlug: "acme", expires: expires(long), signature: signature(long), now: takesOver.addingTimeInterval(601))
        }
        // A ticket follows the same key.
        let ticket = node.ticket(for: "share-unlock\nS\nv1", lifetime: 60, now: rotatedAt).value
        #expect(ticket == oldOnly.ticket(for: "share-unlock\nS\nv1", lifetime: 60, now: rotatedAt).value)
    }

    /// A ticket (a share's unlock cookie) signed by a node that has the new key already is taken by one
    /// that does not yet: a mismatch reloads the keys, as a link's does (cold run 48 found the share's
    /// cookie refused on the other node after a rotation).
    @Test func ticketsSignedWithAnotherNodesNewKeyAreTakenAfterAReload() async throws {
        let now = Date()
        let first = SigningKey(id: 1, secret: Array(repeating: 1, count: 32), createdAt: now.addingTimeInterval(-60))
        let store = KeyStoreModel(keys: [first])
        let keyring = SigningKeyring(keys: [first], reload: { await store.keys })
        let signer = URLSigner(keyring: keyring, lifetime: 3600)
        let second = SigningKey(id: 2, secret: Array(repeating: 2, count: 32), createdAt: now)
        await store.set([SigningKey(id: 1, secret: first.secret, createdAt: first.createdAt, retiredAt: now), second])
        let ticket = URLSigner(secret: second.secret, lifetime: 3600).ticket(for: "share-unlock\nS\nv1", lifetime: 600, now: now)
        // Within a second of the last reload a mismatch reloads nothing (forged tickets cannot hammer the store) …
        #expect(await signer.isValidTicket(ticket.value, for: "share-unlock\nS\nv1", now: now) == false)
        try await Task.sleep(for: SigningKeyring.minimumReloadInterval)
        // … past it, the ticket makes the node reload and is taken; a ticket for another subject is not.
        #expect(await signer.isValidTicket(ticket.value, for: "share-unlock\nS\nv1", now: now))
        #expect(keyring.keyIDs == [1, 2])
        #expect(await signer.isValidTicket(ticket.value, for: "share-unlock\nS\nv2", now: now) == false)
    }
}

/// A metadata store's signing keys, for a keyring to reload.
actor KeyStoreModel {
    private(set) var keys: [SigningKey]

    init(keys: [SigningKey]) { self.keys = keys }

    func set(_ keys: [SigningKey]) { self.keys = keys }
}

@Suite("Multipart reader", .timeLimit(.minutes(3)))
struct MultipartReaderTests {
    static let boundary = "XyZ"
    static let body = Array(
        ("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nLease\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
            + "line one\r\n--XyNOT a boundary\r\n--X\r\nend\r\n--XyZ--\r\nepilogue").utf8
    )

    /// Feeds `body` in pieces of `size` and returns (headers, content) per part.
    static func parse(_ body: [UInt8], pieceSize size: Int) throws -> [([(name: String, value: String)], [UInt8])] {
        var reader = try MultipartStreamReader(boundary: boundary)
        var parts: [([(name: String, value: String)], [UInt8])] = []
        var offset = 0
        while offset < body.count {
            let piece = ByteBuffer(bytes: body[offset..<min(offset + size, body.count)])
            offset += size
            for event in try reader.feed(piece) {
                switch event {
                case .partStart(let headers): parts.append((headers, []))
                case .body(let buffer): parts[parts.count - 1].1 += buffer.readableBytesView
                case .partEnd: break
                }
            }
        }
        try reader.finish()
        return parts
    }

    @Test func everySplitPositionGivesTheSameParts() throws {
        for size in [1, 2, 3, 5, 7, 16, 64, Self.body.count] {
            let parts = try Self.parse(Self.body, pieceSize: size)
            #expect(parts.count == 2, "piece size \(size)")
            #expect(String(decoding: parts[0].1, as: UTF8.self) == "Lease")
            #expect(String(decoding: parts[1].1, as: UTF8.self) == "line one\r\n--XyNOT a boundary\r\n--X\r\nend")
            #expect(parts[1].0.map(\.name) == ["content-disposition", "content-type"])
            #expect(parts[1].0.last?.value == "text/plain")
        }
    }

    @Test func truncatedBodiesAreRefused() throws {
        let truncated = Array(Self.body.prefix(Self.body.count - 20))
        #expect(throws: AttacheError.self) { try Self.parse(truncated, pieceSize: 10) }
    }

    @Test func limitsAreEnforced() throws {
        var reader = try MultipartStreamReader(boundary: "b", limits: .init(maximumHeaderBytesPerPart: 100, maximumParts: 2))
        let hugeHeader = "--b\r\nX-Big: " + String(repeating: "a", count: 200) + "\r\n\r\nx\r\n--b--"
        #expect(throws: AttacheError.self) { try reader.feed(ByteBuffer(string: hugeHeader)) }
        var counting = try MultipartStreamReader(boundary: "b", limits: .init(maximumParts: 2))
        let threeParts = String(repeating: "--b\r\n\r\nx\r\n", count: 3) + "--b--"
        #expect(throws: AttacheError.self) { try counting.feed(ByteBuffer(string: threeParts)) }
        #expect(throws: AttacheError.self) { try MultipartStreamReader(boundary: "") }
    }
}
