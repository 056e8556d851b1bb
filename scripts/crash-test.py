#!/usr/bin/env python3
"""Kills `attache serve` with SIGKILL at random moments under concurrent uploads (one-request and
resumable), downloads and deletes, restarts it, and checks that nothing confirmed was lost and nothing
partial is visible.

Each round: a server with a background gc of grace 0 (the harshest setting), CLIENTS threads that upload
(some content repeats, so blobs are shared), start and continue resumable (tus) uploads across the
kills, join partial uploads as A A B (a part named twice: the file must be exactly that), download and
check SHA-256, and delete; some uploads are real PDFs and PNGs, whose text and preview jobs the kills
interrupt (two workers, claims of 5 s); after a random time the server is killed. At the end, on a fresh server: every attachment confirmed by a 201 and not
deleted by a 204 downloads whole; every listed attachment downloads whole (nothing partial is visible);
a resumable upload resumes from the offset the server reports, whatever round started it, and once
its unfinished uploads are terminated, after `gc --grace 0` no staged upload, multipart upload or
unreferenced content is left (preview images count as referenced); every derived job ends, the PDFs'
text is found by search and every drawable attachment's previews are served; `verify` is clean.

Runs on SQLite + disk, or on PostgreSQL + S3 when ATTACHE_DATABASE_URL and ATTACHE_S3_ENDPOINT are set.
Usage: scripts/crash-test.py path/to/attache [--rounds N] [--clients N]
"""
import argparse
import base64
import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import struct
import time
import urllib.parse
import zlib

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attache_process import AttacheProcess, Checks, start_serve  # noqa: E402

PDF_POOL = [b"%PDF-1.7\n" + os.urandom(random.randint(1_000, 200_000)) for _ in range(6)]


