// The types hold publishers to the contracts at compile time. From each contract's first valid
// example this test writes TypeScript that builds the event (formatted strings through their
// constructors), then variants that must not compile: a required member missing, a member of the
// wrong JSON type, a plain string where a format's branded type is required. `tsc --noEmit`
// (strict) must accept the events and narrowing on the `Event` union, and report exactly the
// expected error on exactly the line of each variant, naming the member.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { ROOT, catalog, examples } from "./tree.mjs";

const CONSTRUCTORS = {
  uuid: "asUuid",
  "date-time": "asDateTime",
  date: "asFullDate",
  time: "asFullTime",
  ipv4: "asIpv4",
  ipv6: "asIpv6",
};

/** The bundled schema the Rust crate embeds for a contract. */
function bundled(contract) {
  return JSON.parse(readFileSync(join(ROOT, "generated/rust/schemas", contract.type, `${contract.version}.json`), "utf8"));
}

function resolve(schema, root) {
  let s = schema ?? {};
  while (typeof s.$ref === "string") s = s.$ref.slice(2).split("/").reduce((node, key) => node[key], root);
  return s;
}

/** `value` as a TypeScript expression of the type `schema` generates. */
function expression(value, schema, root) {
  const s = resolve(schema, root);
  const branches = s.oneOf ?? s.anyOf;
  if (branches && value && typeof value === "object" && !Array.isArray(value)) {
    // The branch the value is an instance of: its required members present, its consts met,
    // nothing a closed branch forbids.
    const fits = branches
      .map((b) => resolve(b, root))
      .find(
        (b) =>
          (b.required ?? []).every((k) => k in value) &&
          Object.entries(b.properties ?? {}).every(([k, p]) => !("const" in resolve(p, root)) || value[k] === resolve(p, root).const) &&
          (b.additionalProperties !== false || Object.keys(value).every((k) => k in (b.properties ?? {}))),
      );
    if (fits) return expression(value, fits, root);
  }
  if (typeof value === "string" && s.type === "string" && CONSTRUCTORS[s.format]) {
    return `${CONSTRUCTORS[s.format]}(${JSON.stringify(value)})`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => expression(v, s.items, root)).join(", ")}]`;
  if (value && typeof value === "object") {
    // The types are closed: members the schema does not list cannot be written.
    const members = Object.entries(value).filter(([k]) => !s.properties || k in s.properties);
    return `{ ${members.map(([k, v]) => `${JSON.stringify(k)}: ${expression(v, s.properties?.[k], root)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** A value of another JSON type than `schema` allows. */
function wrongValue(schema) {
  const types = [schema.type ?? []].flat();
  return types.includes("string") ? "42" : '"42"';
}

/** The program: declarations that compile, and variants each expected to fail on its own line. */
function program() {
  const lines = [
    'import { asDateTime, asFullDate, asFullTime, asIpv4, asIpv6, asUuid, routingKeyOf, type Event, type EventOf } from "@coder/events";',
    "void [asDateTime, asFullDate, asFullTime, asIpv4, asIpv6, asUuid];",
  ];
  const expected = new Map();
  const contracts = catalog().contracts;
  for (const [i, contract] of contracts.entries()) {
    const example = examples().find((e) => e.kind === "valid" && e.contract.type === contract.type && e.contract.version === contract.version);
    const root = bundled(contract);
    const event = JSON.parse(example.bytes.toString("utf8"));
    const type = `EventOf<${JSON.stringify(contract.type)}, ${JSON.stringify(contract.version)}>`;
    const build = (value) => expression(value, root, root);
    lines.push(`export const event${i}: ${type} = ${build(event)};`);
    lines.push(`export const key${i}: string = routingKeyOf(event${i});`);
    // Each required member of the event and of its data, missing and of the wrong type.
    const holders = [[event, root, (_e, d) => d]];
    const data = resolve(root.properties?.data, root);
    if (event.data && typeof event.data === "object" && data.properties) {
      holders.push([event.data, data, (e, d) => ({ ...e, data: d })]);
    }
    let n = 0;
    for (const [holder, schema, rebuild] of holders) {
      for (const member of schema.required ?? []) {
        const { [member]: _dropped, ...without } = holder;
        expected.set(lines.length + 1, { codes: ["TS2741"], member });
        lines.push(`export const missing${i}_${n++}: ${type} = ${build(rebuild(event, without))};`);
        const property = resolve(schema.properties?.[member], root);
        const wrong = `${build(rebuild(event, { ...holder, [member]: null }))}`.replace(
          `${JSON.stringify(member)}: null`,
          `${JSON.stringify(member)}: ${wrongValue(property)}`,
        );
        const wrongLine = `export const wrong${i}_${n++}: ${type} = ${wrong};`;
        // TS2559 when every member of the expected object type is optional.
        expected.set(lines.length + 1, { codes: ["TS2322", "TS2559"], member, column: wrongLine.indexOf(`${JSON.stringify(member)}: ${wrongValue(property)}`) + 1 });
        lines.push(wrongLine);
        if (property.type === "string" && CONSTRUCTORS[property.format] && typeof holder[member] === "string") {
          // The example's own string, not passed through its format's constructor.
          const plain = build(rebuild(event, { ...holder, [member]: null })).replace(
            `${JSON.stringify(member)}: null`,
            `${JSON.stringify(member)}: ${JSON.stringify(holder[member])}`,
          );
          const plainLine = `export const plain${i}_${n++}: ${type} = ${plain};`;
          const column = plainLine.indexOf(`${JSON.stringify(member)}: ${JSON.stringify(holder[member])}`) + 1;
          expected.set(lines.length + 1, { codes: ["TS2322"], member, column, plainString: true });
          lines.push(plainLine);
        }
      }
    }
  }
  // Narrowing on type, then version, reaches each contract's type, and no other is left.
  const never = (what) => `default: { const none: never = ${what}; return none; }`;
  lines.push("export function describe(event: Event): string {", "  switch (event.type) {");
  for (const type of [...new Set(contracts.map((c) => c.type))]) {
    // The version is switched on as a local: a type with one version is no union to narrow to
    // `never`, and one with several narrows `event` through it all the same.
    lines.push(`    case ${JSON.stringify(type)}: { const { version } = event; switch (version) {`);
    for (const contract of contracts.filter((c) => c.type === type)) {
      const [t, v] = [JSON.stringify(contract.type), JSON.stringify(contract.version)];
      lines.push(`      case ${v}: { const narrowed: EventOf<${t}, ${v}> = event; return narrowed.type; }`);
    }
    lines.push(`      ${never("version")}`, "    } }");
  }
  lines.push(`    ${never("event")}`, "  }", "}");
  return { text: lines.join("\n") + "\n", expected };
}

test("tsc accepts events built from the examples and rejects each broken variant, naming the member", () => {
  const { text, expected } = program();
  assert.ok(expected.size > 0, "the catalog's contracts have required members");
  const dir = mkdtempSync(join(tmpdir(), "coder-events-types-"));
  try {
    writeFileSync(join(dir, "events.ts"), text);
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules/@types")],
        paths: { "@coder/events": [join(ROOT, "generated/typescript/dist/index.d.ts")] },
      },
      files: ["events.ts"],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config, null, 2));
    writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir, "--pretty", "false"], {
      cwd: dir,
      encoding: "utf8",
    });
    const errors = [...tsc.stdout.matchAll(/^events\.ts\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)].map(([, line, column, code, message]) => ({
      line: Number(line),
      column: Number(column),
      code,
      message,
    }));
    const unexpected = errors.filter((e) => !expected.has(e.line));
    assert.deepEqual(unexpected, [], `errors on lines that must compile`);
    for (const [line, want] of expected) {
      const found = errors.filter((e) => e.line === line);
      assert.ok(
        found.some(
          (e) =>
            want.codes.includes(e.code) &&
            // A missing member is named; a mistyped one is pointed at.
            (want.column ? e.column === want.column : e.message.includes(`'${want.member}'`)) &&
            (!want.plainString || e.message.startsWith("Type 'string' is not assignable")),
        ),
        `line ${line}: expected ${want.codes.join(" or ")} about ${want.member}, got ${JSON.stringify(found)}\n${text.split("\n")[line - 1]}`,
      );
    }
    assert.equal(tsc.status === 0, false, "tsc must fail on the variants");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
