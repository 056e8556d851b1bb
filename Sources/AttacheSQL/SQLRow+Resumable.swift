import AttacheCore
import Foundation
import SQLKit

/// Resumable uploads and their parts as `resumable_uploads` and `resumable_parts` rows hold them.
extension SQLRow {
    func resumableUpload() throws -> ResumableUpload {
        var upload = ResumableUpload(
            id: try uuid("id"),
            tenantID: try int64("tenant_id"),
            length: try optionalInt64("length"),
            offset: try int64("received"),
            metadata: try optionalString("metadata"),
            fileName: try string("file_name"),
            description: try optionalString("description"),
            recordUUID: try optionalString("record_uuid").flatMap(UUID.init(text:)),
            concatenation: try concatenation(),
            createdAt: try date("created_at"),
            expiresAt: try date("expires_at"),
            state: try enumValue("state", as: ResumableUpload.State.self),
            fileID: try optionalInt64("file_id"),
            attachmentUUID: try optionalString("attachment_uuid").flatMap(UUID.init(text:)),
            failure: try optionalString("failure"),
            dropShare: try optionalString("drop_share").flatMap(UUID.init(text:)),
            newVersionOf: try optionalString("version_of").flatMap(UUID.init(text:)).map {
                VersionPrecondition(attachmentUUID: $0, currentSHA256: try optionalString("version_sha256") ?? "")
            }
        )
        upload.category = try optionalString("category")
        upload.tags = AttachmentTags.list(commaSeparated: try optionalString("tags"))
        return upload
    }

    func resumablePart() throws -> ResumablePart {
        ResumablePart(offset: try int64("part_offset"), staged: StagedBlob(stagingKey: try string("staging_key"), size: try int64("size")))
    }

    private func concatenation() throws -> ResumableUpload.Concatenation? {
        guard let text = try optionalString("concat") else { return nil }
        if text == "partial" { return .partial }
        guard text.hasPrefix("final:") else { throw SQLStoreError.corruptRow(column: "concat") }
        let parts = text.dropFirst(6).split(separator: " ").compactMap { UUID(text: String($0)) }
        return .final(parts)
    }
}
