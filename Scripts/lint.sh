#!/usr/bin/env bash
# The linter: `swift format lint --strict` (.swift-format at the root: NeverForceUnwrap,
# NeverUseForceTry, NeverUseImplicitlyUnwrappedOptionals and the tree's style) over every
# Swift file of Sources/, Tests/, Fuzz/ and Benchmarks/ but the generated protobuf code, and
# a grep that no fatalError, precondition or try! is left in Sources/. Exits non-zero on a
# finding. `swift format format --in-place FILES` fixes what is only layout.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard 'Sources/*.swift' 'Tests/*.swift' 'Fuzz/*.swift' 'Benchmarks/*.swift' \
  | grep -v '^Sources/OTLPProto/' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
swift format lint --strict --parallel "${files[@]}"
if grep -n -E '\bfatalError\(|\bprecondition(Failure)?\(|\btry!' $(printf '%s\n' "${files[@]}" | grep '^Sources/'); then
  echo "lint: fatalError, precondition or try! in Sources/ (return an error instead)" >&2
  exit 1
fi
echo "lint: ${#files[@]} files clean"
