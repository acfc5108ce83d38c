//! A JSON document read once into a flat tape of nodes, with strings borrowed from the input
//! where they have no escapes: what the engine validates, hashes and reads fields from without
//! building a `serde_json::Value`. serde_json does the parsing, so numbers are exactly the
//! `u64`/`i64`/`f64` a `Value` would hold and every syntax error is serde_json's.
//!
//! A tape is reused from document to document: reading one allocates only when it is larger
//! than every document before it.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

pub use super::node::Node;

/// Why bytes are not one JSON document.
#[derive(Debug)]
pub enum TapeError {
    Json(serde_json::Error),
    /// Larger than the tape's 32-bit offsets reach (4 GiB): never a single event.
    TooLarge,
}

impl fmt::Display for TapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TapeError::Json(e) => write!(f, "{e}"),
            TapeError::TooLarge => f.write_str("the document is larger than 4 GiB"),
        }
    }
}

impl std::error::Error for TapeError {}

/// The nodes of the last document read, and the decoded text of its escaped strings.
#[derive(Default, Debug, Clone)]
pub struct Tape {
    nodes: Vec<Node>,
    text: Vec<u8>,
    /// Every object key that repeats an earlier key of its object, as node indexes in document
    /// order. Parsers disagree on such documents (first wins, last wins, error), so a contract
    /// toolkit must not let them through. Almost always empty.
    duplicate_keys: Vec<u32>,
    /// The content hash (`hash::content_hash`) of each container, as (node, hash) in node
    /// order, when the fast reader read the document: it hashes what it reads as it reads it,
    /// instead of a walk over the tape after. Empty when serde_json read it.
    container_hashes: Vec<(u32, u64)>,
    /// Where the input read last is (address and length): a view must be of those very bytes,
    /// since its strings point into them.
    input: (usize, usize),
}

impl Tape {
    pub fn new() -> Tape {
        Tape::default()
    }

    /// Reads `input` (one JSON document, whitespace around it allowed) into the tape: with the
    /// fast reader when it can, else with serde_json, which decides every other document.
    pub fn read(&mut self, input: &[u8]) -> Result<(), TapeError> {
        if u32::try_from(input.len()).is_err() {
            return Err(TapeError::TooLarge);
        }
        if self.read_fast(input) {
            return Ok(());
        }
        self.read_with_serde(input)
    }

    /// Reads `input` with the fast reader alone: `false` when it gives up, and then the tape
    /// holds nothing usable. Public so that tests can tell which documents it takes.
    pub fn read_fast(&mut self, input: &[u8]) -> bool {
        if u32::try_from(input.len()).is_err() {
            return false;
        }
        self.start(input);
        let output = super::fast_read::Output {
            nodes: &mut self.nodes,
            duplicate_keys: &mut self.duplicate_keys,
            container_hashes: &mut self.container_hashes,
        };
        super::fast_read::read(input, output)
    }

    /// Reads `input` with serde_json alone: what [`read`](Self::read) falls back on, public so
    /// that tests can hold the fast reader to it.
    pub fn read_with_serde(&mut self, input: &[u8]) -> Result<(), TapeError> {
        if u32::try_from(input.len()).is_err() {
            return Err(TapeError::TooLarge);
        }
        self.start(input);
        let mut de = serde_json::Deserializer::from_slice(input);
        let builder = Builder { tape: self, input };
        builder.deserialize(&mut de).map_err(TapeError::Json)?;
        de.end().map_err(TapeError::Json)
    }

    fn start(&mut self, input: &[u8]) {
        self.input = (input.as_ptr() as usize, input.len());
        self.nodes.clear();
        self.text.clear();
        self.duplicate_keys.clear();
        self.container_hashes.clear();
    }

    /// The tape of the last document, read against the input it was read from.
    ///
    /// # Panics
    /// When `input` is not the slice last read: the tape's strings are positions in it.
    pub fn view<'a>(&'a self, input: &'a [u8]) -> View<'a> {
        assert!(
            self.input == (input.as_ptr() as usize, input.len()),
            "a tape is viewed with the bytes it read"
        );
        View {
            nodes: &self.nodes,
            text: &self.text,
            input,
            duplicate_keys: &self.duplicate_keys,
            container_hashes: &self.container_hashes,
        }
    }
}

