//! `contracts asyncapi`: an AsyncAPI 3.0.0 document of the exchange, built from the catalog, the
//! bundled schemas and the valid examples. One channel per routing key, bound to the topic
//! exchange with AMQP binding 0.3.0; one message per contract, whose payload is the contract's
//! draft-07 schema in the multi-format form; one operation per channel and direction (published
//! → send, consumed → receive).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::catalog::{Contract, Direction};
use codegen::walk::{self, escape};
use serde_json::{json, Map, Value};

use crate::finding::{compatibility_name, RunError};
use codegen::examples::{self, Expected};

/// The AsyncAPI version the document is written in.
pub const ASYNCAPI_VERSION: &str = "3.0.0";
/// The schema format of every payload: the contracts are JSON Schema draft-07, not AsyncAPI's
/// own schema dialect.
pub const PAYLOAD_SCHEMA_FORMAT: &str = "application/schema+json;version=draft-07";
const AMQP_BINDING_VERSION: &str = "0.3.0";

#[derive(Debug, Clone)]
pub struct AsyncApiOptions {
    pub schemas_dir: PathBuf,
}

/// The AsyncAPI document of every contract in the catalog.
pub fn document(options: &AsyncApiOptions) -> Result<Value, RunError> {
    let (catalog, bundled) = codegen::load(&options.schemas_dir)?;
    let (examples, unreadable) = examples::load_all(&options.schemas_dir)?;
    if let Some(error) = unreadable.first() {
        return Err(RunError {
            line: error.line,
            ..RunError::new(&error.path, &error.message)
        });
    }
    let module = catalog.modules.iter().find(|m| m.name == catalog.module);
    let title = module.map_or(catalog.module.as_str(), |m| m.title.as_str());

    let mut channels = Map::new();
    let mut messages = Map::new();
    // (routing key, action) → message names, in catalog order.
    let mut operations: BTreeMap<(String, &str), Vec<String>> = BTreeMap::new();
    for b in &bundled {
        let contract = &b.contract;
        let name = contract.rust_name.clone();
        let valid: Vec<Value> = examples
            .iter()
            .filter(|e| e.event_type == contract.event_type && e.version == contract.version)
            .filter(|e| matches!(e.expected, Expected::Valid))
            .map(|e| json!({"name": example_name(&e.path), "payload": e.event}))
            .collect();
        messages.insert(name.clone(), message(contract, &b.schema, valid));

        let channel = channels
            .entry(contract.routing_key.clone())
            .or_insert_with(|| channel_object(contract, &catalog.exchange));
        channel["messages"]
            .as_object_mut()
            .expect("built as an object")
            .insert(
                name.clone(),
                json!({"$ref": format!("#/components/messages/{}", escape(&name))}),
            );
        let action = match contract.direction {
            Direction::Published => "send",
            Direction::Consumed => "receive",
        };
        operations
            .entry((contract.routing_key.clone(), action))
            .or_default()
            .push(name);
    }

    let operations: Map<String, Value> = operations
        .into_iter()
        .map(|((routing_key, action), names)| {
            let channel = format!("#/channels/{}", escape(&routing_key));
            let refs: Vec<Value> = names
                .iter()
                .map(|n| json!({"$ref": format!("{channel}/messages/{}", escape(n))}))
                .collect();
            let summary = match action {
                "send" => format!("{title} publishes {routing_key}."),
                _ => format!("{title} consumes {routing_key}."),
            };
            let operation = json!({
                "action": action,
                "channel": {"$ref": channel},
                "summary": summary,
                "messages": refs,
            });
            (format!("{action}.{routing_key}"), operation)
        })
        .collect();

    Ok(json!({
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": format!("{} ({title})", catalog.exchange),
            "version": module.and_then(|m| m.document_version.clone()).unwrap_or_else(|| "0.0.0".into()),
            "description": format!(
                "Events on the RabbitMQ topic exchange `{}` as seen by the {title} module: what it publishes (send) and consumes (receive). Generated from the contract schemas; each routing key is the event type.",
                catalog.exchange
            ),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }))
}

/// The document as pretty JSON, ending in a newline.
pub fn render_json(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).expect("a Value always serializes");
    text.push('\n');
    text
}

fn channel_object(contract: &Contract, exchange: &str) -> Value {
    json!({
        "address": contract.routing_key,
        "title": contract.event_type,
        "description": format!("Routing key `{}` on the `{exchange}` topic exchange.", contract.routing_key),
        "messages": {},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {
                    "name": exchange,
                    "type": "topic",
                    "durable": true,
                    "autoDelete": false,
                    "vhost": "/",
                },
                "bindingVersion": AMQP_BINDING_VERSION,
            }
        },
    })
}

fn message(contract: &Contract, bundled: &Value, examples: Vec<Value>) -> Value {
    let base = format!(
        "#/components/messages/{}/payload/schema",
        escape(&contract.rust_name)
    );
    let mut description = match &contract.deprecated {
        Some(why) => format!("**Deprecated**: {why}\n\n"),
        None => String::new(),
    };
    description.push_str("Triggered when:\n");
    for trigger in &contract.triggered_when {
        description.push_str(&format!("- {trigger}\n"));
    }
    description.push_str(&format!(
        "\nVersion {}, compatibility {}, owned by the {} module.",
        contract.version,
        compatibility_name(contract.compatibility),
        contract.owner
    ));
    let mut message = json!({
        "name": contract.key(),
        "title": contract.description,
        "summary": contract.summary,
        "description": description,
        "contentType": "application/json",
        "payload": {
            "schemaFormat": PAYLOAD_SCHEMA_FORMAT,
            "schema": embedded_schema(bundled, &base),
        },
        "examples": examples,
    });
    if let Some(why) = &contract.deprecated {
        // AsyncAPI 3.0 has no `deprecated` on messages: a tag says it to tools, the title and
        // description to readers.
        message["title"] = json!(format!("{} (deprecated)", contract.description));
        message["tags"] = json!([{"name": "deprecated", "description": why}]);
    }
    message
}

/// The bundled schema as it sits inside the document at `base`: its `#/definitions/...`
/// references rewritten to point there from the document's root, and its `$id` dropped, since
/// AsyncAPI tools resolve references against the document, not against the schema's own id.
pub fn embedded_schema(bundled: &Value, base: &str) -> Value {
    fn rewrite(node: &mut Value, base: &str) {
        if let Some(Value::String(reference)) = node.get_mut("$ref") {
            if let Some(fragment) = reference.strip_prefix('#') {
                *reference = format!("{base}{fragment}");
            }
        }
        let _ = walk::for_each_subschema_mut(node, "", &mut |child, _| {
            rewrite(child, base);
            Ok::<(), ()>(())
        });
    }
    let mut schema = bundled.clone();
    if let Some(map) = schema.as_object_mut() {
        map.remove("$id");
    }
    rewrite(&mut schema, base);
    schema
}

fn example_name(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}
