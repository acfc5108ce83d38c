//! Every documented example against the generated crate: the engine with its explainer and
//! the typed path (`Event::from_slice`) must each give the labelled answer, and agree.

use std::path::{Path, PathBuf};

use codegen::examples::{self, Example, Expected};
use coder_events::{Event, ParseError, ViolationKind};
use serde_json::{json, Value};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn all_examples() -> Vec<Example> {
    let (examples, errors) = examples::load_all(&schemas_dir()).expect("catalog loads");
    assert!(errors.is_empty(), "unreadable examples: {errors:#?}");
    examples
}

#[test]
fn valid_examples_pass_both_paths_and_round_trip() {
    for example in all_examples()
        .iter()
        .filter(|e| matches!(e.expected, Expected::Valid))
    {
        let name = example.path.display();
        let event = Event::from_slice(&example.bytes)
            .unwrap_or_else(|e| panic!("{name}: typed parse: {e}"));
        assert_eq!(event.event_type(), example.event_type, "{name}");
        assert_eq!(event.version(), example.version, "{name}");
        assert_eq!(event.routing_key(), example.event_type, "{name}");
        if let Err(violations) = coder_events::validate(&example.event) {
            panic!("{name}: schema rejects a valid example: {violations:#?}");
        }
        let round_tripped = serde_json::to_value(&event).expect("serializes");
        assert_same_event(&example.event, &round_tripped, "", &name.to_string());
        assert_eq!(
            Event::from_value(&example.event).expect("from_value"),
            event,
            "{name}"
        );
    }
}

