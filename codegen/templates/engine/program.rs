//! A schema compiled into a program: one node per subschema, each with the checks its keywords
//! make, `$ref`s resolved to the node they name, regular expressions compiled once. Compiling
//! refuses what the engine cannot decide (a keyword it does not know, a format it does not
//! assert, a reference outside the document), naming the JSON pointer, so that a schema either
//! compiles into a program that decides every instance or is refused up front.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Number, Value};

use super::keywords::{keyword_named, FORMATS};

/// The JSON types, as bits of a set.
pub const NULL: u8 = 1;
pub const BOOLEAN: u8 = 2;
pub const INTEGER: u8 = 4;
pub const NUMBER: u8 = 8;
pub const STRING: u8 = 16;
pub const ARRAY: u8 = 32;
pub const OBJECT: u8 = 64;

/// Why a schema does not compile: where, and what the engine cannot decide there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// JSON pointer to the offending keyword in the schema.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}", self.message)
    }
}

impl std::error::Error for CompileError {}

/// A compiled schema.
#[derive(Debug)]
pub struct Program {
    pub(super) nodes: Vec<SchemaNode>,
    /// Where each node is in the schema, as a JSON pointer: what failures name.
    pub(super) pointers: Vec<String>,
    /// The optional fields of the instance (properties no `required` lists, following
    /// `properties` and `items` from the root): what coverage counts.
    pub(super) optional_fields: Vec<String>,
    /// From the root: the fields coverage walks, as a tree of (property, field index, child).
    pub(super) coverage: CoverageTree,
}

/// The checks of one subschema.
#[derive(Debug)]
pub(super) enum SchemaNode {
    /// `true` or `{}`: every instance; `false`: none.
    Bool(bool),
    /// A `$ref`: the node it names applies, and nothing else of this schema (draft-07).
    Ref(usize),
    Checks(Box<Checks>),
}

#[derive(Debug, Default)]
pub(super) struct Checks {
    pub types: Option<u8>,
    pub const_: Option<Value>,
    pub enum_: Option<Vec<Value>>,
    pub multiple_of: Option<f64>,
    pub maximum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub minimum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub max_length: Option<u64>,
    pub min_length: Option<u64>,
    pub pattern: Option<(regex::Regex, String)>,
    pub format: Option<Format>,
    pub items: Items,
    pub additional_items: Option<usize>,
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    pub unique_items: bool,
    pub contains: Option<usize>,
    pub max_properties: Option<u64>,
    pub min_properties: Option<u64>,
    pub required: Vec<String>,
    /// Bit `i`: `required[i]` is also in `properties` (for `i` < 64), so the pass over the
    /// members finds it without looking it up again.
    pub required_in_properties: u64,
    /// Each property (in `properties` order): the bit of its name in `required`, if any.
    pub property_required_bit: Vec<u64>,
    pub properties: Vec<(String, usize)>,
    /// The names of `properties`, to find a member's property by its key.
    pub property_lookup: Names,
    pub pattern_properties: Vec<(regex::Regex, String, usize)>,
    pub additional_properties: Option<usize>,
    pub dependencies: Vec<(String, Dependency)>,
    pub property_names: Option<usize>,
    pub if_then_else: Option<(usize, Option<usize>, Option<usize>)>,
    pub all_of: Vec<usize>,
    pub any_of: Vec<usize>,
    pub one_of: Vec<usize>,
    pub not: Option<usize>,
    /// Which groups of keywords ([`VALUE`], [`NUMERIC`], ...) this schema has any of, as bits:
    /// the evaluator skips a group this schema has none of with one test, not one per keyword.
    pub groups: u8,
}

