#!/usr/bin/env python3
"""Reads an OTLP/HTTP JSON trace body (one ExportTraceServiceRequest) as the OTLP
specification's JSON Protobuf Encoding defines it: parsed strictly with protobuf's
json_format into opentelemetry-proto's ExportTraceServiceRequest (an unknown field is an
error), then checked for OTLP's deviations from plain protojson: traceId / spanId /
parentSpanId (of spans and links) hex strings of 32 / 16 hex digits, enum fields
(span kind, status code) integers, keys lowerCamelCase.

    check_otlp_json.py FILE

Prints one JSON document on stdout:
{"spans": [{"trace", "span", "parent", "name", "kind", "status"}], "resources": n, "errors": ["why"]}
and exits 1 when anything failed.
"""
import json
import re
import sys

from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402

HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
HEX16 = re.compile(r"^[0-9a-fA-F]{16}$")


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    result = {"spans": [], "resources": 0, "errors": []}
    try:
        request = json_format.Parse(data, trace_service_pb2.ExportTraceServiceRequest())
    except Exception as error:
        result["errors"].append(f"json_format: {error}")
        request = None
    raw = json.loads(data)
    for key in ("resource_spans", "scope_spans"):
        if key.encode() in data:
            result["errors"].append(f"snake_case key {key}")
    for rs in raw.get("resourceSpans", []):
        result["resources"] += 1
        for ss in rs.get("scopeSpans", []):
            for span in ss.get("spans", []):
                trace, sid, parent = span.get("traceId", ""), span.get("spanId", ""), span.get("parentSpanId", "")
                if not HEX32.match(trace):
                    result["errors"].append(f"traceId {trace!r} is not 32 hex digits")
                if not HEX16.match(sid):
                    result["errors"].append(f"spanId {sid!r} is not 16 hex digits")
                if parent and not HEX16.match(parent):
                    result["errors"].append(f"parentSpanId {parent!r} is not 16 hex digits")
                kind = span.get("kind", 0)
                if not isinstance(kind, int):
                    result["errors"].append(f"kind {kind!r} is not an integer")
                status = span.get("status", {}).get("code", 0)
                if not isinstance(status, int):
                    result["errors"].append(f"status code {status!r} is not an integer")
                for link in span.get("links", []):
                    if not HEX32.match(link.get("traceId", "")) or not HEX16.match(link.get("spanId", "")):
                        result["errors"].append("a link's IDs are not hex")
                result["spans"].append({
                    "trace": trace.lower(), "span": sid.lower(), "parent": parent.lower(),
                    "name": span.get("name", ""), "kind": kind, "status": status,
                })
    if request is not None:
        parsed = sum(len(ss.spans) for rs in request.resource_spans for ss in rs.scope_spans)
        if parsed != len(result["spans"]):
            result["errors"].append(f"json_format read {parsed} spans, the JSON holds {len(result['spans'])}")
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
