//! Reading a tape without serde, for the documents nearly every event is: well-formed UTF-8
//! JSON with no escape in any string, numbers that are plain integers or finite, normal
//! floats, and little nesting. Anything else (an escape, a syntax error, `-0`, an integer
//! beyond 64 bits, a float that overflows or underflows, deep nesting) makes it give up, and
//! the document is read again by serde_json, which decides it and words its errors. So this
//! reader never accepts what serde_json rejects, and builds exactly the tape serde_json's
//! reading builds: `tape::tests::the_fast_reader_builds_what_serde_json_reads` holds it to that.
//! It hashes each container's content as it reads it (`digest`, the parts `hash` walks a tape
//! with): the bytes are at hand here, and a second walk over the tape cost more.

use super::digest;
use super::node::Node;

/// Deeper than this, the document is left to serde_json (its limit is 128).
const MAX_NESTING: usize = 100;

/// What a document read into: its nodes, the key nodes repeated within their object, and the
/// content hash of each container, in node order.
pub(super) struct Output<'t> {
    pub nodes: &'t mut Vec<Node>,
    pub duplicate_keys: &'t mut Vec<u32>,
    pub container_hashes: &'t mut Vec<(u32, u64)>,
}

/// Reads `input` into `out`; `false` (with `out` half-written) when serde_json must read it.
pub(super) fn read(input: &[u8], out: Output<'_>) -> bool {
    // No UTF-8 check of the whole input here: outside strings, JSON is ASCII, and a byte that
    // is not makes this reader give up; inside them, `string` checks what is not ASCII.
    let mut reader = Reader {
        input,
        at: 0,
        nodes: out.nodes,
        duplicate_keys: out.duplicate_keys,
        container_hashes: out.container_hashes,
    };
    reader.value(0).is_some() && {
        reader.whitespace();
        reader.at == input.len()
    }
}

struct Reader<'i, 't> {
    input: &'i [u8],
    at: usize,
    nodes: &'t mut Vec<Node>,
    duplicate_keys: &'t mut Vec<u32>,
    container_hashes: &'t mut Vec<(u32, u64)>,
}

/// The content hash of the value read; `None`: give up.
type Step = Option<u64>;

