public import Foundation

/// A search across a tenant's attachments: words found among the words of the file's name, its
/// description, its record's title, reference or external identifier, or the text read from its
/// content, folded for case and accents; every word must be found. The last word is found at the start
/// of a word, as it is typed (`uberpr` finds "Überprüfung.pdf"); the words before it are whole words
/// (``term(at:finds:)``), as search services do by default (Algolia's `prefixLast`, Meilisearch,
/// Typesense): a prefix of every word made PostgreSQL collect every word starting with each one.
/// Optionally within a record type, one record, or one kind of file. A page is an offset into the
/// ranked hits (``SearchQuery/cursor(after:)``).
public struct SearchQuery: Sendable, Hashable {
    /// The longest query text, the most words, and how far into the hits pages go.
    public static let maximumLength = 200
    public static let maximumTerms = 12
    public static let maximumOffset = 1000

    /// The words, folded (lower case, without accents), letters and digits only.
    public let terms: [String]
    public var recordType: RecordType?
    public var recordUUID: UUID?
    /// Only files of this kind (documents, images, videos, audio).
    public var fileKind: FileKind?
    /// Only attachments in this category.
    public var category: String?
    /// Only attachments with this tag, ignoring the case of ASCII letters (``AttachmentTags/folded(_:)``).
    public var tag: String?
    public var limit: Int
    public var offset: Int

    /// Text without a letter or digit has no terms, and finds nothing.
    /// - Throws: `invalidInput` (field `q`) for empty text, text longer than ``maximumLength`` or of
    ///   more than ``maximumTerms`` words; (field `cursor`) for a cursor this
    ///   server did not issue; (field `limit`) outside 1 to 200.
    public init(
        text: String, recordType: RecordType? = nil, recordUUID: UUID? = nil, fileKind: FileKind? = nil, limit: Int? = nil, cursor: String? = nil
    ) throws(AttacheError) {
        guard !text.isEmpty else { throw AttacheError(.invalidInput, "q is required: the words to find.", field: "q") }
        // Counted as JSON Schema's maxLength counts (Unicode code points), not as grapheme clusters.
        guard text.unicodeScalars.count <= Self.maximumLength else {
            throw AttacheError(.invalidInput, "q is longer than \(Self.maximumLength) characters.", field: "q")
        }
        let terms = Self.words(of: text)
        guard terms.count <= Self.maximumTerms else {
            throw AttacheError(.invalidInput, "q has more than \(Self.maximumTerms) words.", field: "q")
        }
        var offset = 0
        if let cursor, !cursor.isEmpty {
            guard cursor.first == "o", let value = Int(cursor.dropFirst(), radix: 36), (1...Self.maximumOffset).contains(value) else {
                throw AttacheError(.invalidInput, "cursor is not a cursor this server issued.", field: "cursor")
            }
            offset = value
        }
        self.terms = terms
        self.recordType = recordType
        self.recordUUID = recordUUID
        self.fileKind = fileKind
        self.limit = try PageRequest.checkedLimit(limit)
        self.offset = offset
    }

    /// The words of `text` as searches compare them: folded (lower case, without accents), split at
    /// anything but letters of any script and the digits 0 to 9 — what both engines' tokenizers take as words.
    public static func words(of text: String) -> [String] {
        TitleSearchKey.make(text).lowercased().split { !($0.isLetter || ("0"..."9").contains($0)) }.map(String.init)
    }

    /// Whether the term at `index` is found at the start of a word (the last, as it is typed) rather
    /// than as a whole word (every other): the one rule every index writes its query by.
    public func isPrefix(at index: Int) -> Bool { index == terms.count - 1 }

    /// Whether the term at `index` finds `word` (a folded word, ``words(of:)``), by ``isPrefix(at:)``.
    public func term(at index: Int, finds word: some StringProtocol) -> Bool {
        isPrefix(at: index) ? word.hasPrefix(terms[index]) : word == terms[index]
    }

    /// The cursor of the page after one that held `count` hits (a full page), or `nil` at the end or
    /// past ``maximumOffset``.
    public func cursor(after count: Int) -> String? {
        let next = offset + count
        guard count == limit, next <= Self.maximumOffset else { return nil }
        return "o" + String(next, radix: 36)
    }
}
