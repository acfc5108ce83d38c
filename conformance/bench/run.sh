#!/usr/bin/env bash
# Benchmarks `contracts check` on one generated file of a million events against the parse-only
# floor, on the same events as log lines (`--event-pointer`), as a recording and with the JSON
# report, and against the peers installable here (ajv 8 + ajv-formats on node, sourcemeta's `jsonschema`
# CLI), and writes the Markdown table to conformance/bench/RESULTS.md.
#
#   conformance/bench/run.sh            # EVENTS=1000000 BENCH_DIR=/tmp/contracts-bench
#
# Wall time, CPU time and peak RSS come from /usr/bin/time -v. Peers are installed into
# BENCH_DIR (pip venv, npm prefix), never into the repository. Everything runs once: on a
# shared machine, read the numbers with that in mind (RESULTS.md records the load).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/conformance/bench/RESULTS.md"
WORK=${BENCH_DIR:-/tmp/contracts-bench}
EVENTS=${EVENTS:-1000000}
SEED=${SEED:-1}
mkdir -p "$WORK"
cd "$ROOT"

echo "==> traffic: $EVENTS events (seed $SEED)" >&2
cargo xtask gen-traffic --events "$EVENTS" --out "$WORK/generated.jsonl" --seed "$SEED"
# The mix plants some lines cut in half; sourcemeta's CLI stops at the first line that is not
# JSON, so every tool reads the same file without them.
python3 - "$WORK/generated.jsonl" "$WORK/traffic.jsonl" <<'EOF'
import json, sys
kept = 0
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for line in src:
        try:
            json.loads(line)
        except ValueError:
            continue
        dst.write(line)
        kept += 1
print(f"kept {kept} JSON lines", file=sys.stderr)
EOF
TRAFFIC="$WORK/traffic.jsonl"
# The same events as the Logging module's log lines (`--event-pointer /event`) and as
# recorded deliveries (the recording format, transport rules on), to price each input path
# against plain lines on identical bodies.
python3 - "$TRAFFIC" "$WORK/logs.jsonl" "$WORK/recording.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as src, \
        open(sys.argv[2], "w", encoding="utf-8") as logs, \
        open(sys.argv[3], "w", encoding="utf-8") as recording:
    for n, line in enumerate(src):
        line = line.rstrip("\n")
        logs.write('{"time":"2026-01-23T10:00:00.%06dZ","level":"info","logger":"dashboard-analytics.events","msg":"event published","event":%s}\n' % (n % 1000000, line))
        event = json.loads(line)
        event = event if isinstance(event, dict) else {}
        event_type = event.get("type") if isinstance(event.get("type"), str) else "unknown"
        properties = {"contentType": "application/json", "timestamp": 1769162400 + n,
                      "type": event_type, "deliveryMode": 2, "headers": {}}
        if isinstance(event.get("id"), str):
            properties["messageId"] = event["id"]
        envelope = {"exchange": "coder.events", "routingKey": event_type, "redelivered": False,
                    "properties": properties}
        text = json.dumps(envelope, separators=(",", ":"))
        recording.write(text[:-1] + ',"body":' + line + "}\n")
PY
RECORDS=$(wc -l < "$TRAFFIC")
BYTES=$(stat -c %s "$TRAFFIC")

echo "==> release builds" >&2
# shellcheck source=conformance/bench/builds.sh
source "$ROOT/conformance/bench/builds.sh"

