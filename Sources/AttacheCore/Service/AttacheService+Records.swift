public import Foundation

extension AttacheService {
    /// Creates a record. - Throws: `conflict` when the external identifier is taken for that type.
    public func createRecord(
        _ principal: Principal,
        type: RecordType,
        externalIdentifier: String?,
        title: String?
    ) async throws -> Record {
        try principal.require(.write)
        let externalIdentifier = try validatedIdentifier(externalIdentifier)
        if let externalIdentifier,
            try await !metadata.records(
                tenantID: principal.tenant.id,
                matching: RecordQuery(type: type, externalIdentifier: externalIdentifier),
                page: PageRequest(limit: 1)
            ).items.isEmpty
        {
            throw AttacheError(.conflict, "A \(type.rawValue) with externalIdentifier '\(externalIdentifier)' already exists.", field: "externalIdentifier")
        }
        return try await metadata.createRecord(tenantID: principal.tenant.id, type: type, externalIdentifier: externalIdentifier, title: title, audit: principal.auditContext())
    }

    /// The record with this uuid. - Throws: `notFound` (also for another tenant's record).
    public func record(_ principal: Principal, uuid: UUID) async throws -> Record {
        guard let record = try await metadata.record(tenantID: principal.tenant.id, uuid: uuid) else {
            throw AttacheError(.notFound, "There is no record \(uuid.lowercasedText).")
        }
        return record
    }

    /// The record with this numeric id. - Throws: `notFound`.
    public func record(_ principal: Principal, id: Int64) async throws -> Record {
        guard let record = try await metadata.record(tenantID: principal.tenant.id, id: id) else {
            throw AttacheError(.notFound, "There is no record \(id).")
        }
        return record
    }

    public func records(_ principal: Principal, matching query: RecordQuery, page: PageRequest) async throws -> Page<Record> {
        try await metadata.records(tenantID: principal.tenant.id, matching: query, page: page)
    }

    /// Updates a record's title and/or external identifier (a double optional clears when the inner value
    /// is nil), and its legal hold.
    public func updateRecord(_ principal: Principal, uuid: UUID, title: String??, externalIdentifier: String??, legalHold: Bool? = nil) async throws -> Record {
        try principal.require(.write)
        let current = try await record(principal, uuid: uuid)
        if case .some(.some(let identifier)) = externalIdentifier {
            _ = try validatedIdentifier(identifier)
            let clash = try await metadata.records(
                tenantID: principal.tenant.id,
                matching: RecordQuery(type: current.type, externalIdentifier: identifier),
                page: PageRequest(limit: 1)
            ).items.first
            if let clash, clash.id != current.id {
                throw AttacheError(.conflict, "A \(current.type.rawValue) with externalIdentifier '\(identifier)' already exists.", field: "externalIdentifier")
            }
        }
        guard let updated = try await metadata.updateRecord(
            tenantID: principal.tenant.id, uuid: uuid, title: title, externalIdentifier: externalIdentifier, legalHold: legalHold, audit: principal.auditContext()
        ) else {
            throw AttacheError(.notFound, "There is no record \(uuid.lowercasedText).")
        }
        return updated
    }

    /// Deletes a record with its attachments; files left without a link are deleted too.
    public func deleteRecord(_ principal: Principal, uuid: UUID) async throws {
        try principal.require(.write)
        guard try await metadata.deleteRecord(tenantID: principal.tenant.id, uuid: uuid, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no record \(uuid.lowercasedText).")
        }
    }

    private func validatedIdentifier(_ identifier: String?) throws(AttacheError) -> String? {
        guard let identifier else { return nil }
        guard !identifier.isEmpty, identifier.unicodeScalars.count <= 255 else {
            throw AttacheError(.invalidInput, "externalIdentifier must be 1-255 characters.", field: "externalIdentifier")
        }
        return identifier
    }
}
