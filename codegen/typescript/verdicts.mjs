// The TypeScript side of the Rust/TypeScript agreement check (`cargo xtask ts-agree`).
//
//   node verdicts.mjs events FILE    one verdict per JSON Lines record, from parseEvent on its bytes
//   node verdicts.mjs formats FILE   one answer per {"format", "value"} line, from formatChecks
//
// Verdicts are printed one JSON object a line: {"conforms": true} or {"conforms": false,
// "violations": [{"kind", "instancePath", "keyword"}, ...]}; format answers as true or false.

import { readFileSync } from "node:fs";

import { formatChecks, parseEvent } from "@coder/events";

const [mode, file] = process.argv.slice(2);
if (!["events", "formats"].includes(mode) || !file) {
  console.error("usage: node verdicts.mjs events|formats FILE");
  process.exit(2);
}
const input = readFileSync(file);
const out = [];
let start = 0;
while (start < input.length) {
  let end = input.indexOf(0x0a, start);
  if (end < 0) end = input.length;
  // The record's own bytes, as a consumer receives a message body.
  const record = input.subarray(start, end);
  start = end + 1;
  if (mode === "formats") {
    const { format, value } = JSON.parse(record.toString("utf8"));
    const check = formatChecks[format];
    if (!check) throw new Error(`no check for format ${format}`);
    out.push(check(value) ? "true" : "false");
  } else {
    const result = parseEvent(record);
    out.push(
      JSON.stringify(
        result.ok
          ? { conforms: true }
          : {
              conforms: false,
              violations: result.violations.map(({ kind, instancePath, keyword }) => ({ kind, instancePath, keyword })),
            },
      ),
    );
  }
  if (out.length >= 10000) {
    process.stdout.write(out.join("\n") + "\n");
    out.length = 0;
  }
}
if (out.length > 0) process.stdout.write(out.join("\n") + "\n");