echo "==> peers, in $WORK" >&2
[ -x "$WORK/venv/bin/python" ] || python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check sourcemeta-jsonschema
SOURCEMETA=$(find "$WORK/venv" -name 'jsonschema-linux-*' -type f | head -1)
npm install --silent --no-audit --no-fund --prefix "$WORK/node" ajv@8 ajv-formats@3 >/dev/null
# sourcemeta validates against one schema: this one sends each event to its contract's
# bundled schema by type and version, and rejects any other type or version.
python3 - "$ROOT/generated/rust/schemas" > "$WORK/any-contract.json" <<'EOF'
import json, pathlib, sys
known, branches = [], []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*/*.json")):
    schema = json.loads(path.read_text())
    match = {"properties": {"type": {"const": path.parent.name}, "version": {"const": path.stem}}}
    known.append(match)
    branches.append({"if": match, "then": {"$ref": schema["$id"]}})
print(json.dumps({"$schema": "http://json-schema.org/draft-07/schema#",
                  "$id": "urn:contracts-bench:any-contract", "type": "object",
                  "required": ["type", "version"], "anyOf": known, "allOf": branches}, indent=2))
EOF

# run NAME COMMAND...: runs once under /usr/bin/time -v; keeps its stdout and stderr.
declare -A WALL CPU RSS
run() {
  local name=$1
  shift
  echo "==> $name: $*" >&2
  /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || true
  WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$WORK/$name.time")
  CPU[$name]=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$WORK/$name.time")
  RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$WORK/$name.time")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
run floor env PARSE_FLOOR_FILE="$TRAFFIC" "$FLOOR"
run contracts_1 "$CONTRACTS" check --threads 1 "$TRAFFIC"
run contracts_all "$CONTRACTS" check "$TRAFFIC"
run contracts_json "$CONTRACTS" check --threads 1 --format json "$TRAFFIC"
run contracts_logs "$CONTRACTS" validate --threads 1 --event-pointer /event "$WORK/logs.jsonl"
run contracts_recording "$CONTRACTS" check --threads 1 --input-format recording "$WORK/recording.jsonl"
run contracts_recording_all "$CONTRACTS" check --input-format recording "$WORK/recording.jsonl"
run ajv env NODE_PATH="$WORK/node/node_modules" node "$ROOT/conformance/bench/ajv_validate.js" "$ROOT/generated/rust/schemas" "$TRAFFIC"
run sourcemeta "$SOURCEMETA" validate "$WORK/any-contract.json" "$TRAFFIC" --resolve "$ROOT/generated/rust/schemas" --fast --format-assertion --continue
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
row() {
  local name=$1 label=$2
  printf '| %s | %.2f | %.0f | %.2f | %s | %s |\n' "$label" "${WALL[$name]}" \
    "$(awk -v n="$RECORDS" -v s="${WALL[$name]}" 'BEGIN {print n / s}')" "${CPU[$name]}" \
    "${RSS[$name]}" "$(ratio "${WALL[$name]}" "${WALL[contracts_all]}")"
}
THREADS=$(nproc)
FASTEST_PEER=$(awk -v a="${WALL[ajv]}" -v b="${WALL[sourcemeta]}" 'BEGIN {print (a < b) ? a : b}')
verdict() { awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN {ok = (op == "le") ? v <= limit : v >= limit; print ok ? "met" : "missed"}'; }
T1_FLOOR=$(ratio "${WALL[contracts_1]}" "${WALL[floor]}")
SPEEDUP=$(ratio "${WALL[contracts_1]}" "${WALL[contracts_all]}")
VS_PEER=$(ratio "$FASTEST_PEER" "${WALL[contracts_all]}")
JSON_TEXT=$(ratio "${WALL[contracts_json]}" "${WALL[contracts_1]}")
LOGS_PLAIN=$(ratio "${WALL[contracts_logs]}" "${WALL[contracts_1]}")
RECORDING_PLAIN=$(ratio "${WALL[contracts_recording]}" "${WALL[contracts_1]}")
PEAK=0
for name in contracts_1 contracts_all contracts_json contracts_logs contracts_recording contracts_recording_all; do
  PEAK=$(awk -v a="$PEAK" -v b="${RSS[$name]}" 'BEGIN {print (a > b) ? a : b}')
done

{
  echo "# Benchmark: \`contracts check\` against the parse floor and its peers"
  echo
  echo "Made by \`conformance/bench/run.sh\` on $(date -u +%Y-%m-%d), one run of each tool, on a"
  echo "$THREADS-core machine ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  echo "that other builds share: load average $LOAD_BEFORE before the runs, $LOAD_AFTER after."
  echo "Expect a few tenths of a second of noise between runs."
  echo
  echo "Input: \`cargo xtask gen-traffic --events $EVENTS --seed $SEED\` (plain JSON Lines, every"
  echo "contract, ~1% planted problems), less the lines it cut in half: $RECORDS events, $((BYTES / 1000000)) MB."
  echo
  echo "| tool | wall s | events/s | CPU s | peak RSS MB | ratio (wall ÷ contracts, all threads) |"
  echo "|---|---|---|---|---|---|"
  row floor "parse-only floor: serde_json to \`Value\`, 1 thread (\`benches/parse_floor.rs\`)"
  row contracts_1 "\`contracts check --threads 1\`"
  row contracts_all "\`contracts check\` (all threads: $THREADS workers)"
  row contracts_json "\`contracts check --threads 1 --format json\` (report of every record)"
  row contracts_logs "\`contracts validate --threads 1 --event-pointer /event\` (the same events in log lines)"
  row contracts_recording "\`contracts check --threads 1 --input-format recording\` (the same events recorded)"
  row contracts_recording_all "\`contracts check --input-format recording\` (all threads)"
  row ajv "ajv 8 + ajv-formats (node $(node --version))"
  row sourcemeta "sourcemeta \`jsonschema validate --fast --format-assertion\` $("$SOURCEMETA" version 2>/dev/null | tr -d '\n')"
  echo
  echo "Targets:"
  echo
  echo "- 1 thread ≤ 0.8× the parse floor: $T1_FLOOR× — $(verdict "$T1_FLOOR" 0.8 le)"
  echo "- all threads ≥ 1.8× faster than 1 thread: $SPEEDUP× — $(verdict "$SPEEDUP" 1.8 ge)"
  echo "- logs with \`--event-pointer\` ≤ 1.2× plain lines (1 thread each): $LOGS_PLAIN× — $(verdict "$LOGS_PLAIN" 1.2 le)"
  echo "- the recording format ≤ 1.3× plain lines (1 thread each): $RECORDING_PLAIN× — $(verdict "$RECORDING_PLAIN" 1.3 le)"
  echo "- \`--format json\` ≤ 1.25× the text report (1 thread each): $JSON_TEXT× — $(verdict "$JSON_TEXT" 1.25 le)"
  echo "- ≥ 3× faster than the fastest peer: $VS_PEER× — $(verdict "$VS_PEER" 3 ge)"
  echo "- peak RSS < 100 MB, every run of contracts: $PEAK MB — $(verdict "$PEAK" 100 le)"
  echo
  echo "What each tool concluded (all read the same events):"
  echo
  echo "- contracts, 1 thread: $(tail -1 "$WORK/contracts_1.out")"
  echo "- contracts, all threads: $(tail -1 "$WORK/contracts_all.out")"
  echo "- contracts, JSON report: $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"])' "$WORK/contracts_json.out")"
  echo "- contracts, logs: $(tail -1 "$WORK/contracts_logs.out")"
  echo "- contracts, recording: $(tail -1 "$WORK/contracts_recording.out")"
  echo "- ajv: $(tail -1 "$WORK/ajv.err")"
  echo "- sourcemeta: $(grep -h 'validated' "$WORK/sourcemeta.out" "$WORK/sourcemeta.err" | tail -1)"
} > "$WORK/table.md"

cat "$WORK/table.md"
if [ -f "$OUT" ] && grep -q '^## Notes' "$OUT"; then
  # Keep the hand-written notes below the generated part.
  { cat "$WORK/table.md"; echo; sed -n '/^## Notes/,$p' "$OUT"; } > "$OUT.new"
  mv "$OUT.new" "$OUT"
else
  cp "$WORK/table.md" "$OUT"
fi
echo "==> wrote $OUT" >&2
