//! Remembers each event id with a hash of its content, to tell a redelivery (same content)
//! from two different events sharing an id.
//!
//! A run may see millions of ids, and every one is kept to the end, so an entry is small: an
//! id that is a UUID written in lowercase (nearly all of them) is kept as its 128 bits, any
//! other id as its text; where it was first seen is packed into one `u64` (a file index and a
//! line or element number). UUID ids are spread over many tables: a table that grows holds its
//! old and new storage at once, and a small one doing so costs little memory where one big
//! table would double for that moment. The tables are allocated from the system allocator,
//! which maps a large block on its own and gives it back to the system as soon as it is freed;
//! mimalloc, the process's allocator, keeps a grown table's old storage for reuse (40 MB more
//! at a peak, at a million ids).

use std::alloc::System;
use std::collections::HashMap;
use std::hash::{BuildHasher as _, BuildHasherDefault, Hash, Hasher};
use std::sync::{Arc, LazyLock};

use serde_json::Value;

use crate::input::Location;

pub struct DuplicateTracker {
    /// UUID ids, in `SHARDS` tables chosen by their hash.
    uuids: Vec<UuidTable>,
    others: HashMap<String, Seen>,
    places: Places,
}

/// An id's content hash and where it was first seen.
#[derive(Clone, Copy)]
struct Seen {
    content: u64,
    at: u64,
}

/// `Seen::at`: a file index, a number, and whether the number is an element index or a line;
/// or, with `UNPACKED` set, an index into `Places::unpacked`.
const UNPACKED: u64 = 1 << 63;
const IS_INDEX: u64 = 1 << 62;
const NUMBER_BITS: u32 = 40;
const FILE_BITS: u32 = 22;
const SHARDS: usize = 256;

type UuidTable = hashbrown::HashMap<[u64; 2], Seen, BuildHasherDefault<UuidHasher>, System>;

/// Where ids were first seen, packed into `Seen::at`.
#[derive(Default)]
struct Places {
    /// The files `Seen::at` indexes, with the index of the last one looked up.
    files: Vec<Arc<str>>,
    file_indexes: HashMap<Arc<str>, u64>,
    last_file: Option<(Arc<str>, u64)>,
    /// Locations too large to pack, by the index `Seen::at` holds.
    unpacked: Vec<Location>,
}

impl Default for DuplicateTracker {
    fn default() -> Self {
        DuplicateTracker {
            uuids: (0..SHARDS)
                .map(|_| UuidTable::with_hasher_in(BuildHasherDefault::default(), System))
                .collect(),
            others: HashMap::new(),
            places: Places::default(),
        }
    }
}

impl DuplicateTracker {
    /// Records `id` with `content_hash`; returns where the id was first seen when that event's
    /// content was different.
    pub fn observe(&mut self, id: &str, content_hash: u64, at: &Location) -> Option<Location> {
        let new = |places: &mut Places| Seen {
            content: content_hash,
            at: places.pack(at),
        };
        // One probe of the table: nearly every id is new, and is inserted where it was looked for.
        let seen = match lowercase_uuid(id) {
            Some(key) => match self.uuids[shard(key)].entry(key) {
                hashbrown::hash_map::Entry::Occupied(seen) => Some(*seen.get()),
                hashbrown::hash_map::Entry::Vacant(slot) => {
                    slot.insert(new(&mut self.places));
                    None
                }
            },
            None => match self.others.get(id) {
                Some(seen) => Some(*seen),
                None => {
                    let seen = new(&mut self.places);
                    self.others.insert(id.to_string(), seen);
                    None
                }
            },
        };
        match seen {
            Some(seen) if seen.content != content_hash => Some(self.places.location(seen.at)),
            _ => None,
        }
    }
}

/// The table a UUID key is kept in.
fn shard(key: [u64; 2]) -> usize {
    let mut hasher = UuidHasher::default();
    // Mixed the other way round from the tables' own hash, so that the keys of one table are
    // not all alike in the bits it hashes them by.
    hasher.write_u64(key[1]);
    hasher.write_u64(key[0]);
    (hasher.finish() >> 56) as usize % SHARDS
}

impl Places {
    fn pack(&mut self, at: &Location) -> u64 {
        let file = self.file_index(&at.file);
        let (number, flag) = match (at.line, at.index) {
            (Some(line), None) => (line, 0),
            (None, Some(index)) => (index, IS_INDEX),
            _ => (u64::MAX, 0),
        };
        if number < 1 << NUMBER_BITS && file < 1 << FILE_BITS {
            flag | file << NUMBER_BITS | number
        } else {
            self.unpacked.push(at.clone());
            UNPACKED | (self.unpacked.len() as u64 - 1)
        }
    }

    fn location(&self, at: u64) -> Location {
        if at & UNPACKED != 0 {
            return self.unpacked[(at & !UNPACKED) as usize].clone();
        }
        let file = &self.files[((at & !IS_INDEX) >> NUMBER_BITS) as usize];
        let number = at & ((1 << NUMBER_BITS) - 1);
        if at & IS_INDEX != 0 {
            Location::index(file, number)
        } else {
            Location::line(file, number)
        }
    }

    /// Records of one file come one after another: the last file answers nearly every time.
    fn file_index(&mut self, file: &Arc<str>) -> u64 {
        if let Some((last, index)) = &self.last_file {
            if Arc::ptr_eq(last, file) || last == file {
                return *index;
            }
        }
        let index = match self.file_indexes.get(file) {
            Some(&index) => index,
            None => {
                self.files.push(Arc::clone(file));
                let index = self.files.len() as u64 - 1;
                self.file_indexes.insert(Arc::clone(file), index);
                index
            }
        };
        self.last_file = Some((Arc::clone(file), index));
        index
    }
}

