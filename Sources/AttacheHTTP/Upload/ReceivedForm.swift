import AttacheCore

/// Everything a multipart upload request carried: staged files and text fields.
struct ReceivedForm {
    /// A staged file and the form field it came in.
    struct File {
        var fieldName: String
        var upload: CompletedUpload
    }

    var files: [File] = []
    /// Text fields by name; when a name repeats, the last value wins.
    var fields: [String: String] = [:]

    /// The staged uploads, in the order they arrived.
    var uploads: [CompletedUpload] { files.map(\.upload) }

    /// Drops every staged file (the request failed before they were stored).
    func discard(using service: AttacheService) async {
        await service.discard(uploads)
    }

    /// The first file sent as `field`; every other staged file is dropped.
    /// - Throws: `error` (after dropping everything) when there is none.
    func single(_ field: String, using service: AttacheService, orThrow error: AttacheError) async throws -> CompletedUpload {
        let chosen = files.first { $0.fieldName == field }?.upload
        await service.discard(uploads.filter { $0 != chosen })
        guard let chosen else { throw error }
        return chosen
    }
}
