//! The one validation engine: decides whether a JSON document conforms to a compiled draft-07
//! schema, from its bytes, without building a `serde_json::Value` on the way (the bytes are
//! read once into a [`tape::Tape`]). Every path that decides conformance uses it: the typed
//! parse, `validate`, and every input of `contracts check`. `jsonschema` stays beside it, to list
//! every violation of a rejected event, and as the oracle the tests compare it with.

pub mod de;
mod digest;
pub mod eval;
mod fast_read;
pub mod formats;
pub mod hash;
pub mod keywords;
mod node;
pub mod numbers;
pub mod patterns;
pub mod program;
pub mod tape;

pub use eval::Failure;
pub use program::{CompileError, Program};
pub use tape::{Node, Tape, TapeError, View};
