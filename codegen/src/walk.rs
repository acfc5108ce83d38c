//! Visits the subschemas of a draft-07 schema, knowing which keywords hold schemas and which
//! hold names (a property called `title` or `$ref` is a name, not a keyword).

use serde_json::Value;

use crate::engine::keywords::{keyword_named, Subschemas};

/// Where the keyword `name` holds subschemas: the registry's answer (`None` for an unknown
/// keyword, whose value is not walked).
fn subschemas(name: &str) -> Subschemas {
    keyword_named(name).map_or(Subschemas::None, |k| k.subschemas)
}

/// Calls `f(subschema, pointer)` on every direct subschema of `schema`.
pub fn for_each_subschema_mut<E>(
    schema: &mut Value,
    pointer: &str,
    f: &mut dyn FnMut(&mut Value, &str) -> Result<(), E>,
) -> Result<(), E> {
    let Value::Object(map) = schema else {
        return Ok(());
    };
    for (keyword, value) in map.iter_mut() {
        let at = format!("{pointer}/{}", escape(keyword));
        match (subschemas(keyword), value) {
            (Subschemas::One, value) => f(value, &at)?,
            (Subschemas::Array | Subschemas::OneOrArray, Value::Array(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    f(item, &format!("{at}/{i}"))?;
                }
            }
            (Subschemas::OneOrArray, value) => f(value, &at)?,
            (Subschemas::Map | Subschemas::MapOfSchemaOrNames, Value::Object(children)) => {
                for (name, child) in children.iter_mut() {
                    // `dependencies` values may be arrays of property names rather than schemas.
                    if child.is_array() {
                        continue;
                    }
                    f(child, &format!("{at}/{}", escape(name)))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Calls `f(subschema, pointer)` on every direct subschema of `schema`, read-only.
pub fn for_each_subschema<'a>(
    schema: &'a Value,
    pointer: &str,
    f: &mut dyn FnMut(&'a Value, &str),
) {
    let Value::Object(map) = schema else {
        return;
    };
    for (keyword, value) in map {
        let at = format!("{pointer}/{}", escape(keyword));
        match (subschemas(keyword), value) {
            (Subschemas::One, value) => f(value, &at),
            (Subschemas::Array | Subschemas::OneOrArray, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    f(item, &format!("{at}/{i}"));
                }
            }
            (Subschemas::OneOrArray, value) => f(value, &at),
            (Subschemas::Map | Subschemas::MapOfSchemaOrNames, Value::Object(children)) => {
                for (name, child) in children {
                    if child.is_array() {
                        continue;
                    }
                    f(child, &format!("{at}/{}", escape(name)));
                }
            }
            _ => {}
        }
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer segment (RFC 6901).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
