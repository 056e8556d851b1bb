import Foundation

extension String {
    /// The MIME type without its parameters, in lower case: `Text/Plain; charset=utf-8` → `text/plain`.
    var mimeEssence: String {
        split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }
}
