//! The table the duplicate tracker keeps UUID ids in: open addressing with linear probing and
//! Robin Hood displacement, the entry itself in the slot.
//!
//! A run keeps every id to its end, so the table's fill decides much of the run's memory:
//! hashbrown doubles its tables and may hold as few entries as 44% of its slots, and it reads
//! two places per lookup (the control bytes, then the entry). This table grows by half again
//! when it is 7/8 full, so it holds 58–88% of its slots, and a lookup reads the slots from
//! the id's home on, which nearly always share a cache line or two.

use std::alloc::System;

use allocator_api2::vec::Vec;

/// An id's content hash and where it was first seen (`at`: a place as the tracker packs it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub content: u64,
    pub at: u64,
}

/// `Seen::at` of a free slot: no place the tracker packs is all ones.
pub const FREE: u64 = u64::MAX;

#[derive(Clone, Copy)]
struct Slot {
    key: [u64; 2],
    seen: Seen,
}

const FREE_SLOT: Slot = Slot {
    key: [0; 2],
    seen: Seen {
        content: 0,
        at: FREE,
    },
};

/// The fewest slots a table that holds anything has.
const MIN_SLOTS: usize = 16;

pub struct UuidTable {
    /// From the system allocator, which gives a grown table's old storage back at once.
    slots: Vec<Slot, System>,
    len: usize,
}

impl UuidTable {
    pub fn new() -> UuidTable {
        UuidTable {
            slots: Vec::new_in(System),
            len: 0,
        }
    }

    /// What was kept for `key`; or, when it is new, keeps `new()` for it and returns `None`.
    pub fn get_or_insert_with(
        &mut self,
        key: [u64; 2],
        new: impl FnOnce() -> Seen,
    ) -> Option<Seen> {
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        let mut i = self.home(key);
        let mut distance = 0;
        loop {
            let slot = self.slots[i];
            if slot.seen.at == FREE {
                self.slots[i] = Slot { key, seen: new() };
                self.len += 1;
                return None;
            }
            if slot.key == key {
                return Some(slot.seen);
            }
            // Every slot from the key's home on holds an id at least as far from its own home:
            // one that is nearer means the key is not in the table, and it belongs here.
            if self.distance(slot.key, i) < distance {
                let seen = new();
                debug_assert_ne!(seen.at, FREE);
                self.place(i, Slot { key, seen }, distance);
                self.len += 1;
                return None;
            }
            i = self.next(i);
            distance += 1;
        }
    }

    /// Puts `slot`, `distance` slots from its home, at `i` or after, moving nearer ones on.
    fn place(&mut self, mut i: usize, mut slot: Slot, mut distance: usize) {
        loop {
            let here = self.slots[i];
            if here.seen.at == FREE {
                self.slots[i] = slot;
                return;
            }
            let here_distance = self.distance(here.key, i);
            if here_distance < distance {
                self.slots[i] = slot;
                slot = here;
                distance = here_distance;
            }
            i = self.next(i);
            distance += 1;
        }
    }

    fn grow(&mut self) {
        let slots = (self.slots.len() + self.slots.len() / 2).max(MIN_SLOTS);
        let mut grown = Vec::with_capacity_in(slots, System);
        grown.resize(slots, FREE_SLOT);
        let old = std::mem::replace(&mut self.slots, grown);
        for slot in old.into_iter().filter(|s| s.seen.at != FREE) {
            let home = self.home(slot.key);
            self.place(home, slot, 0);
        }
    }

    /// Where `key` belongs: its hash scaled to the number of slots.
    fn home(&self, key: [u64; 2]) -> usize {
        ((u128::from(hash(key)) * self.slots.len() as u128) >> 64) as usize
    }

    fn distance(&self, key: [u64; 2], i: usize) -> usize {
        let home = self.home(key);
        if i >= home {
            i - home
        } else {
            i + self.slots.len() - home
        }
    }

    fn next(&self, i: usize) -> usize {
        if i + 1 == self.slots.len() {
            0
        } else {
            i + 1
        }
    }
}

/// Mixes a UUID's bits: ids of one kind share many of them (a version, a timestamp prefix),
/// and a slot is chosen by the hash's high bits, which a multiply by an odd constant draws from
/// every bit of the word (Fibonacci hashing).
pub fn hash(key: [u64; 2]) -> u64 {
    (key[0] ^ key[1].rotate_left(32)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A reproducible stream of keys: some random, some sequential (as time-ordered ids are).
    fn keys(n: u64) -> impl Iterator<Item = [u64; 2]> {
        let mut state = 0x1234_5678_9abc_def0u64;
        (0..n).map(move |i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if i % 3 == 0 {
                [0x0190_0000_0000_7000 + i, 0x8000_0000_0000_0000]
            } else {
                [state, state.rotate_left(29) ^ i]
            }
        })
    }

    #[test]
    fn it_keeps_what_a_map_keeps_through_every_growth() {
        let mut table = UuidTable::new();
        let mut model = HashMap::new();
        for (i, key) in keys(50_000).enumerate() {
            let seen = Seen {
                content: i as u64,
                at: i as u64 * 3,
            };
            let found = table.get_or_insert_with(key, || seen);
            assert_eq!(found, model.get(&key).copied(), "key {i}");
            model.entry(key).or_insert(seen);
        }
        assert_eq!(table.len, model.len());
        // Every key is found again, with what was kept the first time, and the table stays
        // between 7/12 and 7/8 full.
        for (key, seen) in &model {
            let found = table.get_or_insert_with(*key, || panic!("{key:?} was kept"));
            assert_eq!(found, Some(*seen));
        }
        let fill = table.len as f64 / table.slots.len() as f64;
        assert!((0.58..=0.875).contains(&fill), "{fill}");
    }

    #[test]
    fn repeated_keys_are_found_not_added() {
        let mut table = UuidTable::new();
        let seen = |at| Seen { content: 7, at };
        assert_eq!(table.get_or_insert_with([1, 2], || seen(1)), None);
        assert_eq!(table.get_or_insert_with([2, 1], || seen(2)), None);
        assert_eq!(table.get_or_insert_with([1, 2], || seen(3)), Some(seen(1)));
        assert_eq!(table.len, 2);
    }
}
