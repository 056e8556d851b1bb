import AttacheCore
import Foundation
import Hummingbird
import NIOCore

/// The one way a face reads a small request body (not an upload) into a `Decodable`: JSON, or a
/// URL-encoded form where the face's framework binds one, picked by `Content-Type`. ASP.NET binds
/// member names whatever their case (`username`, `userName`, `UserName`), so those faces decode with
/// ``KeyMatching/caseInsensitive`` into types whose coding keys are lower case.
///
/// Every decoding failure becomes one `invalidInput` error naming the member and what was wrong with
/// it, in words (never a Swift type's name).
package struct RequestBodyDecoder: Sendable {
    package enum KeyMatching: Sendable {
        /// Member names as written (JSON APIs with declared names: native, PropertyDeck, HighLevel).
        case exact
        /// Member names folded to lower case before they meet the type's (lower-case) coding keys.
        case caseInsensitive
    }

    /// Largest body read: 1 MiB, as every JSON body.
    package static let maximumSize = 1024 * 1024

    package let keys: KeyMatching
    /// Whether `application/x-www-form-urlencoded` bodies are read as well as JSON.
    package let acceptsForms: Bool

    package init(keys: KeyMatching = .exact, acceptsForms: Bool = false) {
        self.keys = keys
        self.acceptsForms = acceptsForms
    }

    /// Reads and decodes the body. An empty body is refused: the operation documents one.
    /// - Throws: `invalidInput` for a body that is not what `T` needs; `contentTooLarge` past ``maximumSize``.
    package func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let body = try await Self.collect(request)
        let mediaType = HeaderParameters(request.headers[.contentType] ?? "").value
        do {
            if acceptsForms, mediaType == "application/x-www-form-urlencoded" {
                return try URLEncodedFormDecoder().decode(type, from: preparedForm(String(buffer: body)))
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            if keys == .caseInsensitive {
                decoder.keyDecodingStrategy = .custom { path in FoldedKey(path.last?.stringValue.lowercased() ?? "") }
            }
            guard body.readableBytes > 0 else { throw AttacheError(.invalidInput, "The request needs a body: a JSON object.") }
            return try decoder.decode(type, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw Self.explain(error)
        } catch let error as URLEncodedFormError {
            // A form that is not one (bad percent-encoding): the client's mistake, in its words.
            throw AttacheError(.invalidInput, "The form cannot be read: \(error.description).")
        }
    }

    private static func collect(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maximumSize)
        } catch is NIOTooManyBytesError {
            throw AttacheError(.contentTooLarge, "The request body is larger than \(ByteCountText.describe(Int64(maximumSize))).")
        }
    }

    /// A URL-encoded form as the decoder should see it, with what a framework's binder passes over
    /// left out: a name given more than once keeps its first value (ASP.NET binds the first; a field a
    /// type does not have must not break the form); names with brackets (`a[]`, `a[b]`) keep every value
    /// of `a[]`, the way forms send arrays, unless the name is malformed (`a[`, `[x]`) or clashes with a
    /// plain `a`; names are folded to lower case when names match whatever their case. Broken
    /// percent-encoding is left for the decoder to refuse.
    private func preparedForm(_ form: String) -> String {
        var seen: Set<String> = []
        var plainNames: Set<Substring> = []
        var bracketedNames: Set<Substring> = []
        return form.split(separator: "&", omittingEmptySubsequences: false).compactMap { pair -> String? in
            let equals = pair.firstIndex(of: "=") ?? pair.endIndex
            var name = String(pair[..<equals])
            if keys == .caseInsensitive { name = name.lowercased() }
            guard let decoded = name.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { return name + pair[equals...] }
            let base = decoded.prefix { $0 != "[" }
            if base.count < decoded.count {
                guard Self.isWellFormedBracketName(decoded), !plainNames.contains(base) else { return nil }
                bracketedNames.insert(base)
                guard decoded.hasSuffix("[]") || seen.insert(decoded).inserted else { return nil }
            } else {
                guard !bracketedNames.contains(base), seen.insert(decoded).inserted else { return nil }
                plainNames.insert(base)
            }
            return name + pair[equals...]
        }.joined(separator: "&")
    }

    /// `a[]`, `a[b]`, `a[b][c]`: a name, then bracketed parts without brackets inside.
    private static func isWellFormedBracketName(_ name: String) -> Bool {
        var rest = name.drop { $0 != "[" }
        guard rest.count < name.count, !rest.isEmpty else { return false }
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return false }
            guard !rest[rest.index(after: rest.startIndex)..<close].contains("[") else { return false }
            rest = rest[rest.index(after: close)...]
        }
        return true
    }

    /// A decoding error in words: which member, and what it should be.
    static func explain(_ error: DecodingError) -> AttacheError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return AttacheError(.invalidInput, "\(field) is required.", field: field)
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return AttacheError(.invalidInput, "\(field) must not be null.", field: field)
        case .typeMismatch(let expected, let context):
            let field = path(context.codingPath)
            guard !field.isEmpty else { return AttacheError(.invalidInput, "The body must be \(describe(expected)).") }
            return AttacheError(.invalidInput, "\(field) must be \(describe(expected)).", field: field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return AttacheError(.invalidInput, "The body is not valid JSON.")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            // Our own types say what they accept (e.g. RecordType lists its values); Foundation's say
            // "Cannot initialize X from invalid String value", which names a Swift type: not shown.
            let own = context.debugDescription.hasPrefix("Cannot initialize") ? "is not a valid value" : context.debugDescription
            return AttacheError(.invalidInput, "\(field) \(own).", field: field)
        @unknown default:
            return AttacheError(.invalidInput, "The body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}

/// A coding key made from a member name as folded.
private struct FoldedKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
