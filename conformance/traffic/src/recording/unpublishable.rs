//! What RabbitMQ refuses to carry, found in a recording line before anything is published:
//! an AMQP short string over 255 bytes (the exchange, the routing key, a string property, a
//! header name), which the AMQP client cannot even encode, and a NaN or infinite float header,
//! for which RabbitMQ closes the publisher's connection (541 INTERNAL_ERROR). `replay`
//! publishes no file with such a line, and `check` reports it (CT011), so the two agree on
//! every line.

use std::fmt;

use amq_protocol_types::{AMQPValue, FieldTable, MAX_SHORT_STRING_LENGTH};

use super::fields::{object_to_table_listing_long_names, shown};
use super::Properties;

/// One thing in a line that RabbitMQ would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpublishable {
    /// A short string longer than one can be: what it is (`routingKey`, `contentType`, the
    /// name of a header) and its length in bytes.
    TooLong { what: String, bytes: usize },
    /// A float header that is NaN or infinite: its path in the headers, and its value as the
    /// recording spells it.
    NotFinite { header: String, value: String },
}

impl fmt::Display for Unpublishable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unpublishable::TooLong { what, bytes } => write!(
                f,
                "{what} is {bytes} bytes, over the {MAX_SHORT_STRING_LENGTH} of an AMQP short \
                 string"
            ),
            Unpublishable::NotFinite { header, value } => write!(
                f,
                "header {header} is {value}, a float RabbitMQ refuses (it closes the connection \
                 of a publisher that sends one)"
            ),
        }
    }
}

/// Everything in a line's exchange, routing key and properties that RabbitMQ would refuse;
/// `Err` when the headers are not a field table at all.
pub fn find(
    exchange: &str,
    routing_key: &str,
    properties: &Properties,
) -> Result<Vec<Unpublishable>, String> {
    let mut found = Vec::new();
    let mut short = |what: &str, value: Option<&str>| {
        if let Some(value) = value.filter(|v| v.len() > MAX_SHORT_STRING_LENGTH) {
            found.push(Unpublishable::TooLong {
                what: what.to_string(),
                bytes: value.len(),
            });
        }
    };
    short("exchange", Some(exchange));
    short("routingKey", Some(routing_key));
    let p = properties;
    for (what, value) in [
        ("contentType", &p.content_type),
        ("contentEncoding", &p.content_encoding),
        ("messageId", &p.message_id),
        ("appId", &p.app_id),
        ("type", &p.message_type),
        ("userId", &p.user_id),
        ("correlationId", &p.correlation_id),
        ("replyTo", &p.reply_to),
        ("expiration", &p.expiration),
        ("clusterId", &p.cluster_id),
    ] {
        short(what, value.as_deref());
    }
    if let Some(headers) = &p.headers {
        let (table, long_names) = object_to_table_listing_long_names(headers)?;
        found.extend(long_names.into_iter().map(|long| Unpublishable::TooLong {
            what: format!("the name of header {}", long.path),
            bytes: long.bytes,
        }));
        not_finite_in_table(&table, &mut String::new(), &mut found);
    }
    Ok(found)
}

fn not_finite_in_table(table: &FieldTable, path: &mut String, found: &mut Vec<Unpublishable>) {
    for (name, value) in table {
        let parent = path.len();
        path.push_str(&format!("[{:?}]", shown(name.as_str())));
        not_finite(value, path, found);
        path.truncate(parent);
    }
}

fn not_finite(value: &AMQPValue, path: &mut String, found: &mut Vec<Unpublishable>) {
    let value = match value {
        AMQPValue::Float(f) if !f.is_finite() => format!("{} (f32)", spelled(f64::from(*f))),
        AMQPValue::Double(d) if !d.is_finite() => format!("{} (f64)", spelled(*d)),
        AMQPValue::FieldTable(table) => return not_finite_in_table(table, path, found),
        AMQPValue::FieldArray(array) => {
            for (i, item) in array.as_slice().iter().enumerate() {
                let parent = path.len();
                path.push_str(&format!("[{i}]"));
                not_finite(item, path, found);
                path.truncate(parent);
            }
            return;
        }
        _ => return,
    };
    found.push(Unpublishable::NotFinite {
        header: path.clone(),
        value,
    });
}

/// A float that is not finite, as the recording spells it (`fields`), its NaN bits aside.
fn spelled(value: f64) -> &'static str {
    if value.is_nan() {
        "NaN"
    } else if value > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn properties(value: serde_json::Value) -> Properties {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn every_short_string_over_255_bytes_is_found_and_nothing_shorter() {
        let long = "x".repeat(256);
        let limit = "x".repeat(255);
        let p = properties(json!({
            "contentType": long, "contentEncoding": limit, "messageId": long, "appId": long,
            "type": long, "userId": long, "correlationId": long, "replyTo": long,
            "expiration": long, "clusterId": long,
            "headers": {"fine": 1, "outer": [{"$amqp": "table", "value": {&long: 1}}], &long: 2}
        }));
        let found = find(&long, &limit, &p).unwrap();
        let what: Vec<String> = found
            .iter()
            .map(|u| match u {
                Unpublishable::TooLong { what, bytes } => {
                    assert_eq!(*bytes, 256);
                    what.clone()
                }
                other => panic!("{other:?}"),
            })
            .collect();
        let cut = format!("{}…", "x".repeat(40));
        assert_eq!(
            what,
            [
                "exchange".to_string(),
                "contentType".into(),
                "messageId".into(),
                "appId".into(),
                "type".into(),
                "userId".into(),
                "correlationId".into(),
                "replyTo".into(),
                "expiration".into(),
                "clusterId".into(),
                format!("the name of header [\"outer\"][0][\"{cut}\"]"),
                format!("the name of header [\"{cut}\"]"),
            ]
        );
        assert_eq!(find("x", "k", &Properties::default()).unwrap(), []);
        let bad_headers = properties(json!({"headers": {"f": 1.5}}));
        assert!(find("x", "k", &bad_headers).is_err());
    }

    #[test]
    fn nan_and_infinite_floats_are_found_wherever_they_are() {
        let p = properties(json!({"headers": {
            "ok": {"$amqp": "f64", "value": 1.5},
            "nan": {"$amqp": "f64", "value": "NaN:0x7ff8000000000001"},
            "deep": [{"inf": {"$amqp": "f32", "value": "-Infinity"}}],
            "big": {"$amqp": "f64", "value": "Infinity"},
        }}));
        let found = find("x", "k", &p).unwrap();
        let not_finite = |header: &str, value: &str| Unpublishable::NotFinite {
            header: header.into(),
            value: value.into(),
        };
        assert_eq!(
            found,
            [
                not_finite("[\"big\"]", "Infinity (f64)"),
                not_finite("[\"deep\"][0][\"inf\"]", "-Infinity (f32)"),
                not_finite("[\"nan\"]", "NaN (f64)"),
            ]
        );
    }
}
