//! The fast path: reads a line of plain JSON Lines once, checking it against its contract as
//! it goes, without building a `serde_json::Value`. It says only "conforms" (with what the
//! rules and the report need: the contract, where the id is, the content hash, the optional
//! fields present) or "ask `jsonschema`": any doubt, any violation, any keyword it does not
//! know, sends the record down the full path, which finds and explains the violations. So the
//! fast path decides nothing the full path would decide otherwise; `fast_path_agrees_*` tests
//! hold it to that on every example and on generated traffic.

use std::ops::Range;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer as _;
use serde_json::value::RawValue;

use super::content_hash::{self, Elements, Members};
use super::contracts::Contracts;
use super::plan::{types, Format, Node, ANY_NODE};
use crate::input::Decoder;

/// What the fast path found out about a line that conforms to its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conforming {
    /// Index into the run's [`Contracts`].
    pub contract: usize,
    /// Where the event's `id` string is in the line, without its quotes.
    pub id: Option<Range<usize>>,
    /// The id's key in the duplicate tracker, when it is a lowercase UUID: worked out here, on
    /// a worker, so that the thread tracking ids only looks it up.
    pub id_key: Option<[u64; 2]>,
    pub content_hash: u64,
    /// Bit `i`: the event has `contracts.plans()[contract].optional_fields[i]`.
    pub optional_fields: u128,
}

/// Which records the fast path may take, for one run's decoder.
#[derive(Clone, Copy)]
pub struct FastPath {
    contracts: &'static Contracts,
    /// Bit `i`: events of the `i`th contract may be scanned.
    scannable: u128,
    /// Whether a top-level key no contract property names sends a record down the full path:
    /// when formats are detected, such a key may be one that makes the record a capture of
    /// another format rather than an event.
    strict_root: bool,
}

impl FastPath {
    /// `None` when no line this decoder reads is an event as it stands (a forced capture
    /// format, or events found at `--event-pointer`).
    pub fn new(decoder: &Decoder, of: &'static Contracts) -> Option<FastPath> {
        let mut contracts = 0u128;
        for (i, plan) in of.plans().iter().enumerate().take(128) {
            let names: Vec<&str> = plan
                .root
                .properties
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            if plan.unsupported.is_none() && decoder.reads_as_the_event(&names) {
                contracts |= 1 << i;
            }
        }
        (contracts != 0).then_some(FastPath {
            contracts: of,
            scannable: contracts,
            strict_root: !decoder.is_forced(),
        })
    }

    /// The line's verdict when it surely conforms; `None`: let the full path decide.
    pub fn scan(&self, line: &[u8]) -> Option<Conforming> {
        let mut de = serde_json::Deserializer::from_slice(line);
        let conforming = de
            .deserialize_map(Root {
                fast: self,
                line_start: line.as_ptr() as usize,
            })
            .ok()?;
        de.end().ok()?;
        Some(conforming)
    }
}

/// What a scan carries from one value to the next.
struct State {
    optional_fields: u128,
}

fn doubt<E: de::Error>() -> E {
    E::custom("left to jsonschema")
}

/// At most this many top-level members may come before `type` and `version`: they are set
/// aside until the contract is known.
const SET_ASIDE: usize = 8;

struct Root<'f> {
    fast: &'f FastPath,
    line_start: usize,
}

