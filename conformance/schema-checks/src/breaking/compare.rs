//! Compares two bundled states of one contract schema, keyword by keyword, and names each
//! difference with a breaking rule. The walk goes through `properties`, `items`,
//! `additionalProperties` and `anyOf`/`oneOf`, and follows local `#/definitions/...` references
//! on both sides; a pair of reference targets is compared once, so recursive schemas terminate.
//!
//! A difference is judged by the set of events each side accepts: a change that makes the new
//! schema reject some event the old one accepted breaks producers; one that makes it accept an
//! event the old one rejected breaks consumers. Annotations (`title`, `description`, ...) never
//! matter.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use codegen::engine::keywords::{keyword_named, Breaking, KEYWORDS};
use codegen::walk::escape;
use serde_json::{json, Map, Value};

use super::rules::{self, BreakingRule};

/// One difference between the two states, at a pointer into the schema as reached from its root
/// (through references, so `/properties/id/format` even when `id` is a `$ref`).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub rule: BreakingRule,
    pub pointer: String,
    pub message: String,
}

/// The schema that accepts everything: what an absent `items` or an open object's undeclared
/// property amounts to.
static ACCEPT_ALL: LazyLock<Value> = LazyLock::new(|| json!({}));

/// Whether `keyword` carries no constraint (the registry's annotations).
fn is_annotation(keyword: &str) -> bool {
    keyword_named(keyword).is_some_and(|k| k.annotation)
}

/// Constraint keywords compared only for equality (the registry's `Breaking::Equality`):
/// telling narrowing from widening through them would need a full subschema-inclusion check.
fn compared_for_equality() -> impl Iterator<Item = &'static str> {
    KEYWORDS
        .iter()
        .filter(|k| k.breaking == Breaking::Equality)
        .map(|k| k.name)
}

const ALL_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// Every difference between `old` and `new`, two bundled schemas of the same contract.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut comparer = Comparer {
        old_root: old,
        new_root: new,
        visited: HashSet::new(),
        changes: Vec::new(),
    };
    comparer.schema(old, new, "");
    comparer.changes
}

struct Comparer<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    /// Pairs of (old, new) reference targets already compared.
    visited: HashSet<(String, String)>,
    changes: Vec<Change>,
}

/// Follows local references from `node` in `root`; returns the schema reached and the pointer
/// of the last target, if any reference was followed.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> (&'a Value, Option<String>) {
    let mut target = None;
    let mut hops = 0;
    while let Some(fragment) = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        let Some(next) = root.pointer(fragment) else {
            break;
        };
        hops += 1;
        if hops > 64 {
            break;
        }
        node = next;
        target = Some(fragment.to_string());
    }
    (node, target)
}

/// Whether `schema` (in `root`) constrains nothing.
fn accepts_all(root: &Value, schema: &Value) -> bool {
    match resolve(root, schema).0 {
        Value::Bool(b) => *b,
        Value::Object(map) => map.keys().all(|k| is_annotation(k)),
        _ => false,
    }
}

