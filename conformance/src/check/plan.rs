//! A contract's bundled schema compiled into a tree the fast path ([`super::scan`]) walks while
//! it reads an event, and the list of the contract's optional fields that coverage counts.
//!
//! The tree knows only the keywords it can check exactly as `jsonschema` does. A schema with
//! any other keyword still gets a tree (for its optional fields) but no fast path: its events
//! are all validated by `jsonschema`, so an unknown keyword can slow a run down, never make it
//! accept an event the contract rejects.

use coder_events::Contract;
use serde_json::{Map, Value};

/// The most optional fields a contract's coverage tracks: a record's fields are a `u128`.
pub const MAX_OPTIONAL_FIELDS: usize = 128;
/// The most properties one object schema may name for the fast path: seen ones are a `u64`.
const MAX_PROPERTIES: usize = 64;
/// `$ref`s are inlined; deeper than this, the schema is taken to be recursive.
const MAX_DEPTH: usize = 32;

/// Keywords that annotate and never reject anything.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$comment",
    "title",
    "description",
    "examples",
    "default",
    "definitions",
    "readOnly",
    "writeOnly",
];

pub struct Plan {
    pub contract: &'static Contract,
    pub(super) root: Node,
    /// Why the fast path cannot be used for this contract (`None`: it can).
    pub unsupported: Option<String>,
    /// JSON pointers of the properties no `required` lists, in schema order; `*` stands for
    /// any element of an array. Bit `i` of a record's field set is `optional_fields[i]`.
    pub optional_fields: Vec<String>,
}

/// JSON types, as bits.
pub(super) mod types {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const INTEGER: u8 = 4;
    /// Includes integers, as `"type": "number"` does.
    pub const NUMBER: u8 = 8;
    pub const STRING: u8 = 16;
    pub const ARRAY: u8 = 32;
    pub const OBJECT: u8 = 64;
    pub const ANY: u8 = 127;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Uuid,
    DateTime,
}

/// One schema, with `$ref`s inlined. Absent keywords are `None`/empty: they accept anything.
pub(super) struct Node {
    pub types: u8,
    /// `const` or `enum`, when every allowed value is a string.
    pub allowed: Option<Vec<String>>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub format: Option<Format>,
    /// Checked by `jsonschema` itself: ECMA-262 patterns do not mean what the same text means
    /// to the `regex` crate, and only `jsonschema` knows how it translates them.
    pub pattern: Option<jsonschema::Validator>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub properties: Vec<Property>,
    /// Bit `i`: `properties[i]` is required.
    pub required: u64,
    pub items: Option<Box<Node>>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

pub(super) struct Property {
    pub name: String,
    pub node: Node,
    /// Its bit in a record's optional field set, when it is optional.
    pub optional_bit: Option<u32>,
}

/// A node that accepts every value: what a property with no schema of its own is checked by.
pub(super) static ANY_NODE: Node = Node::any();

impl Plan {
    /// Compiles `contract`'s embedded bundled schema.
    pub fn new(contract: &'static Contract) -> Plan {
        let schema: Value = serde_json::from_str(contract.schema)
            .expect("embedded schema is JSON: checked by cargo xtask codegen");
        let mut compiler = Compiler {
            schema: &schema,
            unsupported: None,
            optional_fields: Vec::new(),
        };
        let root = compiler.node(&schema, "", 0);
        if root.types & types::OBJECT == 0 {
            compiler.unsupported("the root schema does not accept an object".into());
        }
        Plan {
            contract,
            root,
            unsupported: compiler.unsupported,
            optional_fields: compiler.optional_fields,
        }
    }

    /// Which optional fields `event` has (bit `i`: `optional_fields[i]`), read from a parsed
    /// event the way the fast path reads them while scanning one.
    pub fn optional_fields_in(&self, event: &Value) -> u128 {
        let mut present = 0;
        fields_in(&self.root, event, &mut present);
        present
    }
}

fn fields_in(node: &Node, value: &Value, present: &mut u128) {
    match value {
        Value::Object(map) => {
            for property in &node.properties {
                if let Some(child) = map.get(&property.name) {
                    if let Some(bit) = property.optional_bit {
                        *present |= 1 << bit;
                    }
                    fields_in(&property.node, child, present);
                }
            }
        }
        Value::Array(elements) => {
            if let Some(items) = &node.items {
                for element in elements {
                    fields_in(items, element, present);
                }
            }
        }
        _ => {}
    }
}

struct Compiler<'s> {
    schema: &'s Value,
    unsupported: Option<String>,
    optional_fields: Vec<String>,
}

