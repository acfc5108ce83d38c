//! Counterexample search on the live catalog's schemas: each test edits one contract's bundled
//! schema the way a breaking change would, searches, and holds every counterexample found to
//! `jsonschema` itself (configured here, apart from the library's own check), on both sides.
//! Contracts are picked by walking their schemas for what a test needs, never by count.

use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::counterexample::{search, Counterexample, Options, Search, Side, Verdict};
use codegen::examples::{self, Expected};
use codegen::walk::escape;
use codegen::BundledContract;
use serde_json::{json, Value};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// Every contract with its valid examples.
fn contracts() -> Vec<(BundledContract, Vec<Value>)> {
    let (_, bundled) = codegen::load(&schemas_dir()).unwrap();
    let (all, errors) = examples::load_all(&schemas_dir()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    bundled
        .into_iter()
        .map(|b| {
            let valid = all
                .iter()
                .filter(|e| {
                    e.event_type == b.contract.event_type && e.version == b.contract.version
                })
                .filter(|e| matches!(e.expected, Expected::Valid))
                .map(|e| e.event.clone())
                .collect();
            (b, valid)
        })
        .collect()
}

fn oracle(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_format("uuid", codegen::engine::formats::is_uuid)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .offline()
        .build(schema)
        .unwrap()
}

/// A property schema met walking `properties` (literally, no reference followed) from the root:
/// its pointer in the schema and the instance location it governs.
#[derive(Debug, Clone)]
struct Place {
    schema: String,
    instance: String,
}

fn places(node: &Value, schema: &str, instance: &str, out: &mut Vec<Place>) {
    out.push(Place {
        schema: schema.to_string(),
        instance: instance.to_string(),
    });
    if let Some(Value::Object(properties)) = node.get("properties") {
        for (name, child) in properties {
            places(
                child,
                &format!("{schema}/properties/{}", escape(name)),
                &format!("{instance}/{}", escape(name)),
                out,
            );
        }
    }
}

/// The first contract with a place `wanted` accepts, with that place.
fn first_with(wanted: impl Fn(&Value) -> bool) -> Option<(BundledContract, Vec<Value>, Place)> {
    for (b, valid) in contracts() {
        let mut all = Vec::new();
        places(&b.schema, "", "", &mut all);
        if let Some(place) = all
            .into_iter()
            .find(|p| wanted(b.schema.pointer(&p.schema).unwrap()))
        {
            return Some((b, valid, place));
        }
    }
    None
}

fn edited(schema: &Value, pointer: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut out = schema.clone();
    edit(out.pointer_mut(pointer).unwrap());
    out
}

/// Searches and reports the figures (tries, time) on stderr.
fn run(
    label: &str,
    old: &Value,
    new: &Value,
    examples: &[Value],
    change: Option<&str>,
    options: &Options,
) -> Search {
    let start = Instant::now();
    let found = search(old, new, examples, change, options).unwrap();
    let show = |c: &Option<Counterexample>| {
        c.as_ref().map_or("none".into(), |c| {
            format!("event #{}: {}", c.found_after, c.compact_with_marker())
        })
    };
    eprintln!(
        "{label}: {} tried in {:.1?} (producer break: {}; consumer break: {}; disagreements {})",
        found.tried,
        start.elapsed(),
        show(&found.producer_break),
        show(&found.consumer_break),
        found.disagreements
    );
    assert_eq!(found.disagreements, 0, "{label}: the validators disagreed");
    found
}

/// The counterexample holds with `jsonschema` on both sides, in the direction it says.
fn verified(c: &Counterexample, old: &Value, new: &Value) {
    let (accepting, rejecting) = match c.accepted_by {
        Side::Old => (old, new),
        Side::New => (new, old),
    };
    assert_ne!(c.accepted_by, c.rejected_by);
    assert!(oracle(accepting).is_valid(&c.event), "{c}");
    assert!(!oracle(rejecting).is_valid(&c.event), "{c}");
    assert!(c.event.pointer(&c.instance_pointer).is_some(), "{c}");
    // The marked rendering is the compact JSON with the markers around the differing value.
    let marked = c.compact_with_marker();
    assert_eq!(marked.replace(['»', '«'], ""), c.event.to_string());
    let inner = marked.split('»').nth(1).unwrap().split('«').next().unwrap();
    assert_eq!(
        inner,
        c.event.pointer(&c.instance_pointer).unwrap().to_string()
    );
}

fn is_number(node: &Value) -> bool {
    node.get("type") == Some(&json!("number"))
}

#[test]
fn a_number_turned_string_breaks_producers_and_consumers_with_verified_events() {
    let (b, examples, place) = first_with(is_number).expect("a contract with a number property");
    let old = &b.schema;
    let new = edited(old, &place.schema, |n| n["type"] = json!("string"));
    let change = format!("{}/type", place.schema);
    let found = run(
        &format!("{} number→string at {change}", b.contract.key()),
        old,
        &new,
        &examples,
        Some(&change),
        &Options::default(),
    );
    let producer = found.producer_break.expect("a producer break");
    assert_eq!(
        (producer.accepted_by, producer.rejected_by),
        (Side::Old, Side::New)
    );
    assert!(producer.breaks_producers());
    assert_eq!(producer.instance_pointer, place.instance);
    assert_eq!(producer.keyword, "type");
    assert!(producer.event.pointer(&place.instance).unwrap().is_number());
    verified(&producer, old, &new);

    let consumer = found.consumer_break.expect("a consumer break");
    assert_eq!(
        (consumer.accepted_by, consumer.rejected_by),
        (Side::New, Side::Old)
    );
    assert_eq!(consumer.instance_pointer, place.instance);
    assert!(consumer.event.pointer(&place.instance).unwrap().is_string());
    verified(&consumer, old, &new);
    // Directed: found among the first candidates made from the examples.
    assert!(found.tried < 200, "{} tries", found.tried);
}

#[test]
fn an_any_of_edit_gets_its_direction_from_a_found_counterexample() {
    let (b, examples, place) = first_with(is_number).expect("a contract with a number property");
    let wide =
        edited(
            &b.schema,
            &place.schema,
            |n| *n = json!({"anyOf": [{"type": "number"}, {"type": "string", "minLength": 1}]}),
        );
    let narrow = edited(&b.schema, &place.schema, |n| {
        *n = json!({"anyOf": [{"type": "number"}]})
    });
    let change = format!("{}/anyOf", place.schema);
    let options = Options {
        tries: 2_000,
        ..Options::default()
    };
    // A branch removed: producers break, and no event breaks consumers.
    let removed = run(
        "anyOf branch removed",
        &wide,
        &narrow,
        &examples,
        Some(&change),
        &options,
    );
    let producer = removed.producer_break.as_ref().expect("a producer break");
    verified(producer, &wide, &narrow);
    assert_eq!(producer.instance_pointer, place.instance);
    assert!(producer.event.pointer(&place.instance).unwrap().is_string());
    assert!(removed.consumer_break.is_none());
    assert_eq!(removed.tried, options.tries);
    assert_eq!(removed.verdict(), Verdict::Producers);
    assert_eq!(
        removed.none_found(),
        "no counterexample in 2,000 generated events"
    );

    // Undirected (BRK026 names no place inside the event): the same direction, found anyway.
    let undirected = run(
        "anyOf branch removed, undirected",
        &wide,
        &narrow,
        &examples,
        None,
        &Options::default(),
    );
    verified(
        undirected
            .producer_break
            .as_ref()
            .expect("a producer break"),
        &wide,
        &narrow,
    );
    assert!(undirected.consumer_break.is_none());
    assert_eq!(undirected.tried, 10_000);

    // The same branch added: consumers break, producers do not.
    let added = run(
        "anyOf branch added",
        &narrow,
        &wide,
        &examples,
        Some(&change),
        &options,
    );
    let consumer = added.consumer_break.as_ref().expect("a consumer break");
    verified(consumer, &narrow, &wide);
    assert_eq!(consumer.accepted_by, Side::New);
    assert!(added.producer_break.is_none());
    assert_eq!(added.tried, options.tries);
    assert_eq!(added.verdict(), Verdict::Consumers);

    // A oneOf branch changed so that the two overlap (a number of at least 0 matches both, and
    // is rejected) while the new branch lets booleans in: both directions.
    let one_of = |second: Value| {
        edited(&b.schema, &place.schema, |n| {
            *n = json!({"oneOf": [{"type": "number"}, second]})
        })
    };
    let old = one_of(json!({"type": "string"}));
    let new = one_of(json!({"type": ["number", "boolean"], "minimum": 0}));
    let overlap = run(
        "oneOf branches overlap",
        &old,
        &new,
        &examples,
        Some(&format!("{}/oneOf/1", place.schema)),
        &options,
    );
    let producer = overlap.producer_break.as_ref().expect("a producer break");
    verified(producer, &old, &new);
    assert_eq!(producer.keyword, "oneOf");
    let consumer = overlap.consumer_break.as_ref().expect("a consumer break");
    verified(consumer, &old, &new);
    assert!(consumer
        .event
        .pointer(&place.instance)
        .unwrap()
        .is_boolean());
    assert_eq!(overlap.verdict(), Verdict::Both);
}

#[test]
fn identical_schemas_have_no_counterexample_in_n_tries() {
    let options = Options::default();
    for (b, examples) in contracts().into_iter().take(2) {
        for change in [None, Some("/properties/id")] {
            let found = run(
                &format!("{} against itself, change {change:?}", b.contract.key()),
                &b.schema,
                &b.schema.clone(),
                &examples,
                change,
                &options,
            );
            assert!(found.producer_break.is_none() && found.consumer_break.is_none());
            assert_eq!(
                found.verdict(),
                Verdict::NoneFound {
                    tried: options.tries
                }
            );
            assert_eq!(found.tried, options.tries);
            assert_eq!(
                found.none_found(),
                "no counterexample in 10,000 generated events"
            );
        }
    }
}

#[test]
fn a_required_field_added_breaks_producers() {
    // An object with a property it does not require.
    let optional = |node: &Value| {
        let required = node.get("required").and_then(Value::as_array);
        node.get("properties")
            .and_then(Value::as_object)
            .and_then(|p| {
                p.keys()
                    .find(|k| !required.is_some_and(|r| r.contains(&json!(k))))
            })
            .is_some()
    };
    let (b, examples, place) = first_with(optional).expect("an object with an optional property");
    let node = b.schema.pointer(&place.schema).unwrap();
    let name = node["properties"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| {
            !node
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.contains(&json!(k)))
        })
        .unwrap()
        .clone();
    let new = edited(&b.schema, &place.schema, |n| {
        let required = n
            .as_object_mut()
            .unwrap()
            .entry("required")
            .or_insert(json!([]));
        required.as_array_mut().unwrap().push(json!(name));
    });
    let change = format!("{}/required", place.schema);
    let options = Options {
        tries: 2_000,
        ..Options::default()
    };
    let found = run(
        &format!("{} requires {name} at {}", b.contract.key(), place.instance),
        &b.schema,
        &new,
        &examples,
        Some(&change),
        &options,
    );
    let producer = found.producer_break.as_ref().expect("a producer break");
    verified(producer, &b.schema, &new);
    assert_eq!(producer.keyword, "required");
    assert_eq!(producer.instance_pointer, place.instance);
    let object = producer.event.pointer(&place.instance).unwrap();
    assert!(object.get(&name).is_none(), "{producer}");
    // Requiring more never lets an event through that was rejected before.
    assert!(found.consumer_break.is_none());
    assert_eq!(found.tried, options.tries);
    // Asked for producer breaks alone, the search ends with the first.
    let producers_only = Options {
        consumers: false,
        ..options
    };
    let alone = run(
        "the same, producer breaks only",
        &b.schema,
        &new,
        &examples,
        Some(&change),
        &producers_only,
    );
    assert_eq!(alone.producer_break.as_ref(), Some(producer));
    assert_eq!(alone.tried, producer.found_after);
}

