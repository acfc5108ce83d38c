//! This project's recording format: JSON Lines, one AMQP delivery a line, with the body
//! embedded as JSON when it is JSON and as base64 (`bodyBase64`) when it is not. Its schema is
//! `conformance/recording.schema.json`; `conformance/RECORDING.md` documents it, with the JSON
//! form of AMQP header values.

use std::borrow::Cow;

use coder_events::engine::{Node, View};
use serde::de::IgnoredAny;

use super::{
    decode_base64, has, read_as, Decoded, Delivery, EventSource, Format, InputFormat, Origin,
};
use serde_json::Map;

use crate::recording::{unpublishable, Properties, RecordedDelivery};

pub struct Recording;

/// This format in the registry ([`super::FORMATS`]).
pub static FORMAT: Format = Format {
    name: "recording",
    help: None,
    reader: &Recording,
};

impl InputFormat for Recording {
    fn keys(&self) -> &'static [&'static str] {
        &["routingKey"]
    }

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
        let recorded = match Envelope::read(view, at) {
            Some(envelope) => envelope,
            None => Envelope::read_with_serde(view, at)?,
        };
        let event = match (recorded.body, recorded.body_base64) {
            (Some(body), None) => EventSource::At(body),
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
        let properties = recorded.properties;
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

/// A recording line's delivery, its body left on the tape (`body`: its node).
#[derive(Debug, PartialEq)]
struct Envelope {
    exchange: String,
    routing_key: String,
    properties: Properties,
    body: Option<usize>,
    body_base64: Option<String>,
}

impl Envelope {
    /// Reads the line serde reads as a [`RecordedDelivery`], straight off the tape, when it is
    /// as a recorder writes it: each field once, of the type the format gives it, none unknown.
    /// `None` for anything else, which `read_with_serde` reads (or says what is wrong with):
    /// serde's derive walks every field through a visitor, several times the cost of the rest
    /// of decoding a line.
    fn read(view: &View<'_>, at: usize) -> Option<Envelope> {
        let string = |value: usize| view.str(value).map(str::to_string);
        let (mut exchange, mut routing_key, mut properties) = (None, None, None);
        let (mut body, mut body_base64) = (None, None);
        let mut seen = 0u8;
        for (key, value) in view.members(at) {
            let field = match view.str(key)? {
                "exchange" => {
                    exchange = Some(string(value)?);
                    0
                }
                "routingKey" => {
                    routing_key = Some(string(value)?);
                    1
                }
                "redelivered" => {
                    if !matches!(view.node(value), Node::Bool(_) | Node::Null) {
                        return None;
                    }
                    2
                }
                "properties" => {
                    properties = match view.node(value) {
                        Node::Null => None,
                        _ => Some(Properties::read(view, value)?),
                    };
                    3
                }
                "body" => {
                    body = Some(value);
                    4
                }
                "bodyBase64" => {
                    body_base64 = match view.node(value) {
                        Node::Null => None,
                        _ => Some(string(value)?),
                    };
                    5
                }
                _ => return None,
            };
            if seen & (1 << field) != 0 {
                return None;
            }
            seen |= 1 << field;
        }
        Some(Envelope {
            exchange: exchange?,
            routing_key: routing_key?,
            properties: properties.unwrap_or_default(),
            body,
            body_base64,
        })
    }

    /// Reads the line with serde: the same envelope, or serde's account of what is wrong.
    fn read_with_serde(view: &View<'_>, at: usize) -> Result<Envelope, String> {
        // The body is skipped here and found on the tape: its event is read where it is.
        let recorded: RecordedDelivery<IgnoredAny> =
            read_as(view, at).map_err(|e| format!("not a recording line: {e}"))?;
        Ok(Envelope {
            exchange: recorded.exchange,
            routing_key: recorded.routing_key,
            properties: recorded.properties.unwrap_or_default(),
            body: recorded
                .body
                .map(|_| view.get(at, "body").expect("deserialized from it")),
            body_base64: recorded.body_base64,
        })
    }
}

impl Properties {
    /// [`Envelope::read`] for the properties: `None` for anything it leaves to serde.
    fn read(view: &View<'_>, at: usize) -> Option<Properties> {
        if !matches!(view.node(at), Node::Object { .. }) {
            return None;
        }
        let mut p = Properties::default();
        let mut seen = 0u16;
        for (key, value) in view.members(at) {
            // Each reading is `None` when serde should read the line, `Some(None)` for a null.
            let null = matches!(view.node(value), Node::Null);
            let text = || match view.str(value) {
                Some(s) => Some(Some(s.to_string())),
                None if null => Some(None),
                None => None,
            };
            let number = || match view.node(value) {
                Node::U64(n) => Some(Some(n)),
                _ if null => Some(None),
                _ => None,
            };
            let small = || number()?.map_or(Some(None), |n| u8::try_from(n).ok().map(Some));
            let field = match view.str(key)? {
                "contentType" => {
                    p.content_type = text()?;
                    0
                }
                "contentEncoding" => {
                    p.content_encoding = text()?;
                    1
                }
                "messageId" => {
                    p.message_id = text()?;
                    2
                }
                "appId" => {
                    p.app_id = text()?;
                    3
                }
                "type" => {
                    p.message_type = text()?;
                    4
                }
                "userId" => {
                    p.user_id = text()?;
                    5
                }
                "correlationId" => {
                    p.correlation_id = text()?;
                    6
                }
                "replyTo" => {
                    p.reply_to = text()?;
                    7
                }
                "expiration" => {
                    p.expiration = text()?;
                    8
                }
                "clusterId" => {
                    p.cluster_id = text()?;
                    9
                }
                "timestamp" => {
                    p.timestamp = number()?;
                    10
                }
                "priority" => {
                    p.priority = small()?;
                    11
                }
                "deliveryMode" => {
                    p.delivery_mode = small()?;
                    12
                }
                "headers" => {
                    p.headers = match view.node(value) {
                        Node::Object { len: 0, .. } => Some(Map::new()),
                        _ if null => None,
                        // A table with entries: serde reads just the table.
                        _ => Some(read_as(view, value).ok()?),
                    };
                    13
                }
                _ => return None,
            };
            if seen & (1 << field) != 0 {
                return None;
            }
            seen |= 1 << field;
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{decode_value, Body, Message};
    use coder_events::engine::Tape;
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

    /// The envelope read off the tape is serde's reading, field for field, on every line it
    /// takes; a line serde refuses it leaves to serde (for serde's account of what is wrong).
    #[test]
    fn the_envelope_read_off_the_tape_is_serdes_reading() {
        let values: [(&str, &[&str]); 6] = [
            (
                "exchange",
                &["\"coder.events\"", "\"\"", "\"a\\u0041\"", "null", "1"],
            ),
            ("routingKey", &["\"k\"", "null", "[]"]),
            ("redelivered", &["false", "true", "null", "0"]),
            ("body", &["{\"a\":1}", "null", "[1]", "\"text\""]),
            ("bodyBase64", &["\"eyJhIjoxfQ==\"", "null", "7"]),
            (
                "properties",
                &[
                    "{}",
                    "null",
                    "[]",
                    r#"{"contentType":"application/json","messageId":"m","type":"t","timestamp":1769162400,"deliveryMode":2,"priority":0,"headers":{}}"#,
                    r#"{"contentType":null,"timestamp":null,"deliveryMode":null,"headers":null}"#,
                    r#"{"timestamp":1.5e9,"deliveryMode":256}"#,
                    r#"{"timestamp":-1}"#,
                    r#"{"priority":"high"}"#,
                    r#"{"headers":{"s":"text","n":-1,"d":{"$amqp":"decimal","scale":2,"value":12345}}}"#,
                    r#"{"headers":{"f":1.5}}"#,
                    r#"{"headers":[]}"#,
                    r#"{"appId":"a","userId":"u","correlationId":"c","replyTo":"r","expiration":"60000","clusterId":"x","contentEncoding":"gzip"}"#,
                    r#"{"messageId":"m","messageId":"n"}"#,
                    r#"{"unknown":1}"#,
                    r#"{"type":7}"#,
                ],
            ),
        ];
        let mut lines = Vec::new();
        // Each field absent or with each of its values, one field varied at a time on a
        // complete line, and every pair of the first values.
        let base: Vec<String> = values
            .iter()
            .filter(|(name, _)| *name != "bodyBase64")
            .map(|(name, v)| format!("\"{name}\":{}", v[0]))
            .collect();
        lines.push(format!("{{{}}}", base.join(",")));
        for (name, options) in &values {
            for value in options.iter() {
                let mut members: Vec<String> = base
                    .iter()
                    .filter(|m| !m.starts_with(&format!("\"{name}\":")))
                    .cloned()
                    .collect();
                members.push(format!("\"{name}\":{value}"));
                lines.push(format!("{{{}}}", members.join(",")));
            }
            let without: Vec<String> = base
                .iter()
                .filter(|m| !m.starts_with(&format!("\"{name}\":")))
                .cloned()
                .collect();
            lines.push(format!("{{{}}}", without.join(",")));
        }
        lines.push(format!("{{{},\"exchange\":\"again\"}}", base.join(",")));
        lines.push(format!("{{{},\"extra\":1}}", base.join(",")));
        let (mut taken, mut refused) = (0, 0);
        for line in &lines {
            let mut tape = Tape::new();
            tape.read(line.as_bytes())
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            let view = tape.view(line.as_bytes());
            let by_serde = Envelope::read_with_serde(&view, 0);
            match Envelope::read(&view, 0) {
                Some(fast) => {
                    assert_eq!(Ok(&fast), by_serde.as_ref(), "{line}");
                    taken += 1;
                }
                None => refused += usize::from(by_serde.is_err()),
            }
        }
        assert!(
            taken > 20 && refused > 10,
            "{taken} taken, {refused} refused"
        );
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
