"""Schemathesis hooks for scripts/fuzz-openapi.sh (loaded through scripts/schemathesis.toml)."""
import schemathesis

# tus sends upload bytes as application/offset+octet-stream: raw bytes, like application/octet-stream.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
