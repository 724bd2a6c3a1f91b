#!/usr/bin/env bash
# Checks the layering Package.swift declares: the UI target's whole dependency closure
# (targets and products, transitively) holds no Hummingbird, gRPC, swift-otel,
# AsyncHTTPClient or swift-nio product (nor anything built on NIO), and the core links
# none either. Then reads every target's `import` lines: a target imports only what it
# declares (its target and product dependencies, or the toolchain's own modules), and never
# itself. Prints the target graph. Exit 1 on a violation.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-package | python3 -c '
import json, sys
package = json.load(sys.stdin)
targets = {t["name"]: t for t in package["targets"]}
# Packages whose products pull in a network stack the UI must not link.
forbidden = {"hummingbird", "grpc-swift-2", "grpc-swift-nio-transport", "grpc-swift-protobuf", "swift-otel",
             "async-http-client", "swift-nio", "swift-nio-ssl", "swift-nio-http2", "swift-nio-extras",
             "swift-nio-transport-services", "compress-nio", "swift-service-lifecycle"}
def deps(name):
    out_targets, out_products = [], []
    for d in targets[name].get("dependencies", []):
        if "target" in d: out_targets.append(d["target"][0])
        elif "byName" in d:
            n = d["byName"][0]
            (out_targets if n in targets else out_products).append((n, n) if n not in targets else n)
        elif "product" in d: out_products.append((d["product"][0], d["product"][1]))
    return out_targets, out_products
def closure(name):
    seen, products, stack = set(), set(), [name]
    while stack:
        t = stack.pop()
        if t in seen: continue
        seen.add(t)
        ts, ps = deps(t)
        stack += ts
        products |= {(p, (pkg or p).lower()) for p, pkg in ps}
    return seen, products
print("target graph (target: direct target dependencies | products):")
for name, t in targets.items():
    ts, ps = deps(name)
    kind, own, products = t["type"], ", ".join(ts) or "-", ", ".join(p for p, _ in ps) or "-"
    print(f"  {name} ({kind}): {own} | {products}")
bad = []
for layer in ["TeleportCore", "TeleportTopUI"]:
    ts, ps = closure(layer)
    hits = sorted(f"{p} ({pkg})" for p, pkg in ps if pkg in forbidden)
    print(f"{layer} closure: targets {sorted(ts)}; products {sorted(p for p, _ in ps)}")
    if hits: bad.append(f"{layer} links {hits}")
# The import lines of every target: only declared dependencies and the toolchain'"'"'s modules.
import os, re
toolchain = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Synchronization", "Glibc", "Darwin",
             "Musl", "Testing", "XCTest", "Runtime", "_Concurrency", "Observation", "RegexBuilder", "PackageDescription"}
pattern = re.compile(r"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)
for name, t in targets.items():
    if t["type"] == "system": continue
    path = t.get("path") or (("Tests/" if t["type"] == "test" else "Sources/") + name)
    ts, ps = deps(name)
    allowed = set(ts) | {p for p, _ in ps} | toolchain
    for root, _, files in os.walk(path):
        for f in files:
            if not f.endswith(".swift"): continue
            text = open(os.path.join(root, f), encoding="utf-8").read()
            for imported in pattern.findall(text):
                where = os.path.join(root, f)
                if imported == name: bad.append(f"{where} imports its own module {imported}")
                elif imported not in allowed: bad.append(f"{where} imports {imported}, which {name} does not declare")
print("imports checked: every target imports only what it declares")
if bad:
    print("layering violated: " + "; ".join(bad), file=sys.stderr)
    sys.exit(1)
print("layers ok: the core and the UI link no NIO, HTTP, gRPC or OpenTelemetry product")
'
