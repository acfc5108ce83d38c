// The format checks accept what the Rust engine's accept (codegen/templates/engine/formats.rs);
// `cargo xtask ts-agree` compares the two on many more strings. These are the cases where
// common JavaScript checks (ajv-formats, node:net) answer otherwise.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  FormatError,
  asUuid,
  formatChecks,
  isDateTime,
  isFullDate,
  isFullTime,
  isIpv4,
  isIpv6,
  isUuid,
  newUuid,
  toDateTime,
} from "@coder/events";

function table(check, accepted, refused) {
  for (const s of accepted) assert.equal(check(s), true, `refused ${JSON.stringify(s)}`);
  for (const s of refused) assert.equal(check(s), false, `accepted ${JSON.stringify(s)}`);
}

test("uuid: hyphenated 8-4-4-4-12 hex digits, either case", () => {
  table(
    isUuid,
    ["2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2EB8AA08-AA98-11EA-B4AA-73B441D16380", "00000000-0000-0000-0000-000000000000"],
    ["2eb8aa08aa9811eab4aa73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1638", "2eb8aa08-aa98-11ea-b4aa-73b441d16380 ", "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}", "2eb8aa08-aa98-11ea-b4aa_73b441d16380", "g2b8aa08-aa98-11ea-b4aa-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1638٠"],
  );
});

test("date-time: RFC 3339, lower-case t and z, any fraction, leap seconds only at 23:59:60 UTC", () => {
  table(
    isDateTime,
    ["1963-06-19T08:30:06.283185Z", "1963-06-19t08:30:06z", "1963-06-19T08:30:06Z", "1963-06-19T08:30:06.1234567891234Z", "1998-12-31T23:59:60Z", "1998-12-31T15:59:60.123-08:00", "2000-02-29T00:00:00+23:59", "1990-12-31T15:59:59-08:00"],
    ["1998-12-31T23:58:60Z", "1998-12-31T22:59:60Z", "1998-12-31T23:59:60+01:00", "1998-12-31T23:59:61Z", "1963-06-19T08:30:06", "1963-06-19 08:30:06Z", "1963-06-19T08:30Z", "1963-06-19T08:30:06.Z", "2021-02-29T00:00:00Z", "1990-12-31T15:59:59-24:00", "1990-12-31T15:59:59+0800", "1963-06-1９T08:30:06.283185Z", "1963-06-19T08:30:06.283185ZZ", "06/19/1963 08:30:06 PST"],
  );
});

test("date and time", () => {
  table(isFullDate, ["2020-02-29", "1963-06-19"], ["2021-02-29", "1963-6-19", "1963-06-19T", "2020-13-01", "2020-00-10", "1963-06-1\u0967"]);
  table(isFullTime, ["08:30:06Z", "23:59:60Z", "08:30:06.5+01:00", "08:30:06z"], ["08:30:06", "24:00:00Z", "22:59:60Z", "8:30:06Z", "08:30:06+1:00"]);
});

test("ipv4: four decimal octets, no leading zeros", () => {
  table(isIpv4, ["192.168.0.1", "0.0.0.0", "255.255.255.255"], ["256.0.0.1", "192.168.01.1", "1.2.3", "1.2.3.4.5", "0x7f.0.0.1", "1.2.3.4 ", "１.2.3.4", "087.10.0.1"]);
});

test("ipv6: RFC 4291 text, an embedded IPv4 only at the end, no zone id", () => {
  table(
    isIpv6,
    ["::1", "::", "1:2:3:4:5:6:7:8", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "::ffff:192.168.0.1", "1:2:3:4:5:6:1.2.3.4", "fe80::0001"],
    ["fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "12345::", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "1.2.3.4::", "::ffff:192.168.01.1", "[::1]", "1:2:3:4:5:6:7:1.2.3.4", "gggg::"],
  );
});

test("every format the validators use has a check", () => {
  assert.deepEqual(Object.keys(formatChecks).sort(), ["date", "date-time", "ipv4", "ipv6", "time", "uuid"]);
});

test("constructors brand what their check accepts and refuse the rest", () => {
  assert.equal(isUuid(newUuid()), true);
  assert.equal(toDateTime(new Date(0)), "1970-01-01T00:00:00.000Z");
  assert.throws(() => asUuid("not-a-uuid"), FormatError);
});
