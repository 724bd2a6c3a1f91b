#!/usr/bin/env bash
# Regenerates Sources/OTLPProto/ from Protos/ (pprof's profile.proto and the OTLP trace,
# collector, common and resource protos). The output is committed: neither CI nor a normal
# build needs protoc. Run it after changing a .proto or the swift-protobuf version.
#
# Needs: protoc (Debian: apt-get install protobuf-compiler; 3.21.12 is what produced the
# committed files) and the swift-protobuf checkout that SwiftPM resolved for this package
# (`swift package resolve` puts it in .build/checkouts/swift-protobuf). protoc-gen-swift is
# built from that checkout with its own scratch path (.build-protoc, gitignored), so the
# generator always matches the runtime library the package links.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }
checkout=${SWIFT_PROTOBUF_CHECKOUT:-$root/.build/checkouts/swift-protobuf}
if [[ ! -d $checkout ]]; then
  swift package resolve
fi
[[ -d $checkout ]] || { echo "no swift-protobuf checkout at $checkout" >&2; exit 1; }

scratch=$root/.build-protoc
swift build -c release --package-path "$checkout" --scratch-path "$scratch" --product protoc-gen-swift
plugin=$scratch/release/protoc-gen-swift
[[ -x $plugin ]] || { echo "protoc-gen-swift was not built at $plugin" >&2; exit 1; }

out=$root/Sources/OTLPProto
rm -f "$out"/*.pb.swift
mkdir -p "$out"
protos=(
  profile.proto
  opentelemetry/proto/common/v1/common.proto
  opentelemetry/proto/resource/v1/resource.proto
  opentelemetry/proto/trace/v1/trace.proto
  opentelemetry/proto/collector/trace/v1/trace_service.proto
)
protoc --plugin=protoc-gen-swift="$plugin" \
  --proto_path="$root/Protos" \
  --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
  --swift_out="$out" \
  "${protos[@]}"
echo "generated: $(cd "$out" && ls *.pb.swift | tr '\n' ' ')"
