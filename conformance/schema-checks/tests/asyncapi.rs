//! `contracts asyncapi`: the generated document is valid against the official AsyncAPI 3.0.0
//! JSON Schema (vendored in tests/fixtures/asyncapi/), has a channel per routing key bound to
//! the topic exchange, a message per contract whose payload is the contract's schema and
//! accepts exactly its examples, and operations that follow the catalog's directions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::catalog::Direction;
use codegen::examples::{self, Expected};
use contracts_schema_checks::asyncapi::{
    document, render_json, AsyncApiOptions, PAYLOAD_SCHEMA_FORMAT,
};
use serde_json::{json, Value};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn generated() -> Value {
    document(&AsyncApiOptions {
        schemas_dir: schemas_dir(),
    })
    .expect("the schemas can be read")
}

fn asyncapi_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/asyncapi/asyncapi-3.0.0-without-id.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // The official schema is written in draft-07; validate with exactly that draft.
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .expect("the AsyncAPI schema compiles")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path().as_str()))
        .collect()
}

#[test]
fn the_document_is_valid_asyncapi_3_0_0() {
    let validator = asyncapi_validator();
    let doc = generated();
    let found = errors(&validator, &doc);
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The validator does reject a document that breaks the specification. Each edit changes a
    // value the document has (`get_mut`, never indexing, which would add what is missing).
    let mut broken = doc.clone();
    let action = broken["operations"]
        .as_object_mut()
        .and_then(|operations| operations.values_mut().next())
        .and_then(|operation| operation.get_mut("action"))
        .expect("an operation with an action");
    assert!(action == "send" || action == "receive", "{action}");
    *action = json!("publish");
    assert!(!errors(&validator, &broken).is_empty());
    let mut unbound = doc;
    let is = unbound["channels"]
        .as_object_mut()
        .and_then(|channels| channels.values_mut().next())
        .and_then(|channel| channel.pointer_mut("/bindings/amqp/is"))
        .expect("a channel with an AMQP binding");
    assert_eq!(is, "routingKey");
    *is = json!("exchange");
    assert!(!errors(&validator, &unbound).is_empty());
}

#[test]
fn every_routing_key_is_a_channel_bound_to_the_topic_exchange() {
    let doc = generated();
    let (catalog, _) = codegen::load(&schemas_dir()).unwrap();
    let keys: BTreeSet<&str> = catalog
        .contracts
        .iter()
        .map(|c| c.routing_key.as_str())
        .collect();
    let channels = doc["channels"].as_object().unwrap();
    assert_eq!(
        channels.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        keys
    );
    for (key, channel) in channels {
        assert_eq!(channel["address"], json!(key));
        assert_eq!(
            channel["bindings"]["amqp"],
            json!({
                "is": "routingKey",
                "exchange": {
                    "name": "coder.events",
                    "type": "topic",
                    "durable": true,
                    "autoDelete": false,
                    "vhost": "/"
                },
                "bindingVersion": "0.3.0"
            })
        );
    }
}

