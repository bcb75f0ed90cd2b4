#!/usr/bin/env bash
# libFuzzer (+ AddressSanitizer) on MFProtocol's pure request path: LineFramer →
# RequestDecoder → ResponseEncoder (Fuzz/RequestDecoderFuzz.swift). Not part of
# `swift build`: compiled here with `swiftc -sanitize=fuzzer,address` over
# Sources/MFProtocol/*.swift. Seeds: every `json request` example of docs/protocol.md.
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
if [ ! -x "$bin" ] || [ -n "$(find Fuzz Sources/MFProtocol -newer "$bin" -name '*.swift' | head -1)" ]; then
  echo "building $bin"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name MFProtocolFuzz \
    Fuzz/RequestDecoderFuzz.swift Sources/MFProtocol/*.swift -o "$bin" >"$out/build.log" 2>&1 \
    || { cat "$out/build.log"; exit 1; }  # (ld.gold warns about ASan symbols; harmless)
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
