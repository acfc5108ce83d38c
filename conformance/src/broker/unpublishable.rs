//! What RabbitMQ refuses to carry, found in a recording line before anything is published:
//! an AMQP short string over 255 bytes (the exchange, the routing key, a string property, a
//! header name), which the AMQP client cannot even encode. `replay` publishes no file with
//! such a line, and `check` reports it (CT011), so the two agree on every line.

use std::fmt;

use lapin::types::MAX_SHORT_STRING_LENGTH;

use super::fields::object_to_table_listing_long_names;
use crate::input::recording::Properties;

/// One thing in a line that RabbitMQ would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpublishable {
    /// A short string longer than one can be: what it is (`routingKey`, `contentType`, the
    /// name of a header) and its length in bytes.
    TooLong { what: String, bytes: usize },
}

impl fmt::Display for Unpublishable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unpublishable::TooLong { what, bytes } => write!(
                f,
                "{what} is {bytes} bytes, over the {MAX_SHORT_STRING_LENGTH} of an AMQP short \
                 string"
            ),
        }
    }
}

/// Everything in a line's exchange, routing key and properties that RabbitMQ would refuse;
/// `Err` when the headers are not a field table at all.
pub(crate) fn find(
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
        let (_, long_names) = object_to_table_listing_long_names(headers)?;
        found.extend(long_names.into_iter().map(|long| Unpublishable::TooLong {
            what: format!("the name of header {}", long.path),
            bytes: long.bytes,
        }));
    }
    Ok(found)
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
}
