/**
 * The string formats the contracts use, as branded types with type guards, and the checks the
 * validators run for `format`. Each check accepts exactly the strings the Rust crate's
 * `engine::formats` accepts (the agreement check of `cargo xtask ci` compares them on the
 * JSON-Schema-Test-Suite's format cases and more): ajv-formats is not used, as it differs from
 * the Rust side on leap seconds, on lower-case `t`/`z` and on IPv6 zone ids.
 *
 * @module
 */

declare const formatBrand: unique symbol;

/** A string that a format check accepted: only a guard or a constructor below makes one. */
type Branded<Format extends string> = string & { readonly [formatBrand]: Format };

/** A hyphenated RFC 4122 uuid: `8-4-4-4-12` hex digits, either case (`format: uuid`). */
export type Uuid = Branded<"uuid">;
/**
 * An RFC 3339 date-time: `T` or `t`, seconds required, any number of fraction digits, `Z`/`z`
 * or `±hh:mm`, a leap second only at 23:59:60 UTC (`format: date-time`).
 */
export type DateTime = Branded<"date-time">;
/** An RFC 3339 full-date, `YYYY-MM-DD`, a real day of the Gregorian calendar (`format: date`). */
export type FullDate = Branded<"date">;
/** An RFC 3339 full-time with its offset, e.g. `10:00:00Z` (`format: time`). */
export type FullTime = Branded<"time">;
/** A dotted-quad IPv4 address, four decimal octets without leading zeros (`format: ipv4`). */
export type Ipv4 = Branded<"ipv4">;
/** An IPv6 address in RFC 4291 text form, without a zone id (`format: ipv6`). */
export type Ipv6 = Branded<"ipv6">;

/** Whether `s` is a hyphenated uuid. */
export function isUuid(s: string): s is Uuid {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    const ok = i === 8 || i === 13 || i === 18 || i === 23 ? c === DASH : isHexDigit(c);
    if (!ok) return false;
  }
  return true;
}

/** Whether `s` is an RFC 3339 date-time. */
export function isDateTime(s: string): s is DateTime {
  if (s.length < 20 || !isAscii(s)) return false;
  const t = s.charCodeAt(10);
  if (t !== UPPER_T && t !== LOWER_T) return false;
  return isFullDateAt(s.slice(0, 10)) && isFullTimeAt(s.slice(11));
}

/** Whether `s` is an RFC 3339 full-date. */
export function isFullDate(s: string): s is FullDate {
  return s.length === 10 && isAscii(s) && isFullDateAt(s);
}

/** Whether `s` is an RFC 3339 full-time (with its offset). */
export function isFullTime(s: string): s is FullTime {
  return isAscii(s) && isFullTimeAt(s);
}

/** Whether `s` is a dotted-quad IPv4 address. */
export function isIpv4(s: string): s is Ipv4 {
  if (s.length > 15) return false;
  const reader = new AddressReader(s);
  return reader.ipv4() && reader.atEnd();
}

/** Whether `s` is an IPv6 address in RFC 4291 text form. */
export function isIpv6(s: string): s is Ipv6 {
  const reader = new AddressReader(s);
  return reader.ipv6() && reader.atEnd();
}

/** Why a string was refused where a format is required. */
export class FormatError extends TypeError {
  override readonly name = "FormatError";
  constructor(
    readonly format: string,
    readonly value: string,
  ) {
    super(`${JSON.stringify(value)} is not a valid ${format}`);
  }
}

function checked<T extends string>(guard: (s: string) => s is T, format: string) {
  return (s: string): T => {
    if (!guard(s)) throw new FormatError(format, s);
    return s;
  };
}

/** `s` as a {@link Uuid}; throws a {@link FormatError} when it is not one. */
export const asUuid = checked(isUuid, "uuid");
/** `s` as a {@link DateTime}; throws a {@link FormatError} when it is not one. */
export const asDateTime = checked(isDateTime, "date-time");
/** `s` as a {@link FullDate}; throws a {@link FormatError} when it is not one. */
export const asFullDate = checked(isFullDate, "date");
/** `s` as a {@link FullTime}; throws a {@link FormatError} when it is not one. */
export const asFullTime = checked(isFullTime, "time");
/** `s` as an {@link Ipv4}; throws a {@link FormatError} when it is not one. */
export const asIpv4 = checked(isIpv4, "ipv4");
/** `s` as an {@link Ipv6}; throws a {@link FormatError} when it is not one. */
export const asIpv6 = checked(isIpv6, "ipv6");

/** An instant as a {@link DateTime} in UTC with milliseconds, e.g. for an event's `timestamp`. */
export function toDateTime(instant: Date): DateTime {
  // toISOString is always `YYYY-MM-DDTHH:MM:SS.sssZ` for years 0-9999, which the check accepts.
  return asDateTime(instant.toISOString());
}

/** A fresh random (version 4) {@link Uuid}, e.g. for an event's `id`. */
export function newUuid(): Uuid {
  return asUuid(globalThis.crypto.randomUUID());
}

/** The check of each `format` the contracts may use, by its JSON Schema name: what the generated validators call. */
export const formatChecks: { readonly [format: string]: (s: string) => boolean } = {
  uuid: isUuid,
  "date-time": isDateTime,
  date: isFullDate,
  time: isFullTime,
  ipv4: isIpv4,
  ipv6: isIpv6,
};

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const UPPER_T = 0x54;
const LOWER_T = 0x74;

