#!/usr/bin/env bash
# Fuzzes every input reader of `contracts check` for longer than CI does: runs the property
# tests of conformance/tests/input_robustness.rs with PROPTEST_CASES set, and prints the
# figures: cases run and time per property, the total time, and the failures (each with the
# smallest input proptest found).
#
#   conformance/scripts/fuzz.sh                  # 100000 cases
#   conformance/scripts/fuzz.sh 1000000 --release
#
# The in-process properties run CASES cases each; the costlier ones (inputs of megabytes,
# runs of the binary) a thousandth of that. A debug build (the default) also checks integer
# overflow, which is worth the slower cases.
set -euo pipefail

CASES=${1:-100000}
shift || true
cd "$(dirname "$0")/../.."

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

# Built first, so that the time below is the fuzzing's alone.
cargo test -p conformance --test input_robustness "$@" --no-run 2>&1 | tail -1

echo "fuzzing with PROPTEST_CASES=$CASES"
STARTED=$(date +%s)
STATUS=0
PROPTEST_CASES=$CASES cargo test -q -p conformance --test input_robustness "$@" \
  -- --nocapture >"$LOG" 2>&1 || STATUS=$?
ELAPSED=$(($(date +%s) - STARTED))

grep -oE 'fuzz: .*' "$LOG" || true
FAILED=$(grep -oE 'fuzz: .*: FAILED$' "$LOG" | wc -l || true)
OTHER_FAILURES=$(grep -E '^test result:' "$LOG" | sed -E 's/.* ([0-9]+) failed.*/\1/' || echo 0)
echo "total: ${ELAPSED}s; properties failed: $FAILED; tests failed: ${OTHER_FAILURES:-?}"
if [ "$STATUS" -ne 0 ]; then
  echo
  grep -E -A30 'panicked at' "$LOG" | grep -vE '^ +[0-9]+: |^ +at ' || true
  exit "$STATUS"
fi