#[test]
fn a_max_length_tightened_breaks_producers_with_a_string_between_the_two() {
    let plain_bounded_string = |node: &Value| {
        node.get("type") == Some(&json!("string"))
            && node.get("maxLength").and_then(Value::as_u64).unwrap_or(0) > 3
            && ["pattern", "format", "enum", "const"]
                .iter()
                .all(|k| node.get(*k).is_none())
    };
    let (b, examples, place) =
        first_with(plain_bounded_string).expect("a string property with a maxLength");
    let node = b.schema.pointer(&place.schema).unwrap();
    let old_max = node["maxLength"].as_u64().unwrap();
    let min = node.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    // Tightened to the longest the examples have there: every example still passes, so the
    // search has to make the string that breaks it.
    let longest = examples
        .iter()
        .filter_map(|e| e.pointer(&place.instance).and_then(Value::as_str))
        .map(|s| s.chars().count() as u64)
        .max()
        .unwrap_or(0);
    let new_max = longest.max(min + 1).max(2);
    assert!(new_max < old_max, "{new_max} < {old_max}");
    let new = edited(&b.schema, &place.schema, |n| {
        n["maxLength"] = json!(new_max)
    });
    let change = format!("{}/maxLength", place.schema);
    let options = Options {
        tries: 2_000,
        ..Options::default()
    };
    let found = run(
        &format!(
            "{} maxLength {old_max}→{new_max} at {}",
            b.contract.key(),
            place.instance
        ),
        &b.schema,
        &new,
        &examples,
        Some(&change),
        &options,
    );
    let producer = found.producer_break.as_ref().expect("a producer break");
    verified(producer, &b.schema, &new);
    assert_eq!(producer.keyword, "maxLength");
    assert_eq!(producer.instance_pointer, place.instance);
    let len = producer
        .event
        .pointer(&place.instance)
        .unwrap()
        .as_str()
        .unwrap()
        .chars()
        .count() as u64;
    // Resized from the example's string, the nearest length first: one past the new bound.
    assert_eq!(len, new_max + 1, "{producer}");
    assert!(len <= old_max);
    assert!(!examples.contains(&producer.event));
    assert!(found.consumer_break.is_none());
}

