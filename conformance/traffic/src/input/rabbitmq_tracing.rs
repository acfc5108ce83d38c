//! The rabbitmq_tracing plugin's JSON log (`/var/tmp/rabbitmq-tracing/<trace>.log`): one object
//! a line, `type` `published` (as it reached the exchange; `queue` is `"none"`) or `received`
//! (as a queue delivered it), with `exchange`, `routing_keys`, `properties` (snake_case names)
//! and `payload` in base64. Each line is checked; a trace of both kinds holds a message once per
//! line. The `timestamp` is not read: its format changed between broker versions (older ones
//! write `YYYY-MM-DD H:MM:SS:mmm`), and no rule needs it.

use coder_events::engine::View;
use serde::Deserialize;
use serde_json::Value;

use super::{
    decode_base64, has, read_as, snake_case_decoded, Decoded, Format, InputFormat, Origin,
};

pub struct Tracing;

/// This format in the registry ([`super::FORMATS`]).
pub static FORMAT: Format = Format {
    name: "tracing",
    help: Some("The rabbitmq_tracing plugin's JSON log"),
    reader: &Tracing,
};

/// One traced message; `node`, `connection`, `user`, `routed_queues`, ... are ignored.
#[derive(Debug, Deserialize)]
struct TraceLine {
    #[serde(rename = "type")]
    kind: String,
    exchange: String,
    /// The first is the routing key; the others are CC/BCC keys.
    routing_keys: Vec<String>,
    #[serde(default)]
    properties: Option<Value>,
    payload: String,
}

impl InputFormat for Tracing {
    fn keys(&self) -> &'static [&'static str] {
        &["routing_keys"]
    }

    /// A line with `routing_keys` whose `type` is the trace's, not an event's; one that lost
    /// another field is still read as a trace line, to say which one it lost.
    fn recognizes(&self, view: &View<'_>, at: usize) -> bool {
        has(view, at, "routing_keys")
            && matches!(
                view.get(at, "type").and_then(|t| view.str(t)),
                Some("published" | "received")
            )
    }

    fn decode<'a>(
        &self,
        view: &View<'a>,
        at: usize,
        _origin: &Origin,
    ) -> Result<Decoded<'a>, String> {
        let line: TraceLine =
            read_as(view, at).map_err(|e| format!("not a rabbitmq_tracing line: {e}"))?;
        if !matches!(line.kind.as_str(), "published" | "received") {
            return Err(format!(
                "not a rabbitmq_tracing line: type is {:?}, not \"published\" or \"received\"",
                line.kind
            ));
        }
        let routing_key = line
            .routing_keys
            .into_iter()
            .next()
            .ok_or("not a rabbitmq_tracing line: routing_keys is empty")?;
        let bytes = decode_base64(&line.payload, "not a rabbitmq_tracing line: payload")?;
        let properties = line.properties.as_ref();
        Ok(snake_case_decoded(
            line.exchange,
            routing_key,
            properties,
            bytes,
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::input::{decode_value, Body, Message};

    fn decode(value: Value) -> Result<Message, String> {
        decode_value(&Tracing, &value, &Origin::NONE)
    }

    fn line(kind: &str, timestamp: &str) -> Value {
        json!({
            "channel": 1, "connection": "127.0.0.1:50000 -> 127.0.0.1:5672",
            "exchange": "coder.events", "node": "rabbit@host", "payload": "eyJhIjoxfQ==",
            "properties": {"content_type": "application/json", "delivery_mode": 2},
            "queue": if kind == "published" { "none" } else { "analytics" },
            "routed_queues": ["analytics"], "routing_keys": ["dashboard.updated"],
            "timestamp": timestamp, "type": kind, "user": "guest", "vhost": "/",
        })
    }

    #[test]
    fn published_and_received_lines_are_read_whatever_the_timestamp_format() {
        for value in [
            line("published", "2026-03-02T08:15:00.123+00:00"),
            // Older brokers: `YYYY-MM-DD H:MM:SS:mmm`.
            line("received", "2026-03-02 8:15:00:123"),
        ] {
            assert!(crate::input::recognizes_value(&Tracing, &value));
            let message = decode(value).unwrap();
            let delivery = message.delivery.unwrap();
            assert_eq!(delivery.exchange, "coder.events");
            assert_eq!(delivery.routing_key, "dashboard.updated");
            assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
            assert!(matches!(message.body, Body::Json(v) if v == json!({"a": 1})));
        }
    }

    #[test]
    fn an_event_is_not_taken_for_a_trace_line() {
        let event = json!({"type": "dashboard.updated", "exchange": "coder.events",
                           "payload": "", "routing_keys": []});
        assert!(!crate::input::recognizes_value(&Tracing, &event));
        let why = decode(event).unwrap_err();
        assert!(why.contains("type is \"dashboard.updated\""), "{why}");
        let mut no_keys = line("published", "");
        no_keys["routing_keys"] = json!([]);
        assert!(decode(no_keys)
            .unwrap_err()
            .contains("routing_keys is empty"));
    }
}
