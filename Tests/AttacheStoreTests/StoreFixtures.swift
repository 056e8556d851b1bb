import AttacheCore
import AttacheDiskStore
import AttacheSQL
import AttacheSQLite
import Foundation
import Logging

/// The metadata store implementations the contract suite runs against.
enum MetadataStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite

    var testDescription: String { rawValue }

    /// A fresh, migrated, empty store, and how to dispose of it.
    func make() async throws -> (store: any MetadataStore, cleanup: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let folder = try TemporaryFolder()
            let store = try await SQLMetadataStore.sqlite(path: folder.url.appendingPathComponent("meta.sqlite").path, logger: Logger(label: "test"))
            return (store, {
                await store.shutdown()
                folder.remove()
            })
        }
    }
}

/// The blob store implementations the contract suite runs against.
enum BlobStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case disk

    var testDescription: String { rawValue }

    func make() async throws -> (store: any BlobStore, cleanup: @Sendable () async -> Void) {
        switch self {
        case .disk:
            let folder = try TemporaryFolder()
            let store = try await DiskBlobStore(root: folder.url.path)
            return (store, { folder.remove() })
        }
    }
}

struct TemporaryFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("attache-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Records which blob callbacks a store made.
actor BlobCallLog {
    private(set) var calls: [BlobAddress] = []

    func record(_ address: BlobAddress) {
        calls.append(address)
    }

    nonisolated var action: BlobAction {
        { address in await self.record(address) }
    }
}

import Testing
