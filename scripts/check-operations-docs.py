#!/usr/bin/env python3
"""The operations files parse, and every metric they use is one the server records (its name is in
ServiceMetrics.swift), so dashboards and alerts cannot drift from the code."""
import json
import re
import sys

import yaml

SOURCE = open("Sources/AttacheCore/Observability/ServiceMetrics.swift").read()
KNOWN = set(re.findall(r'label: "(attache_[a-z_]+)"', SOURCE))
failed = 0
texts = {
    "docs/operations/alerts.yml": yaml.safe_dump(yaml.safe_load(open("docs/operations/alerts.yml"))),
    "docs/operations/grafana-dashboard.json": json.dumps(json.load(open("docs/operations/grafana-dashboard.json"))),
    "README.md": open("README.md").read(),
}
for path, text in texts.items():
    for name in sorted(set(re.findall(r"attache_[a-z_]+", text))):
        base = re.sub(r"_(bucket|count|sum)$", "", name)
        if base not in KNOWN:
            failed += 1
            print(f"FAIL {path}: {name} is not a metric the server records")
print(f"operations docs: {len(KNOWN)} metrics known, {failed} unknown name(s) used")
sys.exit(1 if failed else 0)
