#!/usr/bin/env bash
# libFuzzer (+ AddressSanitizer) on MFProtocol's pure request path: LineFramer →
# RequestDecoder → ResponseEncoder (Fuzz/RequestDecoderFuzz.swift). Not part of
# `swift build`: compiled here with `swiftc -sanitize=fuzzer,address` over
# Sources/MFProtocol/*.swift and MFLineClient's LineFramer.swift, against MFCore
# (built first as a module of its own). Seeds: every `json request` example of docs/protocol.md.
#
#   scripts/fuzz-decoder.sh [RUNS]        default RUNS=200000; prints libFuzzer's final stats
#   FUZZ_SEED=N FUZZ_MAX_LEN=N scripts/fuzz-decoder.sh
# A crash leaves its input in .build/fuzz/crash-* and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
runs=${1:-200000}
out=.build/fuzz
mkdir -p "$out/corpus"
bin=$out/request-decoder-fuzz
if [ ! -x "$bin" ] || [ -n "$(find Fuzz Sources/MFProtocol Sources/MFCore Sources/MFLineClient -newer "$bin" -name '*.swift' | head -1)" ]; then
  echo "building $bin"
  mkdir -p "$out/modules"
  { swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name MFCore -emit-module \
      -emit-module-path "$out/modules/MFCore.swiftmodule" -emit-library -static -o "$out/libMFCore.a" Sources/MFCore/*.swift \
    && swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name MFProtocolFuzz -I "$out/modules" \
      Fuzz/RequestDecoderFuzz.swift Sources/MFProtocol/*.swift Sources/MFLineClient/LineFramer.swift "$out/libMFCore.a" -o "$bin"
  } >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }  # (ld.gold warns about ASan symbols; harmless)
fi
# Seed corpus: the protocol page's request examples, one file each.
awk '/^```json request/{f=1; n++; next} /^```/{f=0} f{print > ("'"$out"'/corpus/spec-" n ".json")}' docs/protocol.md
start=$(date +%s)
set +e
"$bin" -runs="$runs" -seed="${FUZZ_SEED:-1}" -max_len="${FUZZ_MAX_LEN:-4096}" -artifact_prefix="$out/crash-" \
  -print_final_stats=1 "$out/corpus" 2>"$out/fuzz.log"
rc=$?
set -e
grep -E '^stat::|^#[0-9]+ +DONE|ERROR|==[0-9]+==' "$out/fuzz.log" | tail -n 20
echo "libFuzzer exit $rc after $(( $(date +%s) - start )) s, runs=$runs (log: $out/fuzz.log)"
exit $rc