impl<'s> Compiler<'s> {
    /// Keeps the first reason only: one is enough to fall back.
    fn unsupported(&mut self, why: String) {
        self.unsupported.get_or_insert(why);
    }

    fn node(&mut self, schema: &'s Value, path: &str, depth: usize) -> Node {
        let blank = Node::any();
        if depth > MAX_DEPTH {
            self.unsupported(format!("{path}: $refs nest deeper than {MAX_DEPTH}"));
            return blank;
        }
        let object = match schema {
            Value::Bool(true) => return blank,
            Value::Object(object) => object,
            other => {
                self.unsupported(format!("{path}: the schema {other} is not handled"));
                return blank;
            }
        };
        if let Some(reference) = object.get("$ref") {
            return self.reference(object, reference, path, depth);
        }
        let mut node = blank;
        for (keyword, value) in object {
            if let Err(why) = self.keyword(&mut node, object, keyword, value, path, depth) {
                self.unsupported(format!("{path}: {keyword}: {why}"));
            }
        }
        node
    }

    /// Draft-07 ignores the siblings of `$ref`; only annotations may sit beside one here, so
    /// that nothing is ignored that a reader would take to apply.
    fn reference(
        &mut self,
        object: &'s Map<String, Value>,
        reference: &'s Value,
        path: &str,
        depth: usize,
    ) -> Node {
        if let Some(sibling) = object
            .keys()
            .find(|k| *k != "$ref" && !ANNOTATIONS.contains(&k.as_str()))
        {
            self.unsupported(format!("{path}: {sibling} beside $ref"));
        }
        let target = reference
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.schema.pointer(pointer));
        match target {
            Some(target) => self.node(target, path, depth + 1),
            None => {
                self.unsupported(format!("{path}: $ref {reference} is not within the schema"));
                Node::any()
            }
        }
    }

    fn keyword(
        &mut self,
        node: &mut Node,
        object: &'s Map<String, Value>,
        keyword: &str,
        value: &'s Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        match keyword {
            k if ANNOTATIONS.contains(&k) => {}
            // The root's `$id` is the base every `#` reference resolves against.
            "$id" if path.is_empty() && depth == 0 => {}
            "type" => node.types = type_bits(value)?,
            "const" => node.allowed = Some(vec![string(value)?]),
            "enum" => {
                let values = value.as_array().ok_or("not an array")?;
                node.allowed = Some(values.iter().map(string).collect::<Result<_, _>>()?);
            }
            "minLength" => node.min_length = Some(count(value)?),
            "maxLength" => node.max_length = Some(count(value)?),
            "minItems" => node.min_items = Some(count(value)?),
            "maxItems" => node.max_items = Some(count(value)?),
            "minimum" => node.minimum = Some(number(value)?),
            "maximum" => node.maximum = Some(number(value)?),
            "exclusiveMinimum" => node.exclusive_minimum = Some(number(value)?),
            "exclusiveMaximum" => node.exclusive_maximum = Some(number(value)?),
            "format" => {
                node.format = Some(match value.as_str() {
                    Some("uuid") => Format::Uuid,
                    Some("date-time") => Format::DateTime,
                    _ => return Err(format!("format {value} is not handled")),
                })
            }
            "pattern" => {
                let pattern = serde_json::json!({ "pattern": value });
                let validator = coder_events::options()
                    .build(&pattern)
                    .map_err(|e| e.to_string())?;
                node.pattern = Some(validator);
            }
            "items" => {
                if !value.is_object() && !value.is_boolean() {
                    return Err("only a single schema for every item is handled".into());
                }
                node.items = Some(Box::new(self.node(value, &format!("{path}/*"), depth + 1)));
            }
            "properties" => {
                let properties = value.as_object().ok_or("not an object")?;
                self.properties(node, object, properties, path, depth)?;
            }
            // Read with `properties`.
            "required" => {}
            other => return Err(format!("the keyword {other} is not handled")),
        }
        Ok(())
    }

    fn properties(
        &mut self,
        node: &mut Node,
        object: &'s Map<String, Value>,
        properties: &'s Map<String, Value>,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        let required: Vec<&str> = match object.get("required") {
            None => Vec::new(),
            Some(Value::Array(names)) => names
                .iter()
                .map(|n| n.as_str().ok_or("required: not a string"))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("required: not an array".into()),
        };
        // A required name with no schema of its own must still be present.
        let unlisted = required.iter().filter(|n| !properties.contains_key(**n));
        let names: Vec<&str> = properties
            .keys()
            .map(String::as_str)
            .chain(unlisted.copied())
            .collect();
        if names.len() > MAX_PROPERTIES {
            return Err(format!("more than {MAX_PROPERTIES} properties"));
        }
        for (i, name) in names.into_iter().enumerate() {
            let field = format!("{path}/{}", escape_pointer(name));
            let is_required = required.contains(&name);
            if is_required {
                node.required |= 1 << i;
            }
            let optional_bit = if is_required {
                None
            } else if self.optional_fields.len() < MAX_OPTIONAL_FIELDS {
                self.optional_fields.push(field.clone());
                Some(self.optional_fields.len() as u32 - 1)
            } else {
                return Err(format!("more than {MAX_OPTIONAL_FIELDS} optional fields"));
            };
            let child = match properties.get(name) {
                Some(schema) => self.node(schema, &field, depth + 1),
                None => Node::any(),
            };
            node.properties.push(Property {
                name: name.to_string(),
                node: child,
                optional_bit,
            });
        }
        Ok(())
    }
}

