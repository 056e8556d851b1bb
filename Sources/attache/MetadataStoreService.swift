import AttacheSQL
import ServiceLifecycle

/// The metadata store as a service of `serve`'s `ServiceGroup`. The store is opened (and migrated)
/// before the group starts; as the group's first service it stops last — after the HTTP server has
/// drained and the background loops have ended — and closes the store then (PostgreSQL: its
/// connection pool). Until then it runs the store's background work: a pool that stops while the
/// server runs stops the server with that reason, instead of leaving every request to fail.
struct MetadataStoreService: Service, CustomStringConvertible {
    let store: SQLMetadataStore
    var description: String { "metadata store" }

    func run() async throws {
        await cancelWhenGracefulShutdown { await store.run() }
        let stopping = Task.isCancelled || Task.isShuttingDownGracefully
        await store.shutdown()
        guard stopping else { throw BackgroundLoop.Ended(loop: "database connection pool") }
    }
}
