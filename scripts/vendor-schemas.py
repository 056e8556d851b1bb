#!/usr/bin/env python3
"""Checks Attache's HighLevel and ONLYOFFICE responses against the vendors' official OpenAPI schemas.

Starts the built binary on a fresh data folder, drives both faces over HTTP, and validates every
response body with jsonschema against the vendors' official response schemas, as resolved into
Tests/Fixtures/vendor-response-schemas.json (rebuilt with --extract from ../shared/spec/official/, never
copied). Usage: scripts/vendor-schemas.py [path/to/attache]
"""
import json
import os
import sys
import urllib.request
import uuid

import jsonschema

from attache_process import AttacheProcess, Checks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OFFICIAL = os.path.join(ROOT, "..", "shared", "spec", "official")
# The resolved response schemas the checks use, kept in the repository so a clone alone runs them.
# `--extract` (for maintainers with the vendors' official specs beside the repository) rebuilds it.
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "vendor-response-schemas.json")
EXTRACT = "--extract" in sys.argv
ARGS = [a for a in sys.argv[1:] if a != "--extract"]
BIN = ARGS[0] if ARGS else os.path.join(ROOT, ".build", "debug", "attache")
if EXTRACT:
    fixture = {"schemas": {}, "examples": {}, "operations": {}}
else:
    with open(FIXTURE) as handle:
        fixture = json.load(handle)
checks = Checks("vendor-schemas")


def load(relative):
    with open(os.path.join(OFFICIAL, relative)) as handle:
        return json.load(handle)


def inline(node, document, path):
    """Replaces every $ref (local or ../common/…) with the schema it names."""
    if isinstance(node, dict):
        if "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            source_path = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
            source = load(os.path.relpath(source_path, OFFICIAL)) if target else document
            resolved = source
            for part in pointer.strip("/").split("/"):
                resolved = resolved[part]
            return inline(resolved, source, source_path)
        return {key: inline(value, document, path) for key, value in node.items()}
    if isinstance(node, list):
        return [inline(value, document, path) for value in node]
    return node


def schema(relative, name):
    key = f"{relative}#{name}"
    if EXTRACT:
        document = load(relative)
        fixture["schemas"][key] = inline(document["components"]["schemas"][name], document, os.path.join(OFFICIAL, relative))
    return fixture["schemas"][key]


def example(relative, schema_name, prop):
    key = f"{relative}#{schema_name}.{prop}"
    if EXTRACT:
        fixture["examples"][key] = load(relative)["components"]["schemas"][schema_name]["properties"][prop]["example"]
    return fixture["examples"][key]


def operations(relative):
    if EXTRACT:
        fixture["operations"][relative] = sorted(load(relative)["paths"])
    return fixture["operations"][relative]


def schema_from_example(example):
    """A schema with the types of an official example (used for HighLevel's FileField value)."""
    if isinstance(example, dict):
        return {"type": "object", "required": sorted(example), "properties": {k: schema_from_example(v) for k, v in example.items()}}
    if isinstance(example, bool):
        return {"type": "boolean"}
    if isinstance(example, (int, float)):
        return {"type": "number"}
    return {"type": "string"}


def strict(node, optional=()):
    """The schema with every property of every object required (the vendors' schemas require none, so
    an error body would pass), but for `optional` names, which the vendor's page shows as absent at times."""
    if isinstance(node, dict):
        node = {key: strict(value, optional) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node["required"] = sorted(name for name in node["properties"] if name not in optional)
        return node
    if isinstance(node, list):
        return [strict(value, optional) for value in node]
    return node


# A file field without a limit has no `maxFileLimit`.
NO_LIMIT = ("maxFileLimit",)
# What HighLevel's contact page shows that Attache does not keep (it holds a record's identity and
# files, not the person's details): absent from Attache's contacts.
CONTACT_DATA_NOT_KEPT = (
    "address1", "assignedTo", "attributionSource", "businessId", "city", "companyName", "country", "dateOfBirth", "dnd",
    "dndSettings", "email", "emailLowerCase", "firstName", "firstNameLowerCase", "fullNameLowerCase", "keyword", "lastActivity",
    "lastAttributionSource", "lastName", "lastNameLowerCase", "phone", "postalCode", "source", "ssn", "state", "timezone",
    "visitorId", "website",
)


def check(name, instance, against, status=None, expected_status=200, optional=()):
    """The answer's status is the one the vendor's page gives, and its body has every field the page shows."""
    if status is not None:
        checks.expect(f"{name} status", status == expected_status, f"{status}, expected {expected_status}: {str(instance)[:200]}")
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(strict(against, optional)).iter_errors(instance))
    checks.expect(name, error is None, error and f"{error.message} at {list(error.absolute_path)}")


expect = checks.expect