impl<'de> Visitor<'de> for Root<'_> {
    type Value = Conforming;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Conforming, A::Error> {
        let mut event_type: Option<&'de str> = None;
        let mut version: Option<&'de str> = None;
        let mut set_aside: [Option<(&'de str, &'de RawValue)>; SET_ASIDE] = [None; SET_ASIDE];
        let mut set_aside_len = 0;
        let mut event: Option<Event<'_, 'de>> = None;
        let mut state = State { optional_fields: 0 };
        while let Some(key) = map.next_key::<&'de str>()? {
            if let Some(event) = &mut event {
                event.member(key, Member::Next(&mut map), &mut state)?;
                continue;
            }
            match key {
                "type" if event_type.is_none() => event_type = Some(map.next_value()?),
                "version" if version.is_none() => version = Some(map.next_value()?),
                _ if set_aside_len < SET_ASIDE => {
                    set_aside[set_aside_len] = Some((key, map.next_value()?));
                    set_aside_len += 1;
                }
                _ => return Err(doubt()),
            }
            let (Some(t), Some(v)) = (event_type, version) else {
                continue;
            };
            let contracts = self.fast.contracts;
            let contract = contracts
                .index(t, v)
                .filter(|i| *i < 128 && self.fast.scannable & (1 << i) != 0)
                .ok_or_else(doubt)?;
            let mut started = Event {
                contract,
                object: Object::new(&contracts.plans()[contract].root),
                strict: self.fast.strict_root,
                id: None,
                id_key: None,
                line_start: self.line_start,
            };
            started.member::<A>("type", Member::Str(t), &mut state)?;
            started.member::<A>("version", Member::Str(v), &mut state)?;
            for (key, raw) in set_aside.iter().take(set_aside_len).flatten() {
                started.member::<A>(key, Member::Raw(raw), &mut state)?;
            }
            event = Some(started);
        }
        let event = event.ok_or_else(doubt)?;
        let content_hash = event.object.finish()?;
        Ok(Conforming {
            contract: event.contract,
            id: event.id,
            id_key: event.id_key,
            content_hash,
            optional_fields: state.optional_fields,
        })
    }
}

/// The top-level object once its contract is known.
struct Event<'p, 'de> {
    contract: usize,
    object: Object<'p, 'de>,
    strict: bool,
    id: Option<Range<usize>>,
    id_key: Option<[u64; 2]>,
    line_start: usize,
}

/// Where a member's value is: still to be read from the map, read already (`type` and
/// `version`), or set aside as raw JSON before the contract was known.
enum Member<'a, 'de, A> {
    Next(&'a mut A),
    Str(&'de str),
    Raw(&'de RawValue),
}

impl<'p, 'de> Event<'p, 'de> {
    fn member<A: MapAccess<'de>>(
        &mut self,
        key: &'de str,
        value: Member<'_, 'de, A>,
        state: &mut State,
    ) -> Result<(), A::Error> {
        let node = self.object.property(key, state)?;
        if self.strict && std::ptr::eq(node, &ANY_NODE) {
            return Err(doubt());
        }
        let hash = if key == "id" {
            // Read as a string, to find it in the line: an id that is not one (or has escapes)
            // is rare enough for the full path to take.
            let id: &'de str = match value {
                Member::Next(map) => map.next_value()?,
                Member::Str(s) => s,
                Member::Raw(raw) => serde_json::from_str(raw.get()).map_err(|_| doubt())?,
            };
            let start = id.as_ptr() as usize - self.line_start;
            self.id = Some(start..start + id.len());
            self.id_key = super::duplicates::lowercase_uuid(id);
            check_string(node, id)?
        } else {
            match value {
                Member::Next(map) => map.next_value_seed(Check { node, state })?,
                Member::Str(s) => check_string(node, s)?,
                Member::Raw(raw) => Check { node, state }
                    .deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
                    .map_err(|_| doubt())?,
            }
        };
        self.object.members.add(key, hash);
        Ok(())
    }
}

/// An object being read against a node: which properties it has had, and its content hash.
struct Object<'p, 'de> {
    node: &'p Node,
    seen: u64,
    /// Keys the node names no property for: a key twice sends the object to the full path
    /// (the parsed value would keep only the last, and the hash would differ). Empty for
    /// nearly every event, and then never allocated.
    others: Vec<&'de str>,
    members: Members,
}

impl<'p, 'de> Object<'p, 'de> {
    fn new(node: &'p Node) -> Self {
        Object {
            node,
            seen: 0,
            others: Vec::new(),
            members: Members::default(),
        }
    }

