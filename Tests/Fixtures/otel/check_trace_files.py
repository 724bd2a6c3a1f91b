#!/usr/bin/env python3
"""Reads a Teleport file-exporter directory as Teleport's format says it is: every
`*.trace` file, every line one protojson `ResourceSpans` parsed with protobuf's
json_format (strictly: an unknown field is an error).

    check_trace_files.py DIR

Prints one JSON document on stdout:
{"files": [{"name", "bytes", "lines", "ends_with_newline", "mode"}],
 "spans": [{"file", "line", "trace", "span", "parent", "name", "resource"}],
 "errors": ["file:line: why"], "dir_mode": "0700"}
and exits 1 when any line failed to parse.
"""
import json
import os
import stat
import sys

for name in list(os.environ):
    if name.startswith("OTEL_"):
        del os.environ[name]

from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.trace.v1 import trace_pb2  # noqa: E402


def main():
    directory = sys.argv[1]
    result = {"files": [], "spans": [], "errors": [], "dir_mode": oct(stat.S_IMODE(os.stat(directory).st_mode))}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".trace"):
            continue
        path = os.path.join(directory, name)
        with open(path, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        result["files"].append({
            "name": name,
            "bytes": len(data),
            "lines": len(lines),
            "ends_with_newline": data.endswith(b"\n"),
            "mode": oct(stat.S_IMODE(os.stat(path).st_mode)),
        })
        for number, line in enumerate(lines, 1):
            message = trace_pb2.ResourceSpans()
            try:
                json_format.Parse(line, message)
            except Exception as error:  # a line that is not a ResourceSpans
                result["errors"].append(f"{name}:{number}: {error}")
                continue
            resource = {kv.key: kv.value.string_value for kv in message.resource.attributes}
            for ss in message.scope_spans:
                for span in ss.spans:
                    result["spans"].append({
                        "file": name,
                        "line": number,
                        "trace": span.trace_id.hex(),
                        "span": span.span_id.hex(),
                        "parent": span.parent_span_id.hex(),
                        "name": span.name,
                        "resource": resource,
                    })
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
