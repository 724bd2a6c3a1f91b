#!/usr/bin/env python3
"""Sends one hand-made ExportTraceServiceRequest and prints the answer, for requests the SDK
never makes (hex-ID JSON bodies, malformed spans).

    export_raw.py --grpc HOST:PORT  < request.json   (protojson: IDs in base64)
    export_raw.py --http URL [--json]  < body        (the body as it is: JSON or protojson text)

--http with --json posts stdin as is with Content-Type application/json; without --json
stdin is protojson that is encoded to protobuf first. Prints one JSON document:
{"status": "OK"|grpc code name|HTTP status, "rejected_spans": n, "error_message": "..."}.
"""
import argparse
import json
import os
import sys
import urllib.request

for name in list(os.environ):
    if name.startswith("OTEL_"):
        del os.environ[name]

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grpc")
    parser.add_argument("--http")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    body = sys.stdin.buffer.read()
    report = {"status": "", "rejected_spans": 0, "error_message": ""}
    if args.grpc:
        request = json_format.Parse(body, trace_service_pb2.ExportTraceServiceRequest())
        with grpc.insecure_channel(args.grpc) as channel:
            stub = trace_service_pb2_grpc.TraceServiceStub(channel)
            try:
                response = stub.Export(request, timeout=60)
                report["status"] = "OK"
                report["rejected_spans"] = response.partial_success.rejected_spans
                report["error_message"] = response.partial_success.error_message
            except grpc.RpcError as error:
                report["status"] = error.code().name
                report["error_message"] = error.details() or ""
    else:
        if args.json:
            data, content_type = body, "application/json"
        else:
            request = json_format.Parse(body, trace_service_pb2.ExportTraceServiceRequest())
            data, content_type = request.SerializeToString(), "application/x-protobuf"
        http_request = urllib.request.Request(args.http, data=data, method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(http_request, timeout=60) as answer:
                status, payload, answer_type = answer.status, answer.read(), answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, payload, answer_type = error.code, error.read(), error.headers.get("Content-Type", "")
        report["status"] = status
        if status == 200:
            response = trace_service_pb2.ExportTraceServiceResponse()
            if answer_type.startswith("application/json"):
                json_format.Parse(payload, response)
            else:
                response.ParseFromString(payload)
            report["rejected_spans"] = response.partial_success.rejected_spans
            report["error_message"] = response.partial_success.error_message
        else:
            report["error_message"] = payload.decode("utf-8", "replace")
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
