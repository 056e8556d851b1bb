#!/usr/bin/env python3
"""A client generated from the served OpenAPI document by openapi-python-client (PyPI), unchanged, runs the
main flow against a real server: create a record → upload → list → get → rename → download → delete →
404 as the documented problem. Generation must succeed for every operation (tus's
application/offset+octet-stream is mapped to application/octet-stream, which the generator knows).

Usage: scripts/generated-client-test.py [path/to/attache]
"""
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attache_process import AttacheProcess, Checks  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/attache"
CONFIG = """\
package_name_override: attache_client
content_type_overrides:
  application/offset+octet-stream: application/octet-stream
"""


def generate(base, work):
    """Generates the client from `base`/openapi.json into `work`; returns the generator's warnings."""
    with urllib.request.urlopen(base + "/openapi.json", timeout=30) as response, open(os.path.join(work, "openapi.json"), "wb") as out:
        out.write(response.read())
    with open(os.path.join(work, "config.yml"), "w") as handle:
        handle.write(CONFIG)
    done = subprocess.run(
        ["openapi-python-client", "generate", "--path", "openapi.json", "--config", "config.yml", "--meta", "none",
         "--output-path", "attache_client"],
        cwd=work, capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"openapi-python-client failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return [line for line in done.stdout.splitlines() if line.startswith("WARNING")]


def main():
    checks = Checks("generated client")
    expect = checks.expect
    node = AttacheProcess(BIN)
    node.cli("tenant", "create", "acme")
    token = node.cli("token", "create", "--tenant", "acme")[-1]
    with node, tempfile.TemporaryDirectory() as work:
        warnings = generate(node.base, work)
        expect("every operation is generated", not warnings, warnings)
        sys.path.insert(0, work)
        from attache_client import AuthenticatedClient
        from attache_client.api.attachments import (
            delete_attachment, download_attachment, get_attachment, list_record_attachments, update_attachment, upload_record_attachment,
        )
        from attache_client.api.records import create_record
        from attache_client.models import Attachment, AttachmentList, AttachmentUpdate, Problem, Record, RecordCreate, RecordType
        from attache_client.models import UploadRecordAttachmentFilesBody
        from attache_client.types import File

        client = AuthenticatedClient(base_url=node.base, token=token, timeout=60)
        record = create_record.sync(client=client, body=RecordCreate(type_=RecordType.PROPERTY, title="Keizersgracht 12"))
        expect("createRecord gives a Record", isinstance(record, Record), record)

        content = b"%PDF-1.7\n" + os.urandom(300_000)
        body = UploadRecordAttachmentFilesBody(file=[File(payload=io.BytesIO(content), file_name="lease.pdf", mime_type="application/pdf")])
        uploaded = upload_record_attachment.sync_detailed(record.uuid, client=client, body=body)
        attachment = uploaded.parsed
        expect("uploadRecordAttachment answers 201 with an Attachment", uploaded.status_code == 201 and isinstance(attachment, Attachment),
               (uploaded.status_code, uploaded.content[:300]))

        listed = list_record_attachments.sync(record.uuid, client=client)
        expect("listRecordAttachments lists it", isinstance(listed, AttachmentList) and [a.uuid for a in listed.items] == [attachment.uuid], listed)
        fetched = get_attachment.sync(attachment.uuid, client=client)
        expect("getAttachment gives its facts", isinstance(fetched, Attachment) and fetched.size == len(content) and fetched.name == "lease.pdf", fetched)
        renamed = update_attachment.sync(attachment.uuid, client=client, body=AttachmentUpdate(name="lease-signed.pdf", description="signed"))
        expect("updateAttachment renames", isinstance(renamed, Attachment) and renamed.name == "lease-signed.pdf" and renamed.description == "signed", renamed)

        downloaded = download_attachment.sync_detailed(attachment.uuid, client=client)
        expect("downloadAttachment gives the bytes", downloaded.status_code == 200 and hashlib.sha256(downloaded.content).digest() == hashlib.sha256(content).digest(),
               (downloaded.status_code, len(downloaded.content)))
        expect("the download is typed as stored", downloaded.headers.get("content-type") == "application/pdf", downloaded.headers.get("content-type"))

        deleted = delete_attachment.sync_detailed(attachment.uuid, client=client)
        expect("deleteAttachment answers 204", deleted.status_code == 204, deleted.status_code)
        gone = get_attachment.sync_detailed(attachment.uuid, client=client)
        expect("a deleted attachment is a 404 Problem", gone.status_code == 404 and isinstance(gone.parsed, Problem) and gone.parsed.status == 404,
               (gone.status_code, gone.content[:300]))
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
