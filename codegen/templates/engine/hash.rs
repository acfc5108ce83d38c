//! A hash of a value's content that ignores the order of object keys: the same event written
//! twice with its keys in another order is the same content (what a duplicate id is checked
//! against). Integers and floats are told apart (`1` is not `1.0`), as a `Value` tells them apart.

use std::hash::{BuildHasher, Hasher};

use foldhash::quality::FixedState;

use super::tape::{Node, View};

/// A fixed seed: the hash is the same on every thread and every run. foldhash's quality
/// variant: 64 well-mixed bits, several times cheaper than SipHash on event-sized input.
const STATE: FixedState = FixedState::with_seed(0x636f_6e74_7261_6374);

/// The content hash of the value at `at`.
pub fn content_hash(view: &View<'_>, at: usize) -> u64 {
    match view.node(at) {
        Node::Null => STATE.hash_one(0u8),
        Node::Bool(b) => STATE.hash_one((1u8, b)),
        Node::U64(u) => STATE.hash_one((2u8, 0u8, u)),
        Node::I64(i) => STATE.hash_one((2u8, 1u8, i)),
        // A float's bits are its shortest text's (serde_json parses with `float_roundtrip`).
        Node::F64(f) => STATE.hash_one((2u8, 2u8, f.to_bits())),
        Node::Str { .. } => STATE.hash_one((3u8, view.str(at).unwrap_or_default())),
        Node::Array { len, .. } => {
            let mut hasher = STATE.build_hasher();
            hasher.write_u8(4);
            for element in view.elements(at) {
                hasher.write_u64(content_hash(view, element));
            }
            hasher.write_u64(u64::from(len));
            hasher.finish()
        }
        Node::Object { len, .. } => {
            // Members' hashes added up: their order does not matter.
            let sum = view.members(at).fold(0u64, |sum, (k, v)| {
                let member =
                    STATE.hash_one((view.str(k).unwrap_or_default(), content_hash(view, v)));
                sum.wrapping_add(member)
            });
            STATE.hash_one((5u8, u64::from(len), sum))
        }
    }
}
