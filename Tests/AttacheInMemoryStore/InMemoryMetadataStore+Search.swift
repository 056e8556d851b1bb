package import AttacheCore
package import Foundation

/// ``SearchIndex``: every attachment's words, read at each search (a fake needs no index).
extension InMemoryMetadataStore {
    package func searchAttachments(tenantID: Int64, query: SearchQuery) -> [SearchHit] {
        guard !query.terms.isEmpty else { return [] }
        let attached = tables.attachments.values
            .filter { $0.tenantID == tenantID }
            .compactMap { tables.attachedFile($0) }
            .filter { hit in
                (query.recordType.map { hit.record.type == $0 } ?? true) && (query.recordUUID.map { hit.record.uuid == $0 } ?? true)
                    && (query.fileKind.map { hit.file.kind == $0 } ?? true) && (query.category.map { hit.attachment.category == $0 } ?? true)
                    && (query.tag.map { AttachmentTags.contain(hit.attachment.tags, $0) } ?? true)
            }
        func words(_ text: String?) -> [String] { SearchQuery.words(of: text ?? "") }
        let found = attached.filter { hit in
            let all = [hit.file.name, hit.attachment.description, hit.record.title, hit.record.reference, hit.record.externalIdentifier,
                       tables.derivedTexts[hit.file.blobAddress]?.text].flatMap(words)
            return query.terms.indices.allSatisfy { index in all.contains { query.term(at: index, finds: $0) } }
        }
        return found.sorted { $0.attachment.id < $1.attachment.id }.dropFirst(query.offset).prefix(query.limit).map { hit in
            let name = Self.snippet(of: hit.file.name, marking: query)
            // A name without a match shows the words of the content's text around its first match instead.
            guard !name.contains(where: \.isMatch), let text = tables.derivedTexts[hit.file.blobAddress]?.text else {
                return SearchHit(attached: hit, snippet: name)
            }
            let parts = Self.snippet(of: text, marking: query)
            let first = parts.firstIndex(where: \.isMatch) ?? 0
            return SearchHit(attached: hit, snippet: Array(parts[max(first - 8, 0)..<min(first + 16, parts.count)]))
        }
    }

    /// The file's name cut into runs of word and non-word characters, a word run marked when one of
    /// the query's terms finds it.
    private static func snippet(of name: String, marking query: SearchQuery) -> [SearchHit.SnippetPart] {
        func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }
        var parts: [SearchHit.SnippetPart] = []
        var run = ""
        func close() {
            guard !run.isEmpty else { return }
            let folded = SearchQuery.words(of: run)
            let isMatch = !folded.isEmpty && folded.allSatisfy { word in query.terms.indices.contains { query.term(at: $0, finds: word) } }
            if let last = parts.last, last.isMatch == isMatch {
                parts[parts.count - 1].text += run
            } else {
                parts.append(.init(text: run, isMatch: isMatch))
            }
            run = ""
        }
        for character in name {
            if let last = run.last, isWordCharacter(last) != isWordCharacter(character) { close() }
            run.append(character)
        }
        close()
        return parts
    }
}
