//! The node a tape is made of: what the readers write (`tape`'s serde reader, `fast_read`) and
//! everything else reads, in a module of its own so that the readers share it without
//! importing each other.

/// One node: a scalar, a string, or the start of a container whose members follow it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// A non-negative integer that fits in `u64`.
    U64(u64),
    /// A negative integer that fits in `i64`.
    I64(i64),
    /// Any other number: a fraction, an exponent, or an integer too large for 64 bits.
    F64(f64),
    /// A string: bytes `start..start + len` of the input, or of the tape's own text when
    /// `escaped` (its escapes decoded).
    Str {
        start: u32,
        len: u32,
        escaped: bool,
    },
    /// An array of `len` elements; its last node is at `end - 1`.
    Array {
        end: u32,
        len: u32,
    },
    /// An object of `len` members, each a key (`Str`) then its value; its last node is at
    /// `end - 1`.
    Object {
        end: u32,
        len: u32,
    },
}
