#!/usr/bin/env bash
# Mutation testing of the modules that carry a promise of RELIABILITY.md: runs `cargo mutants`
# (`cargo install --locked cargo-mutants`) on each, scoped to its own package and tested by that
# package's tests, then prints per module how many mutants the tests caught, missed, could not
# build (unviable) or timed out on, and lists the missed ones. Every missed mutant either gets a
# test or a line in README ("Mutation testing") saying why it is harmless.
#
#   conformance/scripts/mutants.sh                # every module below
#   conformance/scripts/mutants.sh bundle         # one or more of: bundle rules report recorder framing
#   MUTANTS_OUT=/var/tmp/m conformance/scripts/mutants.sh rules
#
#   module    mutated files                                tested by the tests of
#   bundle    codegen/src/bundle.rs ($ref bundling)        codegen
#   rules     conformance/traffic/src/rules/*.rs (CT)      contracts-traffic, conformance
#   report    conformance/traffic/src/report/*.rs          contracts-traffic, conformance
#   recorder  conformance/broker/src/recorder.rs           contracts-broker, conformance
#   framing   conformance/traffic/src/input/*.rs           contracts-traffic, conformance
#
# Not run in CI: it is slow on 2 cores. Each mutant rebuilds its package and runs all of that
# package's tests, one mutant at a time, after a cold build of the scratch copy (about 3 minutes
# here): `bundle` (26 mutants) took 6 minutes in all. The conformance modules have 54 (rules),
# 198 (report), 93 (recorder) and 274 (framing) mutants, and each one rebuilds the `contracts`
# binary and runs every conformance test, the property and broker tests included: expect hours
# a module (not measured yet; split one with MUTANTS_ARGS="--shard 1/4" and so on). They need
# RabbitMQ on 127.0.0.1:5672 and pika, as `cargo test` does (`cargo xtask ci` or `.ci/run`
# starts the broker). The scratch copy needs ../shared beside the tree, as codegen's tests do.
#
# Mutants are built and tested in a scratch copy of the tree (never in place: the tree can be
# edited meanwhile). Env: MUTANTS_OUT (default /tmp/contracts-mutants): each module's
# `mutants.out/` (caught.txt, missed.txt, unviable.txt, timeout.txt, outcomes.json, logs) goes to
# MUTANTS_OUT/<module>/, and the scratch copies under MUTANTS_OUT/tmp; MUTANTS_TIMEOUT: seconds a
# mutant's test run may take (default: per module, below); MUTANTS_JOBS (default 1); more
# arguments for `cargo mutants` in MUTANTS_ARGS (e.g. "--shard 1/4"). Exit status: 0 when every
# mutant was caught or unviable, 2 when one was missed, 3 on a timeout, 4 when the unmutated tests
# fail (`cargo mutants`' own codes; the highest of the modules run).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${MUTANTS_OUT:-/tmp/contracts-mutants}
JOBS=${MUTANTS_JOBS:-1}

# name|package|file glob|test timeout (s)
# name|mutated package|file glob|test timeout (s)|packages whose tests run (comma-separated):
# the crate's own unit tests, and the binary's tests that drive it end to end.
MODULES=(
  "bundle|codegen|codegen/src/bundle.rs|600|codegen"
  "rules|contracts-traffic|conformance/traffic/src/rules/*.rs|1800|contracts-traffic,conformance"
  "report|contracts-traffic|conformance/traffic/src/report/*.rs|1800|contracts-traffic,conformance"
  "recorder|contracts-broker|conformance/broker/src/recorder.rs|1800|contracts-broker,conformance"
  "framing|contracts-traffic|conformance/traffic/src/input/*.rs|1800|contracts-traffic,conformance"
)

usage() {
  echo "usage: $0 [bundle|rules|report|recorder|framing]..." >&2
  exit 1
}

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "cargo-mutants is not installed: cargo install --locked cargo-mutants" >&2
  exit 1
fi

