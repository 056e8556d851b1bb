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
            }
        func words(_ text: String?) -> [String] { SearchQuery.words(of: text ?? "") }
        let found = attached.filter { hit in
            let all = [hit.file.name, hit.attachment.description, hit.record.title, hit.record.reference, hit.record.externalIdentifier].flatMap(words)
            return query.terms.allSatisfy { term in all.contains { $0.hasPrefix(term) } }
        }
        return found.sorted { $0.attachment.id < $1.attachment.id }.dropFirst(query.offset).prefix(query.limit).map { hit in
            SearchHit(attached: hit, snippet: [.init(text: hit.file.name, isMatch: false)])
        }
    }
}
