//! The engine, the typed parse and `jsonschema` agree on every event: valid events of every
//! catalog contract (from `codegen::synth`), and each of them broken or respelled in every way
//! this file knows (a keyword broken, a value nulled, an extra member, an integer written
//! `8.0`/`8e0`/`-0`, the keys in another order, a key written twice). For each case: the
//! engine's verdict (`check_slice`), whether `Event::from_slice` is `Ok`, and the oracle
//! (`jsonschema` on the parsed value, after dispatch, with a repeated key a violation) must
//! be one answer.
//!
//! `ENGINE_CASES` sets how many valid events each contract starts from (default: enough for
//! thousands of cases in CI); `conformance/scripts/engine_agreement.sh` runs a million.

use std::fmt::Write as _;

use codegen::examples::{self, Expected};
use codegen::synth::{Rng, Synth};
use coder_events::{ContractSet, Event};
use serde_json::Value;

/// How a case is written out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Spelling {
    /// serde_json's own.
    Plain,
    /// Every integer as a float (`8.0`).
    IntegersAsFloats,
    /// Every integer with an exponent (`8e0`).
    IntegersWithExponent,
    /// Every integer in scientific notation, its trailing zeros in the exponent (`1e2`).
    IntegersScientific,
    /// Every zero written `-0`.
    NegativeZero,
    /// Every object's keys in reverse order.
    KeysReversed,
    /// The first key of the root object written twice, the second time with another value.
    DuplicateKey,
    /// The first key of the root object written twice with the same value.
    DuplicateKeySameValue,
}

const SPELLINGS: [Spelling; 8] = [
    Spelling::Plain,
    Spelling::IntegersAsFloats,
    Spelling::IntegersWithExponent,
    Spelling::IntegersScientific,
    Spelling::NegativeZero,
    Spelling::KeysReversed,
    Spelling::DuplicateKey,
    Spelling::DuplicateKeySameValue,
];

fn write(value: &Value, spelling: Spelling, root: bool, out: &mut String) {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => match spelling {
            Spelling::IntegersAsFloats => write!(out, "{n}.0").unwrap(),
            Spelling::IntegersWithExponent => write!(out, "{n}e0").unwrap(),
            Spelling::IntegersScientific => {
                let text = n.to_string();
                let digits = text.trim_end_matches('0');
                let zeros = text.len() - digits.len();
                match (digits, zeros) {
                    ("" | "-", _) | (_, 0) => write!(out, "{text}").unwrap(),
                    (digits, zeros) => write!(out, "{digits}e{zeros}").unwrap(),
                }
            }
            Spelling::NegativeZero if n.as_u64() == Some(0) => out.push_str("-0"),
            _ => write!(out, "{n}").unwrap(),
        },
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, spelling, false, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            if spelling == Spelling::KeysReversed {
                members.reverse();
            }
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write!(out, "{}:", Value::String((*key).clone())).unwrap();
                write(item, spelling, false, out);
            }
            if root {
                if let Some((key, item)) = members.first() {
                    match spelling {
                        Spelling::DuplicateKey => {
                            write!(out, ",{}:{}", Value::String((*key).clone()), other(item))
                                .unwrap();
                        }
                        Spelling::DuplicateKeySameValue => {
                            write!(out, ",{}:{item}", Value::String((*key).clone())).unwrap();
                        }
                        _ => {}
                    }
                }
            }
            out.push('}');
        }
        other => write!(out, "{other}").unwrap(),
    }
}

/// A value other than `value`.
fn other(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{s}-other")),
        _ => Value::String("other".into()),
    }
}

fn spelled(value: &Value, spelling: Spelling) -> Vec<u8> {
    let mut out = String::new();
    write(value, spelling, true, &mut out);
    out.into_bytes()
}

/// Every leaf of `value` replaced by `null`, one at a time.
fn nulled(value: &Value) -> Vec<Value> {
    fn leaves(value: &Value, pointer: String, out: &mut Vec<String>) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    leaves(item, format!("{pointer}/{i}"), out);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    leaves(item, format!("{pointer}/{key}"), out);
                }
            }
            _ => out.push(pointer),
        }
    }
    let mut pointers = Vec::new();
    leaves(value, String::new(), &mut pointers);
    pointers
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut copy = value.clone();
            *copy.pointer_mut(&p).unwrap() = Value::Null;
            copy
        })
        .collect()
}

