#!/usr/bin/env python3
"""How long a change takes to reach a healthy webhook receiver: uploads a new small file every
`interval` seconds to a running server (whose tenant has an endpoint pointing here for
`attachment.created`), and measures from the moment the upload's answer arrives to the moment its
delivery does. Prints p50, p95 and the longest, in milliseconds.

Usage: bench/webhook-latency.py BASE_URL ADMIN_TOKEN COUNT INTERVAL_SECONDS
"""
import json
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE, TOKEN, COUNT, INTERVAL = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
arrived = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        at = time.monotonic()
        attachment = json.loads(body)["data"]["attachment"]
        with lock:
            arrived.setdefault(attachment, at)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def call(method, path, payload=None, body=None, content_type="application/json"):
    data = body if body is not None else (json.dumps(payload).encode() if payload is not None else None)
    request = urllib.request.Request(BASE + path, data=data, method=method, headers={"Authorization": f"Bearer {TOKEN}"})
    if data is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


receiver = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
call("POST", "/v1/webhooks", {"url": f"http://127.0.0.1:{receiver.server_address[1]}/hook", "events": ["attachment.created"]})
record = call("POST", "/v1/records", {"type": "property"})["uuid"]
answered = {}
nonce = time.time_ns()
for index in range(COUNT):
    started = time.monotonic()
    text = f"{nonce}-{index}\n".encode()
    form = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.txt\"\r\n\r\n" + text + b"\r\n--b--\r\n"
    uuid = call("POST", f"/v1/records/{record}/attachments", body=form, content_type="multipart/form-data; boundary=b")["uuid"]
    answered[uuid] = time.monotonic()
    time.sleep(max(0.0, INTERVAL - (time.monotonic() - started)))
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    with lock:
        if all(uuid in arrived for uuid in answered):
            break
    time.sleep(0.05)
with lock:
    latencies = sorted((arrived[uuid] - at) * 1000 for uuid, at in answered.items() if uuid in arrived)
missing = len(answered) - len(latencies)
if not latencies:
    print(f"no delivery arrived ({missing} missing)")
    sys.exit(1)
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"{pick(0.5):.0f} {pick(0.95):.0f} {latencies[-1]:.0f} {missing}")