#[test]
fn invalid_examples_fail_with_exactly_their_labelled_violation_on_both_paths() {
    let contracts = coder_events::ContractSet::compiled();
    for example in all_examples() {
        let Expected::Invalid {
            violation,
            description,
        } = &example.expected
        else {
            continue;
        };
        let name = example.path.display().to_string();
        // Against the example's own contract: a wrong `type` or `version` is a `const` violation
        // there, while `validate` would dispatch it to "unknown type" (tested below).
        let index = contracts
            .position(&example.event_type, &example.version)
            .expect("contract");
        let violations = contracts
            .validate_against(index, &example.event)
            .expect_err(&name);
        let found: Vec<(&str, &str)> = violations
            .iter()
            .map(|v| (v.instance_path.as_str(), v.keyword.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![(violation.instance_path.as_str(), violation.keyword.as_str())],
            "{name} ({description}): {violations:#?}"
        );
        // The typed parse is as strict as the schema: no example it lets through.
        assert!(
            Event::from_slice(&example.bytes).is_err(),
            "{name} ({description}): the typed parse accepts it"
        );
    }
}

/// Equal as events: numbers by value, uuids case-insensitively, date-times by instant.
///
/// One normalisation of typify's is accepted, and only this one: an optional array that is
/// empty is not serialized (`skip_serializing_if = "Vec::is_empty"`), so `"tags": []` comes
/// back absent. Both mean "no tags" to every contract here.
fn assert_same_event(original: &Value, round_tripped: &Value, at: &str, name: &str) {
    match (original, round_tripped) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = |m: &serde_json::Map<String, Value>| {
                m.iter()
                    .filter(|(_, v)| *v != &json!([]))
                    .map(|(k, _)| k.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(keys(a), keys(b), "{name}: keys differ at {at:?}");
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => assert_same_event(value, other, &format!("{at}/{key}"), name),
                    None => assert_eq!(value, &json!([]), "{name}: {at}/{key} was dropped"),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{name}: length differs at {at:?}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_same_event(x, y, &format!("{at}/{i}"), name);
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            assert_eq!(a.as_f64(), b.as_f64(), "{name}: number differs at {at:?}")
        }
        (Value::String(a), Value::String(b)) if a != b => {
            if let (Ok(x), Ok(y)) = (
                a.parse::<coder_events::Uuid>(),
                b.parse::<coder_events::Uuid>(),
            ) {
                assert_eq!(x, y, "{name}: uuid differs at {at:?}");
            } else if let (Ok(x), Ok(y)) = (
                a.parse::<coder_events::Timestamp>(),
                b.parse::<coder_events::Timestamp>(),
            ) {
                assert_eq!(x.to_utc(), y.to_utc(), "{name}: instant differs at {at:?}");
            } else {
                panic!("{name}: {a:?} became {b:?} at {at:?}");
            }
        }
        (a, b) => assert_eq!(a, b, "{name}: differs at {at:?}"),
    }
}

#[test]
fn malformed_tenant_uuid_fails_validation_and_typed_parse() {
    let example = all_examples()
        .into_iter()
        .find(|e| e.path.ends_with("01-documented-example.json"))
        .expect("documented example");
    let mut event = example.event.clone();
    event["tenantId"] = json!("abc");
    let violations = coder_events::validate(&event).unwrap_err();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert_eq!(
        (
            violations[0].instance_path.as_str(),
            violations[0].keyword.as_str()
        ),
        ("/tenantId", "format")
    );
    assert!(matches!(
        Event::from_value(&event),
        Err(ParseError::Contract { .. })
    ));
}

#[test]
fn unknown_type_and_version_are_violations_and_parse_errors() {
    let examples = all_examples();
    for contract in &coder_events::CONTRACTS {
        let example = examples
            .iter()
            .find(|e| {
                e.event_type == contract.event_type
                    && e.version == contract.version
                    && matches!(e.expected, Expected::Valid)
            })
            .expect("every contract has a valid example");
        let known: Vec<&str> = coder_events::CONTRACTS
            .iter()
            .filter(|c| c.event_type == contract.event_type)
            .map(|c| c.version)
            .collect();

        let mut unknown_type = example.event.clone();
        let mut other = format!("{}.unknown", contract.event_type);
        while coder_events::CONTRACTS
            .iter()
            .any(|c| c.event_type == other)
        {
            other.push_str(".unknown");
        }
        unknown_type["type"] = json!(other);
        let v = coder_events::validate(&unknown_type).unwrap_err();
        assert_eq!(
            (v.len(), v[0].kind, v[0].instance_path.as_str()),
            (1, ViolationKind::UnknownType, "/type")
        );
        assert!(matches!(
            Event::from_value(&unknown_type),
            Err(ParseError::UnknownType { .. })
        ));

        let mut unknown_version = example.event.clone();
        let version = (0..)
            .map(|minor| format!("0.{minor}"))
            .find(|v| !known.contains(&v.as_str()))
            .unwrap();
        unknown_version["version"] = json!(version);
        let v = coder_events::validate(&unknown_version).unwrap_err();
        assert_eq!(
            (v.len(), v[0].kind, v[0].instance_path.as_str()),
            (1, ViolationKind::UnknownVersion, "/version")
        );
        match Event::from_value(&unknown_version) {
            Err(ParseError::UnknownVersion { known: listed, .. }) => assert_eq!(listed, known),
            other => panic!("expected UnknownVersion, got {other:?}"),
        }
    }

    assert!(matches!(
        Event::from_slice(b"{\"type\": "),
        Err(ParseError::Json(_))
    ));
    assert!(matches!(
        Event::from_slice(b"[1, 2]"),
        Err(ParseError::NotAnEvent(_))
    ));
    let v = coder_events::validate(&json!([1, 2])).unwrap_err();
    assert_eq!(v[0].kind, ViolationKind::NotAnEvent);
}

/// Strings around the edges of the `uuid` and `date-time` formats, where `uuid::Uuid` and chrono
/// are more lenient than JSON Schema.
const UUIDS: &[&str] = &[
    "550e8400-e29b-41d4-a716-446655440000",
    "550E8400-E29B-41D4-A716-446655440000",
    "550e8400e29b41d4a716446655440000",
    "{550e8400-e29b-41d4-a716-446655440000}",
    "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
    "550e8400-e29b-41d4-a716-44665544000",
    "550e8400-e29b-41d4-a716-4466554400000",
    "550e8400-e29b-41d4-a716_446655440000",
    "g50e8400-e29b-41d4-a716-446655440000",
    "00000000-0000-0000-0000-000000000000",
    "",
    "abc",
];
const DATE_TIMES: &[&str] = &[
    "2026-01-23T10:00:00Z",
    "2026-01-23t10:00:00z",
    "2026-01-23 10:00:00Z",
    "1998-12-31T23:59:60Z",
    "1998-12-31T23:59:60.5Z",
    "1998-12-31T22:59:60-01:00",
    "1998-12-31T23:59:60+01:00",
    "2026-01-23T10:00:00.1234567891234Z",
    "0000-01-01T00:00:00Z",
    "2026-01-23T10:00:00+23:59",
    "2026-01-23T10:00:00-00:00",
    "2026-01-23T10:00:00+0100",
    "2026-01-23T10:00Z",
    "2026-02-29T10:00:00Z",
    "2024-02-29T10:00:00Z",
    "2100-02-29T10:00:00Z",
    "2000-02-29T10:00:00Z",
    "2026-04-31T10:00:00Z",
    "2026-01-23T10:00:00.Z",
    "+2026-01-23T10:00:00Z",
    "2026-1-23T10:00:00Z",
    "9999-12-31T23:59:59.999999999+00:00",
    "2026-01-23T24:00:00Z",
    "2026-01-23T10:00:00+24:00",
    "2026-01-23T10:60:00Z",
    "2026-13-01T10:00:00Z",
    "2026-01-23T10:00:00",
    "2026-01-23",
    "\u{ff12}026-01-23T10:00:00Z",
];

#[test]
fn typed_formats_accept_exactly_what_the_schema_formats_accept() {
    let reference = |format: &str, draft| {
        jsonschema::options()
            .with_draft(draft)
            .should_validate_formats(true)
            .build(&json!({"type": "string", "format": format}))
            .expect("compiles")
    };
    let uuid = reference("uuid", jsonschema::Draft::Draft201909);
    for s in UUIDS {
        let schema = uuid.is_valid(&json!(s));
        assert_eq!(coder_events::formats::is_uuid(s), schema, "is_uuid({s:?})");
        assert_eq!(
            s.parse::<coder_events::Uuid>().is_ok(),
            schema,
            "Uuid::from_str({s:?})"
        );
    }
    let date_time = reference("date-time", jsonschema::Draft::Draft7);
    for s in DATE_TIMES {
        let schema = date_time.is_valid(&json!(s));
        assert_eq!(
            coder_events::formats::is_date_time(s),
            schema,
            "is_date_time({s:?})"
        );
        assert_eq!(
            s.parse::<coder_events::Timestamp>().is_ok(),
            schema,
            "Timestamp::from_str({s:?})"
        );
    }
}

/// Variants of every valid example that stay inside or step just outside the schema: optional
/// fields dropped, unknown fields added, edge-case uuids and date-times substituted.
fn variants(event: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut strings = Vec::new();
    collect_strings(event, String::new(), &mut strings);
    for (pointer, value) in &strings {
        let replacements: &[&str] = if value.parse::<coder_events::Uuid>().is_ok() {
            UUIDS
        } else if value.parse::<coder_events::Timestamp>().is_ok() {
            DATE_TIMES
        } else {
            &[]
        };
        for r in replacements {
            let mut v = event.clone();
            *v.pointer_mut(pointer).expect("collected pointer") = json!(r);
            out.push((format!("{pointer} = {r:?}"), v));
        }
    }
    for object_pointer in ["", "/data", "/source"] {
        let keys: Vec<String> = event
            .pointer(object_pointer)
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        for key in keys {
            let mut v = event.clone();
            v.pointer_mut(object_pointer)
                .and_then(Value::as_object_mut)
                .expect("object")
                .remove(&key);
            out.push((format!("without {object_pointer}/{key}"), v));
        }
        let mut v = event.clone();
        if let Some(o) = v.pointer_mut(object_pointer).and_then(Value::as_object_mut) {
            o.insert("xUnknownField".into(), json!({"any": ["thing"]}));
            out.push((format!("with {object_pointer}/xUnknownField"), v));
        }
    }
    out
}

fn collect_strings(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => out.push((pointer, s.clone())),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| collect_strings(v, format!("{pointer}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| collect_strings(v, format!("{pointer}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn typed_parse_and_schema_agree_on_variants_of_every_valid_example() {
    let mut checked = 0;
    for example in all_examples()
        .iter()
        .filter(|e| matches!(e.expected, Expected::Valid))
    {
        for (what, variant) in variants(&example.event) {
            let schema_ok = coder_events::validate(&variant).is_ok();
            let typed_ok = Event::from_value(&variant).is_ok();
            assert_eq!(
                typed_ok,
                schema_ok,
                "{} with {what}: schema says {schema_ok}, typed parse says {typed_ok}",
                example.path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} variants checked");
}

#[test]
fn metric_recorded_accepts_exactly_what_the_documented_schema_accepts() {
    let documented: Value = serde_json::from_str(include_str!(
        "fixtures/documented-metric-recorded-1.0.schema.json"
    ))
    .unwrap();
    let documented = coder_events::options()
        .build(&documented)
        .expect("documented schema compiles");
    let contracts = coder_events::ContractSet::compiled();
    let ours = contracts
        .position("dashboard.analytics.metric.recorded", "1.0")
        .unwrap();
    let mut compared = 0;
    for example in all_examples()
        .iter()
        .filter(|e| e.event_type == "dashboard.analytics.metric.recorded")
    {
        let mut instances = vec![("as written".to_string(), example.event.clone())];
        instances.extend(variants(&example.event));
        for (what, instance) in instances {
            assert_eq!(
                contracts.validate_against(ours, &instance).is_ok(),
                documented.is_valid(&instance),
                "{} {what}: our contract and the documented schema disagree",
                example.path.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 200, "only {compared} instances compared");
}

#[test]
fn every_embedded_schema_compiles_and_no_reference_is_fetched() {
    for contract in &coder_events::CONTRACTS {
        let schema: Value = serde_json::from_str(contract.schema).unwrap();
        coder_events::options()
            .build(&schema)
            .unwrap_or_else(|e| panic!("{}: {e}", contract.event_type));
        let text = contract.schema;
        assert!(
            !text.contains("\"$ref\": \"http"),
            "{}: a remote $ref survived bundling",
            contract.event_type
        );
    }
    let remote = json!({"$ref": "https://example.com/schema.json"});
    assert!(
        coder_events::options().build(&remote).is_err(),
        "a remote $ref must not be fetched"
    );
}

/// `main() -> Result<(), Box<dyn Error>>` prints a parse error with `{:?}`: one line about the
/// event, not the contract's whole schema.
#[test]
fn a_parse_error_prints_short_in_debug() {
    for contract in &coder_events::CONTRACTS {
        let mut event =
            serde_json::json!({"type": contract.event_type, "version": contract.version});
        event["id"] = serde_json::json!(1);
        let error = Event::from_value(&event).expect_err("not a whole event");
        let debug = format!("{error:?}");
        assert!(!debug.contains("$schema"), "{debug}");
        assert!(debug.len() < 1000, "{} bytes: {debug}", debug.len());
    }
}
