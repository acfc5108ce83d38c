//! This project's recording format: JSON Lines, one AMQP delivery a line, with the body
//! embedded as JSON when it is JSON and as base64 (`bodyBase64`) when it is not. Its schema is
//! `conformance/recording.schema.json`.

use base64::Engine as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::{Body, Delivery, InputFormat, Message};

pub struct Recording;

/// One recorded delivery, as `recording.schema.json` describes it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RecordedDelivery {
    exchange: String,
    routing_key: String,
    #[serde(default)]
    #[allow(dead_code, reason = "part of the format; no rule reads it yet")]
    redelivered: Option<bool>,
    #[serde(default)]
    properties: Option<Properties>,
    /// `Some(Value::Null)` is a body of `null`, which is JSON; absence is `None`.
    #[serde(default, deserialize_with = "present")]
    body: Option<Value>,
    #[serde(default)]
    body_base64: Option<String>,
}

/// The AMQP basic properties, each optional (absent or `null` when unset).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the whole property set is read; rules look at a few"
)]
struct Properties {
    content_type: Option<String>,
    content_encoding: Option<String>,
    message_id: Option<String>,
    timestamp: Option<u64>,
    app_id: Option<String>,
    #[serde(rename = "type")]
    message_type: Option<String>,
    user_id: Option<String>,
    correlation_id: Option<String>,
    reply_to: Option<String>,
    expiration: Option<String>,
    delivery_mode: Option<u8>,
    priority: Option<u8>,
    headers: Option<Map<String, Value>>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

impl InputFormat for Recording {
    fn recognizes(&self, value: &Value) -> bool {
        value.get("routingKey").is_some()
            && (value.get("body").is_some() || value.get("bodyBase64").is_some())
    }

    fn decode(&self, value: Value) -> Result<Message, String> {
        let recorded = RecordedDelivery::deserialize(value)
            .map_err(|e| format!("not a recording line: {e}"))?;
        let body = match (recorded.body, recorded.body_base64) {
            (Some(json), None) => Body::Json(json),
            (None, Some(base64)) => decode_base64_body(&base64)?,
            (Some(_), Some(_)) => {
                return Err("not a recording line: both body and bodyBase64".into())
            }
            (None, None) => return Err("not a recording line: neither body nor bodyBase64".into()),
        };
        let properties = recorded.properties.unwrap_or_default();
        Ok(Message {
            delivery: Some(Delivery {
                exchange: recorded.exchange,
                routing_key: recorded.routing_key,
                content_type: properties.content_type,
                message_id: properties.message_id,
            }),
            body,
        })
    }
}

/// A body the recorder could not embed as JSON. It may still be JSON (a recorder is free to
/// encode any body), so it is parsed before it is called not JSON.
fn decode_base64_body(base64: &str) -> Result<Body, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .map_err(|e| format!("not a recording line: bodyBase64 is not base64: {e}"))?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            return Ok(Body::NotJson(format!(
                "the body is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            )))
        }
    };
    Ok(match serde_json::from_str(text) {
        Ok(event) => Body::Json(event),
        Err(e) => Body::NotJson(format!("the body is not JSON: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(value: Value) -> Result<Message, String> {
        Recording.decode(value)
    }

    #[test]
    fn a_delivery_carries_its_routing_and_properties() {
        let message = decode(json!({
            "exchange": "coder.events", "routingKey": "dashboard.created", "redelivered": false,
            "properties": {"contentType": "application/json", "messageId": "m1", "headers": {}},
            "body": null
        }))
        .unwrap();
        let delivery = message.delivery.unwrap();
        assert_eq!(delivery.routing_key, "dashboard.created");
        assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
        assert_eq!(delivery.message_id.as_deref(), Some("m1"));
        assert!(matches!(message.body, Body::Json(Value::Null)));
    }

    #[test]
    fn a_base64_body_is_json_when_it_parses_and_says_why_when_not() {
        let line = |body: &str| json!({"exchange": "x", "routingKey": "k", "bodyBase64": body});
        let json_body = decode(line("eyJhIjoxfQ==")).unwrap().body; // {"a":1}
        assert!(matches!(json_body, Body::Json(v) if v == json!({"a": 1})));
        let text_body = decode(line("aGVsbG8=")).unwrap().body; // hello
        assert!(matches!(text_body, Body::NotJson(why) if why.starts_with("the body is not JSON")));
        let binary_body = decode(line("/w==")).unwrap().body; // 0xff
        assert!(matches!(binary_body, Body::NotJson(why) if why.contains("not UTF-8")));
        assert!(decode(line("***")).unwrap_err().contains("not base64"));
    }

    #[test]
    fn a_malformed_line_says_what_is_wrong() {
        let both = json!({"exchange": "x", "routingKey": "k", "body": {}, "bodyBase64": ""});
        assert!(decode(both)
            .unwrap_err()
            .contains("both body and bodyBase64"));
        let unknown = json!({"exchange": "x", "routingKey": "k", "body": {}, "extra": 1});
        assert!(decode(unknown)
            .unwrap_err()
            .contains("unknown field `extra`"));
        let no_exchange = json!({"routingKey": "k", "body": {}});
        assert!(decode(no_exchange)
            .unwrap_err()
            .contains("missing field `exchange`"));
    }
}
