//! Numbers and equality as JSON Schema means them: bounds compared exactly across `u64`, `i64`
//! and `f64`, `multipleOf` as exact division, `1` equal to `1.0`. The arithmetic is
//! `jsonschema-value`'s (the semantics crate of the `jsonschema` validator), so the engine and
//! the validator it is tested against cannot differ on a number.

use std::borrow::Cow;

use jsonschema_value::JsonNumber;
use serde_json::{Number, Value};

use super::tape::{Node, View};

/// A number on the tape, as `jsonschema-value` reads numbers.
#[derive(Clone, Copy)]
struct TapeNumber(Node);

impl TapeNumber {
    fn number(&self) -> Number {
        match self.0 {
            Node::U64(n) => Number::from(n),
            Node::I64(n) => Number::from(n),
            Node::F64(f) => Number::from_f64(f).unwrap_or_else(|| Number::from(0)),
            _ => Number::from(0),
        }
    }
}

impl JsonNumber for TapeNumber {
    fn as_u64(&self) -> Option<u64> {
        match self.0 {
            Node::U64(n) => Some(n),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Node::U64(n) => i64::try_from(n).ok(),
            Node::I64(n) => Some(n),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self.0 {
            Node::U64(n) => Some(n as f64),
            Node::I64(n) => Some(n as f64),
            Node::F64(f) => Some(f),
            _ => None,
        }
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Owned(self.number().to_string())
    }

    fn to_number(&self) -> Cow<'_, Number> {
        Cow::Owned(self.number())
    }

    fn is_integer(&self) -> bool {
        match self.0 {
            Node::U64(_) | Node::I64(_) => true,
            Node::F64(f) => is_integral(f),
            _ => false,
        }
    }
}

/// Whether a float is an integer to `type: integer` (draft 6 on: `1.0` and `1e2` are).
pub fn is_integral(f: f64) -> bool {
    f.fract() == 0.0
}

macro_rules! bound {
    ($name:ident) => {
        /// The instance number `node` against `limit`, exactly.
        pub fn $name(node: Node, limit: &Number) -> bool {
            let value = TapeNumber(node);
            if let Some(l) = limit.as_u64() {
                jsonschema_value::numeric::$name(&value, l)
            } else if let Some(l) = limit.as_i64() {
                jsonschema_value::numeric::$name(&value, l)
            } else {
                jsonschema_value::numeric::$name(&value, limit.as_f64().unwrap_or(f64::NAN))
            }
        }
    };
}

bound!(ge);
bound!(le);
bound!(gt);
bound!(lt);

/// Whether `node` divided by `multiple` is an integer.
pub fn is_multiple_of(node: Node, multiple: f64) -> bool {
    let value = TapeNumber(node);
    if multiple.fract() == 0.0 {
        jsonschema_value::numeric::is_multiple_of_integer(&value, multiple)
    } else {
        jsonschema_value::numeric::is_multiple_of_float(&value, multiple)
    }
}

/// Whether the value at `at` equals `value` as JSON Schema compares: numbers by value, objects
/// by their members whatever the order.
#[inline]
pub fn equals_value(view: &View<'_>, at: usize, value: &Value) -> bool {
    // Strings where the check is made: `const` and `enum` are mostly strings (an event's type
    // and version, a status), and a call per value cost more than comparing them.
    let node = view.node(at);
    if let (Node::Str { .. }, Value::String(b)) = (node, value) {
        return view.bytes_of(node) == Some(b.as_bytes());
    }
    equals_other(view, at, value)
}

/// [`equals_value`] for every value but a string compared with a string.
fn equals_other(view: &View<'_>, at: usize, value: &Value) -> bool {
    match (view.node(at), value) {
        (Node::Null, Value::Null) => true,
        (Node::Bool(a), Value::Bool(b)) => a == *b,
        (n @ (Node::U64(_) | Node::I64(_) | Node::F64(_)), Value::Number(b)) => {
            jsonschema_value::cmp::equal_numbers(&TapeNumber(n), b)
        }
        (Node::Str { .. }, Value::String(b)) => view.str(at) == Some(b.as_str()),
        (Node::Array { len, .. }, Value::Array(items)) => {
            len as usize == items.len()
                && view
                    .elements(at)
                    .zip(items)
                    .all(|(e, item)| equals_value(view, e, item))
        }
        (Node::Object { .. }, Value::Object(map)) => {
            // Repeated keys never reach here: such a document is refused before any keyword.
            let mut count = 0;
            view.members(at).all(|(k, v)| {
                count += 1;
                map.get(view.str(k).unwrap_or_default())
                    .is_some_and(|item| equals_value(view, v, item))
            }) && count == map.len()
        }
        _ => false,
    }
}

/// Whether the values at `a` and `b` are equal, as [`equals_value`] compares.
pub fn equal_nodes(view: &View<'_>, a: usize, b: usize) -> bool {
    match (view.node(a), view.node(b)) {
        (Node::Null, Node::Null) => true,
        (Node::Bool(x), Node::Bool(y)) => x == y,
        (
            x @ (Node::U64(_) | Node::I64(_) | Node::F64(_)),
            y @ (Node::U64(_) | Node::I64(_) | Node::F64(_)),
        ) => jsonschema_value::cmp::equal_numbers(&TapeNumber(x), &TapeNumber(y).number()),
        (Node::Str { .. }, Node::Str { .. }) => view.str(a) == view.str(b),
        (Node::Array { len: la, .. }, Node::Array { len: lb, .. }) => {
            la == lb
                && view
                    .elements(a)
                    .zip(view.elements(b))
                    .all(|(x, y)| equal_nodes(view, x, y))
        }
        (Node::Object { len: la, .. }, Node::Object { len: lb, .. }) => {
            la == lb
                && view.members(a).all(|(k, v)| {
                    view.get(b, view.str(k).unwrap_or_default())
                        .is_some_and(|w| equal_nodes(view, v, w))
                })
        }
        _ => false,
    }
}

/// Whether no two elements of the array at `at` are equal.
pub fn all_unique(view: &View<'_>, at: usize) -> bool {
    let elements: Vec<usize> = view.elements(at).collect();
    (1..elements.len()).all(|i| {
        elements[..i]
            .iter()
            .all(|&earlier| !equal_nodes(view, earlier, elements[i]))
    })
}
