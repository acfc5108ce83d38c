// Every documented example gets the verdict the Rust side gives it (`contracts examples`): a
// valid one parses into the event of its contract, an invalid one is rejected, against its own
// contract with exactly its labelled (instancePath, keyword) and nothing else.

import assert from "node:assert/strict";
import { test } from "node:test";

import { CONTRACTS, EXCHANGE, ROUTING_KEYS, parseEvent, routingKeyOf, validateAgainst } from "@coder/events";

import { catalog, examples } from "./tree.mjs";

const all = examples();

test("every catalog contract has examples of both kinds", () => {
  for (const contract of catalog().contracts) {
    for (const kind of ["valid", "invalid"]) {
      const of = (e) => e.contract.type === contract.type && e.contract.version === contract.version;
      assert.ok(all.some((e) => of(e) && e.kind === kind), `${contract.type} ${contract.version} has no ${kind} example`);
    }
  }
});

for (const example of all.filter((e) => e.kind === "valid")) {
  test(`valid: ${example.file}`, () => {
    const result = parseEvent(example.bytes);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.violations));
    assert.equal(result.event.type, example.contract.type);
    assert.equal(result.event.version, example.contract.version);
    assert.equal(result.contract.type, example.contract.type);
    // Text and bytes are read alike.
    assert.ok(parseEvent(example.bytes.toString("utf8")).ok);
  });
}

for (const example of all.filter((e) => e.kind === "invalid")) {
  test(`invalid: ${example.file}`, () => {
    const { expect, event } = JSON.parse(example.bytes.toString("utf8"));
    const violations = validateAgainst(example.contract.type, example.contract.version, event);
    assert.deepEqual(
      violations.map((v) => ({ instancePath: v.instancePath, keyword: v.keyword })),
      [expect],
      violations.map((v) => `${v.instancePath} ${v.keyword}: ${v.message}`).join("; "),
    );
    const parsed = parseEvent(JSON.stringify(event));
    assert.equal(parsed.ok, false, "parseEvent accepts an invalid example");
  });
}

test("the package's contracts are the catalog's, with its exchange and routing keys", () => {
  const listed = catalog().contracts;
  assert.deepEqual(
    CONTRACTS.map((c) => [c.type, c.version, c.typeName, c.exchange, c.routingKey, c.deprecated]),
    listed.map((c) => [c.type, c.version, c.rustName, c.exchange, c.routingKey, c.deprecated]),
  );
  assert.equal(EXCHANGE, catalog().exchange);
  for (const c of listed) {
    assert.equal(ROUTING_KEYS[`${c.type}@${c.version}`], c.routingKey);
    assert.equal(routingKeyOf({ type: c.type, version: c.version }), c.routingKey);
  }
});
