//! One delivery as one line of the recording format, and back: what `record` writes and what
//! `replay` publishes. The body is embedded byte for byte when it can be, else base64.

use anyhow::{anyhow, Context as _};
use base64::Engine as _;
use lapin::types::{AMQPValue, FieldArray, FieldTable, LongString, ShortString};
use lapin::BasicProperties;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::recording::fields::{object_to_table, table_to_json};
use crate::recording::unpublishable;
use crate::recording::{Properties, RecordedDelivery};

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A recording line, in the order a reader expects to find things.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LineOut<'a> {
    exchange: &'a str,
    routing_key: &'a str,
    redelivered: bool,
    properties: PropertiesOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_base64: Option<String>,
}

/// The properties that are set; an unset one is left out, not written as `null`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PropertiesOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_encoding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    message_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlation_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery_mode: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster_id: Option<&'a str>,
    /// An empty table is written as `{}`: a message can carry one, and replay must too.
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<Value>,
}

/// One delivery as a recording line, without its newline.
pub fn encode(
    exchange: &str,
    routing_key: &str,
    redelivered: bool,
    properties: &BasicProperties,
    body: &[u8],
) -> Vec<u8> {
    fn short(s: &Option<ShortString>) -> Option<&str> {
        s.as_ref().map(ShortString::as_str)
    }
    let embedded = embeddable(body);
    let line = LineOut {
        exchange,
        routing_key,
        redelivered,
        properties: PropertiesOut {
            content_type: short(properties.content_type()),
            content_encoding: short(properties.content_encoding()),
            message_id: short(properties.message_id()),
            timestamp: *properties.timestamp(),
            app_id: short(properties.app_id()),
            message_type: short(properties.kind()),
            user_id: short(properties.user_id()),
            correlation_id: short(properties.correlation_id()),
            reply_to: short(properties.reply_to()),
            expiration: short(properties.expiration()),
            delivery_mode: *properties.delivery_mode(),
            priority: *properties.priority(),
            cluster_id: short(properties.cluster_id()),
            headers: properties.headers().as_ref().map(table_to_json),
        },
        body: embedded,
        body_base64: embedded.is_none().then(|| BASE64.encode(body)),
    };
    serde_json::to_vec(&line).expect("a recording line always serializes")
}

/// The body as raw JSON to embed verbatim, when that keeps its exact bytes on one line: it is
/// UTF-8 JSON with no line break (JSON Lines) and no whitespace around the value (which a
/// JSON value in a line cannot carry).
pub fn embeddable(body: &[u8]) -> Option<&RawValue> {
    if body.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let raw: &RawValue = serde_json::from_str(text).ok()?;
    (raw.get().len() == text.len()).then_some(raw)
}

/// What `replay` publishes for one line.
#[derive(Debug)]
pub struct Publication {
    pub exchange: ShortString,
    pub routing_key: ShortString,
    pub properties: BasicProperties,
    pub body: Vec<u8>,
}

/// Reads one recording line for publishing, with the body's exact bytes. A line holding
/// anything RabbitMQ refuses to carry is an error naming every such thing.
pub fn decode(line: &[u8]) -> anyhow::Result<Publication> {
    let recorded: RecordedDelivery<Box<RawValue>> =
        serde_json::from_slice(line).context("not a recording line")?;
    let properties = recorded.properties.unwrap_or_default();
    let refused = unpublishable::find(&recorded.exchange, &recorded.routing_key, &properties)
        .map_err(|e| anyhow!("not a recording line: headers: {e}"))?;
    if !refused.is_empty() {
        let causes: Vec<String> = refused.iter().map(ToString::to_string).collect();
        return Err(anyhow!("{}", causes.join("; ")));
    }
    let body = match (recorded.body, recorded.body_base64) {
        (Some(raw), None) => raw.get().as_bytes().to_vec(),
        (None, Some(base64)) => BASE64.decode(base64).context("bodyBase64 is not base64")?,
        (Some(_), Some(_)) => return Err(anyhow!("both body and bodyBase64")),
        (None, None) => return Err(anyhow!("neither body nor bodyBase64")),
    };
    Ok(Publication {
        exchange: ShortString::try_new(recorded.exchange)?,
        routing_key: ShortString::try_new(recorded.routing_key)?,
        properties: basic_properties(properties)?,
        body,
    })
}

fn basic_properties(p: Properties) -> anyhow::Result<BasicProperties> {
    let short = |name: &str, value: String| {
        ShortString::try_new(value).with_context(|| format!("property {name}"))
    };
    let mut out = BasicProperties::default();
    macro_rules! set_short {
        ($field:ident, $name:literal, $with:ident) => {
            if let Some(value) = p.$field {
                out = out.$with(short($name, value)?);
            }
        };
    }
    set_short!(content_type, "contentType", with_content_type);
    set_short!(content_encoding, "contentEncoding", with_content_encoding);
    set_short!(message_id, "messageId", with_message_id);
    set_short!(app_id, "appId", with_app_id);
    set_short!(message_type, "type", with_type);
    set_short!(user_id, "userId", with_user_id);
    set_short!(correlation_id, "correlationId", with_correlation_id);
    set_short!(reply_to, "replyTo", with_reply_to);
    set_short!(expiration, "expiration", with_expiration);
    set_short!(cluster_id, "clusterId", with_cluster_id);
    if let Some(timestamp) = p.timestamp {
        out = out.with_timestamp(timestamp);
    }
    if let Some(mode) = p.delivery_mode {
        out = out.with_delivery_mode(mode);
    }
    if let Some(priority) = p.priority {
        out = out.with_priority(priority);
    }
    if let Some(headers) = p.headers {
        let table = headers_table(&headers).map_err(|e| anyhow!("headers: {e}"))?;
        out = out.with_headers(table);
    }
    Ok(out)
}