def request(method, url, headers=None, body=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def multipart(parts):
    boundary = "schema-check-" + uuid.uuid4().hex
    body = b""
    for name, filename, content in parts:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n\r\n'.encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def main():
    attache = AttacheProcess(BIN)
    attache.cli("tenant", "create", "acme")
    token = attache.cli("token", "create", "--tenant", "acme")[-1]
    password = attache.cli("token", "create", "--tenant", "acme", "--kind", "onlyoffice", "--user", "jan")[-1]
    with attache:
        run_highlevel(attache.base, token)
        run_onlyoffice(attache.base, token, password)
    if EXTRACT:
        os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
        with open(FIXTURE, "w") as handle:
            json.dump(fixture, handle, indent=1, sort_keys=True)
            handle.write("\n")
    return checks.summary()


def run_highlevel(base, token):
    forms, contacts, fields = "highlevel/apps/forms.json", "highlevel/apps/contacts.json", "highlevel/apps/locations.customFields.extract.json"
    common = "highlevel/common/common-schemas.json"
    auth = {"Authorization": f"Bearer {token}", "Version": "2021-07-28"}
    json_headers = {**auth, "Content-Type": "application/json"}
    _, record = request("POST", base + "/v1/records", {**json_headers}, json.dumps({"type": "contact", "title": "Mia"}).encode())
    contact = record["uuid"]

    status, created = request("POST", base + "/locations/acme/customFields", json_headers,
                              json.dumps({"name": "Documents", "dataType": "FILE_UPLOAD", "isMultipleFile": True}).encode())
    check("POST customFields", created, schema(fields, "CustomFieldSuccessfulResponseDto"), status, 201, optional=NO_LIMIT)
    field = created["customField"]["id"]
    status, listed = request("GET", base + "/locations/acme/customFields", auth)
    check("GET customFields", listed, schema(fields, "CustomFieldsListSuccessfulResponseDto"), status, 200, optional=NO_LIMIT)
    status, one = request("GET", base + f"/locations/acme/customFields/{field}", auth)
    check("GET customField", one, schema(fields, "CustomFieldSuccessfulResponseDto"), status, 200, optional=NO_LIMIT)
    status, updated = request("PUT", base + f"/locations/acme/customFields/{field}", json_headers, json.dumps({"name": "Docs"}).encode())
    check("PUT customField", updated, schema(fields, "CustomFieldSuccessfulResponseDto"), status, 200, optional=NO_LIMIT)

    body, content_type = multipart([(f"{field}_{uuid.uuid4()}", "lease.pdf", b"%PDF-1.7\nlease"), (f"{field}_{uuid.uuid4()}", "notes.txt", b"hello")])
    status, uploaded = request("POST", base + f"/forms/upload-custom-files?contactId={contact}&locationId=acme", {**auth, "Content-Type": content_type}, body)
    contact_schema = schema(contacts, "ContactsByIdSuccessfulResponseDto")
    file_value = example(contacts, "FileField", "field_value")
    entry_schema = schema_from_example(next(iter(file_value.values())))
    # A file field's value is the official FileField value (an object keyed by file id), where
    # GetContectByIdSchema's generic CustomFieldSchema types `value` as a string.
    contact_schema["properties"]["contact"]["properties"]["customFields"]["items"]["properties"]["value"] = {
        "type": "object", "additionalProperties": entry_schema
    }
    check("POST upload-custom-files", uploaded, contact_schema, status, 200, optional=CONTACT_DATA_NOT_KEPT)
    status, fetched = request("GET", base + f"/contacts/{contact}", auth)
    check("GET contact", fetched, contact_schema, status, 200, optional=CONTACT_DATA_NOT_KEPT)

    status, unauthorized = request("GET", base + f"/contacts/{contact}", {"Authorization": "Bearer nope", "Version": "2021-07-28"})
    check("401 body", unauthorized, schema(common, "UnauthorizedDTO"), status, 401)
    status, bad = request("GET", base + f"/contacts/{contact}", {"Authorization": f"Bearer {token}"})
    check("400 body", bad, schema(common, "BadRequestDTO"), status, 400)
    body, content_type = multipart([(f"{field}_x", "setup.exe", b"MZ\x90\x00")])
    status, unprocessable = request("POST", base + f"/forms/upload-custom-files?contactId={contact}&locationId=acme", {**auth, "Content-Type": content_type}, body)
    check("422 body", unprocessable, schema(common, "UnprocessableDTO"), status, 422)
    status, deleted = request("DELETE", base + f"/locations/acme/customFields/{field}", auth)
    check("DELETE customField", deleted, schema(fields, "CustomFieldDeleteSuccessfulResponseDto"), status, 200)
    expect("forms spec has the upload operation", "/forms/upload-custom-files" in operations(forms))


def run_onlyoffice(base, token, password):
    spec = "onlyoffice-workspace-crm-files.extract.json"
    status, signed_in = request("POST", base + "/api/2.0/authentication", {"Content-Type": "application/json"},
                                json.dumps({"userName": "jan", "password": password}).encode())
    expect("authentication status", status == 201, status)
    expect("authentication envelope", signed_in.get("statusCode") == 201 and "token" in signed_in.get("response", {}), signed_in)
    oo = {"Authorization": signed_in["response"]["token"]}
    _, record = request("POST", base + "/v1/records", {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                        json.dumps({"type": "opportunity", "title": "Villa"}).encode())
    body, content_type = multipart([("file", "offer.pdf", b"%PDF-1.7\noffer")])
    status, uploaded = request("POST", base + f"/api/2.0/crm/opportunity/{record['id']}/files/upload", {**oo, "Content-Type": content_type}, body)
    check("POST files/upload", uploaded, schema(spec, "FileWrapper"), status, 200)
    status, event = request("POST", base + f"/api/2.0/crm/opportunity/{record['id']}/files", {**oo, "Content-Type": "application/json"},
                            json.dumps({"fileids": [uploaded["ID"]]}).encode())
    # The event of an opportunity names its entity; `Contact` is omitted when there is none (EmitDefaultValue=false).
    check("POST files (attach)", event, schema(spec, "RelationshipEventWrapper"), status, 200, optional=("Contact",))
    status, files = request("GET", base + f"/api/2.0/crm/opportunity/{record['id']}/files", oo)
    check("GET files", files, {"type": "array", "minItems": 1, "items": schema(spec, "FileWrapper")}, status, 200)
    status, deleted = request("DELETE", base + f"/api/2.0/crm/files/{uploaded['ID']}", oo)
    check("DELETE files/{id}", deleted, schema(spec, "FileWrapper"), status, 200)


if __name__ == "__main__":
    sys.exit(main())
