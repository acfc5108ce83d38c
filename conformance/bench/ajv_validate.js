// A peer for conformance/bench/run.sh: validates every line of a JSON Lines file with ajv 8 and
// ajv-formats against the bundled schema (generated/schemas/TYPE/VERSION.json) its `type` and
// `version` choose, the way `contracts check` dispatches. Stops at an event's first error
// (ajv's fastest mode), and prints the counts.
// Usage: NODE_PATH=DIR/node_modules node ajv_validate.js generated/schemas FILE.jsonl
'use strict';
const fs = require('fs');
const path = require('path');
const { StringDecoder } = require('string_decoder');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const [schemasDir, file] = process.argv.slice(2);
const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validators = new Map();
for (const type of fs.readdirSync(schemasDir)) {
  for (const name of fs.readdirSync(path.join(schemasDir, type))) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, type, name), 'utf8'));
    validators.set(`${type} ${path.basename(name, '.json')}`, ajv.compile(schema));
  }
}

const counts = { valid: 0, invalid: 0, unknownContract: 0, notJson: 0 };
function check(line) {
  if (line.length === 0) return;
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    counts.notJson++;
    return;
  }
  const validate = event && validators.get(`${event.type} ${event.version}`);
  if (!validate) counts.unknownContract++;
  else if (validate(event)) counts.valid++;
  else counts.invalid++;
}

// Read in 1 MiB chunks, decoding UTF-8 across chunk boundaries, a line at a time.
const fd = fs.openSync(file, 'r');
const chunk = Buffer.alloc(1 << 20);
const decoder = new StringDecoder('utf8');
let rest = '';
for (;;) {
  const n = fs.readSync(fd, chunk, 0, chunk.length, null);
  if (n === 0) break;
  const text = rest + decoder.write(chunk.subarray(0, n));
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    check(text.slice(start, nl));
    start = nl + 1;
  }
  rest = text.slice(start);
}
check(rest + decoder.end());
console.error(`ajv: ${JSON.stringify(counts)}`);