fn show_list(values: &[&Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Comparer<'a> {
    fn push(&mut self, rule: BreakingRule, pointer: String, message: String) {
        self.changes.push(Change {
            rule,
            pointer,
            message,
        });
    }

    fn schema(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let (old, old_target) = resolve(self.old_root, old);
        let (new, new_target) = resolve(self.new_root, new);
        if old_target.is_some() || new_target.is_some() {
            // Only references can lead back to a schema already on the path; a side without one
            // is keyed by its (unique) position instead.
            let key = (
                old_target.unwrap_or_else(|| format!("@{at}")),
                new_target.unwrap_or_else(|| format!("@{at}")),
            );
            if !self.visited.insert(key) {
                return;
            }
        }
        match (old, new) {
            (Value::Bool(a), Value::Bool(b)) if a == b => {}
            (Value::Bool(false), _) => self.push(
                rules::TYPE_WIDENED,
                at.to_string(),
                "the schema was false (nothing accepted) and now accepts events".into(),
            ),
            (_, Value::Bool(false)) => self.push(
                rules::TYPE_NARROWED,
                at.to_string(),
                "the schema is now false: nothing is accepted".into(),
            ),
            (Value::Bool(true), _) => self.object(&ACCEPT_ALL, new, at),
            (_, Value::Bool(true)) => self.object(old, &ACCEPT_ALL, at),
            _ => self.object(old, new, at),
        }
    }

    fn object(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
            // Not schemas at all; the meta-schema lint reports that.
            return;
        };
        self.types(o, n, at);
        self.values(o, n, at);
        self.format_and_pattern(o, n, at);
        self.lengths(o, n, at);
        self.ranges(o, n, at);
        self.properties(o, n, at);
        self.additional_properties(o, n, at);
        self.items(o, n, at);
        self.alternatives(o, n, at);
        for keyword in compared_for_equality() {
            if o.get(keyword) != n.get(keyword) {
                let what = match (o.contains_key(keyword), n.contains_key(keyword)) {
                    (false, true) => "was added",
                    (true, false) => "was removed",
                    _ => "changed",
                };
                self.push(
                    rules::KEYWORD_CHANGED,
                    format!("{at}/{}", escape(keyword)),
                    unanalysed(keyword, what),
                );
            }
        }
    }

    fn types(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, at: &str) {
        fn covers(set: &Option<Vec<&str>>, t: &str) -> bool {
            set.as_ref()
                .is_none_or(|s| s.contains(&t) || (t == "integer" && s.contains(&"number")))
        }
        fn describe(set: &Option<Vec<&str>>) -> String {
            set.as_ref().map_or("any type".into(), |s| s.join(" or "))
        }
        let (old, new) = (accepted_types(o), accepted_types(n));
        let old_list: Vec<&str> = old.clone().unwrap_or(ALL_TYPES.to_vec());
        let new_list: Vec<&str> = new.clone().unwrap_or(ALL_TYPES.to_vec());
        let removed: Vec<&str> = old_list
            .iter()
            .copied()
            .filter(|t| !covers(&new, t))
            .collect();
        let added: Vec<&str> = new_list
            .iter()
            .copied()
            .filter(|t| !covers(&old, t))
            .collect();
        let pointer = format!("{at}/type");
        if !removed.is_empty() {
            self.push(
                rules::TYPE_NARROWED,
                pointer.clone(),
                format!(
                    "type narrowed from {} to {}: {} no longer accepted",
                    describe(&old),
                    describe(&new),
                    removed.join(", ")
                ),
            );
        }
        if !added.is_empty() {
            self.push(
                rules::TYPE_WIDENED,
                pointer,
                format!(
                    "type widened from {} to {}: {} now accepted",
                    describe(&old),
                    describe(&new),
                    added.join(", ")
                ),
            );
        }
    }

    /// `const` and `enum`, read together as the set of values a schema allows.
    fn values(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, at: &str) {
        let keyword = |s: &Map<String, Value>| {
            if s.contains_key("enum") {
                "enum"
            } else {
                "const"
            }
        };
        let only_const =
            |s: &Map<String, Value>| s.contains_key("const") && !s.contains_key("enum");
        if only_const(o) && only_const(n) {
            if o["const"] != n["const"] {
                self.push(
                    rules::CONST_CHANGED,
                    format!("{at}/const"),
                    format!("const changed from {} to {}", o["const"], n["const"]),
                );
            }
            return;
        }
        match (allowed(o), allowed(n)) {
            (None, None) => {}
            (None, Some(values)) => self.push(
                rules::ENUM_NARROWED,
                format!("{at}/{}", keyword(n)),
                format!("values restricted to {}", show_list(&values)),
            ),
            (Some(values), None) => self.push(
                rules::ENUM_EXTENDED,
                format!("{at}/{}", keyword(o)),
                format!(
                    "restriction to {} removed: any value is now accepted",
                    show_list(&values)
                ),
            ),
            (Some(old), Some(new)) => {
                let removed: Vec<&Value> =
                    old.iter().copied().filter(|v| !new.contains(v)).collect();
                let added: Vec<&Value> = new.iter().copied().filter(|v| !old.contains(v)).collect();
                let pointer = format!("{at}/{}", keyword(n));
                if !removed.is_empty() {
                    self.push(
                        rules::ENUM_NARROWED,
                        pointer.clone(),
                        format!("{} no longer accepted", show_list(&removed)),
                    );
                }
                if !added.is_empty() {
                    self.push(
                        rules::ENUM_EXTENDED,
                        pointer,
                        format!("{} now accepted", show_list(&added)),
                    );
                }
            }
        }
    }

    fn format_and_pattern(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, at: &str) {
        let families = [
            (
                "format",
                rules::FORMAT_ADDED,
                rules::FORMAT_REMOVED,
                rules::FORMAT_CHANGED,
            ),
            (
                "pattern",
                rules::PATTERN_TIGHTENED,
                rules::PATTERN_RELAXED,
                rules::PATTERN_CHANGED,
            ),
        ];
        for (keyword, added, removed, changed) in families {
            let pointer = format!("{at}/{keyword}");
            match (o.get(keyword), n.get(keyword)) {
                (None, Some(v)) => self.push(added, pointer, format!("{keyword} {} added", v)),
                (Some(v), None) => self.push(removed, pointer, format!("{keyword} {} removed", v)),
                (Some(a), Some(b)) if a != b => self.push(
                    changed,
                    pointer,
                    format!("{keyword} changed from {} to {}", a, b),
                ),
                _ => {}
            }
        }
    }

    fn lengths(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, at: &str) {
        // (keyword, is a lower bound); an absent lower bound is 0 and an absent upper one none.
        const BOUNDS: [(&str, bool); 6] = [
            ("minLength", true),
            ("maxLength", false),
            ("minItems", true),
            ("maxItems", false),
            ("minProperties", true),
            ("maxProperties", false),
        ];
        for (keyword, lower) in BOUNDS {
            let absent = if lower { 0.0 } else { f64::INFINITY };
            let get = |s: &Map<String, Value>| s.get(keyword).and_then(Value::as_f64);
            let (old, new) = (get(o).unwrap_or(absent), get(n).unwrap_or(absent));
            if old == new {
                continue;
            }
            let stricter = if lower { new > old } else { new < old };
            let describe = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
            let message = format!(
                "{keyword} changed from {} to {}",
                describe(get(o)),
                describe(get(n))
            );
            let rule = if stricter {
                rules::LENGTH_TIGHTENED
            } else {
                rules::LENGTH_RELAXED
            };
            self.push(rule, format!("{at}/{keyword}"), message);
        }
        let unique = |s: &Map<String, Value>| s.get("uniqueItems") == Some(&Value::Bool(true));
        match (unique(o), unique(n)) {
            (false, true) => self.push(
                rules::LENGTH_TIGHTENED,
                format!("{at}/uniqueItems"),
                "uniqueItems added: arrays with repeated items are now rejected".into(),
            ),
            (true, false) => self.push(
                rules::LENGTH_RELAXED,
                format!("{at}/uniqueItems"),
                "uniqueItems removed: arrays with repeated items are now accepted".into(),
            ),
            _ => {}
        }
    }

    fn ranges(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, at: &str) {
        /// The effective bound on one side: value, exclusive, and the keyword that sets it.
        fn bound(
            schema: &Map<String, Value>,
            inclusive: &'static str,
            exclusive: &'static str,
            lower: bool,
        ) -> Option<(f64, bool, &'static str)> {
            let a = schema
                .get(inclusive)
                .and_then(Value::as_f64)
                .map(|v| (v, false, inclusive));
            let b = schema
                .get(exclusive)
                .and_then(Value::as_f64)
                .map(|v| (v, true, exclusive));
            match (a, b) {
                (Some(a), Some(b)) => Some(if stricter(a, b, lower) { b } else { a }),
                (a, b) => a.or(b),
            }
        }
        /// Whether bound `b` is stricter than bound `a`.
        fn stricter(a: (f64, bool, &str), b: (f64, bool, &str), lower: bool) -> bool {
            if a.0 == b.0 {
                b.1 && !a.1
            } else if lower {
                b.0 > a.0
            } else {
                b.0 < a.0
            }
        }
        let describe = |b: Option<(f64, bool, &str)>| {
            b.map_or("none".to_string(), |(v, _, k)| format!("{k} {v}"))
        };
        for (inclusive, exclusive, lower) in [
            ("minimum", "exclusiveMinimum", true),
            ("maximum", "exclusiveMaximum", false),
        ] {
            let old = bound(o, inclusive, exclusive, lower);
            let new = bound(n, inclusive, exclusive, lower);
            let tightened = match (old, new) {
                (None, None) => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if stricter(a, b, lower) => true,
                (Some(a), Some(b)) if stricter(b, a, lower) => false,
                _ => continue,
            };
            let keyword = new.or(old).map_or(inclusive, |b| b.2);
            let side = if lower { "lower" } else { "upper" };
            let message = format!(
                "{side} bound changed from {} to {}",
                describe(old),
                describe(new)
            );
            let rule = if tightened {
                rules::RANGE_TIGHTENED
            } else {
                rules::RANGE_RELAXED
            };
            self.push(rule, format!("{at}/{keyword}"), message);
        }
        let get = |s: &Map<String, Value>| s.get("multipleOf").and_then(Value::as_f64);
        let pointer = format!("{at}/multipleOf");
        let is_multiple = |a: f64, b: f64| b != 0.0 && (a / b).fract() == 0.0;
        match (get(o), get(n)) {
            (None, Some(v)) => self.push(
                rules::RANGE_TIGHTENED,
                pointer,
                format!("multipleOf {v} added"),
            ),
            (Some(v), None) => self.push(
                rules::RANGE_RELAXED,
                pointer,
                format!("multipleOf {v} removed"),
            ),
            (Some(a), Some(b)) if a != b => {
                let message = format!("multipleOf changed from {a} to {b}");
                // Every multiple of b is a multiple of a when b is a multiple of a.
                if is_multiple(b, a) {
                    self.push(rules::RANGE_TIGHTENED, pointer, message);
                } else if is_multiple(a, b) {
                    self.push(rules::RANGE_RELAXED, pointer, message);
                } else {
                    self.push(rules::RANGE_TIGHTENED, pointer.clone(), message.clone());
                    self.push(rules::RANGE_RELAXED, pointer, message);
                }
            }
            _ => {}
        }
    }

    fn properties(&mut self, o: &'a Map<String, Value>, n: &'a Map<String, Value>, at: &str) {
        let empty = &EMPTY_MAP;
        let old_props = o
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(empty);
        let new_props = n
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(empty);
        for (name, new_prop) in new_props {
            let pointer = format!("{at}/properties/{}", escape(name));
            match old_props.get(name) {
                Some(old_prop) => self.schema(old_prop, new_prop, &pointer),
                None => match extra(o) {
                    Extra::Open => {
                        if !accepts_all(self.new_root, new_prop) {
                            self.push(
                                rules::PROPERTY_ADDED_TO_OPEN_MODEL,
                                pointer,
                                format!("property {name:?} added to an open content model: old events may carry {name:?} with any value, and the new schema constrains it"),
                            );
                        }
                    }
                    Extra::Closed => self.push(
                        rules::PROPERTY_ADDED_TO_CLOSED_MODEL,
                        pointer,
                        format!("property {name:?} added to a closed content model (additionalProperties: false): readers on the old schema reject events that carry it"),
                    ),
                    Extra::Schema(old_extra) => self.schema(old_extra, new_prop, &pointer),
                },
            }
        }
        for (name, old_prop) in old_props {
            if new_props.contains_key(name) {
                continue;
            }
            let pointer = format!("{at}/properties/{}", escape(name));
            match extra(n) {
                Extra::Open => {
                    if !accepts_all(self.old_root, old_prop) {
                        self.push(
                            rules::PROPERTY_REMOVED_FROM_OPEN_MODEL,
                            pointer,
                            format!("property {name:?} removed from an open content model: any value of it is now accepted, which readers on the old schema may reject"),
                        );
                    }
                }
                Extra::Closed => self.push(
                    rules::PROPERTY_REMOVED_FROM_CLOSED_MODEL,
                    pointer,
                    format!("property {name:?} removed from a closed content model (additionalProperties: false): events that carry it are now rejected"),
                ),
                Extra::Schema(new_extra) => self.schema(old_prop, new_extra, &pointer),
            }
        }
        let required = |s: &Map<String, Value>| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old_required, new_required) = (required(o), required(n));
        for name in new_required.difference(&old_required) {
            self.push(
                rules::REQUIRED_ADDED,
                format!("{at}/required"),
                format!("{name:?} is now required: events without it are rejected"),
            );
        }
        for name in old_required.difference(&new_required) {
            self.push(
                rules::REQUIRED_REMOVED,
                format!("{at}/required"),
                format!("{name:?} is no longer required: readers on the old schema reject events without it"),
            );
        }
    }

    fn additional_properties(
        &mut self,
        o: &'a Map<String, Value>,
        n: &'a Map<String, Value>,
        at: &str,
    ) {
        let pointer = format!("{at}/additionalProperties");
        let narrowed = |what: &str| {
            format!("{what}: undeclared properties, which old events may carry, are now rejected or constrained")
        };
        let widened = |what: &str| {
            format!("{what}: undeclared properties are now accepted, which readers on the old schema reject")
        };
        match (extra(o), extra(n)) {
            (Extra::Open, Extra::Closed) => self.push(
                rules::ADDITIONAL_PROPERTIES_NARROWED,
                pointer,
                narrowed("additionalProperties: false added"),
            ),
            (Extra::Closed, Extra::Open) => self.push(
                rules::ADDITIONAL_PROPERTIES_WIDENED,
                pointer,
                widened("additionalProperties: false removed"),
            ),
            (Extra::Open, Extra::Schema(s)) if !accepts_all(self.new_root, s) => self.push(
                rules::ADDITIONAL_PROPERTIES_NARROWED,
                pointer,
                narrowed("additionalProperties schema added"),
            ),
            (Extra::Schema(s), Extra::Open) if !accepts_all(self.old_root, s) => self.push(
                rules::ADDITIONAL_PROPERTIES_WIDENED,
                pointer,
                widened("additionalProperties schema removed"),
            ),
            (Extra::Closed, Extra::Schema(_)) => self.push(
                rules::ADDITIONAL_PROPERTIES_WIDENED,
                pointer,
                widened("additionalProperties changed from false to a schema"),
            ),
            (Extra::Schema(_), Extra::Closed) => self.push(
                rules::ADDITIONAL_PROPERTIES_NARROWED,
                pointer,
                narrowed("additionalProperties changed from a schema to false"),
            ),
            (Extra::Schema(a), Extra::Schema(b)) => self.schema(a, b, &pointer),
            _ => {}
        }
    }

    fn items(&mut self, o: &'a Map<String, Value>, n: &'a Map<String, Value>, at: &str) {
        let pointer = format!("{at}/items");
        match (o.get("items"), n.get("items")) {
            (None, None) => {}
            (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
                for (i, (a, b)) in a.iter().zip(b).enumerate() {
                    self.schema(a, b, &format!("{pointer}/{i}"));
                }
            }
            (a, b) if matches!(a, Some(Value::Array(_))) || matches!(b, Some(Value::Array(_))) => {
                if a != b {
                    self.push(
                        rules::KEYWORD_CHANGED,
                        pointer,
                        unanalysed("items", "changed its tuple shape"),
                    );
                }
            }
            (a, b) => self.schema(a.unwrap_or(&ACCEPT_ALL), b.unwrap_or(&ACCEPT_ALL), &pointer),
        }
    }

    fn alternatives(&mut self, o: &'a Map<String, Value>, n: &'a Map<String, Value>, at: &str) {
        for keyword in ["anyOf", "oneOf"] {
            let pointer = format!("{at}/{keyword}");
            match (o.get(keyword), n.get(keyword)) {
                (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
                    // Alternatives are matched by position and judged one by one, as if each stood
                    // alone: an approximation (reordering shows as changes, and for oneOf a
                    // widened branch can also reject an event that now matches two).
                    for (i, (a, b)) in a.iter().zip(b).enumerate() {
                        self.schema(a, b, &format!("{pointer}/{i}"));
                    }
                }
                (a, b) if a != b => {
                    let what = match (a, b) {
                        (None, _) => "was added",
                        (_, None) => "was removed",
                        _ => "has another number of alternatives",
                    };
                    self.push(rules::KEYWORD_CHANGED, pointer, unanalysed(keyword, what));
                }
                _ => {}
            }
        }
    }
}