struct Builder<'t, 'i> {
    tape: &'t mut Tape,
    input: &'i [u8],
}

impl Builder<'_, '_> {
    fn push(&mut self, node: Node) {
        self.tape.nodes.push(node);
    }

    /// A string node: borrowed when `s` lies inside the input (serde_json hands out a slice of
    /// the input for a string without escapes), else copied to the text.
    fn string(&mut self, s: &str) -> Node {
        let at = (s.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
        if at < self.input.len() && at + s.len() <= self.input.len() {
            Node::Str {
                start: at as u32,
                len: s.len() as u32,
                escaped: false,
            }
        } else {
            let start = self.tape.text.len() as u32;
            self.tape.text.extend_from_slice(s.as_bytes());
            Node::Str {
                start,
                len: s.len() as u32,
                escaped: true,
            }
        }
    }

    fn reborrow(&mut self) -> Builder<'_, '_> {
        Builder {
            tape: self.tape,
            input: self.input,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Builder<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Builder<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.push(Node::Null);
        Ok(())
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<(), E> {
        self.push(Node::Bool(v));
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<(), E> {
        self.push(Node::U64(v));
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<(), E> {
        // serde_json gives negative numbers only; a `Value` keeps them as `i64` the same way.
        self.push(Node::I64(v));
        Ok(())
    }

    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<(), E> {
        self.push(Node::F64(v));
        Ok(())
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<(), E> {
        let node = self.string(v);
        self.push(node);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let at = self.tape.nodes.len();
        self.push(Node::Array { end: 0, len: 0 });
        let mut len = 0u32;
        while seq.next_element_seed(self.reborrow())?.is_some() {
            len += 1;
        }
        let end = self.tape.nodes.len() as u32;
        self.tape.nodes[at] = Node::Array { end, len };
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let at = self.tape.nodes.len();
        self.push(Node::Object { end: 0, len: 0 });
        let mut len = 0u32;
        // The key nodes of this object, to find a repeated key: a few keys are compared one by
        // one, many are hashed.
        let mut keys = Keys::default();
        let mut seen: Option<std::collections::HashSet<Vec<u8>>> = None;
        while map.next_key_seed(KeySeed(self.reborrow()))?.is_some() {
            let key_at = (self.tape.nodes.len() - 1) as u32;
            if self.repeats(&mut keys, &mut seen, key_at) {
                self.tape.duplicate_keys.push(key_at);
            }
            map.next_value_seed(self.reborrow())?;
            len += 1;
        }
        let end = self.tape.nodes.len() as u32;
        self.tape.nodes[at] = Node::Object { end, len };
        Ok(())
    }
}

impl Builder<'_, '_> {
    /// Whether the key at `key_at` repeats one in `keys` (adding it to them): a few keys are
    /// compared one by one, many are hashed.
    fn repeats(
        &self,
        keys: &mut Keys,
        seen: &mut Option<std::collections::HashSet<Vec<u8>>>,
        key_at: u32,
    ) -> bool {
        let key = self.key_text(key_at);
        if let Some(set) = seen {
            return !set.insert(key.to_vec());
        }
        // A cheap fingerprint first: most objects have no two keys alike in it, and then no
        // key is compared with another at all.
        let bit = 1u64 << (fingerprint(key) % 64);
        if keys.fingerprints & bit != 0
            && keys.nodes[..keys.len]
                .iter()
                .any(|k| self.key_text(*k) == key)
        {
            return true;
        }
        keys.fingerprints |= bit;
        if keys.len < FEW_KEYS {
            keys.nodes[keys.len] = key_at;
            keys.len += 1;
        } else {
            let mut set: std::collections::HashSet<Vec<u8>> = keys
                .nodes
                .iter()
                .map(|k| self.key_text(*k).to_vec())
                .collect();
            set.insert(key.to_vec());
            *seen = Some(set);
        }
        false
    }

    /// A key's text, decoded: its bytes in the input, or in the tape's text.
    fn key_text(&self, node: u32) -> &[u8] {
        match self.tape.nodes[node as usize] {
            Node::Str {
                start,
                len,
                escaped,
            } => {
                let source = if escaped {
                    &self.tape.text[..]
                } else {
                    self.input
                };
                &source[start as usize..(start + len) as usize]
            }
            _ => &[],
        }
    }
}

/// How many keys of an object are compared one by one before they are hashed.
const FEW_KEYS: usize = 16;

/// The key nodes of the object being read, while they are few: on the stack, no allocation.
#[derive(Default)]
struct Keys {
    nodes: [u32; FEW_KEYS],
    len: usize,
    /// The fingerprints of the keys so far, as bits.
    fingerprints: u64,
}

/// A key's length and first and last bytes, mixed: equal keys have equal fingerprints.
fn fingerprint(key: &[u8]) -> u32 {
    let first = u32::from(key.first().copied().unwrap_or(0));
    let last = u32::from(key.last().copied().unwrap_or(0));
    (key.len() as u32).wrapping_mul(31) ^ first.wrapping_mul(7) ^ last.wrapping_mul(13)
}

/// Reads an object key into the tape as a string node.
struct KeySeed<'t, 'i>(Builder<'t, 'i>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self.0)
    }
}

/// A read tape with the input it was read from: what everything else reads.
#[derive(Clone, Copy)]
pub struct View<'a> {
    nodes: &'a [Node],
    text: &'a [u8],
    input: &'a [u8],
    duplicate_keys: &'a [u32],
    container_hashes: &'a [(u32, u64)],
}

impl<'a> View<'a> {
    pub fn node(&self, at: usize) -> Node {
        self.nodes[at]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The content hash of the container at `at`, when the reader worked it out.
    pub(super) fn container_hash(&self, at: usize) -> Option<u64> {
        let at = u32::try_from(at).ok()?;
        let i = self
            .container_hashes
            .binary_search_by_key(&at, |(node, _)| *node)
            .ok()?;
        Some(self.container_hashes[i].1)
    }

    /// The index after the value that starts at `at`.
    pub fn skip(&self, at: usize) -> usize {
        match self.nodes[at] {
            Node::Array { end, .. } | Node::Object { end, .. } => end as usize,
            _ => at + 1,
        }
    }

    /// The bytes of the string at `at` (its escapes decoded), if it is one.
    pub fn bytes(&self, at: usize) -> Option<&'a [u8]> {
        self.bytes_of(self.nodes[at])
    }

    /// The bytes of `node`, a node of this tape, if it is a string: for a walk that has read
    /// the node already.
    pub fn bytes_of(&self, node: Node) -> Option<&'a [u8]> {
        match node {
            Node::Str {
                start,
                len,
                escaped,
            } => {
                let source = if escaped { self.text } else { self.input };
                Some(&source[start as usize..(start + len) as usize])
            }
            _ => None,
        }
    }

    /// The string at `at`, if it is one.
    pub fn str(&self, at: usize) -> Option<&'a str> {
        let bytes = self.bytes(at)?;
        // SAFETY: every string node spans the bytes of a `&str` serde_json handed the builder:
        // either a slice of the input (the very bytes this view is of, which `Tape::view`
        // asserts) or a copy in the tape's text. Both are UTF-8 as they were a `str`.
        // Validating them again was a third of the engine's time.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    }

    /// The members of the object at `at`: (key node, value node) pairs.
    pub fn members(&self, at: usize) -> Members<'_, 'a> {
        let end = match self.nodes[at] {
            Node::Object { end, .. } => end as usize,
            _ => at + 1,
        };
        Members {
            view: self,
            next: at + 1,
            end,
        }
    }

    /// The elements of the array at `at`: their node indexes.
    pub fn elements(&self, at: usize) -> Elements<'_, 'a> {
        let end = match self.nodes[at] {
            Node::Array { end, .. } => end as usize,
            _ => at + 1,
        };
        Elements {
            view: self,
            next: at + 1,
            end,
        }
    }

    /// The value of member `key` of the object at `at` (the last one, as serde_json keeps it).
    pub fn get(&self, at: usize, key: &str) -> Option<usize> {
        let key = key.as_bytes();
        // Without a repeated key in the document, the first member named `key` is the last.
        let first_is_last = self.duplicate_keys.is_empty();
        let mut found = None;
        for (k, v) in self.members(at) {
            // Lengths first: most keys differ in theirs, and then no bytes are compared.
            let same_length =
                matches!(self.nodes[k], Node::Str { len, .. } if len as usize == key.len());
            if same_length && self.bytes(k) == Some(key) {
                found = Some(v);
                if first_is_last {
                    break;
                }
            }
        }
        found
    }

    /// The node a JSON pointer names, from the value at `at`.
    pub fn pointer(&self, mut at: usize, pointer: &str) -> Option<usize> {
        if pointer.is_empty() {
            return Some(at);
        }
        let rest = pointer.strip_prefix('/')?;
        for token in rest.split('/') {
            // Most tokens have no escape, and are used as they are: no copy per record.
            let token: std::borrow::Cow<'_, str> = if token.contains('~') {
                token.replace("~1", "/").replace("~0", "~").into()
            } else {
                token.into()
            };
            at = match self.nodes[at] {
                Node::Object { .. } => self.get(at, &token)?,
                Node::Array { .. } => {
                    let index: usize = token.parse().ok()?;
                    if token.len() > 1 && token.starts_with('0') {
                        return None;
                    }
                    self.elements(at).nth(index)?
                }
                _ => return None,
            };
        }
        Some(at)
    }

    /// Where the first repeated object key inside the value at `at` is, as a JSON pointer
    /// (from `at`) to the object holding it, and the key. A key repeated elsewhere in the
    /// document (the envelope of a recording, around its event) is not the value's.
    pub fn duplicate_key(&self, at: usize) -> Option<(String, &'a str)> {
        let end = self.skip(at);
        let key = self
            .duplicate_keys
            .iter()
            .map(|k| *k as usize)
            .find(|k| (at..end).contains(k))?;
        let mut path = Vec::new();
        self.path_to(at, key, &mut path);
        // `path_to` ends at the key node itself: its object is the pointer.
        path.pop();
        let pointer: String = path
            .iter()
            .map(|segment| format!("/{}", segment.replace('~', "~0").replace('/', "~1")))
            .collect();
        Some((pointer, self.str(key).unwrap_or_default()))
    }

    /// The segments from the value at `at` down to node `target`, if it is inside it.
    fn path_to(&self, at: usize, target: usize, path: &mut Vec<String>) -> bool {
        if at == target {
            return true;
        }
        match self.nodes[at] {
            Node::Object { .. } => {
                for (k, v) in self.members(at) {
                    let name = self.str(k).unwrap_or_default().to_string();
                    if k == target {
                        path.push(name);
                        return true;
                    }
                    if target > v && target < self.skip(v) {
                        path.push(name);
                        return self.path_to(v, target, path);
                    }
                }
                false
            }
            Node::Array { .. } => {
                for (i, e) in self.elements(at).enumerate() {
                    if target >= e && target < self.skip(e) {
                        path.push(i.to_string());
                        return self.path_to(e, target, path);
                    }
                }
                false
            }
            _ => false,
        }
    }

    /// The value at `at` as a `serde_json::Value`: for the explainer and the rules, on the
    /// path of a record the engine rejected. Repeated keys keep the last value, as serde_json.
    pub fn to_value(&self, at: usize) -> serde_json::Value {
        use serde_json::Value;
        match self.nodes[at] {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::U64(n) => Value::from(n),
            Node::I64(n) => Value::from(n),
            Node::F64(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Node::Str { .. } => Value::String(self.str(at).unwrap_or_default().to_string()),
            Node::Array { .. } => {
                Value::Array(self.elements(at).map(|e| self.to_value(e)).collect())
            }
            Node::Object { .. } => Value::Object(
                self.members(at)
                    .map(|(k, v)| {
                        (
                            self.str(k).unwrap_or_default().to_string(),
                            self.to_value(v),
                        )
                    })
                    .collect(),
            ),
        }
    }
}

pub struct Members<'v, 'a> {
    view: &'v View<'a>,
    next: usize,
    end: usize,
}

impl Iterator for Members<'_, '_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.next >= self.end {
            return None;
        }
        let key = self.next;
        let value = key + 1;
        self.next = self.view.skip(value);
        Some((key, value))
    }
}

pub struct Elements<'v, 'a> {
    view: &'v View<'a>,
    next: usize,
    end: usize,
}

impl Iterator for Elements<'_, '_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.next >= self.end {
            return None;
        }
        let at = self.next;
        self.next = self.view.skip(at);
        Some(at)
    }
}