function isAscii(s: string): boolean {
  // The Rust checks read bytes: any byte of a non-ASCII character fails the position it is at,
  // so refusing non-ASCII strings up front changes no answer and keeps indices byte-exact.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The two decimal digits at `at`, or -1. */
function twoDigits(s: string, at: number): number {
  const h = s.charCodeAt(at);
  const l = s.charCodeAt(at + 1);
  return isDigit(h) && isDigit(l) ? (h - 0x30) * 10 + (l - 0x30) : -1;
}

function isFullDateAt(s: string): boolean {
  if (s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return false;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return false;
    year = year * 10 + (c - 0x30);
  }
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (month < 0 || day < 0) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  let daysInMonth: number;
  switch (month) {
    case 1: case 3: case 5: case 7: case 8: case 10: case 12:
      daysInMonth = 31;
      break;
    case 4: case 6: case 9: case 11:
      daysInMonth = 30;
      break;
    case 2:
      daysInMonth = leap ? 29 : 28;
      break;
    default:
      return false;
  }
  return day >= 1 && day <= daysInMonth;
}

function isFullTimeAt(s: string): boolean {
  if (s.length < 9 || s.charCodeAt(2) !== COLON || s.charCodeAt(5) !== COLON) return false;
  const hour = twoDigits(s, 0);
  const minute = twoDigits(s, 3);
  const second = twoDigits(s, 6);
  if (hour < 0 || minute < 0 || second < 0) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  let i = 8;
  if (s.charCodeAt(i) === DOT) {
    let digits = 0;
    while (isDigit(s.charCodeAt(i + 1 + digits))) digits++;
    if (digits === 0) return false;
    i += 1 + digits;
  }
  // Minutes east of UTC: a leap second must fall on 23:59:60 in UTC.
  let offsetMinutes: number;
  const rest = s.slice(i);
  if (rest === "Z" || rest === "z") {
    offsetMinutes = 0;
  } else if (rest.length === 6 && (rest[0] === "+" || rest[0] === "-") && rest[3] === ":") {
    const oh = twoDigits(rest, 1);
    const om = twoDigits(rest, 4);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return false;
    offsetMinutes = (rest[0] === "+" ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  if (second === 60) {
    const minutesOfDay = 24 * 60;
    const utc = (((hour * 60 + minute - offsetMinutes) % minutesOfDay) + minutesOfDay) % minutesOfDay;
    return utc === 23 * 60 + 59;
  }
  return true;
}

/**
 * Reads IPv4 and IPv6 addresses the way Rust's `std::net` parsers do: every step that fails
 * leaves the position where it was, so a longer form can be tried after a shorter one.
 */
class AddressReader {
  private at = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.at === this.s.length;
  }

  private attempt(step: () => boolean): boolean {
    const start = this.at;
    if (step()) return true;
    this.at = start;
    return false;
  }

  private char(c: number): boolean {
    if (this.s.charCodeAt(this.at) !== c) return false;
    this.at++;
    return true;
  }

  /** A number of at most `maxDigits` digits, at most `max`; a leading zero only when allowed. */
  private number(radix: 10 | 16, maxDigits: number, max: number, zeroPrefix: boolean): boolean {
    return this.attempt(() => {
      const leadingZero = this.s.charCodeAt(this.at) === 0x30;
      let value = 0;
      let digits = 0;
      for (;;) {
        const c = this.s.charCodeAt(this.at);
        const digit = !isHexDigit(c) ? -1 : parseInt(String.fromCharCode(c), 16);
        if (digit < 0 || digit >= radix) break;
        this.at++;
        value = value * radix + digit;
        digits++;
        if (digits > maxDigits) return false;
      }
      if (digits === 0) return false;
      if (!zeroPrefix && leadingZero && digits > 1) return false;
      return value <= max;
    });
  }

  ipv4(): boolean {
    return this.attempt(() => {
      for (let i = 0; i < 4; i++) {
        // No octal-looking octets (RFC 6943 section 3.1.1).
        if (i > 0 && !this.char(DOT)) return false;
        if (!this.number(10, 3, 255, false)) return false;
      }
      return true;
    });
  }

  /** Colon-separated groups, at most `limit`, the last two of which may be an IPv4 address. */
  private groups(limit: number): { count: number; ipv4: boolean } {
    for (let i = 0; i < limit; i++) {
      if (i < limit - 1) {
        const embedded = this.attempt(() => (i === 0 || this.char(COLON)) && this.ipv4());
        if (embedded) return { count: i + 2, ipv4: true };
      }
      const group = this.attempt(() => (i === 0 || this.char(COLON)) && this.number(16, 4, 0xffff, true));
      if (!group) return { count: i, ipv4: false };
    }
    return { count: limit, ipv4: false };
  }

  ipv6(): boolean {
    return this.attempt(() => {
      const head = this.groups(8);
      if (head.count === 8) return true;
      // An IPv4 part only ends an address; `::` stands for at least one group of zeros.
      if (head.ipv4) return false;
      if (!this.char(COLON) || !this.char(COLON)) return false;
      this.groups(8 - (head.count + 1));
      return true;
    });
  }
}
