//! Prepares bundled schemas for typify, which cannot read some of what the contracts say.
//!
//! - typify 0.8 ignores `const`: a `const` becomes a one-value `enum`, which typify turns into a
//!   one-variant Rust enum that refuses any other value on deserialize.
//! - A `$ref` to a plain scalar definition (a uuid, a timestamp) is inlined, so fields read
//!   `uuid::Uuid` rather than a newtype per definition; objects and enums stay shared types.
//! - `title` is dropped: type names come from the catalog and from definition keys only.
//! - A keyword the engine cannot decide, or typify cannot express (the registry,
//!   `engine::keywords`, says which), is refused with a located error.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::walk;

/// One contract's bundled schema, as typify input.
pub struct ContractSchema<'a> {
    pub rust_name: &'a str,
    pub file: &'a Path,
    pub bundled: &'a Value,
}

/// Builds the named schemas handed to typify: shared definitions once, then one root per contract.
pub fn build(contracts: &[ContractSchema<'_>]) -> Result<Vec<(String, Value)>> {
    let mut shared: BTreeMap<String, (Value, &Path)> = BTreeMap::new();
    let mut roots = Vec::new();
    for contract in contracts {
        let mut root = contract.bundled.clone();
        let definitions = root
            .as_object_mut()
            .and_then(|o| o.remove("definitions"))
            .unwrap_or(Value::Null);
        if let Value::Object(definitions) = definitions {
            for (name, schema) in definitions {
                match shared.get(&name) {
                    Some((existing, _)) if *existing != schema => {
                        return Err(Error::new(
                            ErrorKind::Unsupported,
                            contract.file,
                            format!("definition {name:?} differs from the one another contract brings under the same name"),
                        )
                        .at_pointer(format!("/definitions/{}", walk::escape(&name))));
                    }
                    Some(_) => {}
                    None => {
                        shared.insert(name, (schema, contract.file));
                    }
                }
            }
        }
        roots.push((contract.rust_name.to_string(), root, contract.file));
    }

    let inlined: BTreeMap<String, Value> = shared
        .iter()
        .filter(|(_, (schema, _))| is_scalar(schema))
        .map(|(name, (schema, _))| (name.clone(), schema.clone()))
        .collect();

    let mut out = Vec::new();
    for (name, (mut schema, file)) in shared {
        if inlined.contains_key(&name) {
            continue;
        }
        let pointer = format!("/definitions/{}", walk::escape(&name));
        prepare(&mut schema, file, &pointer, &inlined)?;
        out.push((name, schema));
    }
    for (name, mut schema, file) in roots {
        if out.iter().any(|(n, _)| *n == name) {
            return Err(Error::new(
                ErrorKind::Catalog,
                file,
                format!("rustName {name:?} collides with a shared definition of the same name"),
            ));
        }
        prepare(&mut schema, file, "", &inlined)?;
        out.push((name, schema));
    }
    Ok(out)
}

/// A definition that becomes a plain Rust scalar (no object, array or enum of its own).
fn is_scalar(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    let scalar_type = matches!(
        map.get("type").and_then(Value::as_str),
        Some("string" | "number" | "integer" | "boolean")
    );
    scalar_type
        && !map.contains_key("enum")
        && !map.contains_key("const")
        && !map.contains_key("pattern")
}

/// Rewrites one schema in place for typify (see the module docs).
fn prepare(
    schema: &mut Value,
    file: &Path,
    pointer: &str,
    inlined: &BTreeMap<String, Value>,
) -> Result<()> {
    let inline_target = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
        .map(walk::unescape)
        .and_then(|name| inlined.get(&name).cloned());
    if let Some(target) = inline_target {
        *schema = target;
    }
    if let Value::Object(map) = schema {
        for keyword in map.keys() {
            if let Some(why) = crate::engine::keywords::refusal(keyword) {
                return Err(Error::new(ErrorKind::Unsupported, file, why)
                    .at_pointer(format!("{pointer}/{}", walk::escape(keyword))));
            }
        }
        if let Some(value) = map.remove("const") {
            map.insert("enum".to_string(), Value::Array(vec![value]));
        }
        map.remove("title");
        map.remove("$schema");
        map.remove("$id");
    }
    walk::for_each_subschema_mut(schema, pointer, &mut |child, at| {
        prepare(child, file, at, inlined)
    })
}
