//! This project's recording format: JSON Lines, one AMQP delivery a line, with the body
//! embedded as JSON when it is JSON and as base64 (`bodyBase64`) when it is not. Its schema is
//! `conformance/recording.schema.json`; `conformance/RECORDING.md` documents it, with the JSON
//! form of AMQP header values.

use std::borrow::Cow;

use coder_events::engine::View;
use serde::de::IgnoredAny;

use super::{
    decode_base64, has, read_as, Decoded, Delivery, EventSource, Format, InputFormat, Origin,
};
use crate::recording::{unpublishable, RecordedDelivery};

pub struct Recording;

/// This format in the registry ([`super::FORMATS`]).
pub static FORMAT: Format = Format {
    name: "recording",
    help: None,
    reader: &Recording,
};

impl InputFormat for Recording {
    /// `routingKey` with another of the format's own fields: a line that lost its body is
    /// still read as a recording line, to say so, not taken for an event.
    fn recognizes(&self, view: &View<'_>, at: usize) -> bool {
        has(view, at, "routingKey")
            && ["body", "bodyBase64", "exchange", "properties"]
                .iter()
                .any(|key| has(view, at, key))
    }

    fn decode<'a>(
        &self,
        view: &View<'a>,
        at: usize,
        _origin: &Origin,
    ) -> Result<Decoded<'a>, String> {
        // The body is skipped here and found on the tape: its event is read where it is.
        let recorded: RecordedDelivery<IgnoredAny> =
            read_as(view, at).map_err(|e| format!("not a recording line: {e}"))?;
        let event = match (recorded.body, recorded.body_base64) {
            (Some(_), None) => EventSource::At(view.get(at, "body").expect("deserialized from it")),
            (None, Some(base64)) => {
                // A body the recorder could not embed as JSON may still be JSON (a recorder
                // is free to encode any body), so it is parsed before it is called not JSON.
                EventSource::Bytes {
                    bytes: Cow::Owned(decode_base64(&base64, "not a recording line: bodyBase64")?),
                    name: Cow::Borrowed("the body"),
                }
            }
            (Some(_), Some(_)) => {
                return Err("not a recording line: both body and bodyBase64".into())
            }
            (None, None) => {
                return Err(
                    "a recording line without a body: it has neither body nor bodyBase64".into(),
                )
            }
        };
        let properties = recorded.properties.unwrap_or_default();
        // A line `check` accepts is one `replay` can publish: the headers must be a table, and
        // what RabbitMQ would refuse is reported (CT011), as `replay` refuses it.
        let unpublishable =
            unpublishable::find(&recorded.exchange, &recorded.routing_key, &properties)
                .map_err(|e| format!("not a recording line: headers: {e}"))?;
        Ok(Decoded {
            delivery: Some(Delivery {
                exchange: recorded.exchange,
                routing_key: recorded.routing_key,
                content_type: properties.content_type,
                message_id: properties.message_id,
                unpublishable,
            }),
            event,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{decode_value, Body, Message};
    use serde_json::json;
    use serde_json::Value;

    fn decode(value: Value) -> Result<Message, String> {
        decode_value(&Recording, &value, &Origin::NONE)
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
    fn headers_are_read_in_their_typed_json_form() {
        let line = |headers: Value| {
            json!({"exchange": "x", "routingKey": "k", "body": {},
                   "properties": {"clusterId": "c", "headers": headers}})
        };
        let typed = json!({"s": "text", "n": -1, "b": true, "v": null, "a": [1, {"t": "u"}],
                           "d": {"$amqp": "decimal", "scale": 2, "value": 12345},
                           "x": {"$amqp": "bytes", "base64": "/wA="}});
        assert!(decode(line(typed)).is_ok());
        let bad = decode(line(json!({"f": 1.5}))).unwrap_err();
        assert!(
            bad.starts_with("not a recording line: headers: \"f\""),
            "{bad}"
        );
        let bad_tag = decode(line(json!({"t": {"$amqp": "u8", "value": 256}}))).unwrap_err();
        assert!(bad_tag.contains("out of range"), "{bad_tag}");
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