/// The values `const` and `enum` allow together; `None` when neither restricts them.
fn allowed(schema: &Map<String, Value>) -> Option<Vec<&Value>> {
    match (
        schema.get("const"),
        schema.get("enum").and_then(Value::as_array),
    ) {
        (Some(c), Some(e)) => Some(e.iter().filter(|v| *v == c).collect()),
        (Some(c), None) => Some(vec![c]),
        (None, Some(e)) => Some(e.iter().collect()),
        (None, None) => None,
    }
}

/// The JSON types a schema accepts: its `type`, narrowed by the types of the values its
/// `const` or `enum` allow, so a `type` added beside a `const` is not taken for a change.
/// `None` for any type.
fn accepted_types(schema: &Map<String, Value>) -> Option<Vec<&'static str>> {
    let declared: Option<Vec<&'static str>> = match schema.get("type") {
        Some(Value::String(t)) => Some(vec![t.as_str()]),
        Some(Value::Array(ts)) => Some(ts.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
    .map(|names| {
        ALL_TYPES
            .iter()
            .copied()
            .filter(|t| names.contains(t))
            .collect()
    });
    let Some(values) = allowed(schema) else {
        return declared;
    };
    let mut types: Vec<&'static str> = values.iter().map(|v| json_type(v)).collect();
    types.sort_unstable();
    types.dedup();
    if let Some(declared) = declared {
        types.retain(|t| declared.contains(t) || (*t == "integer" && declared.contains(&"number")));
    }
    Some(types)
}

