/// The staged files of one upload request, handed to ``AttacheService/storeFiles(_:_:linkTo:)`` or
/// discarded, exactly once.
///
/// Every receive path (multipart, raw body, JSON) appends to a batch as each file completes. Storing
/// settles the batch; so does ``discard()``. A batch that is dropped unsettled (a bug, or a task that
/// ended in between) discards its staged copies itself, so nothing staged outlives its request.
public actor UploadBatch {
    /// One staged file and the form field it arrived in (empty for a raw or JSON body).
    public struct Item: Sendable, Hashable {
        public var fieldName: String
        public var upload: CompletedUpload

        public init(fieldName: String, upload: CompletedUpload) {
            self.fieldName = fieldName
            self.upload = upload
        }
    }

    private let blobs: any BlobStore
    private var entries: [Item] = []
    private var settled = false

    init(blobs: any BlobStore) {
        self.blobs = blobs
    }

    /// The staged files, in the order they arrived.
    public var items: [Item] { entries }

    public var isEmpty: Bool { entries.isEmpty }

    /// Adds a completed file. A batch that is already settled discards it at once.
    public func append(_ item: Item) async {
        guard !settled else {
            await blobs.discard(all: [item.upload.staged])
            return
        }
        entries.append(item)
    }

    /// Drops every staged file. Safe to call more than once, and after the batch was stored.
    public func discard() async {
        guard !settled else { return }
        settled = true
        await blobs.discard(all: entries.map(\.upload.staged))
    }

    /// Settles the batch for storing. - Throws: `internal` when it was settled already.
    func take() throws(AttacheError) -> [Item] {
        guard !settled else {
            throw AttacheError(.internal, "An upload batch was stored or discarded twice.")
        }
        settled = true
        return entries
    }

    deinit {
        guard !settled, !entries.isEmpty else { return }
        let staged = entries.map(\.upload.staged)
        let blobs = blobs
        Task { await blobs.discard(all: staged) }
    }
}