def text_pdf(word):
    """A real one-page PDF whose text layer holds `word` (pdftotext reads it; pdftoppm draws it)."""
    content = f"BT /F1 24 Tf 40 100 Td ({word}) Tj ET".encode()
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
               b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream", b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj" % number + obj + b"endobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def png(width, height, seed):
    raw = b"".join(b"\x00" + bytes((x * seed + y) % 256 for x in range(width * 3)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# Content with derived work that succeeds (text and previews), uploaded beside the rest: the server is
# killed while its jobs run. Each PDF's word is its own, so search tells whose text was read.
WORDS = [f"crashword{n}" for n in range(4)]
DERIVED_POOL = [("doc.pdf", text_pdf(word)) for word in WORDS] + [("photo.png", png(64 + n, 48, n + 3)) for n in range(4)]


class Ledger:
    """What the clients were told: confirmed attachments, and those whose fate is unknown."""

    def __init__(self):
        self.lock = threading.Lock()
        self.confirmed = {}   # uuid -> sha256
        self.uncertain = {}   # uuid -> sha256 (delete sent, no answer)
        self.resumable = {}   # upload path -> body (not finished, or its end was not answered)
        self.partials = []    # partial upload paths of concatenations, terminated at the end
        self.problems = []

    def finished(self, url, attachment, body):
        """A resumable upload became `attachment`; confirmed once (several clients may resume one upload,
        and a client may have deleted the attachment since another saw it finish)."""
        with self.lock:
            if self.resumable.pop(url, None) is not None:
                self.confirmed[attachment.rsplit("/", 1)[1]] = hashlib.sha256(body).hexdigest()

    def pick(self):
        with self.lock:
            return random.choice(list(self.confirmed.items())) if self.confirmed else None


TUS = {"Tus-Resumable": "1.0.0"}
RESUMABLE_ANSWERS = (204, 404, 409, 410, 423, 503)


def path_of(location):
    """An upload's path: each round's server listens on a port of its own, so a `Location` from an
    earlier round names a port nobody listens on any more."""
    return urllib.parse.urlsplit(location).path


def resume(session, base, path, body, ledger):
    """Sends the rest of a resumable upload from the server's offset, in one or two chunks."""
    url = base + path
    head = session.head(url, headers=TUS, timeout=30)
    if head.status_code in (404, 410):
        with ledger.lock:
            ledger.resumable.pop(path, None)
        return
    if head.status_code != 200:
        if head.status_code != 503:
            state = session.get(url, timeout=30)
            ledger.problems.append(f"resumable HEAD answered {head.status_code}; the upload: {state.status_code} {state.text[:300]}")
        return
    offset = int(head.headers["Upload-Offset"])
    if attachment := head.headers.get("Attache-Attachment"):
        # Finished: by the request that sent its last bytes, or by this HEAD after a crash in between.
        ledger.finished(path, attachment, body)
        return
    while offset < len(body):
        end = min(len(body), offset + random.choice([100_000, 1_000_000, len(body)]))
        reply = session.patch(url, data=body[offset:end], timeout=30,
                              headers={**TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
        if reply.status_code not in RESUMABLE_ANSWERS:
            ledger.problems.append(f"resumable PATCH answered {reply.status_code}: {reply.text[:200]}")
        if reply.status_code != 204:
            return
        offset = int(reply.headers["Upload-Offset"])
        if attachment := reply.headers.get("Attache-Attachment"):
            ledger.finished(path, attachment, body)


def resumable_upload(session, base, records, ledger):
    """Starts a resumable upload (sent in part) or continues one that an earlier round left."""
    with ledger.lock:
        unfinished = random.choice(list(ledger.resumable.items())) if ledger.resumable and random.random() < 0.6 else None
    if unfinished:
        resume(session, base, *unfinished, ledger)
        return
    body = b"%PDF-1.7\n" + os.urandom(random.choice([2_000, 300_000, 3_000_000]))
    record = random.choice(records)
    metadata = f"filename {base64.b64encode(b'scan.pdf').decode()},record {base64.b64encode(record.encode()).decode()}"
    created = session.post(f"{base}/v1/uploads", timeout=30, headers={**TUS, "Upload-Length": str(len(body)), "Upload-Metadata": metadata})
    if created.status_code != 201:
        if created.status_code != 503:
            ledger.problems.append(f"resumable creation answered {created.status_code}: {created.text[:200]}")
        return
    path = path_of(created.headers["Location"])
    with ledger.lock:
        ledger.resumable[path] = body
    resume(session, base, path, body, ledger)


def concatenated_upload(session, base, records, ledger):
    """Two partial uploads joined as A A B (a part named twice): the stored file must be exactly that."""
    parts = [b"%PDF-1.7\n" + os.urandom(random.choice([2_000, 300_000])), os.urandom(random.choice([2_000, 300_000]))]
    urls = []
    for body in parts:
        created = session.post(f"{base}/v1/uploads", timeout=30, headers={**TUS, "Upload-Length": str(len(body)), "Upload-Concat": "partial"})
        if created.status_code != 201:
            if created.status_code != 503:
                ledger.problems.append(f"partial creation answered {created.status_code}: {created.text[:200]}")
            return
        with ledger.lock:
            ledger.partials.append(path_of(created.headers["Location"]))
        reply = session.patch(created.headers["Location"], data=body, timeout=30,
                              headers={**TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
        if reply.status_code != 204:
            if reply.status_code not in RESUMABLE_ANSWERS:
                ledger.problems.append(f"partial PATCH answered {reply.status_code}: {reply.text[:200]}")
            return
        urls.append(created.headers["Location"])
    record = random.choice(records)
    metadata = f"filename {base64.b64encode(b'joined.pdf').decode()},record {base64.b64encode(record.encode()).decode()}"
    final = session.post(f"{base}/v1/uploads", timeout=30,
                         headers={**TUS, "Upload-Concat": "final;" + " ".join([urls[0], urls[0], urls[1]]), "Upload-Metadata": metadata})
    if final.status_code != 201:
        if final.status_code != 503:
            ledger.problems.append(f"final concatenation answered {final.status_code}: {final.text[:200]}")
        return
    head = session.head(final.headers["Location"], headers=TUS, timeout=30)
    if attachment := head.headers.get("Attache-Attachment"):
        with ledger.lock:
            ledger.confirmed[attachment.rsplit("/", 1)[1]] = hashlib.sha256(parts[0] + parts[0] + parts[1]).hexdigest()


def check_download(uuid, sha, reply, ledger):
    """A 200 whose body is shorter than its Content-Length was cut by the kill (whatever the HTTP library
    makes of that: urllib3 1.26 hands over the short body); a whole body must be the content uploaded."""
    body = reply.content
    declared = reply.headers.get("Content-Length")
    if declared is not None and len(body) < int(declared):
        return
    if hashlib.sha256(body).hexdigest() != sha:
        ledger.problems.append(f"download of {uuid} was {len(body)} bytes of other content (Content-Length {declared})")


def client(base, token, records, ledger, stop):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    while not stop.is_set():
        action = random.random()
        try:
            if action < 0.03:
                concatenated_upload(session, base, records, ledger)
            elif action < 0.15:
                resumable_upload(session, base, records, ledger)
            elif action < 0.5:
                name, body = "f.pdf", random.choice(PDF_POOL) if random.random() < 0.5 else b"%PDF-1.7\n" + os.urandom(random.choice([500, 50_000, 6_500_000]))
                if random.random() < 0.2:
                    name, body = random.choice(DERIVED_POOL)
                record = random.choice(records)
                reply = session.post(f"{base}/v1/records/{record}/attachments", files={"file": (name, body)}, timeout=30)
                if reply.status_code == 201:
                    with ledger.lock:
                        ledger.confirmed[reply.json()["uuid"]] = hashlib.sha256(body).hexdigest()
                elif reply.status_code not in (503,):
                    ledger.problems.append(f"upload answered {reply.status_code}: {reply.text[:200]}")
            elif action < 0.8:
                picked = ledger.pick()
                if picked:
                    uuid, sha = picked
                    reply = session.get(f"{base}/v1/attachments/{uuid}/download", timeout=30)
                    if reply.status_code == 200:
                        check_download(uuid, sha, reply, ledger)
                    elif reply.status_code not in (404, 503):
                        ledger.problems.append(f"download answered {reply.status_code}")
            else:
                picked = ledger.pick()
                if picked:
                    uuid, sha = picked
                    with ledger.lock:
                        ledger.confirmed.pop(uuid, None)
                        ledger.uncertain[uuid] = sha
                    reply = session.delete(f"{base}/v1/attachments/{uuid}", timeout=30)
                    if reply.status_code in (204, 404):
                        with ledger.lock:
                            ledger.uncertain.pop(uuid, None)
                    elif reply.status_code != 503:
                        ledger.problems.append(f"delete answered {reply.status_code}")
        except requests.RequestException:
            time.sleep(0.02)  # the server was killed; the next round starts a new one
        except Exception as error:  # noqa: BLE001 - a client that dies silently would hide its problem
            ledger.problems.append(f"client failed: {error!r}")
            return


def s3_leftovers():
    """Objects and multipart uploads left in the bucket, by kind (PostgreSQL + S3 runs only)."""
    import boto3
    s3 = boto3.client("s3", endpoint_url=os.environ["ATTACHE_S3_ENDPOINT"], region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
    bucket = os.environ["ATTACHE_S3_BUCKET"]
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page.get("Contents", [])]
    uploads = s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    return [k for k in keys if k.startswith("blobs/")], [k for k in keys if k.startswith("staging/")], uploads


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    on_s3 = "ATTACHE_S3_ENDPOINT" in os.environ
    if on_s3:
        os.environ.setdefault("ATTACHE_S3_BUCKET", f"crash-{random.randint(0, 1 << 30)}")
        os.environ.setdefault("ATTACHE_S3_ACCESS_KEY_ID", "test")
        os.environ.setdefault("ATTACHE_S3_SECRET_ACCESS_KEY", "test")
    checks = Checks("crash test" + (" (PostgreSQL + S3)" if on_s3 else " (SQLite + disk)"))
    # Derived work on two workers, whose claims a killed server leaves behind run out after 5 s.
    DERIVE = ("--derive-workers", "2", "--derive-lease", "5")
    node = AttacheProcess(args.binary, keep_data=True, serve_args=list(DERIVE))
    node.cli("tenant", "create", "acme")
    token = node.cli("token", "create", "--tenant", "acme")[-1]
    ledger = Ledger()
    with node:
        records = [requests.post(f"{node.base}/v1/records", json={"type": "case"}, headers={"Authorization": f"Bearer {token}"}, timeout=30).json()["uuid"]
                   for _ in range(4)]
    kills = 0
    not_ready = []
    for round_number in range(args.rounds):
        try:
            server, port = start_serve(args.binary, node.data, "--log-level", os.environ.get("CRASH_LOG_LEVEL", "critical"),
                                       "--gc-interval", "1", "--gc-grace", "0", *DERIVE, limit=60)
        except RuntimeError as error:
            not_ready.append(f"round {round_number}: {error}")
            continue
        base = f"http://127.0.0.1:{port}"
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(base, token, records, ledger, stop)) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.3, 2.0))
        if server.poll() is None:
            server.send_signal(signal.SIGKILL)
            server.wait()
            kills += 1
        else:
            not_ready.append(f"round {round_number}: the server had exited ({server.returncode}) before the kill")
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
            if thread.is_alive():
                ledger.problems.append(f"a client of round {round_number} did not stop within 60 s")
    checks.expect("every round's server became ready and was killed while running", kills == args.rounds and not not_ready,
                  f"{kills} kills of {args.rounds}; {'; '.join(not_ready[:3])}")
    checks.expect("no client saw a wrong answer", not ledger.problems, "; ".join(ledger.problems[:5]))

    # A gc killed in the middle of removing content leaves its mark, which blocks uploads of the same
    # content until the mark's lease runs out (ten minutes); an operator's `gc --grace 0` takes it over.
    node.cli("gc", "--grace", "0")
    with node:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        # Every unfinished resumable upload resumes from where the server says it is, and completes.
        unfinished = list(ledger.resumable.items())
        for url, body in unfinished:
            resume(session, node.base, url, body, ledger)
        # A lock left by a killed request runs out within 15 s; then the rest go through.
        deadline = time.time() + 30
        while ledger.resumable and time.time() < deadline:
            time.sleep(1)
            for url, body in list(ledger.resumable.items()):
                resume(session, node.base, url, body, ledger)
        checks.expect(f"all {len(unfinished)} unfinished resumable uploads resume and complete", not ledger.resumable,
                      f"{len(ledger.resumable)} left")
        for path in list(ledger.resumable) + ledger.partials:
            session.delete(node.base + path, headers=TUS, timeout=60)
        lost = [u for u, sha in ledger.confirmed.items()
                if hashlib.sha256(session.get(f"{node.base}/v1/attachments/{u}/download", timeout=60).content).hexdigest() != sha]
        checks.expect(f"all {len(ledger.confirmed)} confirmed attachments download whole", not lost, f"{len(lost)} lost: {lost[:3]}")
        for uuid, sha in ledger.uncertain.items():
            reply = session.get(f"{node.base}/v1/attachments/{uuid}/download", timeout=60)
            checks.expect("an unanswered delete left the attachment whole or gone",
                          reply.status_code == 404 or hashlib.sha256(reply.content).hexdigest() == sha, uuid)
        visible = []
        for record in records:
            cursor = ""
            while True:
                page = session.get(f"{node.base}/v1/records/{record}/attachments?limit=200{cursor}", timeout=60).json()
                visible += page["items"]
                if not page.get("nextCursor"):
                    break
                cursor = "&cursor=" + page["nextCursor"]
        partial = [a["uuid"] for a in visible
                   if hashlib.sha256(session.get(f"{node.base}/v1/attachments/{a['uuid']}/download", timeout=60).content).hexdigest() != a["sha256"]]
        checks.expect(f"all {len(visible)} visible attachments download whole", not partial, f"{partial[:3]}")
        live = {a["sha256"] for a in visible}
        # The change feed: every change that committed has its event, numbered 1, 2, 3, … with no gap
        # or repeat across the kills, and replaying its attachments' creations and deletions gives
        # exactly the attachments there are.
        numbers, replayed, after = [], set(), 0
        while True:
            page = session.get(f"{node.base}/v1/events", params={"after": after, "limit": 1000}, timeout=60).json()
            for event in page["items"]:
                numbers.append(event["id"])
                if event["type"] == "attachment.created":
                    replayed.add(event["data"]["attachment"])
                elif event["type"] == "attachment.deleted":
                    replayed.discard(event["data"]["attachment"])
            if not page["items"]:
                break
            after = page["next"]
        checks.expect(f"the change feed's {len(numbers)} events are numbered 1 to {len(numbers)}, each once",
                      numbers == list(range(1, len(numbers) + 1)), f"{numbers[:5]}…{numbers[-5:]}")
        shown = {a["uuid"] for a in visible}
        checks.expect(f"the change feed's attachments are the {len(shown)} there are",
                      replayed == shown, f"{len(replayed - shown)} only in the feed, {len(shown - replayed)} missing from it")
        # Derived work: the jobs the kills interrupted are taken over once their claims run out, and
        # every job ends (done or failed) — each once: a done job's text is found, its images served.
        deadline = time.time() + 120
        jobs = {}
        while time.time() < deadline:
            jobs = dict((state, int(count)) for state, count in (line.split(": ") for line in node.cli("index", "status")))
            if jobs["queued"] == 0 and jobs["running"] == 0:
                break
            time.sleep(1)
        checks.expect("every derived job ends, done or failed, after the kills", jobs.get("queued") == 0 and jobs.get("running") == 0, jobs)
        with_derived = {hashlib.sha256(body).hexdigest(): (name, body) for name, body in DERIVED_POOL}
        mine = [a for a in visible if a["sha256"] in with_derived]
        for word in WORDS:
            sha = hashlib.sha256(text_pdf(word)).hexdigest()
            expected = sorted(a["uuid"] for a in mine if a["sha256"] == sha)
            found = session.get(f"{node.base}/v1/search", params={"q": word, "limit": 100}, timeout=60).json()["items"]
            checks.expect(f"the text of the PDF with {word} was read: search finds its {len(expected)} attachments",
                          sorted(hit["attachment"]["uuid"] for hit in found) == expected, f"{len(found)} hits")
        unserved = []
        for attachment in mine:
            for size in ("small", "large"):
                reply = session.get(f"{node.base}/v1/attachments/{attachment['uuid']}/thumbnail", params={"size": size}, timeout=60)
                if reply.status_code != 200 or reply.headers.get("Content-Type") != "image/webp":
                    unserved.append(f"{attachment['uuid']} {size}: {reply.status_code}")
                else:
                    live.add(hashlib.sha256(reply.content).hexdigest())
        checks.expect(f"the previews of all {len(mine)} attachments with drawable content are served", not unserved, f"{unserved[:3]}")
    gc = node.cli("gc", "--grace", "0")
    verify = subprocess.run([args.binary, "verify", "--data", node.data], capture_output=True, text=True, timeout=300)
    checks.expect("verify is clean", verify.returncode == 0, verify.stdout[-500:])
    if on_s3:
        blobs, staging, uploads = s3_leftovers()
        checks.expect("no staged object is left", not staging, f"{staging[:3]}")
        checks.expect("no multipart upload is left", not uploads, f"{len(uploads)}")
        checks.expect("only referenced content is left", len(blobs) == len(live), f"{len(blobs)} objects, {len(live)} referenced")
    else:
        staging = os.listdir(os.path.join(node.data, "staging"))
        blobs = [f for _, _, files in os.walk(os.path.join(node.data, "blobs")) for f in files]
        checks.expect("no staged upload is left", not staging, f"{staging[:3]}")
        checks.expect("only referenced content is left", len(blobs) == len(live), f"{len(blobs)} files, {len(live)} referenced; gc said {gc}")
    print(f"{kills} kills, {len(ledger.confirmed)} confirmed, {len(visible)} visible, {len(mine)} with previews; derived jobs {jobs}")
    node.remove()
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