/// The issue's own case: `dashboard.analytics.metric.recorded` 1.0, `data.value` number→string.
#[test]
fn metric_recorded_value_number_to_string() {
    let Some((b, examples)) = contracts().into_iter().find(|(b, _)| {
        b.contract.event_type == "dashboard.analytics.metric.recorded"
            && b.contract.version == "1.0"
    }) else {
        eprintln!("SKIPPED: the catalog has no dashboard.analytics.metric.recorded 1.0 any more");
        return;
    };
    let at = "/properties/data/properties/value";
    if b.schema.pointer(at).is_none_or(|n| !is_number(n)) {
        eprintln!("SKIPPED: metric.recorded 1.0 has no number at {at}");
        return;
    }
    let new = edited(&b.schema, at, |n| n["type"] = json!("string"));
    let found = run(
        "metric.recorded 1.0 data.value number→string",
        &b.schema,
        &new,
        &examples,
        Some(&format!("{at}/type")),
        &Options::default(),
    );
    let producer = found.producer_break.as_ref().expect("a producer break");
    verified(producer, &b.schema, &new);
    assert_eq!(producer.instance_pointer, "/data/value");
    assert!(producer.compact_with_marker().contains(r#""value":»"#));
    eprintln!("producer break: {producer}");
    let consumer = found.consumer_break.as_ref().expect("a consumer break");
    verified(consumer, &b.schema, &new);
    assert_eq!(consumer.instance_pointer, "/data/value");
    eprintln!("consumer break: {consumer}");
}

/// Without a pointer the search still finds both directions of a type change.
#[test]
fn an_undirected_search_finds_a_type_change_too() {
    let (b, examples, place) = first_with(is_number).expect("a contract with a number property");
    let new = edited(&b.schema, &place.schema, |n| n["type"] = json!("string"));
    let found = run(
        "undirected number→string",
        &b.schema,
        &new,
        &examples,
        None,
        &Options::default(),
    );
    verified(
        found.producer_break.as_ref().expect("a producer break"),
        &b.schema,
        &new,
    );
    verified(
        found.consumer_break.as_ref().expect("a consumer break"),
        &b.schema,
        &new,
    );
    // The same seed gives the same search.
    let again = search(&b.schema, &new, &examples, None, &Options::default()).unwrap();
    assert_eq!(again, found);
}