/// An extra member in each object of `value`, one at a time.
fn with_extra_member(value: &Value) -> Vec<Value> {
    fn objects(value: &Value, pointer: String, out: &mut Vec<String>) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    objects(item, format!("{pointer}/{i}"), out);
                }
            }
            Value::Object(map) => {
                out.push(pointer.clone());
                for (key, item) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    objects(item, format!("{pointer}/{key}"), out);
                }
            }
            _ => {}
        }
    }
    let mut pointers = Vec::new();
    objects(value, String::new(), &mut pointers);
    pointers
        .into_iter()
        .map(|p| {
            let mut copy = value.clone();
            let target = if p.is_empty() {
                &mut copy
            } else {
                copy.pointer_mut(&p).unwrap()
            };
            target
                .as_object_mut()
                .unwrap()
                .insert("extraMember".into(), Value::Bool(true));
            copy
        })
        .collect()
}

/// The oracle: `jsonschema` on the value serde_json reads (a repeated key keeps its last
/// value), against the contract the value names; a repeated key is a violation.
fn oracle(contracts: &ContractSet, bytes: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return false;
    };
    if has_duplicate_key(bytes) {
        return false;
    }
    match contracts.dispatch(&value) {
        Ok(index) => contracts.explainer(index).validator().is_valid(&value),
        Err(_) => false,
    }
}

/// Whether any object of the document has a key twice (read with serde_json's event stream).
fn has_duplicate_key(bytes: &[u8]) -> bool {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    struct Check;
    impl<'de> Visitor<'de> for Check {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut keys = std::collections::HashSet::new();
            let mut repeated = false;
            while let Some(key) = map.next_key::<String>()? {
                repeated |= !keys.insert(key);
                repeated |= map.next_value::<Dup>()?.0;
            }
            Ok(repeated)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let mut repeated = false;
            while let Some(Dup(d)) = seq.next_element()? {
                repeated |= d;
            }
            Ok(repeated)
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    struct Dup(bool);
    impl<'de> serde::Deserialize<'de> for Dup {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Dup, D::Error> {
            d.deserialize_any(Check).map(Dup)
        }
    }
    let _ = IgnoredAny;
    serde_json::from_slice::<Dup>(bytes).is_ok_and(|d| d.0)
}

fn events_per_contract() -> u64 {
    std::env::var("ENGINE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12)
}

#[test]
fn engine_typed_parse_and_jsonschema_agree_on_every_case() {
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let (_, bundled) = codegen::load(&schemas).unwrap();
    let (examples, _) = examples::load_all(&schemas).unwrap();
    let contracts = ContractSet::compiled();
    let mut rng = Rng::new(2026);
    let (mut cases, mut accepted) = (0u64, 0u64);
    let mut disagreements = Vec::new();
    for b in &bundled {
        let valid: Vec<&Value> = examples
            .iter()
            .filter(|e| e.event_type == b.contract.event_type && e.version == b.contract.version)
            .filter(|e| matches!(e.expected, Expected::Valid))
            .map(|e| &e.event)
            .collect();
        let synth = Synth::new(&b.schema, valid);
        for _ in 0..events_per_contract() {
            let event = synth.event(&mut rng);
            let mut values = vec![event.clone()];
            values.extend(synth.mutations(&event).into_iter().map(|m| m.event));
            values.extend(nulled(&event));
            values.extend(with_extra_member(&event));
            for value in &values {
                for spelling in SPELLINGS {
                    let bytes = spelled(value, spelling);
                    let engine = coder_events::check_slice(&bytes).conforms();
                    let typed = Event::from_slice(&bytes).is_ok();
                    let expected = oracle(contracts, &bytes);
                    cases += 1;
                    accepted += u64::from(engine);
                    if engine != typed || engine != expected {
                        disagreements.push(format!(
                            "engine {engine}, typed parse {typed}, jsonschema {expected}: {}",
                            String::from_utf8_lossy(&bytes)
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "engine agreement: {cases} cases, {accepted} accepted, {} disagreements",
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {cases} cases disagree:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        accepted > 0 && accepted < cases,
        "the cases hold both answers"
    );
}
