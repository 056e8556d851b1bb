#!/usr/bin/env bash
# Seeds an Attache PostgreSQL database as bench/seed.py seeds SQLite: RECORDS contact records of
# PER_RECORD attachments each (every attachment a file of its own sharing one blob), plus one record
# with 50 attachments. Prints the uuid of that record, of one attachment, and the attachment count.
# The database must be migrated (run any `attache` command with --database-url first).
# Usage: bench/seed-postgres.sh DATABASE_URL TENANT_SLUG [records] [attachments per record]
set -euo pipefail
URL=$1 SLUG=$2 RECORDS=${3:-100000} PER=${4:-10}
psql -q -X -v ON_ERROR_STOP=1 "$URL" -v slug="$SLUG" -v records="$RECORDS" -v per="$PER" -v now="$(($(date +%s) * 1000))" <<'SQL' | tail -n 1
\pset tuples_only on
\pset format unaligned
\pset fieldsep ' '
SELECT id AS tenant, next_reference AS base FROM tenants WHERE slug = :'slug' \gset
INSERT INTO blobs (tenant_id, sha256, size, created_at, generation, state)
VALUES (:tenant, repeat('ab', 32), 12, :now, 1, 'stored') ON CONFLICT DO NOTHING;
WITH r AS (
    INSERT INTO records (uuid, tenant_id, type, reference, external_identifier, title, created_at, updated_at)
    SELECT gen_random_uuid()::text, :tenant, 'contact', (:base + i)::text, 'seed-' || (:base + i), 'Seeded ' || i, :now, :now
    FROM generate_series(0, :records) AS i ORDER BY i RETURNING id
) SELECT min(id) AS first_record FROM r \gset
WITH f AS (
    INSERT INTO files (uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at)
    SELECT gen_random_uuid()::text, :tenant, 'seed-' || i || '.txt', 12, 'text/plain', 'Document', repeat('ab', 32), :now, :now
    FROM generate_series(0, :records * :per + 49) AS i ORDER BY i RETURNING id
) SELECT min(id) AS first_file FROM f \gset
-- Record k (0-based) gets files k*per …; the extra record (the last) gets 50. Ids of one INSERT … SELECT
-- come from the sequence in order, so offsets from the first id address them.
INSERT INTO attachments (uuid, tenant_id, record_id, file_id, description, created_at, updated_at)
SELECT gen_random_uuid()::text, :tenant, :first_record + least(i / :per, :records), :first_file + i, NULL, :now, :now
FROM generate_series(0, :records * :per + 49) AS i;
UPDATE tenants SET next_reference = :base + :records + 1 WHERE id = :tenant;
-- Numbered as the server numbers a tenant's rows (NumberedTable): the row's id, the sequences above them.
UPDATE records SET number = id WHERE tenant_id = :tenant AND number IS NULL;
UPDATE files SET number = id WHERE tenant_id = :tenant AND number IS NULL;
UPDATE attachments SET number = id WHERE tenant_id = :tenant AND number IS NULL;
SELECT setval('records_numbers_' || :tenant, (SELECT max(number) FROM records WHERE tenant_id = :tenant)) \gset
SELECT setval('files_numbers_' || :tenant, (SELECT max(number) FROM files WHERE tenant_id = :tenant)) \gset
SELECT setval('attachments_numbers_' || :tenant, (SELECT max(number) FROM attachments WHERE tenant_id = :tenant)) \gset
ANALYZE;
SELECT (SELECT uuid FROM records WHERE id = :first_record + :records),
       (SELECT uuid FROM attachments WHERE record_id = :first_record + :records / 2 LIMIT 1),
       (SELECT count(*) FROM attachments);
SQL
