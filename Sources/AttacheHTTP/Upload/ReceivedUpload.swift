import AttacheCore
import Foundation

/// What an upload request carried: its staged files (a batch to store or discard) and its text fields.
package struct ReceivedUpload: Sendable {
    package let batch: UploadBatch
    /// Text fields by name; when a name repeats, the last value wins.
    package let fields: [String: String]
    /// Whether ``field(_:)`` ignores case (ASP.NET model binding).
    package let caseInsensitiveNames: Bool

    /// The value of a text field.
    package func field(_ name: String) -> String? {
        if let exact = fields[name] { return exact }
        guard caseInsensitiveNames else { return nil }
        return fields.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