/// The headers to publish. A short string has no field type of its own on RabbitMQ's wire
/// (its `s` is a 16-bit integer there), so one written by hand goes out as a long string.
fn headers_table(headers: &Map<String, Value>) -> Result<FieldTable, String> {
    fn publishable(value: AMQPValue) -> AMQPValue {
        match value {
            AMQPValue::ShortString(s) => AMQPValue::LongString(LongString::from(s.as_str())),
            AMQPValue::FieldArray(array) => AMQPValue::FieldArray(FieldArray::from(
                array
                    .as_slice()
                    .iter()
                    .cloned()
                    .map(publishable)
                    .collect::<Vec<_>>(),
            )),
            AMQPValue::FieldTable(table) => AMQPValue::FieldTable(publishable_table(table)),
            other => other,
        }
    }
    fn publishable_table(table: FieldTable) -> FieldTable {
        let mut out = FieldTable::default();
        for (key, value) in table.inner() {
            out.insert(key.clone(), publishable(value.clone()));
        }
        out
    }
    object_to_table(headers).map(publishable_table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lapin::types::DecimalValue;

    fn properties() -> BasicProperties {
        let mut headers = FieldTable::default();
        headers.insert("s".into(), AMQPValue::LongString("x".into()));
        headers.insert(
            "d".into(),
            AMQPValue::DecimalValue(DecimalValue {
                scale: 1,
                value: 15,
            }),
        );
        BasicProperties::default()
            .with_content_type("application/json".into())
            .with_content_encoding("identity".into())
            .with_message_id("m".into())
            .with_timestamp(1_769_162_400)
            .with_app_id("app".into())
            .with_type("dashboard.created".into())
            .with_user_id("guest".into())
            .with_correlation_id("c".into())
            .with_reply_to("r".into())
            .with_expiration("60000".into())
            .with_delivery_mode(2)
            .with_priority(9)
            .with_cluster_id("cl".into())
            .with_headers(headers)
    }

    #[test]
    fn every_property_and_the_exact_body_survive_a_line() {
        for body in [
            &br#"{"a": 1,"b":[1.50, "\u00e9"]}"#[..],
            b"null",
            b"{\n  \"pretty\": true\n}\n",
            b"{}\r\n",
            b" {} ",
            b"not json",
            b"\xff\x00",
            b"",
        ] {
            let line = encode(
                "coder.events",
                "dashboard.created",
                true,
                &properties(),
                body,
            );
            assert!(!line.contains(&b'\n'));
            let back = decode(&line).unwrap();
            assert_eq!(back.body, body, "{}", String::from_utf8_lossy(&line));
            assert_eq!(back.properties, properties());
            assert_eq!(back.exchange.as_str(), "coder.events");
            assert_eq!(back.routing_key.as_str(), "dashboard.created");
        }
    }

    #[test]
    fn a_body_is_embedded_only_when_its_bytes_can_stand_in_the_line() {
        let line = |body: &[u8]| {
            let line = encode("x", "k", false, &BasicProperties::default(), body);
            serde_json::from_slice::<Value>(&line).unwrap()
        };
        let embedded = line(br#"{"n":1.50}"#);
        assert!(embedded.get("bodyBase64").is_none());
        let text = String::from_utf8(encode(
            "x",
            "k",
            false,
            &BasicProperties::default(),
            br#"{"n":1.50}"#,
        ))
        .unwrap();
        assert!(text.ends_with(r#""body":{"n":1.50}}"#), "{text}");
        for not_embedded in [&b"{\n}"[..], b"{}\r", b" 1", b"1 ", b"nope", b"\xff"] {
            assert!(line(not_embedded).get("body").is_none());
        }
        assert_eq!(line(b"1")["properties"], serde_json::json!({}));
    }

    #[test]
    fn an_empty_header_table_is_kept_apart_from_none() {
        let props = BasicProperties::default().with_headers(FieldTable::default());
        let line = encode("x", "k", false, &props, b"1");
        assert!(String::from_utf8_lossy(&line).contains(r#""headers":{}"#));
        assert_eq!(decode(&line).unwrap().properties, props);
    }

    #[test]
    fn a_hand_written_short_string_is_published_as_a_long_string() {
        let line = br#"{"exchange":"x","routingKey":"k","properties":{"headers":{"h":{"$amqp":"shortstr","value":"v"}}},"body":1}"#;
        let headers = decode(line).unwrap().properties.headers().clone().unwrap();
        assert_eq!(
            headers.inner().get("h"),
            Some(&AMQPValue::LongString("v".into()))
        );
    }
}
