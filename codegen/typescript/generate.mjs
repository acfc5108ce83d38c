// Writes the TypeScript package (generated/typescript) from the manifest `cargo xtask codegen`
// hands it: the catalog and every contract's bundled schema, as the Rust codegen reads them.
// Types come from json-schema-to-typescript, validators from ajv's standalone code (draft-07),
// the rest from templates/. The output depends only on the manifest: same schemas, same bytes.
//
//   node codegen/typescript/generate.mjs MANIFEST.json OUT_DIR

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv from "ajv";
import { _ } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { compile } from "json-schema-to-typescript";

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "templates");

/** The branded type of each format the engine asserts (templates/src/formats.ts declares them). */
const FORMAT_TYPES = {
  uuid: "Uuid",
  "date-time": "DateTime",
  date: "FullDate",
  time: "FullTime",
  ipv4: "Ipv4",
  ipv6: "Ipv6",
};

async function main() {
  const [manifestPath, outDir] = process.argv.slice(2);
  if (!manifestPath || !outDir) {
    throw new Error("usage: node generate.mjs MANIFEST.json OUT_DIR");
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const unknown = manifest.formats.filter((f) => !(f in FORMAT_TYPES));
  if (unknown.length > 0) {
    throw new Error(`no branded type for format(s) ${unknown.join(", ")}: add them to generate.mjs and templates/src/formats.ts`);
  }
  const files = new Map();
  for (const [path, text] of templateFiles(manifest.preamble)) files.set(path, text);
  for (const { contract, schema } of manifest.contracts) {
    files.set(`src/types/${contract.rustName}.ts`, await typesOf(contract, schema, manifest.preamble));
  }
  files.set("src/contracts.ts", contractsModule(manifest));
  files.set("src/validators.ts", validatorsModule(manifest));
  files.set("src/index.ts", indexModule(manifest.preamble));
  files.set("README.md", readme(manifest));
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/** The template files, paths relative to the package, the preamble put in. */
function templateFiles(preamble) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const text = readFileSync(path, "utf8");
      const name = relative(TEMPLATES, path).split("\\").join("/");
      out.push([name, name.endsWith(".ts") ? `// ${preamble}.\n${text}` : text.replaceAll("{{preamble}}", preamble)]);
    }
  };
  walk(TEMPLATES);
  return out;
}

/** The TSDoc of a contract's type: the catalog's documentation of it. */
function contractDoc(contract, exchange) {
  const lines = [`${contract.description} (\`${contract.type}\` ${contract.version}).`, "", contract.summary];
  if (contract.triggeredWhen.length > 0) {
    lines.push("", "Triggered when:", ...contract.triggeredWhen.map((t) => `- ${t}`));
  }
  const consumers = contract.consumers.map((c) => c.name).join(", ");
  lines.push(
    "",
    `Owner: ${contract.owner} (${contract.direction}). Exchange \`${exchange}\`, routing key \`${contract.routingKey}\`.` +
      (consumers ? ` Consumers: ${consumers}.` : ""),
  );
  if (contract.deprecated) lines.push("", `@deprecated ${contract.deprecated}`);
  return lines.join("\n");
}

/** The formats a schema uses, by name. */
function formatsUsed(schema, found = new Set()) {
  if (Array.isArray(schema)) schema.forEach((s) => formatsUsed(s, found));
  else if (schema && typeof schema === "object") {
    if (typeof schema.format === "string" && schema.type === "string") found.add(schema.format);
    Object.values(schema).forEach((s) => formatsUsed(s, found));
  }
  return found;
}

/** A copy of `schema` whose formatted strings are typed as their brands (json-schema-to-typescript's `tsType`). */
function branded(schema) {
  if (Array.isArray(schema)) return schema.map(branded);
  if (!schema || typeof schema !== "object") return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, branded(v)]));
  // Only a schema that requires a string: `format` alone lets other types through.
  if (copy.type === "string" && typeof copy.format === "string") copy.tsType = FORMAT_TYPES[copy.format];
  return copy;
}

