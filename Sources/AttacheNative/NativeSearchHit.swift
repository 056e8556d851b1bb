import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A search hit as the native API shows it: the attachment (with its signed content links), its
/// record, and the snippet, in parts that say which are matches.
struct NativeSearchHit: ResponseEncodable {
    struct RecordSummary: Encodable, Sendable {
        var uuid: String
        var type: String
        @ExplicitNull var title: String?
        var reference: String
        @ExplicitNull var externalIdentifier: String?
    }

    struct SnippetPart: Encodable, Sendable {
        var text: String
        var match: Bool
    }

    var attachment: NativeAttachment
    var record: RecordSummary
    var snippet: [SnippetPart]

    init(_ hit: SearchHit, attachment: NativeAttachment) {
        self.attachment = attachment
        let record = hit.attached.record
        self.record = RecordSummary(
            uuid: record.uuid.lowercasedText, type: record.type.rawValue, title: record.title, reference: record.reference,
            externalIdentifier: record.externalIdentifier
        )
        snippet = hit.snippet.map { SnippetPart(text: $0.text, match: $0.isMatch) }
    }
}
