package import AttacheCore
package import Foundation

/// Files, attachments and scan results (``CatalogueStore``).
extension InMemoryMetadataStore {
    typealias RowKey = InMemoryTables.RowKey

    package func insertFiles(
        _ files: [NewFile], tenantID: Int64, link: AttachmentLink?, claims: [BlobAddress: BlobClaim], completing resumableUploadID: UUID?,
        audit: AuditContext
    ) throws -> [(StoredFile, Attachment?)] {
        try transaction { tables in
            let record = try link.map { try tables.record($0.recordID, tenantID: tenantID) }
            if let category = link?.category { try tables.requireCategory(category, tenantID: tenantID) }
            let needed = Set(files.map { BlobAddress(tenantID: tenantID, sha256: $0.sha256) })
            guard needed.isSubset(of: claims.keys) else { throw InMemoryStoreError.unclaimedContent }
            if let link, link.newVersions.count > files.count {
                throw AttacheError(.invalidInput, "\(link.newVersions.count) new versions were named for \(files.count) file(s).", field: "file")
            }
            for address in needed.sorted(by: { $0.sha256 < $1.sha256 }) {
                guard let claim = claims[address], var blob = tables.blobs[address], blob.state != .deleting, blob.generation == claim.generation else {
                    throw BlobLifecycleError.claimLost(address)
                }
                blob.state = .stored
                blob.releasedAt = nil
                tables.blobs[address] = blob
            }
            for file in files {
                let address = BlobAddress(tenantID: tenantID, sha256: file.sha256)
                if let crc32 = file.crc32, tables.blobs[address]?.crc32 == nil { tables.blobs[address]?.crc32 = crc32 }
            }
            let time = audit.time.roundedToMilliseconds
            var stored: [(StoredFile, Attachment?)] = []
            var events: [AuditEvent] = []
            for (index, new) in files.enumerated() {
                guard !tables.files.values.contains(where: { $0.uuid == new.uuid }) else { throw InMemoryStoreError.constraint("files.uuid") }
                let number = try tables.nextNumber(.files, tenantID: tenantID)
                let file = StoredFile(
                    id: number, uuid: new.uuid, tenantID: tenantID, name: new.name, size: new.size, mimeType: new.mimeType, kind: new.kind,
                    sha256: new.sha256, createdAt: time, updatedAt: time, scan: new.scanned ? .clean : .unscanned
                )
                tables.files[RowKey(tenantID: tenantID, number: number)] = file
                tables.queueDerivations(BlobAddress(tenantID: tenantID, sha256: new.sha256), mimeType: new.mimeType, again: false, at: time)
                var attachment: Attachment?
                if let link, index < link.newVersions.count, let precondition = link.newVersions[index], let record {
                    let version = try tables.makeVersion(precondition, fileID: number, tenantID: tenantID, author: audit.actor.text, at: time)
                    if index < link.slots.count, let slot = link.slots[index],
                        let key = tables.attachments.first(where: { $0.value.uuid == precondition.attachmentUUID })?.key
                    {
                        tables.attachments[key]?.slot = slot
                    }
                    stored.append((file, tables.attachments.values.first { $0.uuid == precondition.attachmentUUID }))
                    events += [
                        audit.event(.fileUpload, tenantID: tenantID, recordUUID: record.uuid, fileID: file.id, fileName: file.name, size: file.size),
                        audit.event(
                            .versionCreate, tenantID: tenantID, recordUUID: record.uuid, fileID: file.id, fileName: file.name,
                            attachmentUUID: precondition.attachmentUUID, size: file.size, detail: "version \(version)"
                        ),
                    ]
                    continue
                }
                if let link, let record {
                    let slot = index < link.slots.count ? link.slots[index] : nil
                    attachment = try tables.insertAttachment(
                        fileID: number, recordID: record.id, tenantID: tenantID, description: link.description, slot: slot, labels: link, at: time
                    ).0
                }
                stored.append((file, attachment))
                events.append(audit.event(
                    .fileUpload, tenantID: tenantID, recordUUID: record?.uuid, fileID: file.id, fileName: file.name, attachmentUUID: attachment?.uuid,
                    size: file.size
                ))
            }
            if let resumableUploadID, let (file, attachment) = stored.first {
                guard var row = tables.resumableUploads[resumableUploadID], row.upload.tenantID == tenantID, row.upload.state == .receiving else {
                    throw AttacheError(.uploadGone, "The upload \(resumableUploadID.lowercasedText) is no longer receiving.")
                }
                row.upload.state = .complete
                row.upload.fileID = file.id
                row.upload.attachmentUUID = attachment?.uuid
                row.unlock()
                row.parts = []
                tables.resumableUploads[resumableUploadID] = row
            }
            if let drop = link?.dropShare {
                let (files, bytes) = (Int64(files.count), files.reduce(0) { $0 + $1.size })
                guard var row = tables.shares[drop], row.share.kind == .upload, row.share.isLive(at: audit.time),
                    row.share.filesLeft.map({ files <= $0 }) ?? true, row.share.bytesLeft.map({ bytes <= $0 }) ?? true
                else { throw Share.dropRefusal(tables.shares[drop]?.share, files: files, bytes: bytes, at: audit.time) }
                row.share.filesReceived += files
                row.share.bytesReceived += bytes
                tables.shares[drop] = row
            }
            let usage = try tables.usage(tenantID: tenantID)
            if !usage.quota.isUnlimited, let refusal = QuotaRefusal.passed(by: usage, bytes: 0, files: 0) {
                throw AttacheError.quotaExceeded(refusal)
            }
            try tables.writeAuditEvents(events)
            return stored
        }
    }

