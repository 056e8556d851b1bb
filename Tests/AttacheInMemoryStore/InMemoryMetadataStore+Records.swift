package import AttacheCore
package import Foundation

/// Records and custom fields (``CatalogueStore``).
extension InMemoryMetadataStore {
    package func createRecord(tenantID: Int64, type: RecordType, externalIdentifier: String?, title: String?, audit: AuditContext) throws -> Record {
        try transaction { tables in
            guard var tenant = tables.tenants[tenantID] else { throw AttacheError(.notFound, "There is no tenant \(tenantID).") }
            if let externalIdentifier,
                tables.records.values.contains(where: { $0.tenantID == tenantID && $0.type == type && $0.externalIdentifier == externalIdentifier })
            {
                throw InMemoryStoreError.constraint("records.external_identifier")
            }
            let reference = String(tenant.nextReference)
            tenant.nextReference += 1
            tables.tenants[tenantID] = tenant
            let number = try tables.nextNumber(.records, tenantID: tenantID)
            let time = audit.time.roundedToMilliseconds
            let record = Record(
                id: number, uuid: UUID(), tenantID: tenantID, type: type, reference: reference, externalIdentifier: externalIdentifier,
                title: title, createdAt: time, updatedAt: time
            )
            tables.records[InMemoryTables.RowKey(tenantID: tenantID, number: number)] = record
            try tables.writeAuditEvents([audit.event(.recordCreate, tenantID: tenantID, recordUUID: record.uuid)])
            return record
        }
    }

    package func record(tenantID: Int64, uuid: UUID) -> Record? {
        tables.records.values.first { $0.tenantID == tenantID && $0.uuid == uuid }
    }

    package func record(tenantID: Int64, id: Int64) -> Record? {
        tables.records[InMemoryTables.RowKey(tenantID: tenantID, number: id)]
    }

    package func records(tenantID: Int64, matching query: RecordQuery, page: PageRequest) -> Page<Record> {
        let prefix = query.titlePrefix.map(TitleSearchKey.make)
        let matching = tables.records.values.filter { record in
            record.tenantID == tenantID
                && (query.type.map { record.type == $0 } ?? true)
                && (query.externalIdentifier.map { record.externalIdentifier == $0 } ?? true)
                && (query.reference.map { record.reference == $0 } ?? true)
                && (prefix.map { prefix in record.title.map { TitleSearchKey.make($0).hasPrefix(prefix) } ?? false } ?? true)
        }
        return InMemoryTables.page(matching, page: page, number: \.id)
    }

    package func updateRecord(tenantID: Int64, uuid: UUID, title: String??, externalIdentifier: String??, legalHold: Bool?, audit: AuditContext) throws -> Record? {
        try transaction { tables in
            guard var (key, record) = tables.records.first(where: { $0.value.tenantID == tenantID && $0.value.uuid == uuid }).map({ ($0.key, $0.value) })
            else { return nil }
            if let title { record.title = title }
            if let legalHold { record.legalHold = legalHold }
            if let externalIdentifier {
                if let identifier = externalIdentifier, tables.records.values.contains(where: {
                    $0.tenantID == tenantID && $0.type == record.type && $0.externalIdentifier == identifier && $0.uuid != uuid
                }) {
                    throw InMemoryStoreError.constraint("records.external_identifier")
                }
                record.externalIdentifier = externalIdentifier
            }
            record.updatedAt = audit.time.roundedToMilliseconds
            key = InMemoryTables.RowKey(tenantID: tenantID, number: record.id)
            tables.records[key] = record
            try tables.writeAuditEvents([audit.event(.recordUpdate, tenantID: tenantID, recordUUID: uuid, detail: legalHold.map { $0 ? "legal hold on" : "legal hold off" })])
            return record
        }
    }