SELECTED=()
if [ $# -eq 0 ]; then
  SELECTED=("${MODULES[@]}")
else
  for want in "$@"; do
    found=
    for module in "${MODULES[@]}"; do
      if [ "${module%%|*}" = "$want" ]; then
        SELECTED+=("$module")
        found=1
      fi
    done
    [ -n "$found" ] || usage
  done
fi

# The scratch copies live in TMPDIR/cargo-mutants-*.tmp/; codegen's engine_suite reads the
# JSON-Schema-Test-Suite at ../shared beside the tree, so the copy gets one there too.
SCRATCH="$OUT/tmp"
mkdir -p "$SCRATCH"
if [ -d "$ROOT/../shared" ]; then
  ln -sfn "$(cd "$ROOT/../shared" && pwd)" "$SCRATCH/shared"
else
  echo "warning: no ../shared beside the tree: codegen's engine_suite test will fail" >&2
fi

needs_broker=
for module in "${SELECTED[@]}"; do
  IFS='|' read -r _ _ _ _ tested_by <<<"$module"
  [[ ",$tested_by," == *,conformance,* ]] && needs_broker=1
done
if [ -n "$needs_broker" ] && ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  echo "RabbitMQ is not listening on 127.0.0.1:5672: conformance's tests need it" \
    "(rabbitmq-server -detached)" >&2
  exit 1
fi

count() { # lines of a mutants.out list, 0 when absent
  if [ -f "$1" ]; then grep -c . "$1" || true; else echo 0; fi
}

STATUS=0
SUMMARY=()
for module in "${SELECTED[@]}"; do
  IFS='|' read -r name package glob timeout tested_by <<<"$module"
  test_packages=()
  IFS=',' read -r -a tested <<<"$tested_by"
  for p in "${tested[@]}"; do test_packages+=(--test-package "$p"); done
  timeout=${MUTANTS_TIMEOUT:-$timeout}
  dir="$OUT/$name" # cargo mutants moves a previous run's mutants.out to mutants.out.old
  mkdir -p "$dir"
  echo "==> $name: mutating $glob, tested by the tests of $tested_by (timeout ${timeout}s)"
  started=$(date +%s)
  code=0
  # shellcheck disable=SC2086 # MUTANTS_ARGS is a list of arguments
  TMPDIR="$SCRATCH" cargo mutants \
    --package "$package" \
    "${test_packages[@]}" \
    --file "$glob" \
    --timeout "$timeout" \
    --jobs "$JOBS" \
    --copy-vcs true \
    --gitignore true \
    --no-shuffle \
    --colors never \
    --output "$dir" \
    ${MUTANTS_ARGS:-} || code=$?
  elapsed=$(($(date +%s) - started))
  [ "$code" -gt "$STATUS" ] && STATUS=$code
  results="$dir/mutants.out"
  tried=0
  if [ -f "$results/mutants.json" ]; then
    tried=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' \
      "$results/mutants.json")
  fi
  SUMMARY+=("$(printf '%-9s %6s %6s %6s %8s %7s %7ss  %s' "$name" "$tried" \
    "$(count "$results/caught.txt")" "$(count "$results/missed.txt")" \
    "$(count "$results/unviable.txt")" "$(count "$results/timeout.txt")" "$elapsed" \
    "exit $code")")
done

echo
echo "cargo mutants $(cargo mutants --version | awk '{print $2}'), $(date -u +%Y-%m-%d), results in $OUT"
printf '%-9s %6s %6s %6s %8s %7s %8s  %s\n' module tried caught missed unviable timeout wall status
printf '%s\n' "${SUMMARY[@]}"
for module in "${SELECTED[@]}"; do
  name=${module%%|*}
  for list in missed timeout; do
    file="$OUT/$name/mutants.out/$list.txt"
    if [ -s "$file" ]; then
      echo
      echo "$name: $list"
      sed 's/^/  /' "$file"
    fi
  done
done
exit "$STATUS"
