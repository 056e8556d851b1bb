#!/usr/bin/env python3
"""Seeds an Attache database with DOCS documents whose text is generated here, for bench/search.sh.

Each document is a PDF file of its own content (a distinct sha256) with about 150 words of text in
`derived_texts`, as a text job would have read it: words from a vocabulary of 20,000 made-up words
drawn with Zipf's law, and now and then words of the trade (lease, boiler, Jansen, …). Ten documents
per property record. Rows go in through SQL in the order the server's own writes would make them
(records, blobs, files, text, attachments), so the search index's triggers index each attachment with its text.
The database must exist and be migrated (run any `attache` command on it first).
Prints the uuid of one record (for the reference list of the same run).
Usage: bench/seed-search.py sqlite DATA_FOLDER TENANT_SLUG [documents]
       bench/seed-search.py postgres DATABASE_URL TENANT_SLUG [documents]
"""
import io
import random
import sqlite3
import subprocess
import sys
import time
import uuid

engine, target, slug = sys.argv[1], sys.argv[2], sys.argv[3]
documents = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
random.seed(20261206)
now = int(time.time() * 1000)
syllables = ["ka", "to", "ri", "mo", "le", "van", "der", "sen", "ber", "gra", "cht", "hu", "is", "wo", "ning", "op", "dam", "pel", "ster", "lin"]
vocabulary = sorted({"".join(random.choice(syllables) for _ in range(random.randint(2, 4))) for _ in range(40_000)})[:20_000]
random.shuffle(vocabulary)
weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
trade = ["lease", "boiler", "jansen", "inspection", "invoice", "gas", "safety", "certificate", "deposit", "tenant", "meter", "überprüfung"]
records = max(documents // 10, 1)


def text_of(i):
    words = random.choices(vocabulary, weights=weights, k=150)
    for _ in range(random.randint(0, 4)):
        words[random.randrange(len(words))] = random.choice(trade)
    return " ".join(words)


def rows():
    for i in range(documents):
        yield i, f"{i:064x}", f"{random.choice(trade)}-{i}.pdf", text_of(i)


def number_rows_sqlite(db, tenant):
    """Numbers the seeded rows as the server numbers a tenant's rows (NumberedTable): the number is the
    row's id here, and the tenant's counters go on above them."""
    for table, counter in (("records", "next_record_number"), ("files", "next_file_number"), ("attachments", "next_attachment_number")):
        db.execute(f"UPDATE {table} SET number = id WHERE tenant_id = ? AND number IS NULL", (tenant,))
        db.execute(f"UPDATE tenants SET {counter} = (SELECT COALESCE(MAX(number), 0) + 1 FROM {table} WHERE tenant_id = ?) WHERE id = ?",
                   (tenant, tenant))


def number_rows_postgres(psql, tenant):
    for table in ("records", "files", "attachments"):
        psql(f"UPDATE {table} SET number = id WHERE tenant_id = {tenant} AND number IS NULL")
        psql(f"SELECT setval('{table}_numbers_{tenant}', (SELECT max(number) FROM {table} WHERE tenant_id = {tenant}))")


if engine == "sqlite":
    db = sqlite3.connect(f"{target}/attache.sqlite")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    (tenant,) = db.execute("SELECT id FROM tenants WHERE slug = ?", (slug,)).fetchone()
    (base,) = db.execute("SELECT next_reference FROM tenants WHERE id = ?", (tenant,)).fetchone()
    with db:
        first_record = db.execute("SELECT COALESCE(MAX(id), 0) FROM records").fetchone()[0] + 1
        db.executemany(
            "INSERT INTO records (id, uuid, tenant_id, type, reference, title, created_at, updated_at) VALUES (?, ?, ?, 'property', ?, ?, ?, ?)",
            ((first_record + r, str(uuid.uuid4()), tenant, str(base + r), f"Keizersgracht {r}", now, now) for r in range(records)))
        first_file = db.execute("SELECT COALESCE(MAX(id), 0) FROM files").fetchone()[0] + 1
        for i, sha, name, text in rows():
            db.execute("INSERT INTO blobs (tenant_id, sha256, size, created_at, generation, state) VALUES (?, ?, 2048, ?, ?, 'stored')",
                       (tenant, sha, now, i + 1))
            db.execute("INSERT INTO files (id, uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, 2048, 'application/pdf', 'Document', ?, ?, ?)",
                       (first_file + i, str(uuid.uuid4()), tenant, name, sha, now, now))
            db.execute("INSERT INTO derived_texts (tenant_id, sha256, status, text, created_at) VALUES (?, ?, 'extracted', ?, ?)",
                       (tenant, sha, text, now))
            db.execute("INSERT INTO attachments (uuid, tenant_id, record_id, file_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (str(uuid.uuid4()), tenant, first_record + i % records, first_file + i, now, now))
        db.execute("UPDATE tenants SET next_reference = ? WHERE id = ?", (base + records, tenant))
        number_rows_sqlite(db, tenant)
    # What SQLite's automatic checkpoints would have done along the way: the WAL written into the database.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (record,) = db.execute("SELECT uuid FROM records WHERE id = ?", (first_record,)).fetchone()
    print(record)
else:
    def psql(sql, data=None):
        return subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-At", target, "-c", sql], input=data, text=True,
                              check=True, capture_output=True).stdout.strip()
    tenant, base = psql(f"SELECT id || ' ' || next_reference FROM tenants WHERE slug = '{slug}'").split()
    records_tsv = io.StringIO()
    for r in range(records):
        records_tsv.write(f"{uuid.uuid4()}\t{tenant}\tproperty\t{int(base) + r}\tKeizersgracht {r}\t{now}\t{now}\n")
    psql("\\copy records (uuid, tenant_id, type, reference, title, created_at, updated_at) FROM STDIN", records_tsv.getvalue())
    first_record = int(psql(f"SELECT min(id) FROM records WHERE tenant_id = {tenant} AND reference = '{base}'"))
    blobs, files, texts = io.StringIO(), io.StringIO(), io.StringIO()
    for i, sha, name, text in rows():
        blobs.write(f"{tenant}\t{sha}\t2048\t{now}\t{i + 1}\tstored\n")
        files.write(f"{uuid.uuid4()}\t{tenant}\t{name}\t2048\tapplication/pdf\tDocument\t{sha}\t{now}\t{now}\n")
        texts.write(f"{tenant}\t{sha}\textracted\t{text}\t{now}\n")
    psql("\\copy blobs (tenant_id, sha256, size, created_at, generation, state) FROM STDIN", blobs.getvalue())
    psql("\\copy files (uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at) FROM STDIN", files.getvalue())
    psql("\\copy derived_texts (tenant_id, sha256, status, text, created_at) FROM STDIN", texts.getvalue())
    psql(f"""INSERT INTO attachments (uuid, tenant_id, record_id, file_id, created_at, updated_at)
             SELECT gen_random_uuid()::text, {tenant}, {first_record} + (row_number() OVER (ORDER BY f.id) - 1) % {records}, f.id, {now}, {now}
             FROM files f WHERE f.tenant_id = {tenant} ORDER BY f.id""")
    psql(f"UPDATE tenants SET next_reference = {int(base) + records} WHERE id = {tenant}")
    number_rows_postgres(psql, tenant)
    psql("ANALYZE")
    print(psql(f"SELECT uuid FROM records WHERE id = {first_record}"))
