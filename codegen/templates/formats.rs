//! Strict `uuid` and `date-time` values: they accept exactly the strings JSON Schema's `uuid`
//! (draft 2019-09) and `date-time` (RFC 3339 section 5.6) formats accept, so the typed parse and
//! the validators never disagree. `uuid::Uuid` alone would also take `{...}`, `urn:uuid:` and
//! unhyphenated forms, and chrono alone a space for `T` or a `+0100` offset.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// True when `s` is a hyphenated RFC 4122 uuid (`8-4-4-4-12` hex digits, either case).
pub fn is_uuid(s: &str) -> bool {
    let Ok(bytes) = <&[u8; 36]>::try_from(s.as_bytes()) else {
        return false;
    };
    // Every byte is looked up and the answers and-ed, with no branch per byte: an event holds
    // several ids, and checking them is a fair share of validating it.
    bytes
        .iter()
        .enumerate()
        .fold(true, |ok, (i, b)| ok & (UUID_BYTE[*b as usize] & UUID_AT[i] != 0))
}

/// Bit 1: a hex digit; bit 2: a dash.
const UUID_BYTE: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => 1,
            b'-' => 2,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// What each position of a hyphenated uuid holds, as a [`UUID_BYTE`] bit.
const UUID_AT: [u8; 36] = {
    let mut at = [1; 36];
    at[8] = 2;
    at[13] = 2;
    at[18] = 2;
    at[23] = 2;
    at
};

/// True when `s` is an RFC 3339 `date-time`: `T` or `t` between date and time, seconds
/// required, any number of fraction digits, `Z`/`z` or a `+hh:mm` offset, a leap second only
/// at 23:59:60 UTC.
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') {
        return false;
    }
    is_full_date(&b[..10]) && is_full_time(&b[11..])
}

fn two_digits(b: &[u8]) -> Option<u32> {
    match b {
        [h @ b'0'..=b'9', l @ b'0'..=b'9'] => Some(u32::from(h - b'0') * 10 + u32::from(l - b'0')),
        _ => None,
    }
}

fn is_full_date(b: &[u8]) -> bool {
    if b[4] != b'-' || b[7] != b'-' || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let year: u32 = b[..4].iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'));
    let (Some(month), Some(day)) = (two_digits(&b[5..7]), two_digits(&b[8..10])) else {
        return false;
    };
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

fn is_full_time(b: &[u8]) -> bool {
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (two_digits(&b[..2]), two_digits(&b[3..5]), two_digits(&b[6..8]))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 8;
    if b.get(i) == Some(&b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        i += 1 + digits;
    }
    // Minutes east of UTC; a leap second must fall on 23:59:60 in UTC.
    let offset_minutes: i32 = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(oh), Some(om)) = (two_digits(&[*h1, *h2]), two_digits(&[*m1, *m2])) else {
                return false;
            };
            if oh > 23 || om > 59 {
                return false;
            }
            let minutes = (oh * 60 + om) as i32;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return false,
    };
    if second == 60 {
        let utc = ((hour * 60 + minute) as i32 - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

/// The error of parsing a [`Uuid`] or a [`Timestamp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    format: &'static str,
    value: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a valid {}", self.value, self.format)
    }
}

impl std::error::Error for FormatError {}

/// A uuid in the hyphenated form the contracts require; derefs to [`uuid::Uuid`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(pub uuid::Uuid);

impl Uuid {
    pub fn into_inner(self) -> uuid::Uuid {
        self.0
    }
}

impl Deref for Uuid {
    type Target = uuid::Uuid;
    fn deref(&self) -> &uuid::Uuid {
        &self.0
    }
}

impl From<uuid::Uuid> for Uuid {
    fn from(value: uuid::Uuid) -> Self {
        Uuid(value)
    }
}

impl From<Uuid> for uuid::Uuid {
    fn from(value: Uuid) -> Self {
        value.0
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for Uuid {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self, FormatError> {
        let error = || FormatError {
            format: "uuid",
            value: s.to_string(),
        };
        if !is_uuid(s) {
            return Err(error());
        }
        uuid::Uuid::parse_str(s).map(Uuid).map_err(|_| error())
    }
}

/// An RFC 3339 instant that keeps the offset it was written with; derefs to
/// [`chrono::DateTime<chrono::FixedOffset>`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(pub chrono::DateTime<chrono::FixedOffset>);

impl Timestamp {
    pub fn into_inner(self) -> chrono::DateTime<chrono::FixedOffset> {
        self.0
    }

    /// The same instant in UTC.
    pub fn to_utc(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.to_utc()
    }
}

impl Deref for Timestamp {
    type Target = chrono::DateTime<chrono::FixedOffset>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<chrono::DateTime<chrono::FixedOffset>> for Timestamp {
    fn from(value: chrono::DateTime<chrono::FixedOffset>) -> Self {
        Timestamp(value)
    }
}

impl From<chrono::DateTime<chrono::Utc>> for Timestamp {
    fn from(value: chrono::DateTime<chrono::Utc>) -> Self {
        Timestamp(value.fixed_offset())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl FromStr for Timestamp {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self, FormatError> {
        let error = || FormatError {
            format: "date-time",
            value: s.to_string(),
        };
        if !is_date_time(s) {
            return Err(error());
        }
        chrono::DateTime::parse_from_rfc3339(s)
            .map(Timestamp)
            .map_err(|_| error())
    }
}

macro_rules! string_serde {
    ($ty:ident, $expecting:literal) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

string_serde!(Uuid, "a hyphenated uuid string");
string_serde!(Timestamp, "an RFC 3339 date-time string");
