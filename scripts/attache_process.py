"""Shared by the Python test scripts: a real `attache serve` on a fresh data folder, a tally of checks,
one HTTP call, and a TCP proxy that cuts connections or moves them to another node."""
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request


def http(base, method, path, token=None, body=None, headers=None):
    """One request; returns (status, headers, body), error statuses included."""
    request = urllib.request.Request(base + path, data=body, method=method, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until(condition, seconds=10, step=0.02):
    """Asks `condition` until it is true or `seconds` have passed (a wait for a condition, not a sleep).
    Returns its last answer."""
    deadline = time.monotonic() + seconds
    while True:
        answer = condition()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(step)


def metric(base, name):
    """The value of an unlabelled metric on the server's /metrics, or None."""
    try:
        with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def start_serve(binary, data, *args, limit=30):
    """Starts `attache serve --port 0` on `data` and waits (at most `limit` seconds) until it listens and
    `/healthz` answers. Returns (process, port); raises RuntimeError naming what did not happen."""
    port_file = os.path.join(data, f"serve-{os.getpid()}-{time.monotonic_ns()}.port")
    process = subprocess.Popen([binary, "serve", "--data", data, "--port", "0", "--port-file", port_file, *args])
    deadline = time.monotonic() + limit
    port = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"attache serve exited with {process.returncode} before listening")
        if port is None and os.path.exists(port_file):
            with open(port_file) as handle:
                port = int(handle.read())
            os.remove(port_file)
        if port is not None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    return process, port
            except OSError:
                pass
        time.sleep(0.02)
    process.kill()
    process.wait()
    raise RuntimeError(f"attache serve did not {'answer /healthz' if port else 'listen'} within {limit} s")


class AttacheProcess:
    """Runs the binary's CLI on a temporary data folder and serves it on a port the server picks
    (`--port 0 --port-file`: no race with another process for a port chosen beforehand); `port` and
    `base` are known once it runs."""

    def __init__(self, binary, keep_data=False, serve_args=()):
        """With `keep_data` the data folder outlives the server (call `remove()` when done with it);
        `serve_args` are added to `attache serve`."""
        self.binary = binary
        self.keep_data = keep_data
        self.serve_args = list(serve_args)
        self.data = tempfile.mkdtemp()
        self.port = None
        self.base = None
        self.server = None

    def cli(self, *args, limit=120):
        """Runs `attache ARGS --data …` (at most `limit` seconds) and returns its output lines."""
        done = subprocess.run([self.binary, *args, "--data", self.data], check=True, capture_output=True, text=True, timeout=limit)
        return done.stdout.strip().splitlines()

    def __enter__(self):
        self.server, self.port = start_serve(self.binary, self.data, "--log-level", "error", *self.serve_args)
        self.base = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc):
        self.server.terminate()
        try:
            self.server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
            raise RuntimeError("attache serve did not stop within 60 s of SIGTERM")
        if not self.keep_data:
            self.remove()

    def remove(self):
        """Deletes the data folder."""
        shutil.rmtree(self.data, ignore_errors=True)


class Checks:
    """Counts passed and failed checks and prints the closing 'N passed, N failed' line."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def expect(self, label, condition, detail=""):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {label} {detail}")
        return condition

    def summary(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


class TCPProxy:
    """A loopback TCP proxy in front of an `attache serve`, for the bad day: `cut_after(n)` cuts the
    next connection that has sent n more bytes to the server, in the middle of its request; `switch(port)`
    sends new connections to another node (a load balancer moving away from a node that died)."""

    def __init__(self, port):
        self.target = port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.budget = None
        self.cuts = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def cut_after(self, count):
        with self.lock:
            self.budget = count

    def switch(self, port):
        with self.lock:
            self.target = port

    def accept(self):
        while True:
            downstream, _ = self.listener.accept()
            with self.lock:
                target = self.target
            try:
                upstream = socket.create_connection(("127.0.0.1", target))
            except OSError:
                downstream.close()
                continue
            threading.Thread(target=self.pump, args=(downstream, upstream, True), daemon=True).start()
            threading.Thread(target=self.pump, args=(upstream, downstream, False), daemon=True).start()

    def pump(self, source, sink, to_server):
        try:
            while data := source.recv(1 << 16):
                if to_server:
                    with self.lock:
                        if self.budget is not None:
                            self.budget -= len(data)
                            if self.budget <= 0:
                                self.budget = None
                                self.cuts += 1
                                raise ConnectionResetError("cut by the test")
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
