#!/usr/bin/env python3
"""Kills `attache gc` with SIGKILL in the middle of a retention run, again and again, then lets a run
finish, and checks that the rules deleted exactly what they had to, each attachment once.

A tenant has a category whose rule deletes an attachment a day after its `expiresOn`. Of its
attachments, DUE have an `expiresOn` long past (some share their content, so blobs are shared); the
others must stay: their `expiresOn` is ahead, they are under a legal hold, their record is, or they are
in a category without a rule. `attache gc` runs and is killed at random moments (each deletion is a
transaction of its own, so a run cut off leaves some deleted and some not), and then runs to its end.
Afterwards: every due attachment is gone and every other one downloads whole; the audit trail has one
retention deletion per due attachment and the change feed one `attachment.deleted`, none twice; at
least one kill landed mid-run (the test says so rather than pass without cutting a run); after
`gc --grace 0` `verify` is clean.

Runs on SQLite + disk, or on PostgreSQL + S3 when ATTACHE_DATABASE_URL and ATTACHE_S3_ENDPOINT are set.
Usage: scripts/retention-crash-test.py path/to/attache [--due N] [--kills N]
"""
import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attache_process import Checks, http, start_serve  # noqa: E402

checks = Checks("retention crash")
expect = checks.expect


def multipart(name, content, fields=()):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode() for key, value in fields]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Node:
    """The data (a folder, or PostgreSQL + S3 from the environment) and the binary's commands on it."""

    def __init__(self, binary):
        self.binary = binary
        self.data = tempfile.mkdtemp()

    def command(self, *args):
        return [self.binary, *args, "--data", self.data]

    def cli(self, *args, limit=120):
        return subprocess.run(self.command(*args), check=True, capture_output=True, text=True, timeout=limit).stdout.strip().splitlines()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--due", type=int, default=800)
    parser.add_argument("--kills", type=int, default=6)
    options = parser.parse_args()
    if os.environ.get("ATTACHE_S3_ENDPOINT"):
        os.environ.setdefault("ATTACHE_S3_BUCKET", f"retention-{os.getpid()}")
        os.environ.setdefault("ATTACHE_S3_ACCESS_KEY_ID", "test")
        os.environ.setdefault("ATTACHE_S3_SECRET_ACCESS_KEY", "test")
    print("retention crash: on " + ("PostgreSQL + S3" if os.environ.get("ATTACHE_DATABASE_URL") else "SQLite + disk"))
    node = Node(options.binary)
    node.cli("tenant", "create", "acme")
    admin = node.cli("token", "create", "--tenant", "acme", "--scope", "admin")[-1]
    node.cli("category", "create", "--tenant", "acme", "passport", "--retention-days", "1", "--retention-from", "expiresOn")
    node.cli("category", "create", "--tenant", "acme", "lease")

    # Set up through a server whose own gc is off: the runs below are the only ones.
    server, port = start_serve(options.binary, node.data, "--log-level", "error", "--gc-interval", "0")
    base = f"http://127.0.0.1:{port}"

    def call(method, path, payload=None, body=None, content_type=None):
        if payload is not None:
            body, content_type = json.dumps(payload).encode(), "application/json"
        status, _, answer = http(base, method, path, token=admin, body=body, headers={"Content-Type": content_type} if content_type else None)
        return status, (json.loads(answer) if answer else None)

    records = {}
    for name in ("applicants", "held", "tenants"):
        status, record = call("POST", "/v1/records", {"type": "person", "title": name})
        records[name] = record["uuid"]
    call("PATCH", f"/v1/records/{records['held']}", {"legalHold": True})

    # Content: every third due attachment shares its bytes with the one before it.
    plan = []  # (record, name, content, category, patch, due)
    for index in range(options.due):
        content = os.urandom(32 + index % 150).hex().encode() if index % 3 != 2 else plan[-1][2]
        plan.append(("applicants", f"passport-{index}.txt", content, "passport", {"expiresOn": "2020-01-31"}, True))
    for index in range(20):
        plan.append(("applicants", f"future-{index}.txt", os.urandom(40).hex().encode(), "passport", {"expiresOn": "2099-01-31"}, False))
        plan.append(("applicants", f"held-{index}.txt", os.urandom(40).hex().encode(), "passport", {"expiresOn": "2020-01-31", "legalHold": True}, False))
        plan.append(("held", f"in-held-record-{index}.txt", os.urandom(40).hex().encode(), "passport", {"expiresOn": "2020-01-31"}, False))
        plan.append(("tenants", f"lease-{index}.txt", os.urandom(40).hex().encode(), "lease", {"expiresOn": "2020-01-31"}, False))

    def attach(item):
        record, name, content, category, patch, due = item
        body, content_type = multipart(name, content, [("category", category)])
        status, attachment = call("POST", f"/v1/records/{records[record]}/attachments", body=body, content_type=content_type)
        if status != 201:
            raise RuntimeError(f"upload {name}: {status} {attachment}")
        status, changed = call("PATCH", f"/v1/attachments/{attachment['uuid']}", patch)
        if status != 200:
            raise RuntimeError(f"patch {name}: {status} {changed}")
        return attachment["uuid"], hashlib.sha256(content).hexdigest(), due

    try:
        with ThreadPoolExecutor(8) as pool:
            made = list(pool.map(attach, plan))
    finally:
        server.terminate()
        server.wait(timeout=60)
    due = {uuid_ for uuid_, _, is_due in made if is_due}
    kept = {uuid_: digest for uuid_, digest, is_due in made if not is_due}
    print(f"retention crash: {len(due)} due, {len(kept)} kept")

    def deletions():
        lines = node.cli("audit", "--tenant", "acme", "--action", "attachment.delete")
        return [json.loads(line) for line in lines]

    # Kill runs at random moments; count what each left.
    random.seed(os.environ.get("SEED", str(time.time_ns())))
    cut_mid_run = 0
    for kill in range(options.kills):
        run = subprocess.Popen(node.command("gc", "--log-level", "error"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(random.uniform(0.1, 1.2))
        finished = run.poll() is not None
        if not finished:
            run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        deleted = len(deletions())
        print(f"retention crash: run {kill + 1} {'finished' if finished else 'killed'} with {deleted} of {len(due)} deleted")
        if not finished and 0 < deleted < len(due):
            cut_mid_run += 1
        if deleted == len(due):
            break
    expect("at least one kill cut a retention run in the middle", cut_mid_run > 0, f"{cut_mid_run} (raise --due if runs finish too fast)")
    report = node.cli("gc")[-1]
    expect("the last run finishes", report.startswith("removed "), report)

    events = deletions()
    ids = [event.get("attachment") for event in events]
    expect("one audited deletion per due attachment", len(events) == len(due) and set(ids) == due,
           f"{len(events)} events, {len(set(ids))} distinct, {len(set(ids) - due)} not due")
    expect("each audited by the system with its rule",
           all(event.get("actor") == "system" and event.get("detail") == "retention: category passport, 1 day(s) after expiresOn" for event in events),
           events[:1])

    server, port = start_serve(options.binary, node.data, "--log-level", "error", "--gc-interval", "0")
    base = f"http://127.0.0.1:{port}"
    try:
        feed, after = [], 0
        while True:
            status, page = call("GET", f"/v1/events?types=attachment.deleted&after={after}&limit=500")
            if status != 200 or not page["items"]:
                break
            feed += page["items"]
            after = page["items"][-1]["id"]
        feed_ids = [item["data"]["attachment"] for item in feed]
        expect("one attachment.deleted event per due attachment", len(feed) == len(due) and set(feed_ids) == due,
               f"{len(feed)} events, {len(set(feed_ids))} distinct; first: {feed[:1]}")

        gone = [uuid_ for uuid_ in random.sample(sorted(due), min(100, len(due))) if call("GET", f"/v1/attachments/{uuid_}")[0] != 404]
        expect("due attachments are gone", not gone, gone[:3])

        def whole(item):
            uuid_, digest = item
            status, _, content = http(base, "GET", f"/v1/attachments/{uuid_}/download", token=admin)
            return status == 200 and hashlib.sha256(content).hexdigest() == digest

        with ThreadPoolExecutor(8) as pool:
            damaged = [uuid_ for uuid_, ok in zip(kept, pool.map(whole, kept.items())) if not ok]
        expect("every kept attachment downloads whole", not damaged, damaged[:3])
    finally:
        server.terminate()
        server.wait(timeout=60)

    node.cli("gc", "--grace", "0")
    verify = subprocess.run(node.command("verify"), capture_output=True, text=True, timeout=300)
    expect("verify is clean", verify.returncode == 0, (verify.stdout + verify.stderr)[-400:])
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