    package func file(tenantID: Int64, id: Int64) -> StoredFile? {
        tables.files[RowKey(tenantID: tenantID, number: id)]
    }

    package func files(tenantID: Int64, ids: [Int64]) -> [StoredFile] {
        Set(ids).compactMap { tables.files[RowKey(tenantID: tenantID, number: $0)] }.sorted { $0.id < $1.id }
    }

    package func files(tenantID: Int64, unlinkedOnly: Bool, page: PageRequest) -> Page<StoredFile> {
        let mine = tables.attachments.values.filter { $0.tenantID == tenantID }
        let linked = Set(mine.map(\.fileID) + mine.flatMap { (tables.earlierVersions[$0.uuid] ?? []).map(\.fileID) })
        let matching = tables.files.values.filter { $0.tenantID == tenantID && !(unlinkedOnly && linked.contains($0.id)) }
        return InMemoryTables.page(matching, page: page, number: \.id)
    }

    package func deleteFile(tenantID: Int64, id: Int64, audit: AuditContext) throws -> StoredFile? {
        try transaction { tables in
            let key = RowKey(tenantID: tenantID, number: id)
            guard tables.files[key] != nil else { return nil }
            // The file goes from every version that names it.
            for uuid in Set(tables.attachments.values.filter { $0.tenantID == tenantID }.map(\.uuid)) {
                tables.earlierVersions[uuid]?.removeAll { $0.fileID == id }
            }
            let showing = tables.attachments.values.filter { $0.tenantID == tenantID && $0.fileID == id }.map(\.uuid)
            let versionFiles = tables.removeVersions(of: showing)
            tables.attachments = tables.attachments.filter { !($0.value.tenantID == tenantID && $0.value.fileID == id) }
            guard let file = tables.deleteFileRow(key, at: audit.time) else { return nil }
            var events = [audit.event(.fileDelete, tenantID: tenantID, fileID: file.id, fileName: file.name, size: file.size)]
            for versionFile in Set(versionFiles).subtracting([id]).sorted() {
                if let removed = tables.deleteFileIfUnlinked(RowKey(tenantID: tenantID, number: versionFile), at: audit.time) {
                    events.append(audit.event(.fileDelete, tenantID: tenantID, fileID: removed.id, fileName: removed.name, size: removed.size))
                }
            }
            try tables.writeAuditEvents(events)
            return file
        }
    }

