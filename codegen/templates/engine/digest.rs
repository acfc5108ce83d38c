//! The parts of the content hash (`hash`): the hash of a string, of a scalar, and how the hashes
//! of an array's elements and of an object's members make theirs. The fast reader hashes a
//! document with them while it reads it, and `hash` hashes what serde_json's reading built with
//! them, so that both give every value the same hash. Importing only the node, they leave the
//! readers free of each other.

use std::hash::BuildHasher;

use foldhash::quality::FixedState;

use super::node::Node;

/// A fixed seed: the hash is the same on every thread and every run. foldhash's quality
/// variant: 64 well-mixed bits, several times cheaper than SipHash on event-sized input.
const STATE: FixedState = FixedState::with_seed(0x636f_6e74_7261_6374);

/// Odd constants (the hexadecimal digits of pi, made odd), a pair of its own for each use: a
/// value of one kind never hashes like one of another by construction.
const KEYS: [u64; 19] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7345,
    0xa409_3822_299f_31d1,
    0x082e_fa98_ec4e_6c89,
    0x4528_21e6_38d0_1377,
    0xbe54_66cf_34e9_0c6d,
    0xc0ac_29b7_c97c_50dd,
    0x3f84_d5b5_b547_0917,
    0x9216_d5d9_8979_fb1b,
    0xd131_0ba6_98df_b5ad,
    0x2ffd_72db_d01a_dfb7,
    0xb8e1_afed_6a26_7e97,
    0xba7c_9045_f12c_7f99,
    0x24a1_9947_b391_6cf7,
    0x0801_f2e2_858e_fc17,
    0x6369_20d8_7157_4e69,
    0xa458_fea3_f493_3d7f,
    0x0d95_748f_728e_b659,
    0x718b_cd58_8215_4aef,
];

/// The folded multiply foldhash is built on: the two halves of the 128-bit product, XORed.
#[inline]
pub(super) fn mix(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hash of a string's bytes (its length included): up to 64 bytes (keys, ids, timestamps),
/// each 16 of them as two words folded into the hash so far, the last 16 overlapping the ones
/// before, the shortest read as two overlapping smaller words, so that the words cover every
/// byte and a string is told apart from any other of its length. A call to a hasher cost more
/// than the rest of a member's hash. Longer ones, foldhash's.
#[inline]
pub(super) fn text(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let half = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let fold = |hash: u64, a: u64, b: u64| mix(hash ^ a ^ KEYS[16], b ^ KEYS[17]);
    let start = (len as u64).wrapping_mul(KEYS[18]);
    match len {
        0 => start,
        1..=3 => {
            let a = u64::from(bytes[0]) | u64::from(bytes[len / 2]) << 8;
            fold(start, a, u64::from(bytes[len - 1]))
        }
        4..=7 => fold(start, u64::from(half(0)), u64::from(half(len - 4))),
        8..=16 => fold(start, word(0), word(len - 8)),
        17..=64 => {
            let mut hash = start;
            let mut at = 0;
            while at + 16 < len {
                hash = fold(hash, word(at), word(at + 8));
                at += 16;
            }
            fold(hash, word(len - 16), word(len - 8))
        }
        _ => STATE.hash_one(bytes),
    }
}

/// The hash of a scalar node; `None` for a string (see [`text`]) or a container.
#[inline]
pub(super) fn scalar(node: Node) -> Option<u64> {
    match node {
        Node::Null => Some(KEYS[0]),
        Node::Bool(b) => Some(mix(KEYS[1] ^ u64::from(b), KEYS[2])),
        Node::U64(u) => Some(mix(KEYS[3] ^ u, KEYS[4])),
        Node::I64(i) => Some(mix(KEYS[5] ^ i as u64, KEYS[6])),
        // A float's bits are its shortest text's (serde_json parses with `float_roundtrip`).
        Node::F64(f) => Some(mix(KEYS[7] ^ f.to_bits(), KEYS[8])),
        Node::Str { .. } | Node::Array { .. } | Node::Object { .. } => None,
    }
}

/// An array's hash so far, chained with its next element's: the order of elements matters.
#[inline]
pub(super) fn element(chain: u64, element: u64) -> u64 {
    mix(chain ^ element, KEYS[10])
}

/// An array's hash, from its chain (0 before the first element) and length.
#[inline]
pub(super) fn array(chain: u64, len: u32) -> u64 {
    mix(chain ^ KEYS[9], KEYS[11] ^ u64::from(len))
}

/// The hash of an object member, from its key's [`text`] and its value's hash; an object's
/// members' hashes are added up, so that their order does not matter.
#[inline]
pub(super) fn member(key: u64, value: u64) -> u64 {
    mix(key ^ KEYS[12], value ^ KEYS[13])
}

/// An object's hash, from the sum of its members' and its length.
#[inline]
pub(super) fn object(sum: u64, len: u32) -> u64 {
    mix(sum ^ KEYS[14], KEYS[15] ^ u64::from(len))
}
