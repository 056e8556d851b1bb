#!/usr/bin/env python3
"""Graceful drain of `attache serve` on SIGTERM, with real clients on loopback.

- /readyz answers 503 at once while new requests are still served for --drain-delay;
- then the listener closes, and an upload and a download in flight finish: the upload is stored
  (checked after a restart on the same data folder), the download delivers every byte;
- the process exits 0 once they are done;
- an upload that never finishes is cut off after --drain-seconds and the process exits;
- a second signal stops at once.

Usage: scripts/drain-test.py [path/to/attache]
"""
import hashlib
import json
import os
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from attache_process import wait_until, metric, AttacheProcess, Checks, http  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/attache"
checks = Checks("drain")
expect = checks.expect


def request(base, method, path, token=None, body=None, headers=None):
    status, _, content = http(base, method, path, token, body, headers)
    return status, content


def raw_upload_head(port, token, record, size):
    """Opens a connection and sends the head of a raw upload of `size` bytes; returns the socket."""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(
        f"POST /v1/records/{record}/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n"
        f"Content-Length: {size}\r\n\r\n".encode()
    )
    return connection


def read_response(connection):
    connection.settimeout(30)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head else 0
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
    while len(rest) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, rest


def wait_exit(process, seconds):
    try:
        return process.wait(timeout=seconds)
    except Exception:  # noqa: BLE001 - a timeout is reported as None
        return None


def main():
    # 1. Uploads and downloads in flight finish; the server exits 0 afterwards.
    node = AttacheProcess(BIN, keep_data=True, serve_args=["--drain-delay", "1", "--drain-seconds", "20"])
    node.cli("tenant", "create", "acme")
    token = node.cli("token", "create", "--tenant", "acme")[-1]
    big = b"".join(b"%015d\n" % i for i in range(2_500_000))  # 40 MB of text
    body = b"line of text\n" * 300_000
    with node:
        base = node.base
        _, created = request(base, "POST", "/v1/records", token, json.dumps({"type": "contact"}).encode(), {"Content-Type": "application/json"})
        record = json.loads(created)["uuid"]
        _, stored = request(base, "POST", "/v1/files", token, big, {"Content-Type": "text/plain", "Content-Disposition": "attachment; filename=\"big.txt\""})
        big_id = json.loads(stored)["id"]

        upload = raw_upload_head(node.port, token, record, len(body))
        upload.sendall(body[: len(body) // 2])
        download = socket.create_connection(("127.0.0.1", node.port))
        download.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        download.sendall(f"GET /v1/files/{big_id}/download HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
        first = download.recv(65536)
        expect("the download has started", first.startswith(b"HTTP/1.1 200"), first[:40])
        expect("the upload is in flight", wait_until(lambda: metric(base, "attache_uploads_in_flight") == 1), metric(base, "attache_uploads_in_flight"))

        signalled = time.monotonic()
        node.server.send_signal(signal.SIGTERM)
        expect("/readyz answers 503 once draining", wait_until(lambda: request(base, "GET", "/readyz")[0] == 503, 5))
        status, _ = request(base, "GET", "/v1/records", token)
        expect("new requests are still served during --drain-delay", status == 200, status)

        def refused():
            try:
                socket.create_connection(("127.0.0.1", node.port), timeout=1).close()
                return False
            except OSError:
                return True
        closed = wait_until(refused, 10)
        elapsed = time.monotonic() - signalled
        expect("the listener is closed after the delay (1 s)", closed and elapsed >= 0.9, round(elapsed, 2))

        upload.sendall(body[len(body) // 2:])
        status, answer = read_response(upload)
        expect("the upload in flight is stored", status == 201, (status, answer[:200]))
        received = first.partition(b"\r\n\r\n")[2]
        download.settimeout(30)
        while len(received) < len(big):
            chunk = download.recv(1 << 20)
            if not chunk:
                break
            received += chunk
        expect("the download in flight delivers every byte", hashlib.sha256(received).digest() == hashlib.sha256(big).digest(), len(received))
        code = wait_exit(node.server, 10)
        expect("the process exits 0 once they are done", code == 0, code)
    node.keep_data = False
    with node:
        status, content = request(node.base, "GET", f"/v1/records/{record}/attachments", token)
        items = json.loads(content)["items"] if status == 200 else []
        expect("the drained upload is there after a restart", [item["size"] for item in items] == [len(body)], items)

    # 2. An upload that never finishes is cut off after --drain-seconds.
    stuck = AttacheProcess(BIN, serve_args=["--drain-delay", "0", "--drain-seconds", "2", "--idle-timeout", "60"])
    stuck.cli("tenant", "create", "acme")
    token = stuck.cli("token", "create", "--tenant", "acme")[-1]
    with stuck:
        _, created = request(stuck.base, "POST", "/v1/records", token, json.dumps({"type": "contact"}).encode(), {"Content-Type": "application/json"})
        record = json.loads(created)["uuid"]
        hanging = raw_upload_head(stuck.port, token, record, 10_000_000)
        hanging.sendall(b"x" * 1000)
        expect("the stuck upload is in flight", wait_until(lambda: metric(stuck.base, "attache_uploads_in_flight") == 1))
        started = time.monotonic()
        stuck.server.send_signal(signal.SIGTERM)
        code = wait_exit(stuck.server, 15)
        elapsed = time.monotonic() - started
        expect("a stuck upload is cut off after --drain-seconds", code is not None and 1.5 <= elapsed <= 8, (code, round(elapsed, 1)))
        hanging.close()

    # 3. A second signal stops at once.
    twice = AttacheProcess(BIN, serve_args=["--drain-delay", "10"])
    with twice:
        twice.server.send_signal(signal.SIGTERM)
        expect("the first signal starts the drain", wait_until(lambda: request(twice.base, "GET", "/readyz")[0] == 503, 5))
        started = time.monotonic()
        twice.server.send_signal(signal.SIGTERM)
        code = wait_exit(twice.server, 5)
        expect("a second signal stops at once", code is not None and code != 0 and time.monotonic() - started < 3, code)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
