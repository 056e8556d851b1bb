#!/usr/bin/env python3
"""`attache serve` keeps running with every option that replaces or removes a background task, and
says why whenever it stops.

- `--signing-key` (and `ATTACHE_SIGNING_KEY`), `--gc-interval 0`, `--metrics-address`, `--otlp-endpoint`
  and all of them at once: the server is ready, still serves after its background loops had time to
  end, and a SIGTERM stops it with exit 0 and an info line `attache stopped` ("drained after SIGTERM");
- two nodes sharing one `--signing-key` open each other's signed links;
- a service that cannot run (the metrics listener's port is taken) stops the process with a non-zero
  exit and an error line naming the reason — never a quiet exit 0.

Usage: scripts/serve-test.py [path/to/attache]
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from attache_process import Checks, http  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/attache"
KEY = "9f" * 32
checks = Checks("serve")
expect = checks.expect


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Node:
    """`attache serve` with JSON logs at info level kept in a file, on a data folder that may be shared."""

    def __init__(self, data, args=(), env=None):
        self.data = data
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(mode="w+", suffix=".log", delete=False)
        environment = dict(os.environ)
        environment.update(env or {})
        self.process = subprocess.Popen(
            [BIN, "serve", "--data", data, "--port", str(self.port), "--log-format", "json", "--log-level", "info", *args],
            stdout=subprocess.DEVNULL, stderr=self.log, env=environment,
        )

    def wait_ready(self, seconds=30):
        """True once /readyz answers 200; False if the process exits or the time runs out first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return True
            except (OSError, urllib.error.HTTPError):
                pass
            time.sleep(0.05)
        return False

    def lines(self):
        with open(self.log.name) as log:
            return [json.loads(line) for line in log if line.startswith("{")]

    def stopped_line(self):
        return next((line for line in self.lines() if line.get("message") == "attache stopped"), None)

    def stop(self, seconds=20):
        """SIGTERM, then the exit code (None if it did not exit in time; then it is killed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None


def cli(data, *args, env=None):
    environment = dict(os.environ)
    environment.update(env or {})
    done = subprocess.run([BIN, *args, "--data", data], check=True, capture_output=True, text=True, timeout=60, env=environment)
    return done.stdout.strip().splitlines()


def keeps_serving(node, token, seconds=2.0):
    """Requests for `seconds` (the background loops ended within milliseconds when the bug was there):
    True when every one answered 200 and the process is still running."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if node.process.poll() is not None:
            return False
        try:
            status, _, _ = http(node.base, "GET", "/v1/records?limit=1", token)
        except OSError:
            return False
        if status != 200:
            return False
        time.sleep(0.1)
    return node.process.poll() is None


def signed_link(node, token):
    """Uploads a small file and returns its signed download link (relative to the node)."""
    status, _, body = http(node.base, "POST", "/v1/files", token, b"%PDF-1.7\n% a lease\n",
                           {"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="lease.pdf"'})
    url = json.loads(body)["downloadUrl"] if status == 201 else ""
    return url[url.index("/v1/"):] if "/v1/" in url else url


def clean_run(label, args=(), env=None):
    """One node with `args`: ready, keeps serving, SIGTERM → exit 0 and the info line."""
    data = tempfile.mkdtemp()
    cli(data, "tenant", "create", "acme")
    token = cli(data, "token", "create", "--tenant", "acme")[-1]
    node = Node(data, args, env)
    try:
        expect(f"{label}: ready", node.wait_ready(), node.log.name)
        expect(f"{label}: still serving after its background loops had time to end", keeps_serving(node, token), node.log.name)
        status, _, _ = http(node.base, "GET", signed_link(node, token))
        expect(f"{label}: a signed link opens", status == 200, status)
    finally:
        code = node.stop()
    expect(f"{label}: SIGTERM stops it with exit 0", code == 0, code)
    stopped = node.stopped_line()
    expect(f"{label}: the log says it stopped and why, at info", stopped is not None and stopped.get("level") == "info"
           and stopped.get("reason") == "drained after SIGTERM", stopped)


def main():
    clean_run("--signing-key", ["--signing-key", KEY])
    clean_run("ATTACHE_SIGNING_KEY", env={"ATTACHE_SIGNING_KEY": KEY})
    clean_run("--gc-interval 0", ["--gc-interval", "0"])
    clean_run("--metrics-address", ["--metrics-address", f"127.0.0.1:{free_port()}"])
    # Nothing listens there: exports fail quietly in the background, the server goes on.
    clean_run("--otlp-endpoint", ["--otlp-endpoint", f"http://127.0.0.1:{free_port()}"])
    clean_run("every option at once", ["--signing-key", KEY, "--gc-interval", "0", "--metrics-address",
                                       f"127.0.0.1:{free_port()}", "--otlp-endpoint", f"http://127.0.0.1:{free_port()}"])

    # Two nodes sharing one key open each other's links.
    data = tempfile.mkdtemp()
    cli(data, "tenant", "create", "acme")
    token = cli(data, "token", "create", "--tenant", "acme")[-1]
    first, second = Node(data, ["--signing-key", KEY]), Node(data, ["--signing-key", KEY])
    try:
        expect("two nodes with one key: both ready", first.wait_ready() and second.wait_ready())
        link = signed_link(first, token)
        status, _, body = http(second.base, "GET", link)
        expect("a link signed by one node opens on the other", status == 200 and body.startswith(b"%PDF"), status)
        expect("both still serving", keeps_serving(first, token, 1.0) and keeps_serving(second, token, 1.0))
    finally:
        codes = (first.stop(), second.stop())
    expect("both stop with exit 0", codes == (0, 0), codes)

    # The request id has one name in text and in JSON lines.
    data = tempfile.mkdtemp()
    cli(data, "tenant", "create", "acme")
    token = cli(data, "token", "create", "--tenant", "acme")[-1]
    for format_name in ("text", "json"):
        node = Node(data, ["--signing-key", KEY, "--log-format", format_name])
        try:
            expect(f"{format_name} logs: ready", node.wait_ready())
            _, headers, _ = http(node.base, "GET", "/v1/records", token)
            request_id = headers.get("X-Request-Id", "")
        finally:
            node.stop()
        with open(node.log.name) as log:
            text = log.read()
        named = f"request_id={request_id}" if format_name == "text" else f'"request_id":"{request_id}"'
        expect(f"{format_name} logs name the request id request_id", request_id != "" and named in text and "hb.request.id" not in text,
               (request_id, text[-600:]))

    # A service that cannot run stops the process, non-zero, with the reason at error level.
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    data = tempfile.mkdtemp()
    node = Node(data, ["--signing-key", KEY, "--metrics-address", f"127.0.0.1:{taken.getsockname()[1]}"])
    try:
        code = node.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        code = node.stop()
    taken.close()
    expect("a metrics port already taken: exit 1", code == 1, code)
    stopped = node.stopped_line()
    expect("the log says why, at error level", stopped is not None and stopped.get("level") == "error"
           and "ddress already in use" in stopped.get("reason", ""), stopped)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