    package func attach(fileIDs: [Int64], tenantID: Int64, link: AttachmentLink, audit: AuditContext) throws -> [AttachedFile] {
        try transaction { tables in
            var seen: Set<Int64> = []
            let wanted = fileIDs.filter { seen.insert($0).inserted }
            let record = try tables.record(link.recordID, tenantID: tenantID)
            if let category = link.category { try tables.requireCategory(category, tenantID: tenantID) }
            let missing = wanted.filter { tables.files[RowKey(tenantID: tenantID, number: $0)] == nil }.sorted()
            guard missing.isEmpty else {
                throw AttacheError(.notFound, "There is no file " + missing.map(String.init).joined(separator: ", ") + ".", field: "fileIds")
            }
            var events: [AuditEvent] = []
            var attached: [Int64: AttachedFile] = [:]
            for fileID in wanted {
                let (attachment, created) = try tables.insertAttachment(
                    fileID: fileID, recordID: record.id, tenantID: tenantID, description: link.description, slot: nil, labels: link,
                    at: audit.time.roundedToMilliseconds
                )
                guard let linked = tables.attachedFile(attachment) else { continue }
                if created {
                    events.append(audit.event(
                        .attachmentCreate, tenantID: tenantID, recordUUID: record.uuid, fileID: fileID, fileName: linked.file.name,
                        attachmentUUID: attachment.uuid
                    ))
                }
                attached[fileID] = linked
            }
            try tables.writeAuditEvents(events)
            return fileIDs.compactMap { attached[$0] }
        }
    }

    package func attachment(tenantID: Int64, uuid: UUID) -> AttachedFile? {
        tables.attachments.values.first { $0.tenantID == tenantID && $0.uuid == uuid }.flatMap(tables.attachedFile)
    }

    package func attachments(tenantID: Int64, recordID: Int64, page: PageRequest, labels: AttachmentLabelFilter) -> Page<AttachedFile> {
        var ascending = page
        ascending.newestFirst = false
        let matching = tables.attachments.values.filter { $0.tenantID == tenantID && $0.recordID == recordID && labels.matches($0) }
            .compactMap(tables.attachedFile)
        return InMemoryTables.page(matching, page: ascending, number: \.attachment.id)
    }

    package func updateAttachment(tenantID: Int64, uuid: UUID, change: AttachmentChange, audit: AuditContext) throws -> AttachedFile? {
        let (description, fileName, recordID) = (change.description, change.fileName, change.recordID)
        return try transaction { tables in
            guard let (key, current) = tables.attachments.first(where: { $0.value.tenantID == tenantID && $0.value.uuid == uuid }).map({ ($0.key, $0.value) }),
                let before = tables.attachedFile(current)
            else { return nil }
            let time = audit.time.roundedToMilliseconds
            var attachment = current
            if let category = change.category {
                if let category { try tables.requireCategory(category, tenantID: tenantID) }
                attachment.category = category
                attachment.updatedAt = time
            }
            if let tags = change.tags {
                attachment.tags = tags
                attachment.updatedAt = time
            }
            if let expiresOn = change.expiresOn {
                attachment.expiresOn = expiresOn?.roundedToMilliseconds
                attachment.updatedAt = time
            }
            if let legalHold = change.legalHold {
                attachment.legalHold = legalHold
                attachment.updatedAt = time
            }
            if let description {
                attachment.description = description
                attachment.updatedAt = time
            }
            if let fileName {
                let fileKey = RowKey(tenantID: tenantID, number: current.fileID)
                tables.files[fileKey]?.name = fileName
                tables.files[fileKey]?.updatedAt = time
                attachment.updatedAt = time
            }
            var moved: UUID?
            if let recordID, recordID != current.recordID {
                let target = try tables.record(recordID, tenantID: tenantID)
                guard !tables.attachments.values.contains(where: { $0.tenantID == tenantID && $0.recordID == recordID && $0.fileID == current.fileID }) else {
                    throw AttacheError(.conflict, "The record \(target.uuid.lowercasedText) has this file attached already.", field: "record")
                }
                attachment.recordID = recordID
                attachment.updatedAt = time
                moved = target.uuid
            }
            tables.attachments[key] = attachment
            let detail = [
                fileName.map { _ in "renamed from '\(before.file.name)'" },
                moved.map { _ in "moved from record \(before.record.uuid.lowercasedText)" },
                change.category.map { "category \($0 ?? "none")" },
                change.tags.map { "tags \($0.joined(separator: ", "))" },
                change.legalHold.map { $0 ? "legal hold on" : "legal hold off" },
            ].compactMap { $0 }.joined(separator: "; ")
            try tables.writeAuditEvents([audit.event(
                .attachmentUpdate, tenantID: tenantID, recordUUID: moved ?? before.record.uuid, fileID: before.file.id,
                fileName: fileName ?? before.file.name, attachmentUUID: uuid, detail: detail.isEmpty ? nil : detail
            )])
            return tables.attachedFile(attachment)
        }
    }

