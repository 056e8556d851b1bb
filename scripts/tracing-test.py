#!/usr/bin/env python3
"""Span export of `attache serve --otlp-endpoint` to a small OTLP/HTTP receiver started here, in both
encodings (http/protobuf, decoded with a minimal wire-format reader; http/json).

- an upload that carries a W3C `traceparent` becomes a server span in the caller's trace, a child of
  the caller's span, named by its route, with the server span's id in `traceresponse`; its
  upload.receive, upload.scan (with clamd), upload.store and upload.commit spans nest in it;
- a download without a trace starts one: download.open and download.send (with the bytes sent);
- a problem body's traceId is the exported span's trace; a 404 is recorded on the span;
- a caller that does not sample (flags 00) gets its trace id back and no span is exported;
- spans still queued when the server stops are flushed.

Usage: scripts/tracing-test.py [path/to/attache]   (ATTACHE_TEST_CLAMD=unix:… adds the scan span)
"""
import base64
import json
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(__file__))
from attache_process import AttacheProcess, Checks, http as request  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/attache"
CLAMD = os.environ.get("ATTACHE_TEST_CLAMD", "")
checks = Checks("tracing")
expect = checks.expect


# A minimal protobuf reader: a message is {field number: [values]}, varints as ints, the rest as bytes.
def varint(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def message(data):
    fields, at = {}, 0
    while at < len(data):
        key, at = varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = varint(data, at)
        elif wire == 1:
            value, at = data[at:at + 8], at + 8
        elif wire == 2:
            length, at = varint(data, at)
            value, at = data[at:at + length], at + length
        elif wire == 5:
            value, at = data[at:at + 4], at + 4
        else:
            raise ValueError(f"wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


def protobuf_spans(body):
    """ExportTraceServiceRequest → [span] in the JSON mapping's shape (ids as hex)."""
    spans = []
    for resource_spans in message(body).get(1, []):
        for scope_spans in message(resource_spans).get(2, []):
            for raw in message(scope_spans).get(2, []):
                span = message(raw)
                attributes = {}
                for raw_attribute in span.get(9, []):
                    attribute = message(raw_attribute)
                    value = message(attribute[2][0]) if 2 in attribute else {}
                    if 1 in value:
                        attributes[attribute[1][0].decode()] = value[1][0].decode()
                    elif 2 in value:
                        attributes[attribute[1][0].decode()] = bool(value[2][0])
                    elif 3 in value:
                        attributes[attribute[1][0].decode()] = value[3][0]
                status = message(span[15][0]) if 15 in span else {}
                spans.append({
                    "traceId": span[1][0].hex(), "spanId": span[2][0].hex(),
                    "parentSpanId": span.get(4, [b""])[0].hex(), "name": span[5][0].decode(),
                    "kind": span.get(6, [0])[0], "attributes": attributes, "status": status.get(3, [0])[0],
                })
    return spans


def hex_id(text):
    """OTLP/JSON ids are hex; protobuf's JSON mapping writes bytes as base64: accept both."""
    if not text:
        return ""
    if len(text) in (16, 32) and all(c in "0123456789abcdefABCDEF" for c in text):
        return text.lower()
    return base64.b64decode(text).hex()


def json_spans(body):
    spans = []
    for resource_spans in json.loads(body).get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                attributes = {}
                for attribute in span.get("attributes", []):
                    value = attribute.get("value", {})
                    for kind in ("stringValue", "boolValue", "intValue"):
                        if kind in value:
                            attributes[attribute["key"]] = int(value[kind]) if kind == "intValue" else value[kind]
                spans.append({
                    "traceId": hex_id(span.get("traceId")), "spanId": hex_id(span.get("spanId")),
                    "parentSpanId": hex_id(span.get("parentSpanId")), "name": span.get("name"),
                    "kind": span.get("kind", 0), "attributes": attributes,
                    "status": span.get("status", {}).get("code", 0),
                })
    return spans


class Receiver(BaseHTTPRequestHandler):
    """POST /v1/traces: keeps every span, answers an empty ExportTraceServiceResponse."""
    spans, content_types, lock = [], set(), threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        content_type = self.headers.get("Content-Type", "")
        decoded = json_spans(body) if content_type.startswith("application/json") else protobuf_spans(body)
        with Receiver.lock:
            Receiver.content_types.add((self.path, content_type))
            Receiver.spans.extend(decoded)
        answer = b"{}" if content_type.startswith("application/json") else b""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def spans_of(trace_id, wanted, seconds=10):
    """The exported spans of one trace, once every name in `wanted` has arrived (or the time is up)."""
    deadline = time.time() + seconds
    while True:
        with Receiver.lock:
            found = [span for span in Receiver.spans if span["traceId"] == trace_id]
        if wanted <= {span["name"] for span in found} or time.time() > deadline:
            return found
        time.sleep(0.1)


def run(protocol, receiver_port):
    with Receiver.lock:
        Receiver.spans.clear()
        Receiver.content_types.clear()
    serve_args = ["--otlp-endpoint", f"http://127.0.0.1:{receiver_port}", "--otlp-protocol", protocol]
    if CLAMD:
        serve_args += ["--clamd", CLAMD]
    node = AttacheProcess(BIN, serve_args=serve_args)
    node.cli("tenant", "create", "acme")
    token = node.cli("token", "create", "--tenant", "acme")[-1]
    os.environ["OTEL_BSP_SCHEDULE_DELAY"] = "100"
    with node:
        # An upload in the caller's trace.
        trace, caller = secrets.token_hex(16), secrets.token_hex(8)
        content = b"tracing test\n" * 1000
        status, headers, body = request(node.base, "POST", "/v1/files", token, content, {
            "Content-Type": "text/plain", "Content-Disposition": 'attachment; filename="trace.txt"',
            "traceparent": f"00-{trace}-{caller}-01",
        })
        expect(f"{protocol}: the upload is stored", status == 201, (status, body[:200]))
        file_id = json.loads(body)["id"] if status == 201 else 0
        response_parent = headers.get("traceresponse", "")
        expect(f"{protocol}: traceresponse names the caller's trace", response_parent.startswith(f"00-{trace}-"), response_parent)
        server_span_id = response_parent[36:52]
        stages = {"upload.receive", "upload.store", "upload.commit"} | ({"upload.scan"} if CLAMD else set())
        spans = spans_of(trace, {"POST /v1/files"} | stages)
        by_name = {span["name"]: span for span in spans}
        server = by_name.get("POST /v1/files")
        expect(f"{protocol}: the server span is named by its route", server is not None, sorted(by_name))
        if server:
            expect(f"{protocol}: the server span is the caller's child", server["parentSpanId"] == caller, server)
            expect(f"{protocol}: traceresponse is the server span", server["spanId"] == server_span_id, (server, response_parent))
            expect(f"{protocol}: the server span is of kind server", server["kind"] in (2, "SPAN_KIND_SERVER"), server["kind"])
            attributes = server["attributes"]
            expect(f"{protocol}: the server span has HTTP attributes",
                   attributes.get("http.route") == "/v1/files" and attributes.get("http.response.status_code") == 201
                   and attributes.get("http.request.method") == "POST" and attributes.get("attache.face") == "native"
                   and attributes.get("attache.tenant") == "acme", attributes)
        for stage in sorted(stages - {"upload.scan"}):
            span = by_name.get(stage)
            expect(f"{protocol}: {stage} nests in the server span", span is not None and span["parentSpanId"] == server_span_id, span)
        if CLAMD:
            scan, receive = by_name.get("upload.scan"), by_name.get("upload.receive", {})
            expect(f"{protocol}: upload.scan (the verdict once the last byte is in) nests in upload.receive",
                   scan is not None and scan["parentSpanId"] == receive.get("spanId") and scan["attributes"].get("attache.scan.clean") is True, scan)

        # A download that starts its own trace.
        status, headers, body = request(node.base, "GET", f"/v1/files/{file_id}/download", token)
        expect(f"{protocol}: the download is served", status == 200 and body == content, status)
        own = headers.get("traceresponse", "")
        spans = spans_of(own[3:35], {"GET /v1/files/{id}/download", "download.open", "download.send"})
        by_name = {span["name"]: span for span in spans}
        server = by_name.get("GET /v1/files/{id}/download")
        expect(f"{protocol}: the download's server span starts a trace", server is not None and server["parentSpanId"] == "", server)
        send = by_name.get("download.send")
        expect(f"{protocol}: download.open nests in it", "download.open" in by_name and by_name["download.open"]["parentSpanId"] == own[36:52], spans)
        expect(f"{protocol}: download.send counts the bytes sent",
               send is not None and send["parentSpanId"] == own[36:52] and send["attributes"].get("attache.bytes") == len(content), send)

        # A problem names the exported trace.
        status, headers, body = request(node.base, "GET", "/v1/files/987654", token)
        problem = json.loads(body) if status == 404 else {}
        spans = spans_of(problem.get("traceId", "-"), {"GET /v1/files/{id}"})
        expect(f"{protocol}: a problem's traceId is the exported span's trace",
               any(span["name"] == "GET /v1/files/{id}" and span["attributes"].get("http.response.status_code") == 404 for span in spans),
               (problem, spans))

        # A caller that does not sample keeps its trace id and exports nothing.
        quiet = secrets.token_hex(16)
        status, headers, _ = request(node.base, "GET", "/v1/records", token, headers={"traceparent": f"00-{quiet}-{secrets.token_hex(8)}-00"})
        expect(f"{protocol}: an unsampled caller's trace id comes back", headers.get("traceresponse", "").startswith(f"00-{quiet}-"), headers)

        # Wait for the export of a sampled request made after it (spans are exported in the order they
        # end), then look for the unsampled one's.
        marker = secrets.token_hex(16)
        request(node.base, "GET", "/healthz", headers={"traceparent": f"00-{marker}-{secrets.token_hex(8)}-01"})
        expect(f"{protocol}: a sampled request made after it is exported", any(span["name"] == "GET /healthz" for span in spans_of(marker, {"GET /healthz"})), marker)
        expect(f"{protocol}: spans of an unsampled caller are not exported", not spans_of(quiet, set(), 0), quiet)

    # Spans still queued when the server stops are sent (the schedule delay here is a minute).
    os.environ["OTEL_BSP_SCHEDULE_DELAY"] = "60000"
    node = AttacheProcess(BIN, serve_args=serve_args)
    last = secrets.token_hex(16)
    with node:
        request(node.base, "GET", "/healthz", headers={"traceparent": f"00-{last}-{secrets.token_hex(8)}-01"})
    flushed = spans_of(last, {"GET /healthz"}, 5)
    expect(f"{protocol}: queued spans are sent when the server stops", any(span["name"] == "GET /healthz" for span in flushed), flushed)
    with Receiver.lock:
        paths = {path for path, _ in Receiver.content_types}
        types = {content_type for _, content_type in Receiver.content_types}
    wanted_type = "application/json" if protocol == "http/json" else "application/x-protobuf"
    expect(f"{protocol}: spans go to /v1/traces as {wanted_type}", paths == {"/v1/traces"} and types == {wanted_type}, (paths, types))


def main():
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        for protocol in ("http/protobuf", "http/json"):
            run(protocol, receiver.server_address[1])
    finally:
        receiver.shutdown()
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
