#!/usr/bin/env bash
# Sourced by run.sh and instructions.sh: builds the two binaries they measure, in release, and
# sets CONTRACTS (the `contracts` binary) and FLOOR (the parse-only floor, benches/parse_floor.rs).
cargo build --quiet --release -p conformance --bin contracts
CONTRACTS="$ROOT/target/release/contracts"
FLOOR=$(cargo bench --quiet -p conformance --bench parse_floor --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "parse_floor" and m.get("executable"):
        print(m["executable"])')
export CONTRACTS FLOOR
