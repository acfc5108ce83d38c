//! The engine's content hash, which decides whether a repeated event id repeats the same event
//! (CT009): the same content hashes the same however it is written (key order at every depth,
//! whitespace, escapes), and different content hashes differently, on every example of the
//! catalog and on events synthesized for every contract with their mutations.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use codegen::engine::hash::content_hash;
use codegen::engine::Tape;
use codegen::synth::{Rng, Synth};
use serde_json::Value;

mod spelling;
use spelling::keys_reversed;

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn hash(input: &[u8]) -> u64 {
    let mut tape = Tape::new();
    tape.read(input)
        .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(input)));
    content_hash(&tape.view(input), 0)
}

/// Every example of the catalog, and events synthesized for every contract with their mutations.
fn events() -> Vec<Value> {
    let (examples, _) = codegen::examples::load_all(&schemas_dir()).expect("the catalog loads");
    let (_, bundled) = codegen::load(&schemas_dir()).expect("the catalog loads");
    let mut events: Vec<Value> = examples.iter().map(|e| e.event.clone()).collect();
    let mut rng = Rng::new(11);
    for b in &bundled {
        let synth = Synth::new(&b.schema, Vec::new());
        for _ in 0..30 {
            let event = synth.event(&mut rng);
            events.extend(synth.mutations(&event).into_iter().map(|m| m.event));
            events.push(event);
        }
    }
    events
}

#[test]
fn the_same_content_hashes_the_same_however_it_is_written() {
    let events = events();
    assert!(events.len() > 500, "{}", events.len());
    for event in &events {
        let compact = serde_json::to_vec(event).unwrap();
        let expected = hash(&compact);
        assert_eq!(hash(&serde_json::to_vec_pretty(event).unwrap()), expected);
        let other_order = keys_reversed(event);
        assert_eq!(hash(other_order.as_bytes()), expected, "{other_order}");
    }
    // Escapes are spellings of the same text.
    assert_eq!(hash(br#"{"a":"\u0041\/"}"#), hash(br#"{"a":"A/"}"#));
}

#[test]
fn different_content_hashes_differently() {
    let mut seen: HashMap<u64, Value> = HashMap::new();
    for event in events() {
        let h = hash(&serde_json::to_vec(&event).unwrap());
        if let Some(earlier) = seen.insert(h, event.clone()) {
            assert_eq!(earlier, event, "two different events hash the same");
        }
    }
    // What a `Value` tells apart, the hash tells apart too; an array's order is content.
    for (a, b) in [
        ("1", "1.0"),
        ("1", "-1"),
        ("0", "false"),
        ("null", "false"),
        ("\"1\"", "1"),
        ("[1,2]", "[2,1]"),
        ("[[1],[2]]", "[[1,2]]"),
        ("{\"a\":1,\"b\":2}", "{\"a\":2,\"b\":1}"),
        ("{\"a\":{\"b\":1}}", "{\"a\":{\"c\":1}}"),
        ("{\"ab\":1}", "{\"a\":1,\"b\":1}"),
        ("{}", "[]"),
        ("\"\"", "null"),
    ] {
        assert_ne!(hash(a.as_bytes()), hash(b.as_bytes()), "{a} vs {b}");
    }
}
