/**
 * Reading an event's bytes as JSON exactly as strictly as the Rust crate does (serde_json, then
 * a refusal of repeated keys). `JSON.parse` alone is laxer: it keeps the last of two equal keys,
 * turns `1e400` into `Infinity`, and takes lone surrogate escapes (`"\ud800"`), all of which the
 * Rust side refuses; a UTF-8 decoder that is not fatal would replace broken bytes silently.
 *
 * @module
 */

/** What reading a document found. */
export type JsonReading =
  | { readonly ok: true; readonly value: unknown; readonly duplicateKey?: DuplicateKey }
  | { readonly ok: false; readonly message: string };

/** The first key that repeats an earlier key of its object. */
export interface DuplicateKey {
  /** JSON pointer to the object holding it. */
  readonly pointer: string;
  readonly key: string;
}

/** How deep arrays and objects may nest: serde_json's recursion limit. */
export const MAX_DEPTH = 128;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads `body` (text, or UTF-8 bytes) as one JSON document. A document the Rust crate refuses
 * is refused with why; a repeated key is reported beside the value (the Rust crate reads the
 * document, then refuses the event).
 */
export function readJson(body: string | Uint8Array): JsonReading {
  let text: string;
  if (typeof body === "string") {
    text = body;
  } else {
    try {
      // ignoreBOM keeps a leading byte order mark, which JSON (and serde_json) refuses.
      text = decoder.decode(body);
    } catch {
      return { ok: false, message: "not JSON: the bytes are not UTF-8" };
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON: ${(e as Error).message}` };
  }
  const scan = scanDocument(text);
  if (typeof scan === "string") return { ok: false, message: `not JSON: ${scan}` };
  return scan === undefined ? { ok: true, value } : { ok: true, value, duplicateKey: scan };
}

/** A container being read: an object's keys so far, or an array's next index. */
type Frame =
  | { readonly kind: "object"; readonly keys: Set<string>; key: string }
  | { readonly kind: "array"; index: number };

/**
 * Walks a document `JSON.parse` accepted, for what it lets through: returns why the document is
 * refused, the first repeated key, or undefined. Syntax is known to be valid here, so each
 * token is recognised by its first character.
 */
function scanDocument(text: string): string | DuplicateKey | undefined {
  const stack: Frame[] = [];
  let duplicate: DuplicateKey | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x7b: // {
      case 0x5b: // [
        if (stack.length >= MAX_DEPTH - 1) return `nesting deeper than ${MAX_DEPTH - 1} levels`;
        stack.push(c === 0x7b ? { kind: "object", keys: new Set(), key: "" } : { kind: "array", index: 0 });
        i++;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        stack.pop();
        i++;
        break;
      case 0x2c: {
        // ,
        const top = stack[stack.length - 1];
        if (top?.kind === "array") top.index++;
        i++;
        break;
      }
      case 0x22: {
        // "
        const end = stringEnd(text, i);
        const problem = surrogateProblem(text, i + 1, end - 1);
        if (problem) return problem;
        const top = stack[stack.length - 1];
        if (top?.kind === "object" && isKeyPosition(text, end)) {
          const raw = text.slice(i + 1, end - 1);
          const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end)) as string) : raw;
          if (top.keys.has(key) && duplicate === undefined) {
            duplicate = { pointer: pointerOf(stack), key };
          }
          top.keys.add(key);
          top.key = key;
        }
        i = end;
        break;
      }
      case 0x2d: // -
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34:
      case 0x35: case 0x36: case 0x37: case 0x38: case 0x39: {
        let end = i + 1;
        while (end < n && isNumberChar(text.charCodeAt(end))) end++;
        if (!Number.isFinite(Number(text.slice(i, end)))) {
          return `number out of range: ${text.slice(i, end)}`;
        }
        i = end;
        break;
      }
      default:
        // Whitespace, `:`, and the letters of true, false and null.
        i++;
    }
  }
  return duplicate;
}

/** The index just past the string that starts with the quote at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
}

/** Whether the string ending before `end` is followed by `:`, i.e. is a key. */
function isKeyPosition(text: string, end: number): boolean {
  let i = end;
  while (isWhitespace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 0x3a;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/**
 * Why the string contents `text[from..to)` have no UTF-8 form, if they have none: a surrogate
 * that is not half of a pair. serde_json takes a pair only as two adjacent `\u` escapes and
 * refuses a lone escaped one; a lone raw one (possible in a JavaScript string, never in UTF-8
 * bytes) has no UTF-8 encoding, so those bytes could not reach a Rust consumer either.
 */
function surrogateProblem(text: string, from: number, to: number): string | undefined {
  // What the previous unit was: a high surrogate written raw, one escaped, or neither.
  let pending: "raw" | "escaped" | undefined;
  for (let i = from; i < to; i++) {
    let unit = text.charCodeAt(i);
    let escaped = false;
    if (unit === 0x5c) {
      if (text.charCodeAt(i + 1) !== 0x75) {
        // Another escape: one ASCII character.
        if (pending) return LONE_LEADING;
        i++;
        continue;
      }
      unit = parseInt(text.slice(i + 2, i + 6), 16);
      escaped = true;
      i += 5;
    }
    const form = escaped ? "escaped" : "raw";
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    if (pending && !(low && pending === form)) return LONE_LEADING;
    if (!pending && low) return "a lone trailing surrogate in a string";
    pending = high ? form : undefined;
  }
  return pending ? LONE_LEADING : undefined;
}

const LONE_LEADING = "a lone leading surrogate in a string";

function pointerOf(stack: readonly Frame[]): string {
  // The pointer of the innermost object: every frame but the last contributes its position.
  let pointer = "";
  for (let f = 0; f < stack.length - 1; f++) {
    const frame = stack[f]!;
    const segment = frame.kind === "object" ? frame.key : String(frame.index);
    pointer += "/" + segment.replace(/~/g, "~0").replace(/\//g, "~1");
  }
  return pointer;
}