async function typesOf(contract, bundled, preamble) {
  const schema = branded(bundled);
  delete schema.$comment;
  schema.title = contract.rustName;
  schema.description = contractDoc(contract, contract.exchange);
  const brands = [...formatsUsed(bundled)].map((f) => FORMAT_TYPES[f]).sort();
  const banner = [
    `// ${preamble}.`,
    `// The type of \`${contract.type}\` ${contract.version}, by json-schema-to-typescript from its bundled schema.`,
    ...(brands.length > 0 ? [`import type { ${brands.join(", ")} } from "../formats.js";`] : []),
  ].join("\n");
  return compile(schema, contract.rustName, {
    bannerComment: banner,
    // Closed types, as the Rust structs are: a misspelt optional field does not type-check.
    // The validators still accept members the schema does not list.
    additionalProperties: false,
    declareExternallyReferenced: true,
    enableConstEnums: false,
    format: true,
    strictIndexSignatures: true,
    unknownAny: true,
    cwd: TEMPLATES,
    $refOptions: { resolve: { external: false } },
  });
}

function contractsModule({ preamble, catalog, contracts }) {
  const names = contracts.map(({ contract }) => contract.rustName);
  const entries = contracts.map(({ contract }) => {
    const fields = {
      type: contract.type,
      version: contract.version,
      typeName: contract.rustName,
      owner: contract.owner,
      direction: contract.direction,
      exchange: contract.exchange,
      routingKey: contract.routingKey,
      ...(contract.deprecated ? { deprecated: contract.deprecated } : {}),
    };
    return `  ${JSON.stringify(fields)},`;
  });
  const routingKeys = contracts.map(
    ({ contract }) => `  ${JSON.stringify(`${contract.type}@${contract.version}`)}: ${JSON.stringify(contract.routingKey)},`,
  );
  return `// ${preamble}.
/**
 * The contracts: one type per contract version, the {@link Event} union over them, the exchange
 * they travel on and the routing key of each.
 *
 * @module
 */

${names.map((n) => `import type { ${n} } from "./types/${n}.js";`).join("\n")}

export type { ${names.join(", ")} };

/** Every event of every contract: discriminated by \`type\` and \`version\`. */
export type Event =
${names.map((n) => `  | ${n}`).join("\n")};

/** The \`type\` of some contract. */
export type EventType = Event["type"];

/** The event of \`type\` at \`version\`. */
export type EventOf<T extends EventType, V extends Event["version"] = Event["version"]> = Extract<Event, { type: T; version: V }>;

/** The RabbitMQ topic exchange every event is published on. */
export const EXCHANGE = ${JSON.stringify(catalog.exchange)};

/** What the catalog says of one contract. */
export interface Contract {
  /** The \`type\` field's value, e.g. \`${contracts[0]?.contract.type ?? "a.b.c"}\`. */
  readonly type: string;
  /** The \`version\` field's value, e.g. \`1.0\`. */
  readonly version: string;
  /** The name of its type in this package (and in the Rust crate). */
  readonly typeName: string;
  /** The module that owns (publishes) it. */
  readonly owner: string;
  /** Whether the catalog's module publishes or consumes it. */
  readonly direction: "published" | "consumed";
  readonly exchange: string;
  readonly routingKey: string;
  /** Why this version is deprecated and what to use instead, when it is. */
  readonly deprecated?: string;
}

/** Every contract, in catalog order. */
export const CONTRACTS: readonly Contract[] = [
${entries.join("\n")}
];

/** The routing key of each contract, by \`type@version\`. */
export const ROUTING_KEYS = {
${routingKeys.join("\n")}
} as const satisfies { readonly [key: string]: string };

/** The routing key an event is published with on {@link EXCHANGE}. */
export function routingKeyOf(event: Pick<Event, "type" | "version">): string {
  const key = \`\${event.type}@\${event.version}\` as keyof typeof ROUTING_KEYS;
  return ROUTING_KEYS[key];
}
`;
}

