//! rabtap's message format: the files `rabtap tap --saveto DIR` writes (one
//! `rabtap-<UnixNano>.json` per message) and the stream `rabtap tap --json` prints (the same
//! objects, pretty or one a line). Field names are rabtap's Go struct fields (`Exchange`,
//! `RoutingKey`, `ContentType`, `MessageID`, `Body` in base64, ...).
//!
//! In raw mode, rabtap's default for `--saveto`, `Body` is `""` and the body is the sibling
//! `rabtap-<UnixNano>.dat`; it is read here (and `sources` keeps the walk from reading it on
//! its own). A message tapped from the firehose exchange `amq.rabbitmq.trace` is unwrapped:
//! the published message's exchange, routing key and properties are in its headers.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use std::borrow::Cow;

use coder_events::engine::View;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    decode_base64, has, read_as, snake_case_property, Decoded, Delivery, EventSource, Format,
    InputFormat, Origin,
};

pub struct Rabtap;

/// This format in the registry ([`super::FORMATS`]).
pub static FORMAT: Format = Format {
    name: "rabtap",
    help: Some(
        "`rabtap tap --saveto DIR` files (with raw-mode .dat bodies) or `rabtap tap --json`",
    ),
    reader: &Rabtap,
};

/// The firehose exchange: what is tapped there is a copy of another message.
const FIREHOSE_EXCHANGE: &str = "amq.rabbitmq.trace";

/// The fields of rabtap's `RabtapPersistentMessage` the rules need; the others (delivery tag,
/// timestamps, ...) are ignored, so a newer rabtap that adds fields is still read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TappedMessage {
    /// Omitted by rabtap when there are none.
    #[serde(default)]
    headers: Option<Map<String, Value>>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default, rename = "MessageID")]
    message_id: Option<String>,
    exchange: String,
    routing_key: String,
    /// Go writes an empty `[]byte` as `""` and a nil one as `null`.
    #[serde(default)]
    body: Option<String>,
}

impl InputFormat for Rabtap {
    fn keys(&self) -> &'static [&'static str] {
        &["RoutingKey", "XRabtapReceivedTimestamp"]
    }

    /// rabtap's Go field names, which no other format here capitalises. One is enough: a
    /// message that lost another is still read as rabtap's, to say which one it lost.
    fn recognizes(&self, view: &View<'_>, at: usize) -> bool {
        has(view, at, "RoutingKey") || has(view, at, "XRabtapReceivedTimestamp")
    }

    fn decode<'a>(
        &self,
        view: &View<'a>,
        at: usize,
        origin: &Origin,
    ) -> Result<Decoded<'a>, String> {
        let tapped: TappedMessage =
            read_as(view, at).map_err(|e| format!("not a rabtap message: {e}"))?;
        let base64 = tapped.body.as_deref().unwrap_or_default();
        let event = if base64.is_empty() {
            raw_mode_body(origin)?
        } else {
            EventSource::Bytes {
                bytes: Cow::Owned(decode_base64(base64, "not a rabtap message: Body")?),
                name: Cow::Borrowed("the body"),
            }
        };
        let delivery = if tapped.exchange == FIREHOSE_EXCHANGE {
            unwrap_firehose(tapped.headers.as_ref())?
        } else {
            let set = |s: Option<String>| s.filter(|s| !s.is_empty());
            Delivery {
                exchange: tapped.exchange,
                routing_key: tapped.routing_key,
                content_type: set(tapped.content_type),
                message_id: set(tapped.message_id),
                unpublishable: Vec::new(),
            }
        };
        Ok(Decoded {
            delivery: Some(delivery),
            event,
        })
    }
}

/// The published message a firehose copy describes: `exchange_name`, the first of
/// `routing_keys` (the others are CC/BCC keys), and `properties` with snake_case names.
fn unwrap_firehose(headers: Option<&Map<String, Value>>) -> Result<Delivery, String> {
    let not_firehose =
        |what: &str| format!("not a rabtap message: tapped from {FIREHOSE_EXCHANGE}, but {what}");
    let headers = headers.ok_or_else(|| not_firehose("it has no Headers"))?;
    let exchange = headers
        .get("exchange_name")
        .and_then(Value::as_str)
        .ok_or_else(|| not_firehose("Headers.exchange_name is not a string"))?;
    let routing_key = headers
        .get("routing_keys")
        .and_then(Value::as_array)
        .and_then(|keys| keys.first())
        .and_then(Value::as_str)
        .ok_or_else(|| not_firehose("Headers.routing_keys has no first key"))?;
    let properties = headers.get("properties");
    Ok(Delivery {
        exchange: exchange.to_string(),
        routing_key: routing_key.to_string(),
        content_type: snake_case_property(properties, "content_type"),
        message_id: snake_case_property(properties, "message_id"),
        unpublishable: Vec::new(),
    })
}

