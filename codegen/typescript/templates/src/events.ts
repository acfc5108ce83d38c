/**
 * Deciding whether a message is an event that conforms to its contract: {@link parseEvent} for
 * a message body, {@link isEvent} and {@link assertEvent} for a value, {@link validateEvent}
 * for the list of violations. The verdicts are the Rust crate's: the same bundled schemas, the
 * same formats, the same refusal of repeated keys and of JSON that serde_json refuses.
 *
 * @module
 */

import { CONTRACTS, type Contract, type Event } from "./contracts.js";
import { readJson } from "./json.js";
import { validators, type SchemaError } from "./validators.js";

/** What a violation is about (the Rust crate's `ViolationKind`). */
export type ViolationKind =
  /** The event breaks its contract's schema. */
  | "schema"
  /** An object of the event has a key twice: parsers disagree on which value counts. */
  | "duplicateKey"
  /** Not JSON, or not an object with string `type` and `version`. */
  | "notAnEvent"
  /** No contract has the event's `type`. */
  | "unknownType"
  /** The `type` is known, but not at this `version`. */
  | "unknownVersion";

/** One way a message is not a conforming event. */
export interface Violation {
  readonly kind: ViolationKind;
  /** JSON pointer to the offending part of the event (`""` is the whole event). */
  readonly instancePath: string;
  /**
   * The JSON Schema keyword that failed (`required`, `format`, ...), `duplicateKey`, or
   * `type`/`version` for what is not an event of a known contract.
   */
  readonly keyword: string;
  readonly message: string;
  /** JSON pointer to the keyword in the contract's bundled schema (`""` when none applies). */
  readonly schemaPath: string;
}

/** What {@link parseEvent} found: the typed event, or why there is none. */
export type ParseResult =
  | { readonly ok: true; readonly event: Event; readonly contract: Contract }
  | { readonly ok: false; readonly violations: readonly Violation[]; readonly contract?: Contract };

/** Thrown by {@link assertEvent}. */
export class EventValidationError extends Error {
  override readonly name = "EventValidationError";
  constructor(readonly violations: readonly Violation[]) {
    const first = violations[0];
    const at = first?.instancePath || "/";
    super(first ? `${at}: ${first.message} (${first.keyword})` : "not a conforming event");
  }
}

/**
 * Reads a message body (text, or the UTF-8 bytes a broker delivers) and decides whether it is
 * an event conforming to the contract its `type` and `version` name.
 */
export function parseEvent(body: string | Uint8Array): ParseResult {
  const reading = readJson(body);
  if (!reading.ok) return notAnEvent(reading.message);
  const found = dispatch(reading.value);
  if ("violation" in found) return { ok: false, violations: [found.violation] };
  if (reading.duplicateKey) {
    const { pointer, key } = reading.duplicateKey;
    const violation: Violation = {
      kind: "duplicateKey",
      instancePath: pointer,
      keyword: "duplicateKey",
      message: `the key ${JSON.stringify(key)} appears twice in the object`,
      schemaPath: "",
    };
    return { ok: false, violations: [violation], contract: found.contract };
  }
  return judge(reading.value, found.contract);
}

/**
 * Every way `value` breaks the contract its `type` and `version` name; empty when it conforms.
 * A value is already parsed, so repeated keys cannot be seen here: use {@link parseEvent} on
 * bytes from the wire.
 */
export function validateEvent(value: unknown): readonly Violation[] {
  const found = dispatch(value);
  if ("violation" in found) return [found.violation];
  const result = judge(value, found.contract);
  return result.ok ? [] : result.violations;
}

/**
 * Every way `value` breaks the contract named by `type` and `version`, whatever contract the
 * value itself names (how an example of a wrong `type` is checked against the contract it
 * illustrates). Throws when no contract has that `type` and `version`.
 */
export function validateAgainst(type: string, version: string, value: unknown): readonly Violation[] {
  const contract = CONTRACTS.find((c) => c.type === type && c.version === version);
  if (!contract) throw new RangeError(`no contract ${type}@${version}`);
  const result = judge(value, contract);
  return result.ok ? [] : result.violations;
}

/** Whether `value` is an event conforming to the contract it names. */
export function isEvent(value: unknown): value is Event {
  return validateEvent(value).length === 0;
}

/** Throws an {@link EventValidationError} listing every violation unless `value` conforms. */
export function assertEvent(value: unknown): asserts value is Event {
  const violations = validateEvent(value);
  if (violations.length > 0) throw new EventValidationError(violations);
}

function notAnEvent(message: string): ParseResult {
  return {
    ok: false,
    violations: [{ kind: "notAnEvent", instancePath: "", keyword: "type", message, schemaPath: "" }],
  };
}

/** The contract `value` names, as the Rust crate finds it: type first, then version. */
function dispatch(value: unknown): { contract: Contract } | { violation: Violation } {
  const refuse = (kind: ViolationKind, instancePath: string, keyword: string, message: string) => ({
    violation: { kind, instancePath, keyword, message, schemaPath: "" },
  });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse("notAnEvent", "", "type", "not an event: not a JSON object");
  }
  const fields = value as { readonly [name: string]: unknown };
  for (const name of ["type", "version"]) {
    if (Object.hasOwn(fields, name) && typeof fields[name] !== "string") {
      return refuse("notAnEvent", "", "type", `not an event: field ${JSON.stringify(name)} is not a string`);
    }
  }
  const type = fields["type"] as string | undefined;
  if (type === undefined) return refuse("notAnEvent", "", "type", 'not an event: missing string field "type"');
  const ofType = CONTRACTS.filter((c) => c.type === type);
  if (ofType.length === 0) {
    return refuse("unknownType", "/type", "type", `unknown event type ${JSON.stringify(type)}`);
  }
  const version = fields["version"] as string | undefined;
  if (version === undefined) {
    return refuse("notAnEvent", "", "type", 'not an event: missing string field "version"');
  }
  const contract = ofType.find((c) => c.version === version);
  if (!contract) {
    const known = ofType.map((c) => c.version).join(", ");
    return refuse(
      "unknownVersion",
      "/version",
      "version",
      `unknown version ${JSON.stringify(version)} of ${JSON.stringify(type)} (known: ${known})`,
    );
  }
  return { contract };
}

function judge(value: unknown, contract: Contract): ParseResult {
  const validate = validators[`${contract.type}@${contract.version}`];
  if (!validate) throw new Error(`no validator for ${contract.type}@${contract.version}`);
  if (validate(value)) return { ok: true, event: value as Event, contract };
  const violations = (validate.errors ?? []).map(fromSchemaError);
  return { ok: false, violations, contract };
}

function fromSchemaError(error: SchemaError): Violation {
  return {
    kind: "schema",
    instancePath: error.instancePath,
    keyword: error.keyword,
    message: error.message ?? error.keyword,
    schemaPath: error.schemaPath.replace(/^#/, ""),
  };
}
