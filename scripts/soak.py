#!/usr/bin/env python3
"""Soak test: CLIENTS concurrent clients in 4 tenants for SECONDS against one `attache serve` (SQLite).

Clients upload (some content repeats, so blobs are shared), download and check SHA-256, read ranges,
open signed links without a token, list, delete what others may be downloading, and probe other
tenants' attachments (always 404). Passes with zero transport errors, zero unexpected statuses,
zero corrupt or truncated bodies, and a resident set that stays flat after warm-up.
Usage: scripts/soak.py path/to/attache [--seconds 20] [--clients 64]
"""
import argparse
import hashlib
import os
import random
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attache_process import AttacheProcess, Checks  # noqa: E402

TENANTS = ["acme", "globex", "initech", "umbrella"]


class World:
    """What the clients know, per tenant: attachments (uuid → content) and those being deleted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attachments = {t: {} for t in TENANTS}
        self.deleting = set()
        self.pool = {t: [b"%PDF-1.7\n" + os.urandom(random.randint(100, 60_000)) for _ in range(4)] for t in TENANTS}
        self.counts = {}
        self.problems = []

    def count(self, name):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1

    def problem(self, text):
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)

    def pick(self, tenant):
        with self.lock:
            items = self.attachments[tenant]
            return random.choice(list(items.items())) if items else (None, None)


def client(base, tenant, token, record, world, deadline):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    while time.time() < deadline:
        roll = random.random()
        try:
            if roll < 0.30:
                body = random.choice(world.pool[tenant]) if random.random() < 0.3 else \
                    b"%PDF-1.7\n" + os.urandom(random.choice([1_000, 64_000, 1_000_000]))
                reply = session.post(f"{base}/v1/records/{record}/attachments", files={"file": ("s.pdf", body)}, timeout=60)
                if reply.status_code != 201:
                    world.problem(f"upload {reply.status_code} {reply.text[:120]}")
                    continue
                with world.lock:
                    world.attachments[tenant][reply.json()["uuid"]] = body if len(body) <= 64_009 else hashlib.sha256(body).hexdigest()
                world.count("uploads")
            elif roll < 0.85:
                uuid, content = world.pick(tenant)
                if uuid is None:
                    continue
                sha = content if isinstance(content, str) else hashlib.sha256(content).hexdigest()
                if roll < 0.55:
                    reply, kind = session.get(f"{base}/v1/attachments/{uuid}/download", timeout=60), "download"
                elif roll < 0.65:
                    meta = session.get(f"{base}/v1/attachments/{uuid}", timeout=60)
                    if meta.status_code != 200:
                        reply, kind = meta, "metadata"
                    else:
                        reply, kind = requests.get(meta.json()["downloadUrl"], timeout=60), "signed link"
                elif roll < 0.75 and isinstance(content, bytes) and len(content) > 10:
                    start = random.randrange(len(content))
                    end = random.randrange(start, len(content))
                    reply = session.get(f"{base}/v1/attachments/{uuid}/stream", headers={"Range": f"bytes={start}-{end}"}, timeout=60)
                    if reply.status_code == 206:
                        world.count("ranges")
                        if reply.content != content[start:end + 1]:
                            world.problem(f"range {start}-{end} of {uuid} was wrong ({len(reply.content)} bytes)")
                        continue
                    kind = "range"
                else:
                    reply, kind = session.get(f"{base}/v1/records/{record}/attachments?limit=50", timeout=60), "list"
                    if reply.status_code != 200:
                        world.problem(f"list {reply.status_code}")
                    world.count("lists")
                    continue
                if reply.status_code == 200:
                    world.count(kind + "s")
                    if hashlib.sha256(reply.content).hexdigest() != sha:
                        world.problem(f"{kind} of {uuid}: {len(reply.content)} bytes of wrong content")
                elif reply.status_code == 404:
                    with world.lock:
                        gone = uuid in world.deleting
                    if not gone:
                        world.problem(f"{kind} of {uuid} answered 404 but nobody deleted it")
                else:
                    world.problem(f"{kind} answered {reply.status_code}")
            elif roll < 0.95:
                uuid, _ = world.pick(tenant)
                if uuid is None:
                    continue
                with world.lock:
                    world.deleting.add(uuid)
                reply = session.delete(f"{base}/v1/attachments/{uuid}", timeout=60)
                if reply.status_code not in (204, 404):
                    world.problem(f"delete answered {reply.status_code}")
                with world.lock:
                    world.attachments[tenant].pop(uuid, None)
                world.count("deletes")
            else:
                other = random.choice([t for t in TENANTS if t != tenant])
                uuid, _ = world.pick(other)
                if uuid is None:
                    continue
                for path in (f"/v1/attachments/{uuid}", f"/v1/attachments/{uuid}/download"):
                    reply = session.get(base + path, timeout=60)
                    if reply.status_code != 404:
                        world.problem(f"cross-tenant {path} answered {reply.status_code}")
                world.count("cross-tenant probes")
        except requests.RequestException as error:
            world.problem(f"transport error: {error}")


def rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=64)
    args = parser.parse_args()
    checks = Checks("soak")
    node = AttacheProcess(args.binary)
    tokens = {}
    for tenant in TENANTS:
        node.cli("tenant", "create", tenant)
        tokens[tenant] = node.cli("token", "create", "--tenant", tenant)[-1]
    world = World()
    with node:
        records = {t: [requests.post(f"{node.base}/v1/records", json={"type": "case"},
                                     headers={"Authorization": f"Bearer {tokens[t]}"}).json()["uuid"] for _ in range(4)] for t in TENANTS}
        deadline = time.time() + args.seconds
        threads = []
        for index in range(args.clients):
            tenant = TENANTS[index % len(TENANTS)]
            threads.append(threading.Thread(target=client, args=(node.base, tenant, tokens[tenant], random.choice(records[tenant]), world, deadline)))
        for thread in threads:
            thread.start()
        samples = []
        while any(thread.is_alive() for thread in threads):
            samples.append(rss(node.server.pid))
            time.sleep(0.5)
        for thread in threads:
            thread.join()
        checks.expect("the server is healthy afterwards", requests.get(node.base + "/readyz").status_code == 200)
        checks.expect("the server process is alive", node.server.poll() is None)
    checks.expect("no transport error, unexpected status or wrong body", not world.problems, "; ".join(world.problems[:8]))
    quarter = max(len(samples) // 4, 1)
    warm, late = max(samples[:2 * quarter] or [0]), max(samples[-quarter:] or [0])
    checks.expect("resident memory stays flat after warm-up", late <= warm * 1.3 + 16, f"warm-up peak {warm} MB, last quarter {late} MB")
    checks.expect("every kind of request ran", all(world.counts.get(k, 0) > 0 for k in ("uploads", "downloads", "ranges", "signed links", "deletes", "cross-tenant probes")), world.counts)
    print(f"{args.clients} clients, {args.seconds:.0f} s: {world.counts}; RSS peak {max(samples or [0])} MB")
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