/// The body of a message whose `Body` is empty: the `.dat` beside its `.json` when there is
/// one (raw mode), else an empty body (which no contract accepts).
fn raw_mode_body<'a>(origin: &Origin) -> Result<EventSource<'a>, String> {
    let body = |bytes: Vec<u8>| EventSource::Bytes {
        bytes: Cow::Owned(bytes),
        name: Cow::Borrowed("the body"),
    };
    let Some(dat) = origin.location.and_then(|l| body_file(Path::new(&*l.file))) else {
        return Ok(body(Vec::new()));
    };
    if !dat.is_file() {
        return Ok(EventSource::NotJson(format!(
            "the body is empty, and there is no {} beside the file (rabtap's raw mode keeps \
             the body there)",
            dat.display()
        )));
    }
    let cannot = |e: std::io::Error| format!("cannot read the body file {}: {e}", dat.display());
    let file = File::open(&dat).map_err(cannot)?;
    // One byte over the limit is enough to know it is over.
    let limit = origin.max_message_bytes;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1) as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limit {
        return Err(format!(
            "the body file {} is over the limit of {limit} bytes (--max-message-bytes); skipped",
            dat.display()
        ));
    }
    Ok(body(bytes))
}

/// `DIR/NAME.dat` for a record read from `DIR/NAME.json`: where rabtap's raw mode puts the body.
pub fn body_file(json_file: &Path) -> Option<PathBuf> {
    (json_file.extension()? == "json").then(|| json_file.with_extension("dat"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::input::{decode_value, Body, Location, Message};

    fn decode(value: Value) -> Result<Message, String> {
        decode_value(&Rabtap, &value, &Origin::NONE)
    }

    fn base64(text: &str) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    #[test]
    fn a_tapped_message_carries_its_routing_properties_and_body() {
        let message = decode(json!({
            "Headers": {"x-request-id": "r-17"}, "ContentType": "application/json",
            "ContentEncoding": "", "DeliveryMode": 2, "MessageID": "", "Timestamp": "0001-01-01T00:00:00Z",
            "Exchange": "coder.events", "RoutingKey": "dashboard.created",
            "XRabtapReceivedTimestamp": "2026-03-02T09:15:00.5+01:00", "Body": base64("{\"a\":1}"),
        }))
        .unwrap();
        let delivery = message.delivery.unwrap();
        assert_eq!(delivery.exchange, "coder.events");
        assert_eq!(delivery.routing_key, "dashboard.created");
        assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
        assert_eq!(delivery.message_id, None, "an empty MessageID is unset");
        assert!(matches!(message.body, Body::Json(v) if v == json!({"a": 1})));
    }

    #[test]
    fn a_firehose_copy_is_read_as_the_message_it_copies() {
        let message = decode(json!({
            "Headers": {
                "exchange_name": "coder.events", "routing_keys": ["dashboard.updated", "cc"],
                "properties": {"content_type": "text/plain", "message_id": "m-1", "delivery_mode": 2},
                "node": "rabbit@host", "vhost": "/", "routed_queues": ["q"],
            },
            "ContentType": "", "MessageID": "", "Exchange": "amq.rabbitmq.trace",
            "RoutingKey": "publish.coder.events", "Body": base64("{}"),
        }))
        .unwrap();
        let delivery = message.delivery.unwrap();
        assert_eq!(delivery.exchange, "coder.events");
        assert_eq!(delivery.routing_key, "dashboard.updated");
        assert_eq!(delivery.content_type.as_deref(), Some("text/plain"));
        assert_eq!(delivery.message_id.as_deref(), Some("m-1"));

        let no_headers =
            json!({"Exchange": "amq.rabbitmq.trace", "RoutingKey": "publish.x", "Body": ""});
        assert!(decode(no_headers)
            .unwrap_err()
            .contains("it has no Headers"));
    }

    #[test]
    fn a_raw_mode_body_is_read_from_the_dat_beside_the_json() {
        let dir = tempfile::tempdir().unwrap();
        let json_file = dir.path().join("rabtap-1.json");
        std::fs::write(dir.path().join("rabtap-1.dat"), "{\"a\":2}").unwrap();
        let file: Arc<str> = json_file.display().to_string().into();
        let location = Location::line(&file, 1);
        let origin = |max_message_bytes| Origin {
            location: Some(&location),
            max_message_bytes,
        };
        let record = json!({"Exchange": "coder.events", "RoutingKey": "k", "Body": ""});
        let message = decode_value(&Rabtap, &record.clone(), &origin(100)).unwrap();
        assert!(matches!(message.body, Body::Json(v) if v == json!({"a": 2})));
        let too_big = decode_value(&Rabtap, &record.clone(), &origin(3)).unwrap_err();
        assert!(too_big.contains("over the limit of 3 bytes"), "{too_big}");

        std::fs::remove_file(dir.path().join("rabtap-1.dat")).unwrap();
        let missing = decode_value(&Rabtap, &record.clone(), &origin(100))
            .unwrap()
            .body;
        assert!(
            matches!(&missing, Body::NotJson(why) if why.contains("rabtap-1.dat beside the file")),
            "{missing:?}"
        );
        // From standard input there is no file beside: the body is just empty.
        let empty = decode(record).unwrap().body;
        assert!(matches!(empty, Body::NotJson(why) if why == "the body is empty"));
    }

    #[test]
    fn a_malformed_message_says_what_is_wrong() {
        let no_key = json!({"Exchange": "coder.events", "Body": ""});
        assert!(decode(no_key)
            .unwrap_err()
            .contains("missing field `RoutingKey`"));
        let bad_body = json!({"Exchange": "x", "RoutingKey": "k", "Body": "***"});
        assert!(decode(bad_body).unwrap_err().contains("Body is not base64"));
    }
}
