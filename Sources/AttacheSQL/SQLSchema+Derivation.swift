/// Derived work (``AttacheCore/DerivationStore``): one job per content and kind, the text read from
/// content, its preview images (one row per size, naming the image's own content in the same tenant),
/// and where each rebuild stands.
///
/// A job is `queued` (due from `run_after`), `running` (held by `holder` until `lease_end`), `done` or
/// `failed` (for good, with its `reason`). Its content is a tenant's blob; the job, the text and the
/// image rows go with it, and an image's content is collected once no row names it.
extension SQLSchema {
    static func derivedWork(_ flavor: SQLFlavor) -> [String] {
        let id = flavor == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE derivation_jobs (
                id \(id), tenant_id BIGINT NOT NULL, sha256 TEXT NOT NULL, kind TEXT NOT NULL, mime_type TEXT NOT NULL,
                state TEXT NOT NULL, attempts BIGINT NOT NULL, run_after BIGINT NOT NULL, holder TEXT, lease_end BIGINT,
                reason TEXT, created_at BIGINT NOT NULL, finished_at BIGINT,
                UNIQUE (tenant_id, sha256, kind))
            """,
            "CREATE INDEX derivation_jobs_queued ON derivation_jobs (run_after, id) WHERE state = 'queued'",
            "CREATE INDEX derivation_jobs_running ON derivation_jobs (lease_end, id) WHERE state = 'running'",
            """
            CREATE TABLE derived_texts (
                tenant_id BIGINT NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL, text TEXT NOT NULL,
                created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, sha256))
            """,
            """
            CREATE TABLE derived_images (
                tenant_id BIGINT NOT NULL, sha256 TEXT NOT NULL, size TEXT NOT NULL, image_sha256 TEXT NOT NULL,
                media_type TEXT NOT NULL, bytes BIGINT NOT NULL, width BIGINT NOT NULL, height BIGINT NOT NULL,
                created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, sha256, size))
            """,
            "CREATE INDEX derived_images_by_image ON derived_images (tenant_id, image_sha256)",
            """
            CREATE TABLE derivation_rebuilds (
                scope TEXT PRIMARY KEY, tenant_id BIGINT, sha256 TEXT, updated_at BIGINT NOT NULL)
            """,
        ]
    }
}
