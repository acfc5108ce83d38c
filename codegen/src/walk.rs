//! Visits the subschemas of a draft-07 schema, knowing which keywords hold schemas and which
//! hold names (a property called `title` or `$ref` is a name, not a keyword).

use serde_json::Value;

/// Keywords whose value is one schema.
const SINGLE: &[&str] = &[
    "additionalItems",
    "additionalProperties",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
];
/// Keywords whose value is an array of schemas.
const ARRAY: &[&str] = &["allOf", "anyOf", "oneOf"];
/// Keywords whose value maps names to schemas.
const MAP: &[&str] = &["properties", "patternProperties", "definitions"];

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
        let kw = keyword.as_str();
        if SINGLE.contains(&kw) {
            f(value, &at)?;
        } else if ARRAY.contains(&kw) || kw == "items" {
            match value {
                Value::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        f(item, &format!("{at}/{i}"))?;
                    }
                }
                other if kw == "items" => f(other, &at)?,
                _ => {}
            }
        } else if MAP.contains(&kw) || kw == "dependencies" {
            if let Value::Object(children) = value {
                for (name, child) in children.iter_mut() {
                    // `dependencies` values may be arrays of property names rather than schemas.
                    if kw == "dependencies" && child.is_array() {
                        continue;
                    }
                    f(child, &format!("{at}/{}", escape(name)))?;
                }
            }
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
        let kw = keyword.as_str();
        if SINGLE.contains(&kw) {
            f(value, &at);
        } else if ARRAY.contains(&kw) || kw == "items" {
            match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        f(item, &format!("{at}/{i}"));
                    }
                }
                other if kw == "items" => f(other, &at),
                _ => {}
            }
        } else if MAP.contains(&kw) || kw == "dependencies" {
            if let Value::Object(children) = value {
                for (name, child) in children {
                    if kw == "dependencies" && child.is_array() {
                        continue;
                    }
                    f(child, &format!("{at}/{}", escape(name)));
                }
            }
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
