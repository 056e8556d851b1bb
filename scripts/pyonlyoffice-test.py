#!/usr/bin/env python3
"""pyonlyoffice (PyPI 0.0.4), unchanged, against Attache's ONLYOFFICE face: it signs in with a form
(`username=…&password=…`, as ASP.NET binds whatever the case) and downloads a file byte for byte.
Run with the Python of a virtual environment that has pyonlyoffice (scripts/vendor-clients.sh makes it).

Usage: python scripts/pyonlyoffice-test.py [path/to/attache]
"""
import hashlib
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from attache_process import AttacheProcess, Checks, http  # noqa: E402

from pyonlyoffice import PyOnlyOffice  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/attache"
checks = Checks("pyonlyoffice")


def main():
    node = AttacheProcess(BIN)
    node.cli("tenant", "create", "acme")
    password = node.cli("token", "create", "--tenant", "acme", "--kind", "onlyoffice", "--user", "jan")[-1]
    token = node.cli("token", "create", "--tenant", "acme")[-1]
    content = b"%PDF-1.7\n" + os.urandom(300_000)
    with node:
        status, _, body = http(node.base, "POST", "/v1/files", token, content,
                               {"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="lease.pdf"'})
        checks.expect("a file to download", status == 201, status)
        file_id = json.loads(body)["id"]
        client = PyOnlyOffice(node.base, "jan", password)
        checks.expect("it signs in", client.token.startswith("att_"), client.token[:8])
        target = os.path.join(tempfile.mkdtemp(), "lease.pdf")
        client.download_file(file_id, target)
        with open(target, "rb") as downloaded:
            got = downloaded.read()
        checks.expect("it downloads the file byte for byte", hashlib.sha256(got).digest() == hashlib.sha256(content).digest(), len(got))
        try:
            PyOnlyOffice(node.base, "jan", "wrong")
            refused = False
        except KeyError:  # it reads j["response"]["token"], which a refusal does not have
            refused = True
        checks.expect("a wrong password is refused", refused)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