impl Node {
    const fn any() -> Node {
        Node {
            types: types::ANY,
            allowed: None,
            min_length: None,
            max_length: None,
            format: None,
            pattern: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: None,
            exclusive_maximum: None,
            properties: Vec::new(),
            required: 0,
            items: None,
            min_items: None,
            max_items: None,
        }
    }
}

fn type_bits(value: &Value) -> Result<u8, String> {
    let one = |name: &Value| match name.as_str() {
        Some("null") => Ok(types::NULL),
        Some("boolean") => Ok(types::BOOLEAN),
        Some("integer") => Ok(types::INTEGER),
        Some("number") => Ok(types::NUMBER | types::INTEGER),
        Some("string") => Ok(types::STRING),
        Some("array") => Ok(types::ARRAY),
        Some("object") => Ok(types::OBJECT),
        _ => Err(format!("{name} is not a type")),
    };
    match value {
        Value::Array(names) => names.iter().try_fold(0, |bits, name| Ok(bits | one(name)?)),
        name => one(name),
    }
}

fn string(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("only string values are handled, not {value}"))
}

fn count(value: &Value) -> Result<u64, String> {
    value
        .as_u64()
        .ok_or_else(|| format!("{value} is not a count"))
}

fn number(value: &Value) -> Result<f64, String> {
    value
        .as_f64()
        .ok_or_else(|| format!("{value} is not a number"))
}

/// RFC 6901: `~` and `/` in a property name.
fn escape_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_contract_has_a_fast_path() {
        for contract in &coder_events::CONTRACTS {
            let plan = Plan::new(contract);
            assert_eq!(plan.unsupported, None, "{}", contract.event_type);
        }
    }

    #[test]
    fn optional_fields_are_the_unrequired_properties_at_any_depth() {
        let contract = coder_events::contract("dashboard.analytics.report.generated", "1.0")
            .expect("in the catalog");
        let plan = Plan::new(contract);
        for field in [
            "/data/dashboardId",
            "/data/pageCount",
            "/data/requestedBy",
            "/source/service",
        ] {
            assert!(
                plan.optional_fields.iter().any(|f| f == field),
                "{field} in {:?}",
                plan.optional_fields
            );
        }
        for required in ["/id", "/data/reportId", "/data/period/start"] {
            assert!(!plan.optional_fields.iter().any(|f| f == required));
        }
    }

    #[test]
    fn an_unknown_keyword_leaves_the_contract_to_jsonschema() {
        let mut compiler = Compiler {
            schema: &Value::Null,
            unsupported: None,
            optional_fields: Vec::new(),
        };
        let schema = serde_json::json!({"type": "object", "properties": {
            "a": {"type": "string", "maxLength": 3},
            "b": {"type": "number", "multipleOf": 2}
        }});
        let node = compiler.node(&schema, "", 0);
        assert_eq!(
            compiler.unsupported.as_deref(),
            Some("/b: multipleOf: the keyword multipleOf is not handled")
        );
        // The tree is still built, for coverage.
        assert_eq!(compiler.optional_fields, ["/a", "/b"]);
        assert_eq!(node.properties[0].node.max_length, Some(3));
    }
}
