//! Strict `uuid` and `date-time` values: they accept exactly the strings JSON Schema's `uuid`
//! (draft 2019-09) and `date-time` (RFC 3339 section 5.6) formats accept, so the typed parse and
//! the validators never disagree. `uuid::Uuid` alone would also take `{...}`, `urn:uuid:` and
//! unhyphenated forms, and chrono alone a space for `T` or a `+0100` offset.

pub use crate::engine::formats::*;

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

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
