//! Remembers each event id with a hash of its content, to tell a redelivery (same content)
//! from two different events sharing an id.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

use crate::input::Location;

#[derive(Default)]
pub struct DuplicateTracker {
    first_seen: HashMap<String, (u64, Location)>,
}

impl DuplicateTracker {
    /// Records `id` with `content_hash`; returns where the id was first seen when that event's
    /// content was different.
    pub fn observe(&mut self, id: &str, content_hash: u64, at: &Location) -> Option<Location> {
        match self.first_seen.get(id) {
            Some((hash, _)) if *hash == content_hash => None,
            Some((_, first)) => Some(first.clone()),
            None => {
                self.first_seen
                    .insert(id.to_string(), (content_hash, at.clone()));
                None
            }
        }
    }
}

/// A hash of a JSON value that ignores the order of object keys, so that the same event
/// serialized twice with keys in another order counts as the same content.
pub fn content_hash(value: &Value) -> u64 {
    // DefaultHasher::new() always starts from the same keys: the hash is the same on every
    // thread and every run.
    let mut hasher = DefaultHasher::new();
    hash_value(value, &mut hasher);
    hasher.finish()
}

fn hash_value(value: &Value, hasher: &mut DefaultHasher) {
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(b) => (1u8, b).hash(hasher),
        Value::Number(n) => (2u8, n.to_string()).hash(hasher),
        Value::String(s) => (3u8, s).hash(hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(hasher);
            for item in items {
                hash_value(item, hasher);
            }
        }
        Value::Object(map) => {
            (5u8, map.len()).hash(hasher);
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by_key(|(key, _)| *key);
            for (key, item) in entries {
                key.hash(hasher);
                hash_value(item, hasher);
            }
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
    }

    #[test]
    fn only_a_different_content_under_a_seen_id_is_reported() {
        let file = "f".into();
        let mut tracker = DuplicateTracker::default();
        assert_eq!(tracker.observe("id", 1, &Location::line(&file, 1)), None);
        assert_eq!(tracker.observe("id", 1, &Location::line(&file, 2)), None);
        assert_eq!(
            tracker.observe("id", 2, &Location::line(&file, 3)),
            Some(Location::line(&file, 1))
        );
        assert_eq!(tracker.observe("other", 2, &Location::line(&file, 4)), None);
    }
}
