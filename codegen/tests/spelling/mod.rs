//! Other spellings of the same JSON value, shared by the engine tests that must not tell them
//! apart (coverage, content hashes).

use serde_json::Value;

/// `value` written with every object's keys in reverse order, at every depth, and whitespace
/// (a newline among it) between tokens: the members are met in another order than the schema
/// lists its properties, in other bytes.
pub fn keys_reversed(value: &Value) -> String {
    match value {
        Value::Object(members) => {
            let written: Vec<String> = members
                .iter()
                .rev()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), keys_reversed(v)))
                .collect();
            format!("{{ {} }}", written.join(" ,\n "))
        }
        Value::Array(items) => {
            let written: Vec<String> = items.iter().map(keys_reversed).collect();
            format!("[ {} ]", written.join(", "))
        }
        scalar => scalar.to_string(),
    }
}
