"""Schemathesis hooks for scripts/fuzz-openapi.sh (loaded through scripts/schemathesis.toml)."""
import schemathesis

# tus sends upload bytes as application/offset+octet-stream: raw bytes, like application/octet-stream.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


@schemathesis.hook
def map_query(ctx, query):
    """The change feed holds a read open for `wait` seconds when no event follows `after`: the fuzz
    keeps a generated wait to one second, so no case of GET /v1/events holds the run for a minute."""
    operation = getattr(ctx, "operation", None)
    if query and operation is not None and operation.path == "/v1/events":
        wait = query.get("wait")
        if isinstance(wait, int) and not isinstance(wait, bool) and wait > 1:
            query["wait"] = 1
    return query

