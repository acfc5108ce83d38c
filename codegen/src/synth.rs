//! Events made from a contract's schema: valid ones, shaped like its examples when it has some
//! (each value drawn fresh from what the schema allows), and single-site mutations of an event
//! that break one keyword each. Traffic generation, property tests and counterexample search all
//! draw from here, so a new contract gets all three with no code change.
//!
//! What the schema says decides; an example only supplies a value where the schema cannot (a
//! combinator, a pattern beyond the generator), or the shape (which optional properties are
//! present). A caller that
//! needs certainty validates what it gets: a keyword this module does not model may still reject
//! a synthesized event.

use serde_json::{json, Map, Number, Value};

/// A small seedable generator: the same seed gives the same events whatever a dependency does.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// SplitMix64.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0; the modulo bias is far below what a test or a benchmark
    /// mix notices).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len() as u64) as usize])
    }

    /// A random version-4 UUID, lowercase and hyphenated.
    pub fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    }

    /// An RFC 3339 date-time in the year after 2026-01-01, whole seconds, UTC.
    pub fn date_time(&mut self) -> String {
        rfc3339(FIRST_SECOND + self.below(365 * 86_400))
    }
}

/// 2026-01-01T00:00:00Z.
const FIRST_SECOND: u64 = 1_767_225_600;

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since the Unix epoch.
pub fn rfc3339(seconds: u64) -> String {
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(i64::MAX), 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// How deep synthesis follows a schema (recursive schemas end here, with an example's value).
const MAX_DEPTH: usize = 24;

/// Keywords this module cannot satisfy by construction: a node using one takes an example's
/// value instead.
const OPAQUE: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "patternProperties",
    "dependencies",
    "propertyNames",
    "contains",
    "additionalItems",
];

/// One contract's schema (bundled: every `$ref` local) and its valid examples.
pub struct Synth<'s> {
    root: &'s Value,
    examples: Vec<&'s Value>,
}

/// An event that breaks one keyword at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    pub kind: MutationKind,
    /// Where the violation is (JSON pointer into the event).
    pub instance_path: String,
    /// The keyword expected to reject it.
    pub keyword: &'static str,
    pub event: Value,
}

/// What a mutation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MutationKind {
    /// A required property removed.
    MissingRequired,
    /// A value of a JSON type the schema does not allow.
    WrongType,
    /// A string the `format` rejects.
    BadFormat,
    /// A value not in the `enum`, or not the `const`.
    NotAllowedValue,
    /// A number below `minimum` (or at an exclusive one).
    BelowMinimum,
    /// A number above `maximum` (or at an exclusive one).
    AboveMaximum,
    /// A string shorter than `minLength`.
    TooShort,
    /// A string longer than `maxLength`.
    TooLong,
    /// An array with fewer items than `minItems`.
    TooFewItems,
    /// An array with more items than `maxItems`.
    TooManyItems,
    /// A property `additionalProperties: false` forbids.
    ExtraProperty,
}

