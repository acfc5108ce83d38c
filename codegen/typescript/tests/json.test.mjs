// parseEvent reads JSON as strictly as the Rust crate: a repeated key is a violation
// (duplicateKey, at the object holding it), and what serde_json refuses (numbers beyond f64,
// lone surrogates, nesting past its limit, broken UTF-8, a byte order mark) is not JSON.

import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_DEPTH, parseEvent, readJson } from "@coder/events";

import { examples } from "./tree.mjs";

const valid = examples().find((e) => e.kind === "valid");
const event = JSON.parse(valid.bytes.toString("utf8"));
const text = JSON.stringify(event);

/** `text` with `"name":value` inserted as the first member of the object at the start of `at`. */
function withMember(source, at, member) {
  const i = source.indexOf("{", at);
  return `${source.slice(0, i + 1)}${member},${source.slice(i + 1)}`;
}

test("a valid example is read as it is", () => {
  const reading = readJson(text);
  assert.ok(reading.ok);
  assert.deepEqual(reading.value, event);
  assert.equal(reading.duplicateKey, undefined);
});

test("a repeated top-level key is a duplicateKey violation at the event", () => {
  const twice = withMember(text, 0, `"id":${JSON.stringify(event.id)}`);
  const result = parseEvent(twice);
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.violations.map((v) => [v.kind, v.instancePath, v.keyword]),
    [["duplicateKey", "", "duplicateKey"]],
  );
  assert.match(result.violations[0].message, /"id" appears twice/);
});

test("a repeated key in a nested object is reported at that object", () => {
  const key = Object.keys(event.data)[0];
  const twice = withMember(text, text.indexOf('"data":'), `${JSON.stringify(key)}:${JSON.stringify(event.data[key])}`);
  const result = parseEvent(twice);
  assert.deepEqual(result.violations.map((v) => [v.instancePath, v.keyword]), [["/data", "duplicateKey"]]);
});

test("keys are compared decoded: an escaped spelling of a key repeats it", () => {
  assert.deepEqual(readJson('{"a":1,"\\u0061":2}').duplicateKey, { pointer: "", key: "a" });
  assert.deepEqual(readJson('{"a/b":{"x~":1,"x\\u007e":2}}').duplicateKey, { pointer: "/a~1b", key: "x~" });
});

test("pointers go through arrays, and only repeats within one object count", () => {
  assert.deepEqual(readJson('{"l":[{"k":1},{"k":2},{"k":1,"k":1}]}').duplicateKey, { pointer: "/l/2", key: "k" });
  assert.equal(readJson('{"a":{"k":1},"b":{"k":1},"k":"k","s":"\\"k\\":"}').duplicateKey, undefined);
  assert.equal(readJson('[{"a":1},{"a":1}]').duplicateKey, undefined);
});

test("the first repeated key in document order is the one reported", () => {
  assert.deepEqual(readJson('{"o":{"b":1,"b":2},"a":1,"a":2}').duplicateKey, { pointer: "/o", key: "b" });
});

test("what serde_json refuses is not JSON", () => {
  const refused = {
    "number beyond f64": '{"n":1e400}',
    "negative number beyond f64": '{"n":-1e309}',
    "huge integer literal": `{"n":${"9".repeat(400)}}`,
    "lone leading surrogate escape": '{"s":"\\ud800"}',
    "lone trailing surrogate escape": '{"s":"\\udc00"}',
    "leading surrogate escape before another escape": '{"s":"\\ud800\\n"}',
    "leading surrogate escape before a raw trailing one": '{"s":"\\ud800\udc00"}',
    "raw lone surrogate": '{"s":"\ud800"}',
    "surrogate escape in a key": '{"\\udfff":1}',
    "byte order mark": '\ufeff{"a":1}',
    "trailing garbage": '{"a":1} x',
    "empty": "",
  };
  for (const [what, body] of Object.entries(refused)) {
    const reading = readJson(body);
    assert.equal(reading.ok, false, what);
    const result = parseEvent(body);
    assert.deepEqual(result.violations.map((v) => v.kind), ["notAnEvent"], what);
  }
  assert.equal(readJson(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])).ok, false, "bytes that are not UTF-8");
  assert.equal(readJson(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])).ok, false, "a UTF-8 byte order mark");
});

test("what serde_json accepts is read", () => {
  for (const body of ['{"s":"\\ud83d\\ude00"}', '{"s":"😀"}', '{"n":1e-400}', '{"n":-0}', '{"n":1.7976931348623157e308}', ' \t\r\n{}\n']) {
    assert.equal(readJson(body).ok, true, body);
  }
});

test("nesting is refused past serde_json's recursion limit", () => {
  const nested = (depth) => "[".repeat(depth) + "]".repeat(depth);
  assert.equal(readJson(nested(MAX_DEPTH - 1)).ok, true);
  assert.equal(readJson(nested(MAX_DEPTH)).ok, false);
  assert.equal(readJson(`{"a":${nested(MAX_DEPTH - 2)}}`).ok, true);
  assert.equal(readJson(`{"a":${nested(MAX_DEPTH - 1)}}`).ok, false);
});

test("not an event: a value that is no object, or without string type and version", () => {
  const cases = {
    "[]": ["notAnEvent", "", "type"],
    '"text"': ["notAnEvent", "", "type"],
    "{}": ["notAnEvent", "", "type"],
    '{"type":1,"version":"1.0"}': ["notAnEvent", "", "type"],
    [`{"type":${JSON.stringify(event.type)}}`]: ["notAnEvent", "", "type"],
    [`{"type":${JSON.stringify(event.type + ".unknown")},"version":"1.0"}`]: ["unknownType", "/type", "type"],
    [`{"type":${JSON.stringify(event.type)},"version":"0.0"}`]: ["unknownVersion", "/version", "version"],
  };
  for (const [body, expected] of Object.entries(cases)) {
    const result = parseEvent(body);
    assert.deepEqual(result.violations.map((v) => [v.kind, v.instancePath, v.keyword]), [expected], body);
  }
});