/// The narrowest JSON Schema type of a value (`integer` for a whole number).
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What the message of a change the comparison cannot judge says of its effect (`breaking`
/// replaces it with what the search for counterexamples found).
pub const UNANALYSED: &str = "its effect is not analysed, so it counts as breaking both ways";

/// The message of a change the comparison cannot judge.
fn unanalysed(keyword: &str, what: &str) -> String {
    format!("{keyword:?} {what}; {UNANALYSED}")
}

static EMPTY_MAP: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// What an object schema does with properties it does not declare.
enum Extra<'a> {
    /// Accepted with any value (`additionalProperties` absent or true).
    Open,
    /// Rejected (`additionalProperties: false`).
    Closed,
    /// Accepted when valid against this schema.
    Schema(&'a Value),
}

fn extra(schema: &Map<String, Value>) -> Extra<'_> {
    match schema.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Extra::Open,
        Some(Value::Bool(false)) => Extra::Closed,
        Some(other) => Extra::Schema(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(old: Value, new: Value) -> Vec<(&'static str, String)> {
        compare(&old, &new)
            .into_iter()
            .map(|c| (c.rule.doc.id, c.pointer))
            .collect()
    }

    #[test]
    fn equal_schemas_have_no_changes() {
        let schema =
            json!({"type": "object", "properties": {"a": {"type": "string", "format": "uuid"}}});
        assert!(compare(&schema, &schema).is_empty());
    }

    #[test]
    fn recursive_references_terminate() {
        let tree = |leaf: &str| {
            json!({
                "$ref": "#/definitions/Node",
                "definitions": {"Node": {"type": "object", "properties": {
                    "name": {"type": leaf},
                    "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}
                }}}
            })
        };
        assert_eq!(
            ids(tree("number"), tree("integer")),
            vec![("BRK009", "/properties/name/type".to_string())]
        );
    }

    #[test]
    fn integer_is_part_of_number() {
        assert_eq!(
            ids(json!({"type": "integer"}), json!({"type": "number"})),
            vec![("BRK010", "/type".to_string())]
        );
        assert!(ids(json!({"minLength": 0}), json!({})).is_empty());
    }

    #[test]
    fn const_and_enum_are_one_set_of_values() {
        assert!(ids(json!({"const": "a"}), json!({"enum": ["a"]})).is_empty());
        assert_eq!(
            ids(json!({"const": "a"}), json!({"enum": ["a", "b"]})),
            vec![("BRK012", "/enum".to_string())]
        );
    }

    #[test]
    fn a_type_beside_a_const_changes_nothing() {
        assert!(ids(
            json!({"const": "a"}),
            json!({"type": "string", "const": "a"})
        )
        .is_empty());
        assert_eq!(
            ids(
                json!({"type": "string"}),
                json!({"type": "string", "const": "a"})
            ),
            vec![("BRK011", "/const".to_string())]
        );
    }

    #[test]
    fn an_exclusive_bound_on_the_same_value_is_stricter() {
        assert_eq!(
            ids(json!({"minimum": 0}), json!({"exclusiveMinimum": 0})),
            vec![("BRK022", "/exclusiveMinimum".to_string())]
        );
    }
}