    /// The node `key`'s value is checked against.
    fn property<E: de::Error>(&mut self, key: &'de str, state: &mut State) -> Result<&'p Node, E> {
        let properties = &self.node.properties;
        match properties.iter().position(|p| p.name == key) {
            Some(i) => {
                if self.seen & (1 << i) != 0 {
                    return Err(doubt());
                }
                self.seen |= 1 << i;
                if let Some(bit) = properties[i].optional_bit {
                    state.optional_fields |= 1 << bit;
                }
                Ok(&properties[i].node)
            }
            None => {
                if self.others.contains(&key) {
                    return Err(doubt());
                }
                self.others.push(key);
                Ok(&ANY_NODE)
            }
        }
    }

    fn finish<E: de::Error>(self) -> Result<u64, E> {
        if self.node.required & !self.seen != 0 {
            return Err(doubt());
        }
        Ok(self.members.finish())
    }
}

/// Checks one value against a node, returning its content hash.
struct Check<'p, 's> {
    node: &'p Node,
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for Check<'_, '_> {
    type Value = u64;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<u64, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Check<'_, '_> {
    /// Whether the node takes a value of this type that `const`/`enum` cannot be about (they
    /// hold only strings here).
    fn takes<E: de::Error>(&self, bits: u8) -> Result<(), E> {
        if self.node.types & bits == 0 || self.node.allowed.is_some() {
            return Err(doubt());
        }
        Ok(())
    }

    /// `minimum` and friends, for a number exactly representable as `f64`.
    fn bounds<E: de::Error>(&self, n: f64) -> Result<(), E> {
        let node = self.node;
        let within = node.minimum.is_none_or(|m| n >= m)
            && node.maximum.is_none_or(|m| n <= m)
            && node.exclusive_minimum.is_none_or(|m| n > m)
            && node.exclusive_maximum.is_none_or(|m| n < m);
        if within {
            Ok(())
        } else {
            Err(doubt())
        }
    }

    fn integer<E: de::Error>(&self, n: f64, exact: bool) -> Result<(), E> {
        self.takes(types::INTEGER)?;
        let bounded = self.node.minimum.is_some()
            || self.node.maximum.is_some()
            || self.node.exclusive_minimum.is_some()
            || self.node.exclusive_maximum.is_some();
        if bounded && !exact {
            return Err(doubt());
        }
        self.bounds(n)
    }
}

/// Integers up to this magnitude convert to `f64` exactly, so bounds compare them exactly.
const EXACT_IN_F64: u64 = 1 << 53;

impl<'de> Visitor<'de> for Check<'_, '_> {
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<u64, E> {
        self.takes(types::NULL)?;
        Ok(content_hash::null())
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<u64, E> {
        self.takes(types::BOOLEAN)?;
        Ok(content_hash::boolean(b))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<u64, E> {
        self.integer(u as f64, u <= EXACT_IN_F64)?;
        Ok(content_hash::unsigned(u))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<u64, E> {
        if let Ok(u) = u64::try_from(i) {
            return self.visit_u64(u);
        }
        self.integer(i as f64, i.unsigned_abs() <= EXACT_IN_F64)?;
        Ok(content_hash::negative(i))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<u64, E> {
        // A float with no fraction may still be an integer to `jsonschema`: asked there.
        self.takes(types::NUMBER)?;
        self.bounds(f)?;
        Ok(content_hash::float(f))
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<u64, E> {
        check_string(self.node, s)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<u64, E> {
        check_string(self.node, s)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        self.takes(types::ARRAY)?;
        let items = self.node.items.as_deref().unwrap_or(&ANY_NODE);
        let mut elements = Elements::new();
        let mut count = 0u64;
        while let Some(hash) = seq.next_element_seed(Check {
            node: items,
            state: &mut *self.state,
        })? {
            elements.add(hash);
            count += 1;
        }
        let node = self.node;
        if node.min_items.is_some_and(|m| count < m) || node.max_items.is_some_and(|m| count > m) {
            return Err(doubt());
        }
        Ok(elements.finish())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
        self.takes(types::OBJECT)?;
        let mut object = Object::new(self.node);
        while let Some(key) = map.next_key::<&'de str>()? {
            let node = object.property(key, self.state)?;
            let hash = map.next_value_seed(Check {
                node,
                state: &mut *self.state,
            })?;
            object.members.add(key, hash);
        }
        object.finish()
    }
}

fn check_string<E: de::Error>(node: &Node, s: &str) -> Result<u64, E> {
    let conforms = node.types & types::STRING != 0
        && node
            .allowed
            .as_ref()
            .is_none_or(|allowed| allowed.iter().any(|a| a == s))
        && length_within(node, s)
        && node.format.is_none_or(|format| match format {
            Format::Uuid => coder_events::formats::is_uuid(s),
            Format::DateTime => coder_events::formats::is_date_time(s),
        })
        && node
            .pattern
            .as_ref()
            .is_none_or(|pattern| pattern.is_valid(&serde_json::Value::String(s.to_string())));
    if conforms {
        Ok(content_hash::string(s))
    } else {
        Err(doubt())
    }
}

/// `minLength`/`maxLength` count characters, as `jsonschema` does; bytes are counted first
/// since a string has at least as many bytes as characters.
fn length_within(node: &Node, s: &str) -> bool {
    if node.min_length.is_none() && node.max_length.is_none() {
        return true;
    }
    let chars = if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    } as u64;
    node.min_length.is_none_or(|m| chars >= m) && node.max_length.is_none_or(|m| chars <= m)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::{json, Value};

    use super::*;
    use crate::check::content_hash::content_hash;
    use crate::input::FormatChoice;
    use codegen::examples::{load_all, Expected};

    fn examples() -> Vec<codegen::examples::Example> {
        let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let (examples, errors) = load_all(&schemas).expect("the catalog loads");
        assert!(errors.is_empty(), "{errors:?}");
        examples
    }

    fn fast_path(choice: FormatChoice) -> FastPath {
        FastPath::new(&Decoder::new(choice, None), Contracts::compiled())
            .expect("plain lines are events")
    }

    /// Holds the fast path to what `jsonschema` and the full path find: it accepts only what
    /// `jsonschema` accepts, and then reports what the full path would have.
    fn assert_agrees(fast: &FastPath, line: &[u8]) -> Option<Conforming> {
        let event: Value = serde_json::from_slice(line).ok()?;
        let found = fast.scan(line)?;
        let text = String::from_utf8_lossy(line);
        assert!(
            coder_events::validate(&event).is_ok(),
            "the fast path accepted what jsonschema rejects: {text}"
        );
        let contract = Contracts::compiled().contract(found.contract);
        assert_eq!(Some(contract.event_type), event["type"].as_str(), "{text}");
        assert_eq!(found.content_hash, content_hash(&event), "{text}");
        let plan = &Contracts::compiled().plans()[found.contract];
        assert_eq!(
            found.optional_fields,
            plan.optional_fields_in(&event),
            "{text}"
        );
        let id = found.id.clone().map(|range| &line[range]);
        assert_eq!(id, event["id"].as_str().map(str::as_bytes), "{text}");
        let key = event["id"]
            .as_str()
            .and_then(super::super::duplicates::lowercase_uuid);
        assert_eq!(found.id_key, key, "{text}");
        Some(found)
    }

    #[test]
    fn fast_path_agrees_on_every_example() {
        for choice in [FormatChoice::Auto, FormatChoice::Plain] {
            let fast = fast_path(choice);
            for example in examples() {
                let line = serde_json::to_vec(&example.event).unwrap();
                let found = assert_agrees(&fast, &line);
                if matches!(example.expected, Expected::Valid) {
                    assert!(found.is_some(), "{}", example.path.display());
                }
                // Type and version first: nothing is set aside.
                let mut event = example.event.clone();
                if let Value::Object(map) = &mut event {
                    let mut first = serde_json::Map::new();
                    for key in ["type", "version"] {
                        if let Some(v) = map.remove(key) {
                            first.insert(key.to_string(), v);
                        }
                    }
                    let rest = serde_json::to_string(map).unwrap();
                    let head = serde_json::to_string(&first).unwrap();
                    let line = match (head.len(), rest.len()) {
                        (2, _) => rest,
                        (_, 2) => head,
                        _ => format!("{},{}", &head[..head.len() - 1], &rest[1..]),
                    };
                    let reordered = assert_agrees(&fast, line.as_bytes());
                    assert_eq!(found.is_some(), reordered.is_some(), "{line}");
                }
            }
        }
    }

    /// Every value at every place of every valid example replaced, removed, or joined by
    /// another member: the fast path never accepts what `jsonschema` rejects.
    #[test]
    fn fast_path_agrees_on_mutated_examples() {
        let replacements = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(2.0),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(""),
            json!("x"),
            json!("é".repeat(150)),
            json!("x".repeat(3000)),
            json!("not-a-uuid"),
            json!("3F2504E0-4F89-41D3-9A0C-0305E82C3301"),
            json!("2026-02-30T10:00:00Z"),
            json!("2026-01-23T10:00:00+01:00"),
            json!("https://example.com/x y"),
            json!("s3://bucket/key"),
            json!([]),
            json!({}),
            json!(["a"]),
            json!({"a": 1}),
        ];
        let fast = fast_path(FormatChoice::Auto);
        let (mut accepted, mut variants) = (0, 0);
        for example in examples() {
            if !matches!(example.expected, Expected::Valid) {
                continue;
            }
            for pointer in pointers(&example.event, String::new()) {
                let mut mutate = |change: &dyn Fn(&mut Value)| {
                    let mut event = example.event.clone();
                    change(&mut event);
                    variants += 1;
                    let line = serde_json::to_vec(&event).unwrap();
                    accepted += usize::from(assert_agrees(&fast, &line).is_some());
                };
                for replacement in &replacements {
                    mutate(&|event| *event.pointer_mut(&pointer).unwrap() = replacement.clone());
                }
                mutate(&|event| {
                    if let Some(Value::Object(map)) = event.pointer_mut(&pointer) {
                        map.insert("extra".into(), json!(1));
                    }
                });
                if let Some((parent, key)) = pointer.rsplit_once('/') {
                    mutate(&|event| {
                        if let Some(Value::Object(map)) = event.pointer_mut(parent) {
                            map.remove(key);
                        }
                    });
                }
            }
        }
        assert!(variants > 2000, "{variants}");
        // Most variants break the contract; those that do not are mostly taken fast.
        assert!(accepted > 100, "{accepted} of {variants}");
    }

    #[test]
    fn doubtful_lines_are_left_to_the_full_path() {
        let fast = fast_path(FormatChoice::Auto);
        let example = examples()
            .into_iter()
            .find(|e| matches!(e.expected, Expected::Valid))
            .unwrap();
        let line = serde_json::to_string(&example.event).unwrap();
        assert!(fast.scan(line.as_bytes()).is_some());
        // A key twice: the parsed event keeps the last one, which may differ.
        let twice = format!(r#"{{"tenantId":"x",{}"#, &line[1..]);
        assert_eq!(fast.scan(twice.as_bytes()), None);
        // A top-level key that could make the line another format's record.
        let capture = format!(r#"{{"routingKey":"x",{}"#, &line[1..]);
        assert_eq!(fast.scan(capture.as_bytes()), None);
        assert!(fast_path(FormatChoice::Plain)
            .scan(capture.as_bytes())
            .is_some());
        // Trailing content, an escaped key, not an object.
        assert_eq!(fast.scan(format!("{line} x").as_bytes()), None);
        let escaped = line.replacen("\"type\"", "\"\\u0074ype\"", 1);
        assert_eq!(fast.scan(escaped.as_bytes()), None);
        assert_eq!(fast.scan(b"[1]"), None);
        // Events at a pointer, or captures of a forced format, are never lines to scan.
        assert!(FastPath::new(
            &Decoder::new(FormatChoice::Plain, Some("/e".into())),
            Contracts::compiled()
        )
        .is_none());
        assert!(FastPath::new(
            &Decoder::new(FormatChoice::Recording, None),
            Contracts::compiled()
        )
        .is_none());
    }

    /// JSON pointers of every value in `value`, itself first.
    fn pointers(value: &Value, at: String) -> Vec<String> {
        let mut all = vec![at.clone()];
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    all.extend(pointers(child, format!("{at}/{key}")));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    all.extend(pointers(child, format!("{at}/{i}")));
                }
            }
            _ => {}
        }
        all
    }
}