/// Every `$ref` in the document, with where it is.
fn references(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref" {
                    if let Value::String(r) = child {
                        out.push((at.to_string(), r.clone()));
                    }
                } else {
                    references(child, &format!("{at}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                references(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_resolves_inside_the_document() {
    let doc = generated();
    let mut refs = Vec::new();
    references(&doc, "", &mut refs);
    assert!(refs.len() > 20, "{refs:?}");
    for (at, reference) in refs {
        let fragment = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{at}: {reference} is not local"));
        assert!(
            doc.pointer(fragment).is_some(),
            "{at}: {reference} resolves to nothing"
        );
    }
}

#[test]
fn each_contract_is_a_message_whose_payload_accepts_exactly_its_valid_examples() {
    let doc = generated();
    let (catalog, _) = codegen::load(&schemas_dir()).unwrap();
    let (examples, unreadable) = examples::load_all(&schemas_dir()).unwrap();
    assert!(unreadable.is_empty());
    let messages = doc["components"]["messages"].as_object().unwrap();
    assert_eq!(messages.len(), catalog.contracts.len());
    for contract in &catalog.contracts {
        let message = &messages[&contract.rust_name];
        assert_eq!(message["name"], json!(contract.key()));
        let title = match &contract.deprecated {
            Some(_) => format!("{} (deprecated)", contract.description),
            None => contract.description.clone(),
        };
        assert_eq!(message["title"], json!(title));
        assert_eq!(message.get("tags").is_some(), contract.deprecated.is_some());
        assert_eq!(message["summary"], json!(contract.summary));
        assert_eq!(message["contentType"], "application/json");
        assert_eq!(message["payload"]["schemaFormat"], PAYLOAD_SCHEMA_FORMAT);
        let channel = &doc["channels"][&contract.routing_key];
        assert_eq!(
            channel["messages"][&contract.rust_name]["$ref"],
            json!(format!("#/components/messages/{}", contract.rust_name))
        );

        let own: Vec<_> = examples
            .iter()
            .filter(|e| e.event_type == contract.event_type && e.version == contract.version)
            .collect();
        let valid: Vec<Value> = own
            .iter()
            .filter(|e| matches!(e.expected, Expected::Valid))
            .map(|e| e.event.clone())
            .collect();
        let shown: Vec<Value> = message["examples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["payload"].clone())
            .collect();
        assert_eq!(shown, valid, "{}", contract.key());

        // The payload schema, with its references resolved inside the document as AsyncAPI
        // tools resolve them, accepts the valid examples and rejects the invalid ones.
        let root = json!({
            "$ref": format!("#/components/messages/{}/payload/schema", contract.rust_name),
            "components": doc["components"].clone(),
        });
        let validator = coder_events::options().build(&root).unwrap();
        for example in &own {
            let accepted = validator.is_valid(&example.event);
            let expected = matches!(example.expected, Expected::Valid);
            assert_eq!(accepted, expected, "{}", example.path.display());
        }
    }
}

#[test]
fn operations_send_what_is_published_and_receive_what_is_consumed() {
    let doc = generated();
    let (catalog, _) = codegen::load(&schemas_dir()).unwrap();
    let operations = doc["operations"].as_object().unwrap();
    let pairs: std::collections::BTreeSet<(&str, bool)> = catalog
        .contracts
        .iter()
        .map(|c| (c.routing_key.as_str(), c.direction == Direction::Published))
        .collect();
    assert_eq!(operations.len(), pairs.len());
    for contract in &catalog.contracts {
        let action = match contract.direction {
            Direction::Published => "send",
            Direction::Consumed => "receive",
        };
        let operation = &operations[&format!("{action}.{}", contract.routing_key)];
        assert_eq!(operation["action"], action);
        assert_eq!(
            operation["channel"]["$ref"],
            json!(format!("#/channels/{}", contract.routing_key))
        );
        assert!(operation["messages"].as_array().unwrap().contains(&json!({
            "$ref": format!("#/channels/{}/messages/{}", contract.routing_key, contract.rust_name)
        })));
    }
}

#[test]
fn a_deprecated_version_says_so_and_stays_valid_asyncapi() {
    let scratch = tempfile::tempdir().unwrap();
    codegen::tree::copy_dir(&schemas_dir(), scratch.path()).unwrap();
    let catalog_path = scratch.path().join("catalog.json");
    let mut catalog: Value =
        serde_json::from_str(&std::fs::read_to_string(&catalog_path).unwrap()).unwrap();
    let first = &mut catalog["contracts"][0];
    first["deprecated"] = json!("moving to a newer version");
    let name = first["rustName"].as_str().unwrap().to_string();
    std::fs::write(&catalog_path, catalog.to_string()).unwrap();

    let doc = document(&AsyncApiOptions {
        schemas_dir: scratch.path().to_path_buf(),
    })
    .unwrap();
    let message = &doc["components"]["messages"][&name];
    assert_eq!(
        message["tags"],
        json!([{"name": "deprecated", "description": "moving to a newer version"}])
    );
    assert!(message["title"]
        .as_str()
        .unwrap()
        .ends_with(" (deprecated)"));
    assert!(message["description"]
        .as_str()
        .unwrap()
        .starts_with("**Deprecated**: moving to a newer version"));
    let found = errors(&asyncapi_validator(), &doc);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_rendered_document_is_stable_json() {
    let text = render_json(&generated());
    assert!(text.ends_with("}\n"));
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["asyncapi"], "3.0.0");
    assert_eq!(text, render_json(&generated()));
}