/// The 128 bits of a UUID written in lowercase; `None` for any other id (an uppercase UUID is
/// another id than its lowercase form, as the text compares).
fn lowercase_uuid(id: &str) -> Option<[u64; 2]> {
    // Every event's id goes through here: the dashes are checked in one go and each half is
    // read from its digit groups, instead of matching every byte by its position.
    let bytes: &[u8; 36] = id.as_bytes().try_into().ok()?;
    if [bytes[8], bytes[13], bytes[18], bytes[23]] != [b'-'; 4] {
        return None;
    }
    let high = [&bytes[..8], &bytes[9..13], &bytes[14..18]];
    let low = [&bytes[19..23], &bytes[24..]];
    Some([lowercase_hex(&high)?, lowercase_hex(&low)?])
}

/// The 64 bits the lowercase hex digits of `groups` spell, read in order; `None` if any byte is
/// not a lowercase hex digit.
fn lowercase_hex(groups: &[&[u8]]) -> Option<u64> {
    let mut value = 0;
    for &b in groups.iter().copied().flatten() {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        value = value << 4 | u64::from(digit);
    }
    Some(value)
}

/// Hashes UUID keys: their bits are already spread (and sequential ids differ in the low
/// bits), so one multiply-and-fold mixes them enough, far cheaper than SipHash.
#[derive(Default)]
struct UuidHasher(u64);

impl Hasher for UuidHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        let product = u128::from(self.0 ^ word) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (product as u64) ^ (product >> 64) as u64;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash of a JSON value that ignores the order of object keys, so that the same event
/// serialized twice with keys in another order counts as the same content.
pub fn content_hash(value: &Value) -> u64 {
    // A fixed seed: the hash is the same on every thread and every run. foldhash's quality
    // variant: 64 well-mixed bits, several times cheaper than SipHash on event-sized input.
    let mut hasher = foldhash::quality::FixedState::with_seed(CONTENT_SEED).build_hasher();
    hash_value(value, &mut hasher);
    hasher.finish()
}

const CONTENT_SEED: u64 = 0x636f_6e74_7261_6374;

/// Whether every `serde_json::Map` keeps its keys sorted: true unless some crate of the build
/// turns on serde_json's `preserve_order`. Found out once, by asking a map, rather than by
/// comparing the keys of every object of every event.
static MAPS_SORT_KEYS: LazyLock<bool> = LazyLock::new(|| {
    let mut map = serde_json::Map::new();
    map.insert("b".into(), Value::Null);
    map.insert("a".into(), Value::Null);
    map.keys().is_sorted()
});

fn hash_value(value: &Value, hasher: &mut impl Hasher) {
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(b) => (1u8, b).hash(hasher),
        // Without allocating its text: an integer and a float are told apart (1 is not 1.0),
        // and a float's bits are its shortest text's.
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => (2u8, 0u8, u).hash(hasher),
            (None, Some(i), _) => (2u8, 1u8, i).hash(hasher),
            (None, None, f) => (2u8, 2u8, f.map(f64::to_bits)).hash(hasher),
        },
        Value::String(s) => (3u8, s).hash(hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(hasher);
            for item in items {
                hash_value(item, hasher);
            }
        }
        Value::Object(map) => {
            (5u8, map.len()).hash(hasher);
            // serde_json keeps keys sorted unless its `preserve_order` feature is on: sort
            // only when they are not (and check only when maps may keep another order).
            if *MAPS_SORT_KEYS || map.keys().is_sorted() {
                for (key, item) in map {
                    key.hash(hasher);
                    hash_value(item, hasher);
                }
            } else {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by_key(|(key, _)| *key);
                for (key, item) in entries {
                    key.hash(hasher);
                    hash_value(item, hasher);
                }
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
        assert_ne!(content_hash(&json!(1)), content_hash(&json!(1.0)));
        assert_ne!(content_hash(&json!(-1)), content_hash(&json!(1)));
        assert_eq!(content_hash(&json!(0.5)), content_hash(&json!(0.5)));
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

    #[test]
    fn uuid_ids_keep_where_they_were_first_seen_and_their_case() {
        let (a, b): (Arc<str>, Arc<str>) = ("a.json".into(), "b.jsonl".into());
        let id = "550e8400-e29b-41d4-a716-446655440000";
        let mut tracker = DuplicateTracker::default();
        assert_eq!(tracker.observe(id, 1, &Location::index(&a, 7)), None);
        assert_eq!(
            tracker.observe(&id.to_uppercase(), 2, &Location::line(&b, 1)),
            None,
            "another id"
        );
        assert_eq!(
            tracker.observe(id, 2, &Location::line(&b, 2)),
            Some(Location::index(&a, 7))
        );
        let far = Location::line(&b, 1 << 41);
        assert_eq!(tracker.observe("x", 1, &far), None);
        assert_eq!(tracker.observe("x", 2, &Location::line(&a, 1)), Some(far));
        assert_eq!(lowercase_uuid("550e8400e29b-41d4-a716-4466554400000"), None);
        assert_eq!(
            lowercase_uuid("00000000-0000-0000-0000-00000000000f"),
            Some([0, 15])
        );
        assert_eq!(
            lowercase_uuid("550e8400-e29b-41d4-a716-446655440000"),
            Some([0x550e_8400_e29b_41d4, 0xa716_4466_5544_0000])
        );
        assert_eq!(lowercase_uuid("550e8400-e29b-41d4-a716-44665544000F"), None);
        assert_eq!(lowercase_uuid("550e8400-e29b-41d4-a716-44665544000g"), None);
    }
}