    package func deleteAttachment(tenantID: Int64, uuid: UUID, audit: AuditContext) throws -> AttachedFile? {
        try transaction { tables in
            try tables.removeAttachment(uuid: uuid, tenantID: tenantID, audit: audit, detail: nil)
        }
    }

    package func attachments(tenantID: Int64, matching query: AttachmentQuery, offset: Int, limit: Int) -> CountedPage<AttachedFile> {
        let matching = tables.attachments.values
            .filter { $0.tenantID == tenantID && (query.uuids.isEmpty || query.uuids.contains($0.uuid)) }
            .compactMap(tables.attachedFile)
            .filter { (query.recordUUIDs.isEmpty || query.recordUUIDs.contains($0.record.uuid)) && (query.recordTypes.isEmpty || query.recordTypes.contains($0.record.type)) }
            .sorted { $0.attachment.id < $1.attachment.id }
        return CountedPage(items: Array(matching.dropFirst(max(offset, 0)).prefix(max(limit, 0))), total: matching.count)
    }

    package func filesHolding(_ address: BlobAddress) -> [FileLinks] {
        tables.files.values
            .filter { $0.tenantID == address.tenantID && $0.sha256 == address.sha256 }
            .sorted { $0.id < $1.id }
            .map { file in
                let links = tables.attachments.values
                    .filter { $0.tenantID == file.tenantID && $0.fileID == file.id }
                    .sorted { $0.id < $1.id }
                    .compactMap { attachment in
                        tables.records[RowKey(tenantID: file.tenantID, number: attachment.recordID)].map {
                            FileLinks.Link(attachmentUUID: attachment.uuid, recordUUID: $0.uuid)
                        }
                    }
                return FileLinks(fileID: file.id, name: file.name, attachments: links)
            }
    }

    package func setScanStatus(_ status: ScanStatus, of address: BlobAddress, audit: AuditContext) throws -> Int {
        try transaction { tables in
            let keys = tables.files.filter { $0.value.tenantID == address.tenantID && $0.value.sha256 == address.sha256 }.keys.sorted()
            let found = status.quarantineDetail
            var events: [AuditEvent] = []
            for key in keys {
                guard var file = tables.files[key] else { continue }
                file.scan = status
                tables.files[key] = file
                if let found {
                    events.append(audit.event(.fileQuarantine, tenantID: address.tenantID, fileID: file.id, fileName: file.name, size: file.size, detail: found))
                }
            }
            try tables.writeAuditEvents(events)
            if status.isQuarantined {
                for (key, row) in tables.derivationJobs where key.address == address && (row.state == .queued || row.state == .running) {
                    tables.derivationJobs[key]?.state = .failed
                    tables.derivationJobs[key]?.reason = DerivationFailure.quarantined.reason
                    tables.derivationJobs[key]?.holder = nil
                    tables.derivationJobs[key]?.leaseEnd = nil
                }
            }
            return keys.count
        }
    }

    package func clearDamage(of address: BlobAddress) -> Int {
        var cleared = 0
        for (key, file) in tables.files where file.tenantID == address.tenantID && file.sha256 == address.sha256 {
            if case .damaged = file.scan {
                tables.files[key]?.scan = .unscanned
                cleared += 1
            }
        }
        if cleared > 0 {
            for (key, row) in tables.derivationJobs where key.address == address && row.state == .failed && row.reason == DerivationFailure.quarantined.reason {
                tables.derivationJobs[key]?.state = .queued
                tables.derivationJobs[key]?.attempts = 0
                tables.derivationJobs[key]?.runAfter = Date().roundedToMilliseconds
                tables.derivationJobs[key]?.reason = nil
            }
        }
        return cleared
    }
}