impl<'s> Synth<'s> {
    /// `root` is a bundled schema; `examples` are events it accepts.
    pub fn new(root: &'s Value, examples: Vec<&'s Value>) -> Synth<'s> {
        Synth { root, examples }
    }

    /// A new event: a random example's shape (none: the schema's alone) with every value the
    /// schema can produce drawn afresh.
    pub fn event(&self, rng: &mut Rng) -> Value {
        let hint = rng.pick(&self.examples).copied();
        match self.generate(self.root, hint, rng, 0) {
            Some(event) => event,
            None => hint.cloned().unwrap_or(Value::Null),
        }
    }

    /// Follows a local `$ref` (a bundled schema has no other kind).
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..MAX_DEPTH {
            let Some(target) = node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|pointer| self.root.pointer(pointer))
            else {
                break;
            };
            node = target;
        }
        node
    }

    fn generate(
        &self,
        node: &Value,
        hint: Option<&Value>,
        rng: &mut Rng,
        depth: usize,
    ) -> Option<Value> {
        let node = self.resolve(node);
        if depth > MAX_DEPTH || node.get("$ref").is_some() {
            return hint.cloned();
        }
        match node {
            Value::Bool(true) => return Some(hint.cloned().unwrap_or(Value::Null)),
            Value::Bool(false) => return None,
            Value::Object(_) => {}
            _ => return hint.cloned(),
        }
        if let Some(value) = node.get("const") {
            return Some(value.clone());
        }
        if let Some(Value::Array(values)) = node.get("enum") {
            return rng.pick(values).cloned();
        }
        if OPAQUE.iter().any(|k| node.get(*k).is_some()) {
            return hint.cloned();
        }
        let types = allowed_types(node);
        let hinted = hint.map(type_of).filter(|t| types.contains(t));
        let chosen = match hinted {
            Some(t) => t,
            None => *rng.pick(&types)?,
        };
        match chosen {
            "object" => self.object(node, hint.filter(|h| h.is_object()), rng, depth),
            "array" => self.array(node, hint.filter(|h| h.is_array()), rng, depth),
            "string" => string(node, hint, rng),
            "integer" => integer(node, rng),
            "number" => number(node, rng),
            "boolean" => Some(Value::Bool(rng.chance(50))),
            "null" => Some(Value::Null),
            _ => hint.cloned(),
        }
    }

    fn object(
        &self,
        node: &Value,
        hint: Option<&Value>,
        rng: &mut Rng,
        depth: usize,
    ) -> Option<Value> {
        let empty = Map::new();
        let properties = node
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        for (name, schema) in properties {
            let hinted = hint.and_then(|h| h.get(name));
            let present = required.contains(&name.as_str())
                || match hint {
                    Some(_) => hinted.is_some(),
                    None => rng.chance(50),
                };
            if !present {
                continue;
            }
            match self.generate(schema, hinted, rng, depth + 1) {
                Some(value) => {
                    out.insert(name.clone(), value);
                }
                None if required.contains(&name.as_str()) => return hint.cloned(),
                None => {}
            }
        }
        // What the example has beyond `properties`, where the schema lets it be.
        if let Some(Value::Object(hinted)) = hint {
            let additional = node.get("additionalProperties");
            for (name, value) in hinted {
                if properties.contains_key(name) {
                    continue;
                }
                match additional {
                    Some(Value::Bool(false)) => {}
                    None | Some(Value::Bool(true)) => {
                        out.insert(name.clone(), value.clone());
                    }
                    Some(schema) => {
                        if let Some(v) = self.generate(schema, Some(value), rng, depth + 1) {
                            out.insert(name.clone(), v);
                        }
                    }
                }
            }
        }
        if required.iter().any(|r| !out.contains_key(*r)) {
            return hint.cloned();
        }
        let count = out.len() as u64;
        let min = node
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let max = node
            .get("maxProperties")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        if count < min || count > max {
            return hint.cloned();
        }
        Some(Value::Object(out))
    }

    fn array(
        &self,
        node: &Value,
        hint: Option<&Value>,
        rng: &mut Rng,
        depth: usize,
    ) -> Option<Value> {
        let min = node.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let max = node
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        let items = match node.get("items") {
            None => return hint.cloned().or(Some(json!([]))).filter(|_| min == 0),
            Some(Value::Array(_)) => return hint.cloned(),
            Some(items) => items,
        };
        let hinted = hint.and_then(Value::as_array);
        let len = match hinted {
            Some(h) => (h.len() as u64).clamp(min, max),
            None => min + rng.below(max.saturating_sub(min).min(3) + 1),
        };
        let mut out = Vec::new();
        for i in 0..len {
            let item_hint = hinted.and_then(|h| h.get(i as usize).or_else(|| h.last()));
            out.push(self.generate(items, item_hint, rng, depth + 1)?);
        }
        let unique = node.get("uniqueItems") == Some(&Value::Bool(true));
        if unique && (1..out.len()).any(|i| out[..i].contains(&out[i])) {
            return hint.cloned();
        }
        Some(Value::Array(out))
    }

    /// Every single-site mutation of `event` this module knows for the schema, in document
    /// order.
    pub fn mutations(&self, event: &Value) -> Vec<Mutation> {
        let mut out = Vec::new();
        self.mutate(self.root, event, "", event, &mut out, 0);
        out
    }

    fn mutate(
        &self,
        node: &Value,
        value: &Value,
        pointer: &str,
        event: &Value,
        out: &mut Vec<Mutation>,
        depth: usize,
    ) {
        let node = self.resolve(node);
        if depth > MAX_DEPTH || !node.is_object() {
            return;
        }
        let mut push = |kind, keyword, replacement: Option<Value>| {
            let mut mutated = event.clone();
            if set_at(&mut mutated, pointer, replacement) {
                out.push(Mutation {
                    kind,
                    instance_path: pointer.to_string(),
                    keyword,
                    event: mutated,
                });
            }
        };
        if let Some(constant) = node.get("const") {
            push(
                MutationKind::NotAllowedValue,
                "const",
                Some(other_than(&[constant])),
            );
        } else if let Some(Value::Array(values)) = node.get("enum") {
            push(
                MutationKind::NotAllowedValue,
                "enum",
                Some(other_than(&values.iter().collect::<Vec<_>>())),
            );
        }
        let types = declared_types(node);
        if !types.is_empty() {
            if let Some(wrong) = wrong_type_value(&types) {
                push(MutationKind::WrongType, "type", Some(wrong));
            }
        }
        match value {
            Value::String(s) => {
                let format = node.get("format").and_then(Value::as_str);
                if let Some(bad) = format.and_then(bad_format) {
                    push(MutationKind::BadFormat, "format", Some(json!(bad)));
                }
                let chars = s.chars().count() as u64;
                if let Some(min) = node
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .filter(|m| *m > 0)
                {
                    let short: String = s.chars().take(min as usize - 1).collect();
                    if chars >= min {
                        push(MutationKind::TooShort, "minLength", Some(json!(short)));
                    }
                }
                if let Some(max) = node.get("maxLength").and_then(Value::as_u64) {
                    push(
                        MutationKind::TooLong,
                        "maxLength",
                        Some(json!("x".repeat(max as usize + 1))),
                    );
                }
            }
            Value::Number(_) => {
                let integer = types.contains(&"integer");
                let step = if integer { 1.0 } else { 0.5 };
                let bound = |key: &str| node.get(key).and_then(Value::as_f64);
                if let Some(min) = bound("minimum") {
                    push(
                        MutationKind::BelowMinimum,
                        "minimum",
                        Some(number_value(min - step, integer)),
                    );
                }
                if let Some(min) = bound("exclusiveMinimum") {
                    push(
                        MutationKind::BelowMinimum,
                        "exclusiveMinimum",
                        Some(number_value(min, integer)),
                    );
                }
                if let Some(max) = bound("maximum") {
                    push(
                        MutationKind::AboveMaximum,
                        "maximum",
                        Some(number_value(max + step, integer)),
                    );
                }
                if let Some(max) = bound("exclusiveMaximum") {
                    push(
                        MutationKind::AboveMaximum,
                        "exclusiveMaximum",
                        Some(number_value(max, integer)),
                    );
                }
            }
            Value::Array(items) => {
                if let Some(min) = node
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .filter(|m| *m > 0)
                {
                    if items.len() as u64 >= min {
                        let fewer: Vec<Value> =
                            items.iter().take(min as usize - 1).cloned().collect();
                        push(
                            MutationKind::TooFewItems,
                            "minItems",
                            Some(Value::Array(fewer)),
                        );
                    }
                }
                if let (Some(max), Some(last)) =
                    (node.get("maxItems").and_then(Value::as_u64), items.last())
                {
                    // Distinct copies where items must be unique: strings get a suffix.
                    let more: Vec<Value> = (0..=max as usize)
                        .map(|i| match last {
                            Value::String(s) if i > 0 => json!(format!("{s}{i}")),
                            other => other.clone(),
                        })
                        .collect();
                    push(
                        MutationKind::TooManyItems,
                        "maxItems",
                        Some(Value::Array(more)),
                    );
                }
                if let Some(schema) = node.get("items").filter(|i| i.is_object()) {
                    for (i, item) in items.iter().enumerate() {
                        self.mutate(
                            schema,
                            item,
                            &format!("{pointer}/{i}"),
                            event,
                            out,
                            depth + 1,
                        );
                    }
                }
            }
            Value::Object(map) => {
                let required: Vec<&str> = node
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for name in &required {
                    if map.contains_key(*name) {
                        let mut mutated = event.clone();
                        let removed = pointer_mut(&mut mutated, pointer)
                            .and_then(Value::as_object_mut)
                            .and_then(|o| o.remove(*name))
                            .is_some();
                        if removed {
                            out.push(Mutation {
                                kind: MutationKind::MissingRequired,
                                instance_path: pointer.to_string(),
                                keyword: "required",
                                event: mutated,
                            });
                        }
                    }
                }
                if node.get("additionalProperties") == Some(&Value::Bool(false)) {
                    let mut mutated = event.clone();
                    if let Some(o) =
                        pointer_mut(&mut mutated, pointer).and_then(Value::as_object_mut)
                    {
                        o.insert("unexpectedProperty".into(), json!(true));
                        out.push(Mutation {
                            kind: MutationKind::ExtraProperty,
                            instance_path: pointer.to_string(),
                            keyword: "additionalProperties",
                            event: mutated,
                        });
                    }
                }
                if let Some(Value::Object(properties)) = node.get("properties") {
                    for (name, schema) in properties {
                        if let Some(child) = map.get(name) {
                            let at = format!("{pointer}/{}", crate::walk::escape(name));
                            self.mutate(schema, child, &at, event, out, depth + 1);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The JSON types a node allows: its `type`, or every type when it says none.
fn allowed_types(node: &Value) -> Vec<&'static str> {
    let declared = declared_types(node);
    if !declared.is_empty() {
        return declared;
    }
    // No `type`: what the other keywords suggest, else any scalar.
    if node.get("properties").is_some() || node.get("required").is_some() {
        vec!["object"]
    } else if node.get("items").is_some() {
        vec!["array"]
    } else if node.get("format").is_some() || node.get("minLength").is_some() {
        vec!["string"]
    } else {
        vec!["string", "integer", "boolean"]
    }
}

fn declared_types(node: &Value) -> Vec<&'static str> {
    const ALL: [&str; 7] = [
        "object", "array", "string", "integer", "number", "boolean", "null",
    ];
    let names: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    ALL.into_iter().filter(|t| names.contains(t)).collect()
}

fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value of a JSON type none of `types` allows (`integer` is a `number`).
fn wrong_type_value(types: &[&str]) -> Option<Value> {
    let allows = |t: &str| types.contains(&t) || (t == "integer" && types.contains(&"number"));
    [
        ("string", json!("wrong type")),
        ("integer", json!(12345)),
        ("boolean", json!(true)),
        ("object", json!({})),
        ("null", Value::Null),
    ]
    .into_iter()
    .find(|(t, _)| !allows(t))
    .map(|(_, v)| v)
}

/// A string none of `values` is.
fn other_than(values: &[&Value]) -> Value {
    (0..)
        .map(|i| json!(format!("not-allowed-{i}")))
        .find(|candidate| !values.contains(&candidate))
        .expect("an unbounded supply of strings")
}

/// A string the format rejects, for the formats this module knows.
fn bad_format(format: &str) -> Option<&'static str> {
    match format {
        "uuid" => Some("not-a-uuid"),
        "date-time" => Some("2026-13-45T99:00:00Z"),
        "date" => Some("2026-13-45"),
        "email" => Some("not-an-email"),
        "uri" => Some("not a uri"),
        "ipv4" => Some("300.1.1.1"),
        _ => None,
    }
}

fn number_value(n: f64, integer: bool) -> Value {
    if integer {
        json!(n as i64)
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

fn string(node: &Value, hint: Option<&Value>, rng: &mut Rng) -> Option<Value> {
    if let Some(pattern) = node.get("pattern").and_then(Value::as_str) {
        return from_pattern(node, pattern, rng).or_else(|| hint.cloned());
    }
    if let Some(format) = node.get("format").and_then(Value::as_str) {
        return match format {
            "uuid" => Some(json!(rng.uuid())),
            "date-time" => Some(json!(rng.date_time())),
            "date" => Some(json!(rng.date_time()[..10].to_string())),
            "email" => Some(json!(format!("user{}@example.com", rng.below(100_000)))),
            "uri" => Some(json!(format!("https://example.com/{}", rng.below(100_000)))),
            _ => hint.cloned(),
        };
    }
    let min = node.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = node
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX);
    if min > max {
        return None;
    }
    // An example's length is a fair guess at a realistic one.
    let typical = hint
        .and_then(Value::as_str)
        .map_or(12, |s| s.chars().count() as u64);
    let len = typical.clamp(min, max.min(min.max(typical) + 8));
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789 -_";
    let text: String = (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char)
        .collect();
    Some(json!(text))
}

/// A string matching `pattern` (ASCII, anchored as written), within the node's length bounds;
/// `None` when the pattern is beyond the generator or no try fits the bounds.
fn from_pattern(node: &Value, pattern: &str, rng: &mut Rng) -> Option<Value> {
    use rand::{Rng as _, SeedableRng};
    // The generator makes whole matches and takes no anchors: a whole match of the pattern
    // without its `^` and `$` satisfies it either way.
    let core = pattern.strip_prefix('^').unwrap_or(pattern);
    let core = match core.strip_suffix('$') {
        Some(inner) if !inner.ends_with('\\') => inner,
        _ => core,
    };
    // ASCII where the pattern allows it (readable output); a class like `[^\s]` only parses
    // with Unicode classes.
    let hir = [false, true].into_iter().find_map(|unicode| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .utf8(true)
            .build()
            .parse(core)
            .ok()
    })?;
    let generator = rand_regex::Regex::with_hir(hir, 8).ok()?;
    let mut inner = rand::rngs::StdRng::seed_from_u64(rng.next_u64());
    let min = node.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = node
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX);
    for _ in 0..16 {
        let text: String = inner.sample(&generator);
        let len = text.chars().count() as u64;
        if (min..=max).contains(&len) && node.get("format").is_none() {
            return Some(json!(text));
        }
    }
    None
}

fn bounds(node: &Value) -> (Option<f64>, Option<f64>, bool, bool) {
    let get = |key: &str| node.get(key).and_then(Value::as_f64);
    let (low, low_open) = match (get("minimum"), get("exclusiveMinimum")) {
        (Some(a), Some(b)) if b >= a => (Some(b), true),
        (Some(a), _) => (Some(a), false),
        (None, Some(b)) => (Some(b), true),
        (None, None) => (None, false),
    };
    let (high, high_open) = match (get("maximum"), get("exclusiveMaximum")) {
        (Some(a), Some(b)) if b <= a => (Some(b), true),
        (Some(a), _) => (Some(a), false),
        (None, Some(b)) => (Some(b), true),
        (None, None) => (None, false),
    };
    (low, high, low_open, high_open)
}

fn integer(node: &Value, rng: &mut Rng) -> Option<Value> {
    let (low, high, low_open, high_open) = bounds(node);
    let mut lo = low.map_or(0, |l| {
        if low_open {
            l.floor() as i64 + 1
        } else {
            l.ceil() as i64
        }
    });
    let mut hi = high.map_or(lo.saturating_add(1000), |h| {
        if high_open {
            h.ceil() as i64 - 1
        } else {
            h.floor() as i64
        }
    });
    if low.is_none() && high.is_some() {
        lo = hi.saturating_sub(1000);
    }
    if let Some(m) = node.get("multipleOf").and_then(Value::as_f64) {
        if m.fract() != 0.0 || m <= 0.0 {
            return None;
        }
        let m = m as i64;
        let first = lo.div_euclid(m) + i64::from(lo.rem_euclid(m) != 0);
        let last = hi.div_euclid(m);
        if first > last {
            return None;
        }
        return Some(json!(
            (first + rng.below((last - first) as u64 + 1) as i64) * m
        ));
    }
    if lo > hi {
        return None;
    }
    hi = hi.max(lo);
    Some(json!(lo + rng.below(hi.abs_diff(lo) + 1) as i64))
}

fn number(node: &Value, rng: &mut Rng) -> Option<Value> {
    if node.get("multipleOf").is_some() {
        return integer(node, rng);
    }
    let (low, high, low_open, high_open) = bounds(node);
    let lo = low.unwrap_or(high.map_or(0.0, |h| h - 1000.0));
    let hi = high.unwrap_or(lo + 1000.0);
    for _ in 0..8 {
        let drawn = ((lo + rng.unit() * (hi - lo)) * 1000.0).round() / 1000.0;
        let inside = (drawn > lo || (!low_open && drawn >= lo))
            && (drawn < hi || (!high_open && drawn <= hi));
        if inside {
            return Number::from_f64(drawn).map(Value::Number);
        }
    }
    None
}

/// Replaces (or, with `None`, removes) the value at `pointer`; false when there is none.
fn set_at(value: &mut Value, pointer: &str, replacement: Option<Value>) -> bool {
    match (replacement, pointer.rsplit_once('/')) {
        (Some(v), _) => match pointer_mut(value, pointer) {
            Some(slot) => {
                *slot = v;
                true
            }
            None => false,
        },
        (None, Some((parent, key))) => pointer_mut(value, parent)
            .and_then(Value::as_object_mut)
            .and_then(|o| o.remove(&crate::walk::unescape(key)))
            .is_some(),
        (None, None) => false,
    }
}

fn pointer_mut<'a>(value: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if pointer.is_empty() {
        Some(value)
    } else {
        value.pointer_mut(pointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["id", "kind", "count", "tags"],
            "additionalProperties": false,
            "properties": {
                "id": {"$ref": "#/definitions/Id"},
                "kind": {"enum": ["a", "b"]},
                "count": {"type": "integer", "minimum": 2, "maximum": 9},
                "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "tags": {"type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": true,
                         "items": {"type": "string", "minLength": 1, "maxLength": 5}},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$"}
            },
            "definitions": {"Id": {"type": "string", "format": "uuid"}}
        })
    }

    #[test]
    fn events_follow_the_schema_and_take_what_it_cannot_say_from_an_example() {
        let schema = schema();
        let example = json!({"id": "00000000-0000-4000-8000-000000000001", "kind": "a",
                             "count": 3, "tags": ["x"], "code": "ABC"});
        let synth = Synth::new(&schema, vec![&example]);
        let mut rng = Rng::new(7);
        for _ in 0..200 {
            let event = synth.event(&mut rng);
            let id = event["id"].as_str().unwrap();
            assert!(
                uuid::Uuid::parse_str(id).is_ok() && id.len() == 36,
                "{event}"
            );
            assert!(["a", "b"].contains(&event["kind"].as_str().unwrap()));
            let count = event["count"].as_i64().unwrap();
            assert!((2..=9).contains(&count), "{event}");
            let tags = event["tags"].as_array().unwrap();
            assert!(!tags.is_empty() && tags.len() <= 3);
            assert!(tags
                .iter()
                .all(|t| (1..=5).contains(&t.as_str().unwrap().len())));
            // A pattern is followed.
            let code = event["code"].as_str().unwrap();
            assert!(
                code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
            assert_eq!(event.as_object().unwrap().len(), 5, "{event}");
        }
    }

    #[test]
    fn without_examples_the_schema_alone_makes_events() {
        let schema = schema();
        let synth = Synth::new(&schema, Vec::new());
        let event = synth.event(&mut Rng::new(1));
        for key in ["id", "kind", "count", "tags"] {
            assert!(event.get(key).is_some(), "{key} in {event}");
        }
    }

    #[test]
    fn mutations_break_one_keyword_each() {
        let schema = schema();
        let event = json!({"id": "00000000-0000-4000-8000-000000000001", "kind": "a",
                           "count": 3, "ratio": 0.5, "tags": ["x"]});
        let synth = Synth::new(&schema, vec![]);
        let found: Vec<(MutationKind, String, &str)> = synth
            .mutations(&event)
            .into_iter()
            .map(|m| (m.kind, m.instance_path, m.keyword))
            .collect();
        use MutationKind::*;
        for expected in [
            (MissingRequired, "".to_string(), "required"),
            (ExtraProperty, "".to_string(), "additionalProperties"),
            (BadFormat, "/id".to_string(), "format"),
            (WrongType, "/id".to_string(), "type"),
            (NotAllowedValue, "/kind".to_string(), "enum"),
            (BelowMinimum, "/count".to_string(), "minimum"),
            (AboveMaximum, "/count".to_string(), "maximum"),
            (BelowMinimum, "/ratio".to_string(), "exclusiveMinimum"),
            (TooManyItems, "/tags".to_string(), "maxItems"),
            (TooFewItems, "/tags".to_string(), "minItems"),
            (TooLong, "/tags/0".to_string(), "maxLength"),
            (TooShort, "/tags/0".to_string(), "minLength"),
        ] {
            assert!(found.contains(&expected), "{expected:?} not in {found:#?}");
        }
        let below = synth
            .mutations(&event)
            .into_iter()
            .find(|m| m.keyword == "minimum")
            .unwrap();
        assert_eq!(below.event["count"], 1);
        // Not an object at all: only its type can be wrong.
        let kinds: Vec<MutationKind> = synth.mutations(&json!(1)).iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [WrongType]);
    }

    #[test]
    fn the_same_seed_gives_the_same_events() {
        let schema = schema();
        let synth = Synth::new(&schema, vec![]);
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..20).map(|_| synth.event(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
        assert_eq!(rfc3339(1_769_162_400), "2026-01-23T10:00:00Z");
    }
}
