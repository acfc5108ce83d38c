#!/usr/bin/env bash
# The differential test of the validation engine at benchmark size: events synthesized from every
# catalog contract, each mutated in every way `codegen::synth` knows, nulled, given an extra
# member and respelled (key order, number spellings, duplicates), and the engine, the typed parse
# and jsonschema must agree on every case. CI runs the same test on ~30,000 cases; this runs it on
# about a million (ENGINE_CASES events per contract; 400 by default).
#
#   conformance/scripts/agreement.sh            # ENGINE_CASES=400
#
# Prints the test's line: "engine agreement: N cases, A accepted, D disagreements".
set -euo pipefail
cd "$(dirname "$0")/../.."
export ENGINE_CASES=${ENGINE_CASES:-400}
started=$(date +%s)
cargo test --release -p conformance --test engine_agreement -- --nocapture 2>&1 |
  grep -E "engine agreement|test result|disagree|panicked"
echo "agreement.sh: ENGINE_CASES=$ENGINE_CASES, $(( $(date +%s) - started )) s on $(nproc) cores"
