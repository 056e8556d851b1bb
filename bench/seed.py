#!/usr/bin/env python3
"""Seeds an Attache SQLite database with a large data set through SQL (not the API), fast.

Adds RECORDS contact records of PER_RECORD attachments each, every attachment a file of its own that
shares one stored blob (the metadata benchmarks never read content), plus one record with 50
attachments for the list benchmark. Prints the uuid of that record and of one attachment.
The database must exist and be migrated (run any `attache` command on the data folder first).
Usage: bench/seed.py DATA_FOLDER TENANT_SLUG [records] [attachments per record]
"""
import sqlite3
import sys
import time

data, slug = sys.argv[1], sys.argv[2]
records = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
per_record = int(sys.argv[4]) if len(sys.argv) > 4 else 10
now = int(time.time() * 1000)
sha = "ab" * 32
uuid = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"

db = sqlite3.connect(f"{data}/attache.sqlite")
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = OFF")
(tenant,) = db.execute("SELECT id FROM tenants WHERE slug = ?", (slug,)).fetchone()
(base,) = db.execute("SELECT next_reference FROM tenants WHERE id = ?", (tenant,)).fetchone()
with db:
    db.execute("INSERT OR IGNORE INTO blobs (tenant_id, sha256, size, created_at, generation, state) VALUES (?, ?, 12, ?, 1, 'stored')",
               (tenant, sha, now))
    first_record = (db.execute("SELECT COALESCE(MAX(id), 0) FROM records").fetchone()[0]) + 1
    db.execute(f"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO records (id, uuid, tenant_id, type, reference, external_identifier, title, created_at, updated_at)
        SELECT ? + i, {uuid}, ?, 'contact', CAST(? + i AS TEXT), 'seed-' || (? + i), 'Seeded ' || i, ?, ? FROM n""",
               (records, first_record, tenant, base, base, now, now))
    first_file = (db.execute("SELECT COALESCE(MAX(id), 0) FROM files").fetchone()[0]) + 1
    total = records * per_record + 50
    db.execute(f"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
        INSERT INTO files (id, uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at)
        SELECT ? + i, {uuid}, ?, 'seed-' || i || '.txt', 12, 'text/plain', 'Document', ?, ?, ? FROM n""",
               (total, first_file, tenant, sha, now, now))
    # Record k (0-based) of the seeded ones gets files k*per_record …; the extra record (the last) gets 50.
    db.execute(f"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
        INSERT INTO attachments (uuid, tenant_id, record_id, file_id, description, created_at, updated_at)
        SELECT {uuid}, ?, ? + MIN(i / ?, ?), ? + i, NULL, ?, ? FROM n""",
               (total, tenant, first_record, per_record, records, first_file, now, now))
    db.execute("UPDATE tenants SET next_reference = ? WHERE id = ?", (base + records + 1, tenant))
    # Numbered as the server numbers a tenant's rows (NumberedTable): the row's id, counters above them.
    for table, counter in (("records", "next_record_number"), ("files", "next_file_number"), ("attachments", "next_attachment_number")):
        db.execute(f"UPDATE {table} SET number = id WHERE tenant_id = ? AND number IS NULL", (tenant,))
        db.execute(f"UPDATE tenants SET {counter} = (SELECT COALESCE(MAX(number), 0) + 1 FROM {table} WHERE tenant_id = ?) WHERE id = ?",
                   (tenant, tenant))
(big_record,) = db.execute("SELECT uuid FROM records WHERE id = ?", (first_record + records,)).fetchone()
(one,) = db.execute("SELECT uuid FROM attachments WHERE record_id = ? LIMIT 1", (first_record + records // 2,)).fetchone()
(count,) = db.execute("SELECT COUNT(*) FROM attachments").fetchone()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(big_record, one, count)
