#!/usr/bin/env bash
# Measures how many messages a second `contracts record`, `tap` and `replay` move on this
# machine through the local RabbitMQ, with the publisher's own rate beside them:
#
#   1. publish.py (pika, no confirms) fills a durable queue nobody consumes: publisher rate;
#   2. `record --queue` drains that backlog to a file: recorder rate, start to exit;
#   3. the same for `tap` (every message checked; no recording);
#   4. live: `record` running while publish.py publishes: end to end, first publish to exit;
#   5. live again, with `replay` of the recording at full speed (publisher confirms) as the
#      publisher; the replayed traffic must record byte for byte the same.
#
# Usage: conformance/tests/broker/throughput.sh [COUNT]   (default 20000; a release build)
# Env: CONTRACTS (the binary; built with --release if unset), AMQP_URL.
set -euo pipefail

COUNT=${1:-20000}
URL=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/%2f}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
if [[ -z "${CONTRACTS:-}" ]]; then
  cargo build --quiet --release -p conformance --bin contracts --manifest-path "$root/Cargo.toml"
  CONTRACTS=$root/target/release/contracts
fi
publish() { python3 "$here/publish.py" "$@" --url "$URL"; }

exchange=coder.events.bench-$$
queue=$exchange.queue
tmp=$(mktemp -d)
cleanup() {
  publish cleanup --exchange "$exchange" --queue "$queue" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

now() { echo "$EPOCHREALTIME"; }
rate() { python3 -c "import sys; n, a, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]); print(f'{n / (b - a):8.0f} msg/s  ({n} in {b - a:.2f}s)')" "$@"; }
# Waits until the queue holds COUNT messages: without confirms, publishing returns earlier.
wait_depth() {
  for _ in $(seq 1 600); do
    [[ $(publish depth --queue "$queue") -ge $1 ]] && return
    sleep 0.1
  done
  echo "the queue never held $1 messages" >&2
  exit 1
}
fill() {
  local started ended
  started=$(now)
  publish small --exchange "$exchange" --count "$COUNT" --no-confirm --tag "$1" >/dev/null
  wait_depth "$COUNT"
  ended=$(now)
  echo "$started $ended"
}

publish declare --exchange "$exchange" --queue "$queue"
echo "$COUNT small events (dashboard.created, ~420 bytes), $(nproc) cores, RabbitMQ $(rabbitmqctl version 2>/dev/null || echo '?')"

read -r a b < <(fill 1)
printf '%-44s %s\n' "publisher (pika, no confirms, into a queue)" "$(rate "$COUNT" "$a" "$b")"

a=$(now)
"$CONTRACTS" record --url "$URL" --exchange "$exchange" --queue "$queue" \
  --out "$tmp/record.jsonl" --limit "$COUNT" 2>"$tmp/record.err"
b=$(now)
printf '%-44s %s\n' "record (drains the queue to a file)" "$(rate "$COUNT" "$a" "$b")"

read -r _ _ < <(fill 2)
a=$(now)
"$CONTRACTS" tap --url "$URL" --exchange "$exchange" --queue "$queue" --limit "$COUNT" \
  --rule CT006=off >"$tmp/tap.out" 2>"$tmp/tap.err"
b=$(now)
printf '%-44s %s\n' "tap (drains the queue, checking each)" "$(rate "$COUNT" "$a" "$b")"
tail -1 "$tmp/tap.out" | sed 's/^/    tap: /'

rm -f "$tmp/live.jsonl"
"$CONTRACTS" record --url "$URL" --exchange "$exchange" --queue "$queue" \
  --out "$tmp/live.jsonl" --limit "$COUNT" 2>"$tmp/live.err" &
recorder=$!
for _ in $(seq 1 100); do grep -q ' bound to exchange ' "$tmp/live.err" && break; sleep 0.1; done
a=$(now)
publish small --exchange "$exchange" --count "$COUNT" --no-confirm --tag 3 >"$tmp/live-publish.json"
p=$(now)
wait "$recorder"
b=$(now)
printf '%-44s %s\n' "live: publisher, while record runs" "$(rate "$COUNT" "$a" "$p")"
printf '%-44s %s\n' "live: record, first publish to last line" "$(rate "$COUNT" "$a" "$b")"

# The fastest publisher at hand: replay, with record running.
"$CONTRACTS" record --url "$URL" --exchange "$exchange" --queue "$queue" \
  --out "$tmp/replayed.jsonl" --limit "$COUNT" 2>"$tmp/replayed.err" &
recorder=$!
for _ in $(seq 1 100); do grep -q ' bound to exchange ' "$tmp/replayed.err" && break; sleep 0.1; done
a=$(now)
"$CONTRACTS" replay "$tmp/record.jsonl" --url "$URL" --exchange "$exchange" 2>"$tmp/replay.err"
p=$(now)
wait "$recorder"
b=$(now)
printf '%-44s %s\n' "live: replay (confirms), while record runs" "$(rate "$COUNT" "$a" "$p")"
printf '%-44s %s\n' "live: record, first publish to last line" "$(rate "$COUNT" "$a" "$b")"
if cmp -s "$tmp/record.jsonl" "$tmp/replayed.jsonl"; then
  echo "    the replayed traffic recorded byte for byte the same as the original"
else
  echo "    replayed traffic differs from the original" >&2
  exit 1
fi
sed 's/^/    /' "$tmp/record.err" "$tmp/replay.err" "$tmp/replayed.err"
