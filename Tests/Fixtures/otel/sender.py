#!/usr/bin/env python3
"""Sends nested traces with the real OpenTelemetry Python SDK to an OTLP receiver.

    sender.py --protocol grpc|http --endpoint ENDPOINT [--ca FILE] [--cert FILE --key FILE]
              [--traces N] [--children N] [--grandchildren N] [--gzip] [--timeout S]

ENDPOINT is host:port for grpc and a full URL (http[s]://host:port/v1/traces) for http.
Each trace is a root span with N children, each with M grandchildren; every third child
ends with an error status. Every ID sent is printed on stdout as one JSON document:
{"spans": [{"trace": hex32, "span": hex16, "parent": hex16|null, "name": ...}],
 "exported": n, "failed_exports": n}. The exit status is 0 only if every export succeeded.
OTEL_* variables are removed from the environment before the SDK is imported, and the
provider is flushed before anything is printed.
"""
import argparse
import json
import os
import sys

for name in list(os.environ):
    if name.startswith("OTEL_"):
        del os.environ[name]
# requests lets these override the exporter's certificate_file: trust only what we are given.
for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
    os.environ.pop(name, None)

from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult  # noqa: E402
from opentelemetry.trace import SpanKind, Status, StatusCode  # noqa: E402


class CountingExporter(SpanExporter):
    """Wraps the real exporter and counts what it reports."""

    def __init__(self, inner):
        self.inner = inner
        self.exported = 0
        self.failed = 0

    def export(self, spans):
        result = self.inner.export(spans)
        if result == SpanExportResult.SUCCESS:
            self.exported += len(spans)
        else:
            self.failed += len(spans)
        return result

    def shutdown(self):
        self.inner.shutdown()

    def force_flush(self, timeout_millis=30000):
        return self.inner.force_flush(timeout_millis)


def read(path):
    if not path:
        return None
    with open(path, "rb") as f:
        return f.read()


def make_exporter(args):
    if args.protocol == "grpc":
        import grpc
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        kwargs = {"endpoint": args.endpoint, "timeout": args.timeout}
        if args.gzip:
            kwargs["compression"] = grpc.Compression.Gzip
        if args.ca:
            kwargs["insecure"] = False
            kwargs["credentials"] = grpc.ssl_channel_credentials(
                root_certificates=read(args.ca), private_key=read(args.key), certificate_chain=read(args.cert)
            )
        else:
            kwargs["insecure"] = True
        return OTLPSpanExporter(**kwargs)
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    kwargs = {"endpoint": args.endpoint, "timeout": args.timeout}
    if args.gzip:
        kwargs["compression"] = Compression.Gzip
    if args.ca:
        kwargs["certificate_file"] = args.ca
    if args.cert:
        kwargs["client_certificate_file"] = args.cert
        kwargs["client_key_file"] = args.key
    return OTLPSpanExporter(**kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--protocol", choices=["grpc", "http"], required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--traces", type=int, default=10)
    parser.add_argument("--children", type=int, default=3)
    parser.add_argument("--grandchildren", type=int, default=2)
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--service", default="python-sender")
    args = parser.parse_args()

    exporter = CountingExporter(make_exporter(args))
    provider = TracerProvider(resource=Resource.create({"service.name": args.service, "sender.pid": os.getpid()}))
    provider.add_span_processor(BatchSpanProcessor(exporter, max_export_batch_size=200, schedule_delay_millis=200))
    tracer = provider.get_tracer("teleport-top-tests.sender")

    sent = []

    def record(span, parent):
        ctx = span.get_span_context()
        sent.append({
            "trace": format(ctx.trace_id, "032x"),
            "span": format(ctx.span_id, "016x"),
            "parent": None if parent is None else format(parent.get_span_context().span_id, "016x"),
            "name": span.name,
        })

    for t in range(args.traces):
        with tracer.start_as_current_span(f"request {t}", kind=SpanKind.SERVER, attributes={"test.trace": t}) as root:
            record(root, None)
            for c in range(args.children):
                with tracer.start_as_current_span(f"child {c}", kind=SpanKind.CLIENT, attributes={"test.child": c}) as child:
                    record(child, root)
                    for g in range(args.grandchildren):
                        with tracer.start_as_current_span(f"grandchild {g}", attributes={"test.grandchild": g, "test.flag": True}) as grand:
                            record(grand, child)
                    if c % 3 == 2:
                        child.set_status(Status(StatusCode.ERROR, "simulated failure"))

    flushed = provider.force_flush(int(args.timeout * 1000) + 5000)
    provider.shutdown()
    json.dump({"spans": sent, "exported": exporter.exported, "failed_exports": exporter.failed, "flushed": flushed}, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0 if exporter.failed == 0 and exporter.exported == len(sent) else 1


if __name__ == "__main__":
    sys.exit(main())