/// `const`, `enum`.
pub(super) const VALUE: u8 = 1;
/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
pub(super) const NUMERIC: u8 = 2;
/// `minLength`, `maxLength`, `pattern`, `format`.
pub(super) const TEXT: u8 = 4;
/// `minItems`, `maxItems`, `uniqueItems`, `items` (and `additionalItems`), `contains`.
pub(super) const ITEMS: u8 = 8;
/// `minProperties`, `maxProperties`, `properties`, `patternProperties`,
/// `additionalProperties`, `propertyNames`, `required`, `dependencies`.
pub(super) const MEMBERS: u8 = 16;
/// `if`/`then`/`else`, `allOf`, `anyOf`, `oneOf`, `not`.
pub(super) const APPLICATORS: u8 = 32;

impl Checks {
    /// The [`groups`](Self::groups) of the keywords set: computed once every keyword is.
    fn keyword_groups(&self) -> u8 {
        let mut groups = 0;
        if self.const_.is_some() || self.enum_.is_some() {
            groups |= VALUE;
        }
        if self.minimum.is_some()
            || self.maximum.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
            || self.multiple_of.is_some()
        {
            groups |= NUMERIC;
        }
        if self.min_length.is_some()
            || self.max_length.is_some()
            || self.pattern.is_some()
            || self.format.is_some()
        {
            groups |= TEXT;
        }
        if self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique_items
            || !matches!(self.items, Items::Any)
            || self.contains.is_some()
        {
            groups |= ITEMS;
        }
        if self.min_properties.is_some()
            || self.max_properties.is_some()
            || !self.properties.is_empty()
            || !self.pattern_properties.is_empty()
            || self.additional_properties.is_some()
            || self.property_names.is_some()
            || !self.required.is_empty()
            || !self.dependencies.is_empty()
        {
            groups |= MEMBERS;
        }
        if self.if_then_else.is_some()
            || !self.all_of.is_empty()
            || !self.any_of.is_empty()
            || !self.one_of.is_empty()
            || self.not.is_some()
        {
            groups |= APPLICATORS;
        }
        groups
    }
}

#[derive(Debug, Default)]
pub(super) enum Items {
    #[default]
    Any,
    /// One schema for every element.
    Each(usize),
    /// One schema per position; `additionalItems` for the rest.
    Positions(Vec<usize>),
}

#[derive(Debug)]
pub(super) enum Dependency {
    Names(Vec<String>),
    Schema(usize),
}

/// A `format` the engine asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Uuid,
    DateTime,
    Date,
    Time,
    Ipv4,
    Ipv6,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Uuid => "uuid",
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Time => "time",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
        }
    }

    fn named(name: &str) -> Option<Format> {
        [
            Format::Uuid,
            Format::DateTime,
            Format::Date,
            Format::Time,
            Format::Ipv4,
            Format::Ipv6,
        ]
        .into_iter()
        .find(|f| f.name() == name && FORMATS.contains(&name))
    }
}

/// Coverage's walk: for an object node, each property with its optional-field index (when
/// optional) and the walk below it; for an array, the walk of its elements.
#[derive(Debug, Default)]
pub(super) struct CoverageTree {
    pub properties: Vec<(String, Option<usize>, CoverageTree)>,
    /// The names of `properties`, to find a member's property by its key.
    pub lookup: Names,
    pub items: Option<Box<CoverageTree>>,
}

impl CoverageTree {
    /// No walk: what the evaluator follows where coverage does not go. A static, not a
    /// constant: a reference to a constant of a type with a destructor is a temporary, made and
    /// dropped at every use.
    pub(super) const EMPTY: &'static CoverageTree = &EMPTY_COVERAGE;
}

static EMPTY_COVERAGE: CoverageTree = CoverageTree {
    properties: Vec::new(),
    lookup: Names {
        names: Vec::new(),
        heads: Vec::new(),
    },
    items: None,
};

/// Property names, found by a key's bytes. Every member of every object is looked up, so a
/// name's length and two words that hold its first and last bytes are compared before anything
/// else (up to 16 bytes, nothing else), and a search starts after the name found last: events
/// are mostly written in the order their schema lists them.
#[derive(Debug, Default)]
pub struct Names {
    names: Vec<Box<[u8]>>,
    heads: Vec<Head>,
}

