//! The RabbitMQ management API's `POST /api/queues/{vhost}/{queue}/get` response: a JSON array
//! (one record an element) of `{payload, payload_encoding, routing_key, exchange, properties,
//! payload_bytes, ...}`. With `"encoding": "auto"` the payload is the body as a string when it
//! is UTF-8, else base64. A payload cut by the request's `truncate` is never checked: a cut
//! body would be reported as broken JSON, which the message is not.

use coder_events::engine::View;
use serde::Deserialize;
use serde_json::Value;

use super::{
    decode_base64, has, read_as, snake_case_decoded, Decoded, Format, InputFormat, Origin,
};

pub struct Management;

/// This format in the registry ([`super::FORMATS`]).
pub static FORMAT: Format = Format {
    name: "management",
    help: Some("The management API's `POST /api/queues/{vhost}/{queue}/get` response"),
    reader: &Management,
};

/// One fetched message; the other fields (`redelivered`, `message_count`) are ignored.
#[derive(Debug, Deserialize)]
struct Fetched {
    payload: String,
    payload_encoding: String,
    /// The body's size, even when `payload` was truncated.
    #[serde(default)]
    payload_bytes: Option<u64>,
    exchange: String,
    routing_key: String,
    /// Basic properties with snake_case names; the API writes `[]` when none is set.
    #[serde(default)]
    properties: Option<Value>,
}

impl InputFormat for Management {
    fn keys(&self) -> &'static [&'static str] {
        &["payload_encoding"]
    }

    /// `payload_encoding` is the API's own; a message that lost another field is still read
    /// as the API's, to say which one it lost.
    fn recognizes(&self, view: &View<'_>, at: usize) -> bool {
        has(view, at, "payload_encoding")
    }

    fn decode<'a>(
        &self,
        view: &View<'a>,
        at: usize,
        _origin: &Origin,
    ) -> Result<Decoded<'a>, String> {
        let fetched: Fetched =
            read_as(view, at).map_err(|e| format!("not a management API message: {e}"))?;
        let bytes = match fetched.payload_encoding.as_str() {
            "string" => fetched.payload.into_bytes(),
            "base64" => decode_base64(&fetched.payload, "not a management API message: payload")?,
            other => {
                return Err(format!(
                    "not a management API message: payload_encoding is {other:?}, not \"string\" or \"base64\""
                ))
            }
        };
        if let Some(size) = fetched
            .payload_bytes
            .filter(|&size| size > bytes.len() as u64)
        {
            return Err(format!(
                "the payload is truncated: {} of its {size} bytes were returned (the get \
                 request's \"truncate\"); not checked, fetch it again with a larger truncate",
                bytes.len()
            ));
        }
        let properties = fetched.properties.as_ref();
        Ok(snake_case_decoded(
            fetched.exchange,
            fetched.routing_key,
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
        decode_value(&Management, &value, &Origin::NONE)
    }

    fn fetched(payload: &str, encoding: &str, payload_bytes: usize) -> Value {
        json!({
            "payload_bytes": payload_bytes, "redelivered": false, "exchange": "coder.events",
            "routing_key": "dashboard.created", "message_count": 0,
            "properties": {"content_type": "application/json", "message_id": "m-9", "delivery_mode": 2},
            "payload": payload, "payload_encoding": encoding,
        })
    }

    #[test]
    fn a_string_or_base64_payload_is_the_body() {
        let message = decode(fetched("{\"a\":1}", "string", 7)).unwrap();
        let delivery = message.delivery.unwrap();
        assert_eq!(delivery.routing_key, "dashboard.created");
        assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
        assert_eq!(delivery.message_id.as_deref(), Some("m-9"));
        assert!(matches!(message.body, Body::Json(v) if v == json!({"a": 1})));
        let binary = decode(fetched("/w==", "base64", 1)).unwrap().body;
        assert!(matches!(binary, Body::NotJson(why) if why.contains("not UTF-8")));
    }

    #[test]
    fn a_truncated_payload_is_not_checked() {
        let why = decode(fetched("{\"a\":", "string", 7)).unwrap_err();
        assert!(
            why.starts_with("the payload is truncated: 5 of its 7 bytes"),
            "{why}"
        );
        // Cut inside a UTF-8 sequence, the API base64-encodes what is left.
        let why = decode(fetched("w6k=", "base64", 3)).unwrap_err();
        assert!(why.contains("2 of its 3 bytes"), "{why}");
    }

    #[test]
    fn no_properties_is_written_as_an_empty_list() {
        let mut value = fetched("{}", "string", 2);
        value["properties"] = json!([]);
        let delivery = decode(value).unwrap().delivery.unwrap();
        assert_eq!(delivery.content_type, None);
        assert!(decode(fetched("{}", "utf16", 2))
            .unwrap_err()
            .contains("payload_encoding is \"utf16\""));
    }
}
