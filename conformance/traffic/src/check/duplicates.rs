//! Remembers each event id with a hash of its content, to tell a redelivery (same content)
//! from two different events sharing an id.
//!
//! A run may see millions of ids, and every one is kept to the end, so an entry is small: an
//! id that is a UUID written in lowercase (nearly all of them) is kept as its 128 bits, any
//! other id as its text; where it was first seen is packed into one `u64` (a file index and a
//! line or element number). UUID ids are spread over many tables ([`UuidTable`]): a table that
//! grows holds its old and new storage at once, and a small one doing so costs little memory
//! where one big table would grow for that moment.

use std::collections::HashMap;
use std::sync::Arc;

use super::uuid_table::{self, Seen, UuidTable};
use crate::input::Location;

pub struct DuplicateTracker {
    /// UUID ids, in `SHARDS` tables chosen by their hash.
    uuids: Vec<UuidTable>,
    others: HashMap<String, Seen>,
    places: Places,
}

/// `Seen::at`: a file index, a number, and whether the number is an element index or a line;
/// or, with `UNPACKED` set, an index into `Places::unpacked`.
const UNPACKED: u64 = 1 << 63;
const IS_INDEX: u64 = 1 << 62;
const NUMBER_BITS: u32 = 40;
const FILE_BITS: u32 = 22;
const SHARDS: usize = 256;

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
            uuids: (0..SHARDS).map(|_| UuidTable::new()).collect(),
            others: HashMap::new(),
            places: Places::default(),
        }
    }
}

impl DuplicateTracker {
    /// Records `id` with `content_hash`; returns where the id was first seen when that event's
    /// content was different.
    pub fn observe(&mut self, id: &str, content_hash: u64, at: &Location) -> Option<Location> {
        self.observe_keyed(id, lowercase_uuid(id), content_hash, at)
    }

    /// `observe`, with the id's [`lowercase_uuid`] key worked out already (on a worker).
    pub fn observe_keyed(
        &mut self,
        id: &str,
        key: Option<[u64; 2]>,
        content_hash: u64,
        at: &Location,
    ) -> Option<Location> {
        let new = |places: &mut Places| Seen {
            content: content_hash,
            at: places.pack(at),
        };
        // One probe of the table: nearly every id is new, and is inserted where it was looked for.
        let seen = match key {
            Some(key) => {
                let places = &mut self.places;
                self.uuids[shard(key)].get_or_insert_with(key, || new(places))
            }
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
    // Mixed the other way round from the tables' own hash, so that the keys of one table are
    // not all alike in the bits it places them by.
    (uuid_table::hash([key[1], key[0]]) >> 56) as usize % SHARDS
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
pub fn lowercase_uuid(id: &str) -> Option<[u64; 2]> {
    // Every event's id goes through here: its shape is checked sixteen bytes at a time (the
    // engine's uuid check), and each group of digits read as one word, not byte by byte.
    if !coder_events::engine::formats::is_lowercase_uuid(id) {
        return None;
    }
    let b = id.as_bytes();
    let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
    let half = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes"));
    let high =
        u64::from(hex8(word(0))) << 32 | u64::from(hex4(half(9))) << 16 | u64::from(hex4(half(14)));
    let low = u64::from(hex4(half(19))) << 48
        | u64::from(hex8(word(24))) << 16
        | u64::from(hex4(half(32)));
    Some([high, low])
}

/// The value of eight lowercase hex digits (the first in the lowest byte, as read from text).
fn hex8(digits: u64) -> u32 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A digit's low four bits, plus 9 for a letter (`a` is 0x61: bit 6 set, low bits 1).
    let nibbles = (digits & (ONES * 0x0f)) + ((digits >> 6) & ONES) * 9;
    // Each byte's nibble under the one before it, then pairs of bytes, then pairs of those.
    let bytes = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff;
    let pairs = ((bytes << 8) | (bytes >> 16)) & 0x0000_ffff_0000_ffff;
    (((pairs << 16) | (pairs >> 32)) & 0xffff_ffff) as u32
}

/// The value of four lowercase hex digits, as [`hex8`] reads eight.
fn hex4(digits: u32) -> u16 {
    (hex8(u64::from(digits)) >> 16) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

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
