//! A hash of an event's content that ignores the order of object keys, so that the same event
//! serialized twice with its keys in another order counts as the same content. Built from
//! the same pieces whether the event was parsed into a `Value` or only scanned by the fast path
//! ([`super::scan`]), so the two always agree.

use std::hash::{BuildHasher, Hasher};

use foldhash::quality::FixedState;
use serde_json::Value;

/// A fixed seed: the hash is the same on every thread and every run. foldhash's quality
/// variant: 64 well-mixed bits, several times cheaper than SipHash on event-sized input.
const STATE: FixedState = FixedState::with_seed(0x636f_6e74_7261_6374);

pub fn null() -> u64 {
    STATE.hash_one(0u8)
}

pub fn boolean(b: bool) -> u64 {
    STATE.hash_one((1u8, b))
}

/// An integer and a float are told apart (1 is not 1.0), as `Value` tells them apart.
pub fn unsigned(u: u64) -> u64 {
    STATE.hash_one((2u8, 0u8, u))
}

/// A negative integer (`Value` keeps a non-negative one as unsigned).
pub fn negative(i: i64) -> u64 {
    STATE.hash_one((2u8, 1u8, i))
}

/// A float's bits are its shortest text's (serde_json parses with `float_roundtrip`).
pub fn float(f: f64) -> u64 {
    STATE.hash_one((2u8, 2u8, f.to_bits()))
}

pub fn string(s: &str) -> u64 {
    STATE.hash_one((3u8, s))
}

/// An array: its elements' hashes, in order.
pub struct Elements {
    hasher: foldhash::quality::FoldHasher<'static>,
    len: u64,
}

impl Elements {
    pub fn new() -> Elements {
        let mut hasher = STATE.build_hasher();
        hasher.write_u8(4);
        Elements { hasher, len: 0 }
    }

    pub fn add(&mut self, element: u64) {
        self.hasher.write_u64(element);
        self.len += 1;
    }

    pub fn finish(mut self) -> u64 {
        self.hasher.write_u64(self.len);
        self.hasher.finish()
    }
}

/// An object: its members' hashes, added up, so that their order does not matter.
#[derive(Default)]
pub struct Members {
    sum: u64,
    len: u64,
}

impl Members {
    pub fn add(&mut self, key: &str, value: u64) {
        self.sum = self.sum.wrapping_add(STATE.hash_one((key, value)));
        self.len += 1;
    }

    pub fn finish(self) -> u64 {
        STATE.hash_one((5u8, self.len, self.sum))
    }
}

pub fn content_hash(value: &Value) -> u64 {
    match value {
        Value::Null => null(),
        Value::Bool(b) => boolean(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => unsigned(u),
            (None, Some(i), _) => negative(i),
            (None, None, f) => float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => string(s),
        Value::Array(items) => {
            let mut elements = Elements::new();
            for item in items {
                elements.add(content_hash(item));
            }
            elements.finish()
        }
        Value::Object(map) => {
            let mut members = Members::default();
            for (key, item) in map {
                members.add(key, content_hash(item));
            }
            members.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_change_the_hash_but_content_does() {
        let a: Value =
            serde_json::from_str(r#"{"id": "x", "data": {"a": 1, "b": [true]}}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"data": {"b": [true], "a": 1}, "id": "x"}"#).unwrap();
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_ne!(
            content_hash(&a),
            content_hash(&json!({"id": "x", "data": {"a": 2, "b": [true]}}))
        );
        assert_ne!(
            content_hash(&json!(["a", "b"])),
            content_hash(&json!(["ab"]))
        );
        assert_ne!(
            content_hash(&json!(["a", "b"])),
            content_hash(&json!(["b", "a"]))
        );
        assert_ne!(
            content_hash(&json!({"a": "b"})),
            content_hash(&json!({"b": "a"}))
        );
        assert_ne!(
            content_hash(&json!({"a": {}})),
            content_hash(&json!({"a": []}))
        );
        assert_ne!(content_hash(&json!(1)), content_hash(&json!(1.0)));
        assert_ne!(content_hash(&json!(-1)), content_hash(&json!(1)));
        assert_eq!(content_hash(&json!(0.5)), content_hash(&json!(0.5)));
    }
}