impl<'i> Reader<'i, '_> {
    #[inline]
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.input.get(self.at) {
            self.at += 1;
        }
    }

    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.whitespace();
        self.input.get(self.at).copied()
    }

    fn value(&mut self, depth: usize) -> Step {
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => {
                let (node, text) = self.string()?;
                self.nodes.push(node);
                Some(digest::text(text))
            }
            b't' => self.literal(b"true", Node::Bool(true)),
            b'f' => self.literal(b"false", Node::Bool(false)),
            b'n' => self.literal(b"null", Node::Null),
            b'-' | b'0'..=b'9' => {
                let node = self.number()?;
                self.nodes.push(node);
                digest::scalar(node)
            }
            _ => None,
        }
    }

    fn literal(&mut self, text: &[u8], node: Node) -> Step {
        if !self.input[self.at..].starts_with(text) {
            return None;
        }
        self.at += text.len();
        self.nodes.push(node);
        digest::scalar(node)
    }

    /// A string with no escape and no control character, as a node of input positions, and
    /// its bytes.
    fn string(&mut self) -> Option<(Node, &'i [u8])> {
        let start = self.at + 1;
        let rest = self.input.get(start..)?;
        let mut end = plain_ascii_run(rest);
        if *rest.get(end)? != b'"' {
            // An escape or a control character: serde_json's. Else a byte that is not ASCII:
            // the rest is found the slow way, and the whole string must be UTF-8.
            if rest[end] < 0x80 {
                return None;
            }
            end = memchr::memchr2(b'"', b'\\', rest)?;
            if rest[end] != b'"'
                || rest[..end].iter().any(|b| *b < 0x20)
                || std::str::from_utf8(&rest[..end]).is_err()
            {
                return None;
            }
        }
        self.at = start + end + 1;
        let node = Node::Str {
            start: u32::try_from(start).ok()?,
            len: u32::try_from(end).ok()?,
            escaped: false,
        };
        Some((node, &rest[..end]))
    }

    /// A number as serde_json reads it: an integer that fits in `u64` (non-negative) or `i64`
    /// (negative), else a finite, normal `f64` read from its text (correctly rounded, as
    /// serde_json's `float_roundtrip` reads it).
    fn number(&mut self) -> Option<Node> {
        let start = self.at;
        let bytes = self.input;
        let mut at = start;
        let negative = bytes[at] == b'-';
        at += usize::from(negative);
        let digits = at;
        match bytes.get(at)? {
            b'0' => at += 1,
            b'1'..=b'9' => {
                while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
            }
            _ => return None,
        }
        let integer_end = at;
        let mut is_integer = true;
        if bytes.get(at) == Some(&b'.') {
            is_integer = false;
            at += 1;
            let fraction = at;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == fraction {
                return None;
            }
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            is_integer = false;
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let exponent = at;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == exponent {
                return None;
            }
        }
        self.at = at;
        if is_integer {
            // At most 19 digits always fit in a u64; longer ones are left to serde_json.
            let text = &bytes[digits..integer_end];
            if text.len() > 19 {
                return None;
            }
            let magnitude = text.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            return match (negative, magnitude) {
                (false, n) => Some(Node::U64(n)),
                // `-0` is a float to serde_json.
                (true, 0) => None,
                (true, n) => i64::try_from(n).ok().map(|n| Node::I64(-n)),
            };
        }
        // ASCII digits and signs: UTF-8 by construction.
        let text = std::str::from_utf8(&bytes[start..at]).ok()?;
        let float: f64 = text.parse().ok()?;
        // Overflow is an error to serde_json, and a zero or subnormal result is where parsers
        // are most likely to differ: both are left to it.
        float.is_normal().then_some(Node::F64(float))
    }

    fn array(&mut self, depth: usize) -> Step {
        if depth > MAX_NESTING {
            return None;
        }
        self.at += 1;
        let at = self.nodes.len();
        self.nodes.push(Node::Array { end: 0, len: 0 });
        // Its hash goes where its place in node order is, and is written once it is known.
        let hash_at = self.container_hashes.len();
        self.container_hashes.push((u32::try_from(at).ok()?, 0));
        let mut len = 0u32;
        let mut chain = 0;
        if self.peek()? == b']' {
            self.at += 1;
        } else {
            loop {
                chain = digest::element(chain, self.value(depth)?);
                len += 1;
                match self.peek()? {
                    b',' => self.at += 1,
                    b']' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let end = u32::try_from(self.nodes.len()).ok()?;
        self.nodes[at] = Node::Array { end, len };
        let hash = digest::array(chain, len);
        self.container_hashes[hash_at].1 = hash;
        Some(hash)
    }

    fn object(&mut self, depth: usize) -> Step {
        if depth > MAX_NESTING {
            return None;
        }
        self.at += 1;
        let at = self.nodes.len();
        self.nodes.push(Node::Object { end: 0, len: 0 });
        let hash_at = self.container_hashes.len();
        self.container_hashes.push((u32::try_from(at).ok()?, 0));
        let mut len = 0u32;
        let mut sum = 0u64;
        // A bit per key, picked by its hash: a key whose bit is clear repeats none before it
        // (most keys), and only the others are compared with the keys before them.
        let mut fingerprints = 0u64;
        if self.peek()? == b'}' {
            self.at += 1;
        } else {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                let (key, text) = self.string()?;
                if len as usize == FEW_KEYS {
                    return None;
                }
                let name = digest::text(text);
                let key_at = u32::try_from(self.nodes.len()).ok()?;
                let bit = 1u64 << (name >> 58);
                if fingerprints & bit != 0 && self.repeats(at, text) {
                    self.duplicate_keys.push(key_at);
                }
                fingerprints |= bit;
                self.nodes.push(key);
                if self.peek()? != b':' {
                    return None;
                }
                self.at += 1;
                sum = sum.wrapping_add(digest::member(name, self.value(depth)?));
                len += 1;
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let end = u32::try_from(self.nodes.len()).ok()?;
        self.nodes[at] = Node::Object { end, len };
        let hash = digest::object(sum, len);
        self.container_hashes[hash_at].1 = hash;
        Some(hash)
    }

    /// Whether `key` is the text of a key of the object at `object`, whose members so far are
    /// the last nodes read (each value complete, so a container's `end` is set).
    fn repeats(&self, object: usize, key: &[u8]) -> bool {
        let mut at = object + 1;
        while at < self.nodes.len() {
            if let Node::Str { start, len, .. } = self.nodes[at] {
                if self.input[start as usize..(start + len) as usize] == *key {
                    return true;
                }
            }
            at = match self.nodes[at + 1] {
                Node::Array { end, .. } | Node::Object { end, .. } => end as usize,
                _ => at + 2,
            };
        }
        false
    }
}

/// The most keys an object read here may have: past them, serde_json's reading, which hashes
/// them to find a repeated one, reads it.
const FEW_KEYS: usize = 32;

/// How many bytes `bytes` starts with that a string may hold as they are and that are ASCII:
/// everything but `"`, `\\`, control characters and bytes of 0x80 and above. A string is most of
/// an event's bytes, and this is the one pass over them: sixteen bytes at a time where SSE2 is
/// (every x86-64 processor), eight elsewhere and for the last few.
#[inline]
fn plain_ascii_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        while let Some(chunk) = bytes.get(at..at + 16) {
            // SAFETY: SSE2 is part of x86-64, so every processor this runs on has it; `chunk`
            // is 16 readable bytes, and an unaligned load reads exactly those.
            let stop = unsafe {
                let word = _mm_loadu_si128(chunk.as_ptr().cast());
                let quote = _mm_cmpeq_epi8(word, _mm_set1_epi8(b'"' as i8));
                let backslash = _mm_cmpeq_epi8(word, _mm_set1_epi8(b'\\' as i8));
                // Compared as signed bytes, control characters and bytes of 0x80 and above
                // are both below 0x20.
                let below = _mm_cmplt_epi8(word, _mm_set1_epi8(0x20));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), below))
            };
            if stop != 0 {
                return at + stop.trailing_zeros() as usize;
            }
            at += 16;
        }
    }
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte's high bit is set in each term where that byte is what the term looks for;
        // borrows may also set it in bytes after the first such byte, never before it, so
        // the lowest bit set is the first byte to stop at.
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let stop = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | word.wrapping_sub(ONES * 0x20)
            | word;
        let stop = stop & HIGH;
        if stop != 0 {
            return at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|b| *b == b'"' || *b == b'\\' || *b < 0x20 || *b >= 0x80)
        .unwrap_or(bytes.len() - at)
}