    package func deleteRecord(tenantID: Int64, uuid: UUID, audit: AuditContext) throws -> Bool {
        try transaction { tables in
            guard let record = tables.records.values.first(where: { $0.tenantID == tenantID && $0.uuid == uuid }) else { return false }
            let links = tables.attachments.filter { $0.value.tenantID == tenantID && $0.value.recordID == record.id }
            for key in links.keys { tables.attachments[key] = nil }
            let versionFiles = tables.removeVersions(of: links.values.map(\.uuid))
            tables.records[InMemoryTables.RowKey(tenantID: tenantID, number: record.id)] = nil
            var events = [audit.event(.recordDelete, tenantID: tenantID, recordUUID: uuid)]
            for link in links.values.sorted(by: { $0.id < $1.id }) {
                let file = tables.files[InMemoryTables.RowKey(tenantID: tenantID, number: link.fileID)]
                events.append(
                    audit.event(
                        .attachmentDelete, tenantID: tenantID, recordUUID: uuid, fileID: link.fileID, fileName: file?.name, attachmentUUID: link.uuid,
                        size: file?.size
                    )
                )
            }
            let shown = links.values.sorted(by: { $0.id < $1.id }).map(\.fileID)
            for fileID in shown + Set(versionFiles).subtracting(shown).sorted() {
                let key = InMemoryTables.RowKey(tenantID: tenantID, number: fileID)
                if let file = tables.deleteFileIfUnlinked(key, at: audit.time) {
                    events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: uuid, fileID: file.id, fileName: file.name, size: file.size))
                }
            }
            try tables.writeAuditEvents(events)
            return true
        }
    }

    package func createCustomField(tenantID: Int64, id: String, fieldKey: String, definition: CustomFieldDefinition, audit: AuditContext) throws -> CustomField {
        try transaction { tables in
            guard tables.customFields[id] == nil else { throw InMemoryStoreError.constraint("custom_fields.id") }
            let time = audit.time.roundedToMilliseconds
            let field = CustomField(id: id, tenantID: tenantID, fieldKey: fieldKey, definition: definition, createdAt: time, updatedAt: time)
            tables.customFields[id] = field
            try tables.writeAuditEvents([audit.event(.customFieldCreate, tenantID: tenantID, detail: Self.auditName(field))])
            return field
        }
    }

    package func customFields(tenantID: Int64, model: String?) -> [CustomField] {
        tables.customFields.values
            .filter { field in field.tenantID == tenantID && (model.map { field.definition.model == $0 } ?? true) }
            .sorted { ($0.definition.position, $0.createdAt, $0.id) < ($1.definition.position, $1.createdAt, $1.id) }
    }

    package func customField(tenantID: Int64, id: String) -> CustomField? {
        tables.customFields[id].flatMap { $0.tenantID == tenantID ? $0 : nil }
    }

    package func updateCustomField(tenantID: Int64, id: String, definition: CustomFieldDefinition, audit: AuditContext) throws -> CustomField? {
        try transaction { tables in
            guard var field = tables.customFields[id], field.tenantID == tenantID else { return nil }
            // The data type is fixed when a field is made.
            var changed = definition
            changed.dataType = field.definition.dataType
            field.definition = changed
            field.updatedAt = audit.time.roundedToMilliseconds
            tables.customFields[id] = field
            try tables.writeAuditEvents([audit.event(.customFieldUpdate, tenantID: tenantID, detail: Self.auditName(field))])
            return field
        }
    }

    package func deleteCustomField(tenantID: Int64, id: String, audit: AuditContext) throws -> Bool {
        try transaction { tables in
            guard let field = tables.customFields[id], field.tenantID == tenantID else { return false }
            tables.customFields[id] = nil
            try tables.writeAuditEvents([audit.event(.customFieldDelete, tenantID: tenantID, detail: Self.auditName(field))])
            return true
        }
    }

    private static func auditName(_ field: CustomField) -> String {
        "field \(field.id) '\(field.definition.name)'"
    }
}
