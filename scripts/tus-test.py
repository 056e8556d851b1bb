#!/usr/bin/env python3
"""Resumable uploads with the official tus client (tuspy), as a phone on a bad network would do them.

1. The connection is cut in the middle of a PATCH (by a proxy between client and server); a new
   client resumes from HEAD's offset.
2. The server is killed with SIGKILL in the middle of a PATCH and started again; the client resumes
   (riding out the dead request's lock with its retries).
3. With ATTACHE_DATABASE_URL and ATTACHE_S3_ENDPOINT (scripts/test.sh sets both): two nodes on
   PostgreSQL + S3; the upload starts on node A and finishes on node B.
4. Through a drop link, with no token at all (the link is the credential): the connection is cut, a
   new client resumes, the file lands in the link's record and counts against it; the full link
   refuses the next upload at creation (two nodes: made on A, finished on B, when shared).
Each time the stored file's SHA-256 (as the server reports it, and of the bytes downloaded) is the
file's, and nothing is left staged.

Usage: scripts/tus-test.py [path/to/attache] [--megabytes N]   (default 200)
"""
import contextlib
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
import urllib.request

from tusclient import client as tus_client

sys.path.insert(0, os.path.dirname(__file__))
from attache_process import AttacheProcess, Checks, TCPProxy, http, wait_until  # noqa: E402

arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
BIN = arguments[0] if arguments else ".build/debug/attache"
MEGABYTES = int(sys.argv[sys.argv.index("--megabytes") + 1]) if "--megabytes" in sys.argv else 200
CHUNK = 8 * 1024 * 1024
# Resumable uploads may be larger than one-request ones only when the operator says so.
RESUMABLE = ["--max-resumable-size", f"{MEGABYTES + 1}MiB"]
checks = Checks("tus")
expect = checks.expect