impl Names {
    pub fn push(&mut self, name: &str) {
        self.heads.push(head(name.as_bytes()));
        self.names.push(name.as_bytes().into());
    }

    /// The index of `key`, searching from `from` round to `from - 1`.
    #[inline]
    pub fn find(&self, key: &[u8], from: usize) -> Option<usize> {
        let n = self.heads.len();
        let from = if from < n { from } else { 0 };
        let wanted = head(key);
        let mut i = from;
        for _ in 0..n {
            if self.heads[i] == wanted && (key.len() <= 16 || self.names[i][8..] == key[8..]) {
                return Some(i);
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
        None
    }
}

/// A name's length and two words read from it: for up to 16 bytes, words that cover every
/// byte (overlapping when shorter), so that two names of one length with equal words are
/// equal; for longer ones, the first and last eight bytes.
type Head = (usize, u64, u64);

#[inline]
fn head(name: &[u8]) -> Head {
    let len = name.len();
    let word = |at: usize| u64::from_le_bytes(name[at..at + 8].try_into().expect("8 bytes"));
    let half = |at: usize| {
        u64::from(u32::from_le_bytes(
            name[at..at + 4].try_into().expect("4 bytes"),
        ))
    };
    // Loaded as words, not copied: a copy of a length only known at run time was a call to
    // `memcpy` for every member of every event.
    match len {
        0 => (0, 0, 0),
        1..=3 => (
            len,
            u64::from(name[0]) | u64::from(name[len / 2]) << 8 | u64::from(name[len - 1]) << 16,
            0,
        ),
        4..=7 => (len, half(0), half(len - 4)),
        _ => (len, word(0), word(len - 8)),
    }
}

/// How deep the coverage tree follows a schema (a recursive schema stops there).
const COVERAGE_DEPTH: usize = 16;

impl Program {
    /// Compiles `schema` (references only inside it, as a bundled contract has them).
    pub fn compile(schema: &Value) -> Result<Program, CompileError> {
        let mut compiler = Compiler {
            root: schema,
            nodes: Vec::new(),
            pointers: Vec::new(),
            by_pointer: HashMap::new(),
        };
        compiler.node(schema, "")?;
        let mut optional_fields = Vec::new();
        let coverage = compiler.coverage_tree(schema, "", &mut optional_fields, 0);
        Ok(Program {
            nodes: compiler.nodes,
            pointers: compiler.pointers,
            optional_fields,
            coverage,
        })
    }

    /// Every optional field of the instance, as JSON pointers (`*`: any element of an array).
    pub fn optional_fields(&self) -> &[String] {
        &self.optional_fields
    }
}

struct Compiler<'s> {
    root: &'s Value,
    nodes: Vec<SchemaNode>,
    pointers: Vec<String>,
    /// The node each schema location compiled to: a `$ref` to it reuses it, and a recursive
    /// reference ends there.
    by_pointer: HashMap<String, usize>,
}

fn error(pointer: &str, message: impl Into<String>) -> CompileError {
    CompileError {
        pointer: pointer.to_string(),
        message: message.into(),
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

impl<'s> Compiler<'s> {
    /// Compiles the schema at `pointer` (once), returning its node.
    fn node(&mut self, schema: &'s Value, pointer: &str) -> Result<usize, CompileError> {
        if let Some(&index) = self.by_pointer.get(pointer) {
            return Ok(index);
        }
        let index = self.nodes.len();
        self.nodes.push(SchemaNode::Bool(true));
        self.pointers.push(pointer.to_string());
        self.by_pointer.insert(pointer.to_string(), index);
        let compiled = match schema {
            Value::Bool(b) => SchemaNode::Bool(*b),
            Value::Object(map) => self.object(map, pointer)?,
            _ => return Err(error(pointer, "a schema is an object or a boolean")),
        };
        self.nodes[index] = compiled;
        Ok(index)
    }

    fn child(
        &mut self,
        map: &'s Map<String, Value>,
        keyword: &str,
        pointer: &str,
    ) -> Result<Option<usize>, CompileError> {
        match map.get(keyword) {
            Some(schema) => Ok(Some(
                self.node(schema, &format!("{pointer}/{}", escape(keyword)))?,
            )),
            None => Ok(None),
        }
    }

    fn children(&mut self, value: &'s Value, pointer: &str) -> Result<Vec<usize>, CompileError> {
        let Value::Array(items) = value else {
            return Err(error(pointer, "must be an array of schemas"));
        };
        if items.is_empty() {
            return Err(error(pointer, "must not be empty"));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, s)| self.node(s, &format!("{pointer}/{i}")))
            .collect()
    }

    fn object(
        &mut self,
        map: &'s Map<String, Value>,
        pointer: &str,
    ) -> Result<SchemaNode, CompileError> {
        for key in map.keys() {
            match keyword_named(key) {
                None => {
                    return Err(error(
                        &format!("{pointer}/{}", escape(key)),
                        format!("{key:?} is not a draft-07 keyword; the engine cannot decide it"),
                    ))
                }
                Some(k) if !k.engine => {
                    return Err(error(
                        &format!("{pointer}/{}", escape(key)),
                        format!("keyword {key:?} is not decided by the engine"),
                    ))
                }
                Some(_) => {}
            }
        }
        // Sub-schemas under `definitions` are compiled when something references them; still,
        // each must be a schema the engine can decide.
        if let Some(Value::Object(definitions)) = map.get("definitions") {
            for (name, schema) in definitions {
                self.node(schema, &format!("{pointer}/definitions/{}", escape(name)))?;
            }
        }
        if let Some(reference) = map.get("$ref") {
            let at = format!("{pointer}/$ref");
            let Value::String(reference) = reference else {
                return Err(error(&at, "$ref must be a string"));
            };
            let target = self.resolve(reference, &at)?;
            return Ok(SchemaNode::Ref(target));
        }
        let mut c = Checks::default();
        let at = |keyword: &str| format!("{pointer}/{keyword}");
        let count = |keyword: &str| -> Result<Option<u64>, CompileError> {
            match map.get(keyword) {
                None => Ok(None),
                Some(v) => as_count(v)
                    .map(Some)
                    .ok_or_else(|| error(&at(keyword), "must be a non-negative integer")),
            }
        };
        let number = |keyword: &str| -> Result<Option<Number>, CompileError> {
            match map.get(keyword) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                Some(_) => Err(error(&at(keyword), "must be a number")),
            }
        };
        if let Some(types) = map.get("type") {
            c.types =
                Some(type_set(types).ok_or_else(|| error(&at("type"), "must name JSON types"))?);
        }
        c.const_ = map.get("const").cloned();
        if let Some(values) = map.get("enum") {
            let Value::Array(values) = values else {
                return Err(error(&at("enum"), "must be an array"));
            };
            c.enum_ = Some(values.clone());
        }
        if let Some(m) = map.get("multipleOf") {
            match m.as_f64() {
                Some(m) if m > 0.0 => c.multiple_of = Some(m),
                _ => return Err(error(&at("multipleOf"), "must be a number above 0")),
            }
        }
        c.maximum = number("maximum")?;
        c.exclusive_maximum = number("exclusiveMaximum")?;
        c.minimum = number("minimum")?;
        c.exclusive_minimum = number("exclusiveMinimum")?;
        c.max_length = count("maxLength")?;
        c.min_length = count("minLength")?;
        if let Some(pattern) = map.get("pattern") {
            let Value::String(pattern) = pattern else {
                return Err(error(&at("pattern"), "must be a string"));
            };
            c.pattern = Some((regex_of(pattern, &at("pattern"))?, pattern.clone()));
        }
        if let Some(format) = map.get("format") {
            let name = format
                .as_str()
                .ok_or_else(|| error(&at("format"), "must be a string"))?;
            c.format = Some(Format::named(name).ok_or_else(|| {
                error(
                    &at("format"),
                    format!(
                        "format {name:?} is not one the engine asserts ({})",
                        FORMATS.join(", ")
                    ),
                )
            })?);
        }
        match map.get("items") {
            None => {}
            Some(Value::Array(items)) => {
                let nodes = items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.node(s, &format!("{pointer}/items/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                c.items = Items::Positions(nodes);
            }
            Some(schema) => c.items = Items::Each(self.node(schema, &at("items"))?),
        }
        // `additionalItems` applies only beside an array of `items`.
        if matches!(c.items, Items::Positions(_)) {
            c.additional_items = self.child(map, "additionalItems", pointer)?;
        }
        c.max_items = count("maxItems")?;
        c.min_items = count("minItems")?;
        c.unique_items = match map.get("uniqueItems") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(error(&at("uniqueItems"), "must be a boolean")),
        };
        c.contains = self.child(map, "contains", pointer)?;
        c.max_properties = count("maxProperties")?;
        c.min_properties = count("minProperties")?;
        if let Some(required) = map.get("required") {
            c.required = names(required)
                .ok_or_else(|| error(&at("required"), "must be an array of strings"))?;
        }
        if let Some(properties) = map.get("properties") {
            let Value::Object(properties) = properties else {
                return Err(error(&at("properties"), "must be an object"));
            };
            for (name, schema) in properties {
                let node = self.node(schema, &format!("{pointer}/properties/{}", escape(name)))?;
                c.properties.push((name.clone(), node));
                c.property_lookup.push(name);
            }
        }
        if let Some(patterns) = map.get("patternProperties") {
            let Value::Object(patterns) = patterns else {
                return Err(error(&at("patternProperties"), "must be an object"));
            };
            for (pattern, schema) in patterns {
                let here = format!("{pointer}/patternProperties/{}", escape(pattern));
                let node = self.node(schema, &here)?;
                c.pattern_properties
                    .push((regex_of(pattern, &here)?, pattern.clone(), node));
            }
        }
        for (name, _) in &c.properties {
            let bit = c
                .required
                .iter()
                .position(|r| r == name)
                .filter(|i| *i < 64)
                .map_or(0, |i| 1u64 << i);
            c.required_in_properties |= bit;
            c.property_required_bit.push(bit);
        }
        c.additional_properties = self.child(map, "additionalProperties", pointer)?;
        if let Some(dependencies) = map.get("dependencies") {
            let Value::Object(dependencies) = dependencies else {
                return Err(error(&at("dependencies"), "must be an object"));
            };
            for (name, dependency) in dependencies {
                let here = format!("{pointer}/dependencies/{}", escape(name));
                let dependency = match dependency {
                    Value::Array(_) => Dependency::Names(
                        names(dependency)
                            .ok_or_else(|| error(&here, "must be an array of strings"))?,
                    ),
                    schema => Dependency::Schema(self.node(schema, &here)?),
                };
                c.dependencies.push((name.clone(), dependency));
            }
        }
        c.property_names = self.child(map, "propertyNames", pointer)?;
        if let Some(condition) = self.child(map, "if", pointer)? {
            let then = self.child(map, "then", pointer)?;
            let otherwise = self.child(map, "else", pointer)?;
            c.if_then_else = Some((condition, then, otherwise));
        } else {
            // Without `if`, `then` and `else` do nothing; still, they must be schemas.
            self.child(map, "then", pointer)?;
            self.child(map, "else", pointer)?;
        }
        if let Some(all) = map.get("allOf") {
            c.all_of = self.children(all, &at("allOf"))?;
        }
        if let Some(any) = map.get("anyOf") {
            c.any_of = self.children(any, &at("anyOf"))?;
        }
        if let Some(one) = map.get("oneOf") {
            c.one_of = self.children(one, &at("oneOf"))?;
        }
        c.not = self.child(map, "not", pointer)?;
        c.groups = c.keyword_groups();
        Ok(SchemaNode::Checks(Box::new(c)))
    }

    /// The node a local reference names, compiling it if needed.
    fn resolve(&mut self, reference: &str, at: &str) -> Result<usize, CompileError> {
        let Some(fragment) = reference.strip_prefix('#') else {
            return Err(error(
                at,
                format!("$ref {reference:?} leaves the document; bundle the schema first"),
            ));
        };
        let pointer = percent_decode(fragment)
            .ok_or_else(|| error(at, format!("$ref {reference:?} is not a JSON pointer")))?;
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(error(
                at,
                format!("$ref {reference:?} is not a JSON pointer"),
            ));
        }
        let target = self
            .root
            .pointer(&pointer)
            .ok_or_else(|| error(at, format!("$ref {reference:?} points at nothing")))?;
        self.node(target, &pointer)
    }

    /// The optional fields below `schema` (at instance pointer `at`), and the walk to them.
    fn coverage_tree(
        &self,
        schema: &'s Value,
        at: &str,
        fields: &mut Vec<String>,
        depth: usize,
    ) -> CoverageTree {
        let mut tree = CoverageTree::default();
        let schema = self.follow(schema);
        let Some(map) = schema.as_object() else {
            return tree;
        };
        if depth > COVERAGE_DEPTH {
            return tree;
        }
        let required: Vec<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(Value::Object(properties)) = map.get("properties") {
            for (name, child) in properties {
                let here = format!("{at}/{}", escape(name));
                let index = (!required.contains(&name.as_str())).then(|| {
                    fields.push(here.clone());
                    fields.len() - 1
                });
                let below = self.coverage_tree(child, &here, fields, depth + 1);
                tree.lookup.push(name);
                tree.properties.push((name.clone(), index, below));
            }
        }
        if let Some(items) = map.get("items").filter(|i| i.is_object()) {
            let below = self.coverage_tree(items, &format!("{at}/*"), fields, depth + 1);
            if !below.properties.is_empty() || below.items.is_some() {
                tree.items = Some(Box::new(below));
            }
        }
        tree
    }

    /// `schema` with its local `$ref`s followed.
    fn follow(&self, mut schema: &'s Value) -> &'s Value {
        for _ in 0..32 {
            let target = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(percent_decode)
                .and_then(|p| self.root.pointer(&p));
            match target {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }
}

fn as_count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            // Draft-07 allows 2.0 where a count is due.
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < 1e19)
                .map(|f| f as u64)
        }),
        _ => None,
    }
}

fn names(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(String::from))
        .collect()
}

fn type_set(value: &Value) -> Option<u8> {
    let one = |name: &str| match name {
        "null" => Some(NULL),
        "boolean" => Some(BOOLEAN),
        "integer" => Some(INTEGER),
        "number" => Some(NUMBER | INTEGER),
        "string" => Some(STRING),
        "array" => Some(ARRAY),
        "object" => Some(OBJECT),
        _ => None,
    };
    match value {
        Value::String(name) => one(name),
        Value::Array(names) => names
            .iter()
            .try_fold(0, |set, name| Some(set | one(name.as_str()?)?)),
        _ => None,
    }
}

/// Decodes the `%xx` escapes of a URI fragment.
fn percent_decode(fragment: &str) -> Option<String> {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A `pattern` compiled as the validators compile it.
fn regex_of(pattern: &str, at: &str) -> Result<regex::Regex, CompileError> {
    super::patterns::compile(pattern)
        .map_err(|why| error(at, format!("pattern {pattern:?} does not compile: {why}")))
}
