#!/usr/bin/env bash
# Package.swift's dependency list of every target equals what its sources import.
# Executable targets a test target depends on are exempt: they are built for the
# test (the binaries of the configuration under test), not imported.
# Prints each difference and exits 1 on any. Needs the toolchain (`swift package dump-package`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
swift package dump-package | python3 -c '
import json, re, sys, pathlib
system = {"Foundation", "FoundationXML", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization", "Testing", "XCTest"}
targets = json.load(sys.stdin)["targets"]
executables = {t["name"] for t in targets if t["type"] == "executable"}
bad = 0
for t in targets:
    root = pathlib.Path("Tests" if t["type"] == "test" else "Sources") / t["name"]
    imports = set()
    for f in root.rglob("*.swift"):
        imports |= set(re.findall(r"^(?:@testable |@_exported )?import (\w+)", f.read_text(), re.M))
    imports -= system
    declared = {list(d.values())[0][0] for d in t["dependencies"]}
    if t["type"] == "test":
        declared -= executables
    for name, diff in (("declared but not imported", declared - imports), ("imported but not declared", imports - declared)):
        if diff:
            bad = 1
            print(t["name"] + ": " + name + ": " + ", ".join(sorted(diff)))
sys.exit(bad)
'