function validatorsModule({ preamble, contracts }) {
  const ajv = new Ajv({
    // draft-07, the dialect of every contract; every violation, not only the first.
    allErrors: true,
    strict: true,
    // Lengths in code points and patterns with the `u` flag, as JSON Schema means them.
    unicodeRegExp: true,
    // Each format check is ours (templates/src/formats.ts), referenced from the standalone code.
    formats: Object.fromEntries(Object.keys(FORMAT_TYPES).map((f) => [f, () => true])),
    code: { source: true, esm: true, lines: true, formats: _`formatChecks` },
  });
  const exportNames = {};
  contracts.forEach(({ schema }, i) => {
    const copy = structuredClone(schema);
    delete copy.$comment;
    ajv.addSchema(copy, `contract${i}`);
    exportNames[`contract${i}`] = `contract${i}`;
  });
  // ajv exports each validator; the typed map below is this module's only export.
  const code = standaloneCode(ajv, exportNames).replace(/^export const (contract\d+) = /gm, "const $1 = ");
  const entries = contracts.map(
    ({ contract }, i) => `  ${JSON.stringify(`${contract.type}@${contract.version}`)}: contract${i},`,
  );
  return `// ${preamble}.
// @ts-nocheck -- ajv's standalone code is JavaScript; the exports at the end are typed.
/**
 * The validator of each contract, compiled ahead of time by ajv (draft-07, every error) from the
 * bundled schema the Rust crate embeds, with this package's own format checks.
 *
 * @module
 */

import { createRequire } from "node:module";
import { formatChecks } from "./formats.js";

// ajv's runtime helpers (string length in code points, deep equality) are CommonJS modules.
const require = createRequire(import.meta.url);

${code}

/** One error of ajv's validator. */
export interface SchemaError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: { readonly [name: string]: unknown };
  readonly message?: string;
}

/** A compiled validator: whether a value conforms, and if not, every error in \`errors\`. */
export interface Validator {
  (value: unknown): boolean;
  readonly errors?: readonly SchemaError[] | null;
}

/** The validator of each contract, by \`type@version\`. */
export const validators: { readonly [key: string]: Validator | undefined } = {
${entries.join("\n")}
};
`;
}

function indexModule(preamble) {
  return `// ${preamble}.
/**
 * Types and validators for every event on the coder.events exchange, generated from the same
 * JSON Schemas as the Rust crate \`coder-events\`.
 *
 * @module
 */

export * from "./contracts.js";
export * from "./events.js";
export * from "./formats.js";
export { readJson, MAX_DEPTH, type DuplicateKey, type JsonReading } from "./json.js";
export type { SchemaError, Validator } from "./validators.js";
`;
}

function readme({ preamble, catalog, contracts }) {
  const rows = contracts.map(
    ({ contract }) =>
      `| \`${contract.type}\` | ${contract.version} | \`${contract.rustName}\` | \`${contract.routingKey}\` | ${contract.direction} | ${contract.owner} |${contract.deprecated ? " deprecated |" : " |"}`,
  );
  return `<!-- ${preamble}. -->
# @coder/events

TypeScript types and validators for every event on the \`${catalog.exchange}\` RabbitMQ topic
exchange, generated from the JSON Schemas in the repository's \`schemas/\` directory, the same
bundled schemas the Rust crate \`coder-events\` embeds. Do not edit this package: change the
schemas and run \`cargo xtask codegen\`.

## Contracts

| Event type | Version | TypeScript type | Routing key | Direction | Owner | |
|---|---|---|---|---|---|---|
${rows.join("\n")}

## Use

- \`Event\` is the union of every contract's type, discriminated by \`type\` and \`version\`;
  \`EXCHANGE\` and \`routingKeyOf(event)\` say where it is published.
- Formatted strings are branded: a \`Uuid\` or \`DateTime\` field takes only a string that passed
  \`isUuid\`/\`asUuid\` (or \`newUuid()\`, \`toDateTime(date)\`), not any \`string\`.
- \`parseEvent(body)\` reads a message body (\`string\` or \`Uint8Array\`) and returns the typed
  event or its violations (\`instancePath\`, \`keyword\`, \`message\`); \`isEvent\`,
  \`assertEvent\` and \`validateEvent\` judge a value. Verdicts are the Rust crate's: the same
  formats, and a repeated key in an object is a violation (\`duplicateKey\`).

Build with \`npm run build\` (tsc, into \`dist/\`).
`;
}

main().catch((e) => {
  console.error(`generate.mjs: ${e.stack ?? e}`);
  process.exit(1);
});