def make_video(path, megabytes):
    """An MP4 head (so the type is recognised) and pseudo-random bytes; returns the SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
        out.write(head)
        digest.update(head)
        block = os.urandom(1 << 20)
        for index in range(megabytes):
            piece = hashlib.sha256(index.to_bytes(4, "big")).digest() + block[32:]
            out.write(piece)
            digest.update(piece)
    return digest.hexdigest()


def get_json(base, path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def download_sha256(url, token):
    digest = hashlib.sha256()
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=300) as response:
        while chunk := response.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def offset_of(base, path, token):
    request = urllib.request.Request(base + path, method="HEAD", headers={"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.headers["Upload-Offset"])


def uploader(base, token, file_path, url=None, retries=0):
    tus = tus_client.TusClient(base + "/v1/uploads", headers={"Authorization": f"Bearer {token}"})
    return tus.uploader(
        file_path=file_path, url=url, chunk_size=CHUNK, metadata={"filename": "walkthrough.mp4"}, retries=retries, retry_delay=1
    )


def check_stored(label, base, token, upload_path, sha256):
    status = get_json(base, upload_path, token)
    file = status.get("file") or {}
    expect(f"{label}: the upload is a stored file", status.get("state") == "complete" and file.get("size") == MEGABYTES * (1 << 20) + 24, status)
    expect(f"{label}: the server's SHA-256 is the file's", file.get("sha256") == sha256, (file.get("sha256"), sha256))
    if file:
        expect(f"{label}: the downloaded bytes are the file", download_sha256(file["downloadUrl"], token) == sha256)


def upload_until_cut(uploader_, proxy, label):
    """Sends the rest of the upload through `proxy`, which cuts it half-way through the next PATCH; the
    client must see the cut."""
    proxy.cut_after(CHUNK // 2)
    failed = False
    try:
        uploader_.upload()
    except Exception:  # noqa: BLE001 - the client reports the cut connection
        failed = True
    expect(f"{label}: the client sees the connection cut", failed and proxy.cuts == 1, (failed, proxy.cuts))


def cut_connection(work):
    node = AttacheProcess(BIN, serve_args=RESUMABLE)
    node.cli("tenant", "create", "cut")
    token = node.cli("token", "create", "--tenant", "cut")[-1]
    path = os.path.join(work, "video.mp4")
    sha256 = make_video(path, MEGABYTES)
    with node:
        proxy = TCPProxy(node.port)
        base = f"http://127.0.0.1:{proxy.port}"
        first = uploader(base, token, path)
        first.upload_chunk()
        first.upload_chunk()
        upload_until_cut(first, proxy, "cut")  # half-way through the third PATCH
        upload_path = "/v1/uploads/" + first.url.rsplit("/", 1)[1]
        # The server keeps what arrived once it sees the connection gone.
        deadline = time.time() + 10
        while (offset := offset_of(node.base, upload_path, token)) == 2 * CHUNK and time.time() < deadline:
            time.sleep(0.05)
        expect("cut: the bytes before the cut are kept", 2 * CHUNK < offset < 3 * CHUNK, offset)
        second = uploader(base, token, path, url=first.url, retries=5)
        expect("cut: a new client resumes from HEAD's offset", second.offset == offset, (second.offset, offset))
        second.upload()
        check_stored("cut", node.base, token, upload_path, sha256)
        if not os.environ.get("ATTACHE_S3_ENDPOINT"):
            left = os.listdir(os.path.join(node.data, "staging"))
            expect("cut: nothing is left staged", left == [], left)


def killed_server(work):
    node = AttacheProcess(BIN, keep_data=True, serve_args=RESUMABLE)
    node.cli("tenant", "create", "kill")
    token = node.cli("token", "create", "--tenant", "kill")[-1]
    path = os.path.join(work, "video.mp4")
    sha256 = make_video(path, MEGABYTES)
    with node:
        first = uploader(node.base, token, path)
        first.upload_chunk()
        upload_path = "/v1/uploads/" + first.url.rsplit("/", 1)[1]
        errors = []

        def keep_uploading():
            try:
                first.upload()
            except Exception as error:  # noqa: BLE001 - expected: the server dies under it
                errors.append(error)

        thread = threading.Thread(target=keep_uploading)
        thread.start()
        deadline = time.time() + 120
        while offset_of(node.base, upload_path, token) < 3 * CHUNK and time.time() < deadline:
            time.sleep(0.05)
        # The client sends its next PATCH at once: the kill lands in the middle of it.
        node.server.kill()
        thread.join()
        expect("kill: the client sees the server go", len(errors) == 1, errors)
    node.keep_data = False
    with node:
        usage = get_json(node.base, "/v1/usage", token)
        expect("kill: nothing partial is a file", usage.get("files") == 0 and usage.get("bytes") == 0, usage)
        offset = offset_of(node.base, upload_path, token)
        expect("kill: the committed offset survives", 3 * CHUNK <= offset < MEGABYTES * (1 << 20), offset)
        # The restarted server listens on a port of its own (--port 0): the same upload, at its address.
        resumed = uploader(node.base, token, path, url=node.base + upload_path, retries=30)
        expect("kill: a new client resumes from HEAD's offset", resumed.offset == offset, (resumed.offset, offset))
        started = time.time()
        resumed.upload()
        expect("kill: the dead request's lock runs out within its lifetime", time.time() - started < 60, time.time() - started)
        check_stored("kill", node.base, token, upload_path, sha256)


def two_nodes(work):
    node_a, node_b = AttacheProcess(BIN, serve_args=RESUMABLE), AttacheProcess(BIN, serve_args=RESUMABLE)
    node_a.cli("tenant", "create", "nodes")
    token = node_a.cli("token", "create", "--tenant", "nodes")[-1]
    path = os.path.join(work, "video.mp4")
    sha256 = make_video(path, MEGABYTES)
    with node_a, node_b:
        first = uploader(node_a.base, token, path)
        first.upload(stop_at=5 * CHUNK)
        upload_path = "/v1/uploads/" + first.url.rsplit("/", 1)[1]
        expect("nodes: node B sees node A's offset", offset_of(node_b.base, upload_path, token) == 5 * CHUNK)
        resumed = uploader(node_b.base, token, path, url=node_b.base + upload_path)
        expect("nodes: a client on node B resumes from node A's offset", resumed.offset == 5 * CHUNK, resumed.offset)
        resumed.upload()
        check_stored("nodes (read on B)", node_b.base, token, upload_path, sha256)
        check_stored("nodes (read on A)", node_a.base, token, upload_path, sha256)


def drop_link(work, shared):
    """A person outside the CRM sends a large file through a drop link with tuspy and no token."""
    node_a = AttacheProcess(BIN, serve_args=RESUMABLE)
    node_b = AttacheProcess(BIN, serve_args=RESUMABLE) if shared else node_a
    node_a.cli("tenant", "create", "drop")
    token = node_a.cli("token", "create", "--tenant", "drop")[-1]
    path = os.path.join(work, "video.mp4")
    megabytes = min(MEGABYTES, 40)
    size = megabytes * (1 << 20) + 24
    sha256 = make_video(path, megabytes)
    with node_a:
        with node_b if shared else contextlib.nullcontext():
            status, _, body = http(node_a.base, "POST", "/v1/records", token, b'{"type":"contact","title":"Applicant"}', {"Content-Type": "application/json"})
            record = json.loads(body)["uuid"]
            status, _, body = http(
                node_a.base, "POST", f"/v1/records/{record}/shares", token, b'{"kind":"upload","maxFiles":1}', {"Content-Type": "application/json"}
            )
            expect("drop: the link is made", status == 201, (status, body[:200]))
            link = json.loads(body)
            proxy = TCPProxy(node_a.port)
            collection = f"{proxy.base}/s/{link['token']}/uploads"
            first = tus_client.TusClient(collection).uploader(file_path=path, chunk_size=CHUNK, metadata={"filename": "bank statements.mp4"})
            first.upload_chunk()
            upload_until_cut(first, proxy, "drop")
            upload_path = f"/s/{link['token']}/uploads/" + first.url.rsplit("/", 1)[1]

            def kept():
                status, headers, _ = http(node_a.base, "HEAD", upload_path, headers={"Tus-Resumable": "1.0.0"})
                return status == 200 and int(headers.get("Upload-Offset", 0)) > CHUNK

            expect("drop: the bytes before the cut are kept", wait_until(kept, seconds=10))
            # The rest goes to node B when there are two: the link and its upload live in the shared store.
            second = tus_client.TusClient(f"{node_b.base}/s/{link['token']}/uploads").uploader(
                file_path=path, url=node_b.base + upload_path, chunk_size=CHUNK, retries=5, retry_delay=1
            )
            expect("drop: a new client resumes from HEAD's offset", CHUNK < second.offset < 2 * CHUNK, second.offset)
            second.upload()
            status, _, body = http(node_a.base, "GET", f"/v1/records/{record}/attachments", token)
            items = json.loads(body).get("items", [])
            expect(
                "drop: the file is in the link's record, whole",
                [(item.get("name"), item.get("size"), item.get("sha256")) for item in items] == [("bank statements.mp4", size, sha256)],
                items,
            )
            status, _, body = http(node_a.base, "GET", f"/v1/shares/{link['id']}", token)
            counted = json.loads(body)
            expect("drop: the link counted the file", counted.get("filesReceived") == 1 and counted.get("bytesReceived") == size, counted)
            refused = None
            try:
                tus_client.TusClient(f"{node_b.base}/s/{link['token']}/uploads").uploader(file_path=path, chunk_size=CHUNK).upload()
            except Exception as error:  # noqa: BLE001 - tuspy reports the refusal
                refused = getattr(error, "status_code", None)
            expect("drop: the full link refuses the next upload (410)", refused == 410, refused)


def main():
    shared = bool(os.environ.get("ATTACHE_DATABASE_URL") and os.environ.get("ATTACHE_S3_ENDPOINT"))
    if shared:
        os.environ.setdefault("ATTACHE_S3_BUCKET", f"tus-{os.getpid()}")
        os.environ.setdefault("ATTACHE_S3_ACCESS_KEY_ID", "test")
        os.environ.setdefault("ATTACHE_S3_SECRET_ACCESS_KEY", "test")
    print(f"tus: {MEGABYTES} MB in {CHUNK >> 20} MiB chunks, on " + ("PostgreSQL + S3" if shared else "SQLite + disk"))
    with tempfile.TemporaryDirectory() as work:
        started = time.time()
        cut_connection(work)
        print(f"tus: cut connection done in {time.time() - started:.1f} s")
        started = time.time()
        killed_server(work)
        print(f"tus: killed server done in {time.time() - started:.1f} s")
        started = time.time()
        drop_link(work, shared)
        print(f"tus: drop link done in {time.time() - started:.1f} s")
        if shared:
            started = time.time()
            two_nodes(work)
            print(f"tus: two nodes done in {time.time() - started:.1f} s")
        else:
            print("tus: two nodes skipped (no ATTACHE_DATABASE_URL and ATTACHE_S3_ENDPOINT)")
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
