#!/usr/bin/env bash
# The input-path ratios of conformance/bench/run.sh, counted in instructions instead of seconds:
# valgrind's callgrind counts what each run executes, which another build on the same cores does
# not change. Wall time is what users feel, and run.sh measures it; on a shared 2-core machine
# its one-run ratios can be off by a third, and these are the ones to read next to them.
#
#   conformance/bench/instructions.sh      # EVENTS=20000 BENCH_DIR=/tmp/contracts-bench
#
# Uses run.sh's files in BENCH_DIR when they are there (traffic.jsonl, logs.jsonl,
# recording.jsonl: run it first), the first EVENTS lines of each. Prints a Markdown table.
# Counts include start-up (compiling the contracts), the same few million instructions in every
# run; the floor has none.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/contracts-bench}
EVENTS=${EVENTS:-20000}
cd "$ROOT"
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind" >&2; exit 2; }
for file in traffic logs recording; do
  [ -f "$WORK/$file.jsonl" ] || { echo "no $WORK/$file.jsonl: run conformance/bench/run.sh first" >&2; exit 2; }
  head -n "$EVENTS" "$WORK/$file.jsonl" > "$WORK/$file.head.jsonl"
done

# shellcheck source=conformance/bench/builds.sh
source "$ROOT/conformance/bench/builds.sh"

# count NAME COMMAND...: the instructions COMMAND executes, in millions.
declare -A IR
count() {
  local name=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" > /dev/null 2> "$WORK/$name.callgrind" || true
  IR[$name]=$(awk '/Collected :/ {printf "%.1f", $NF / 1e6}' "$WORK/$name.callgrind")
  echo "==> $name: ${IR[$name]} M instructions" >&2
}

PARSE_FLOOR_FILE="$WORK/traffic.head.jsonl" count floor "$FLOOR"
count plain "$CONTRACTS" check --threads 1 "$WORK/traffic.head.jsonl"
count json "$CONTRACTS" check --threads 1 --format json "$WORK/traffic.head.jsonl"
count logs "$CONTRACTS" validate --threads 1 --event-pointer /event "$WORK/logs.head.jsonl"
count recording "$CONTRACTS" check --threads 1 --input-format recording "$WORK/recording.head.jsonl"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "| run ($EVENTS events, 1 thread) | M instructions | ÷ plain | ÷ floor |"
echo "|---|---|---|---|"
for name in floor plain json logs recording; do
  echo "| $name | ${IR[$name]} | $(ratio "${IR[$name]}" "${IR[plain]}") | $(ratio "${IR[$name]}" "${IR[floor]}") |"
done
