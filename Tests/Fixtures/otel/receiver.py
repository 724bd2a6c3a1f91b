#!/usr/bin/env python3
"""An OTLP trace receiver: gRPC TraceService/Export and OTLP/HTTP POST /v1/traces.

    receiver.py [--grpc HOST:PORT|off] [--http HOST:PORT|off]
                [--cert FILE --key FILE [--client-ca FILE]] [--out FILE]

Port 0 binds a free port; once listening it prints `LISTENING grpc HOST:PORT` and
`LISTENING http HOST:PORT` on stdout. With --cert/--key both listeners use TLS; with
--client-ca they require a client certificate signed by it (mutual TLS). Every span
received is written as one JSON line to --out (stdout by default):
{"transport", "trace", "span", "parent", "name", "kind", "status", "status_message",
 "attributes", "resource", "scope"}; IDs are lowercase hex, parent "" for roots.
Stops on SIGTERM or SIGINT.
"""
import argparse
import gzip
import json
import os
import signal
import ssl
import sys
import threading
import zlib
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

for name in list(os.environ):
    if name.startswith("OTEL_"):
        del os.environ[name]

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc  # noqa: E402

MAX_BODY = 32 << 20
lock = threading.Lock()
out = sys.stdout


def any_value(v):
    kind = v.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [any_value(x) for x in v.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in v.kvlist_value.values}
    if kind == "bytes_value":
        return v.bytes_value.hex()
    return getattr(v, kind)


def record(request, transport):
    lines = []
    for rs in request.resource_spans:
        resource = {kv.key: any_value(kv.value) for kv in rs.resource.attributes}
        for ss in rs.scope_spans:
            for span in ss.spans:
                lines.append(json.dumps({
                    "transport": transport,
                    "trace": span.trace_id.hex(),
                    "span": span.span_id.hex(),
                    "parent": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "status": span.status.code,
                    "status_message": span.status.message,
                    "start": span.start_time_unix_nano,
                    "end": span.end_time_unix_nano,
                    "attributes": {kv.key: any_value(kv.value) for kv in span.attributes},
                    "events": [e.name for e in span.events],
                    "resource": resource,
                    "scope": ss.scope.name,
                }, sort_keys=True))
    with lock:
        for line in lines:
            out.write(line + "\n")
        out.flush()


class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
    def Export(self, request, context):
        record(request, "grpc")
        return trace_service_pb2.ExportTraceServiceResponse()


class HTTPHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, code, body, content_type):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.answer(413, b"", "text/plain")
            return
        body = self.rfile.read(length)
        if self.path != "/v1/traces":
            self.answer(404, b"", "text/plain")
            return
        encoding = (self.headers.get("Content-Encoding") or "").lower()
        try:
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
        except Exception:
            self.answer(400, b"", "text/plain")
            return
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        request = trace_service_pb2.ExportTraceServiceRequest()
        try:
            if content_type == "application/json":
                json_format.Parse(body, request, ignore_unknown_fields=True)
            else:
                request.ParseFromString(body)
        except Exception:
            self.answer(400, b"", "text/plain")
            return
        record(request, "http")
        answer = trace_service_pb2.ExportTraceServiceResponse()
        if content_type == "application/json":
            self.answer(200, json_format.MessageToJson(answer).encode(), "application/json")
        else:
            self.answer(200, answer.SerializeToString(), "application/x-protobuf")


def split(address):
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def main():
    global out
    parser = argparse.ArgumentParser()
    parser.add_argument("--grpc", default="127.0.0.1:0")
    parser.add_argument("--http", default="127.0.0.1:0")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.out:
        out = open(args.out, "a", buffering=1)

    stop = threading.Event()
    servers = []
    if args.grpc != "off":
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), options=[("grpc.max_receive_message_length", MAX_BODY)])
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceService(), server)
        if args.cert:
            with open(args.key, "rb") as k, open(args.cert, "rb") as c:
                pair = (k.read(), c.read())
            roots = open(args.client_ca, "rb").read() if args.client_ca else None
            credentials = grpc.ssl_server_credentials([pair], root_certificates=roots, require_client_auth=bool(roots))
            port = server.add_secure_port(args.grpc, credentials)
        else:
            port = server.add_insecure_port(args.grpc)
        server.start()
        servers.append(lambda: server.stop(1).wait())
        print(f"LISTENING grpc {split(args.grpc)[0]}:{port}", flush=True)
    if args.http != "off":
        httpd = ThreadingHTTPServer(split(args.http), HTTPHandler)
        httpd.daemon_threads = True
        if args.cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(args.cert, args.key)
            if args.client_ca:
                context.load_verify_locations(args.client_ca)
                context.verify_mode = ssl.CERT_REQUIRED
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd.shutdown)
        print(f"LISTENING http {httpd.server_address[0]}:{httpd.server_address[1]}", flush=True)

    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # A parent may have started us with these blocked (the mask is inherited).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    stop.wait()
    for shutdown in servers:
        shutdown()
    out.flush()


if __name__ == "__main__":
    main()
