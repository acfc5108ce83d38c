//! Plain events: each record is an event, or (for logs) holds one at a JSON pointer, either as
//! JSON or as a string of JSON.

use serde_json::Value;

use super::{Body, InputFormat, Message, Origin};

pub struct Plain {
    /// Where in a record the event is; `None`: the record is the event.
    pub event_pointer: Option<String>,
}

impl InputFormat for Plain {
    /// The fallback format: any JSON value is read as an event.
    fn recognizes(&self, _value: &Value) -> bool {
        true
    }

    fn recognized_only_with(&self) -> Option<&'static [&'static str]> {
        None
    }

    fn is_the_event(&self) -> bool {
        self.event_pointer.is_none()
    }

    fn decode(&self, mut value: Value, _origin: &Origin) -> Result<Message, String> {
        let event = match &self.event_pointer {
            None => value,
            Some(pointer) => value
                .pointer_mut(pointer)
                .map(Value::take)
                .ok_or_else(|| format!("no value at --event-pointer {pointer}"))?,
        };
        let body = match event {
            // A log line often carries the event serialized into a string field.
            Value::String(text) if self.event_pointer.is_some() => {
                match serde_json::from_str(&text) {
                    Ok(event) => Body::Json(event),
                    Err(e) => Body::NotJson(format!(
                        "the string at --event-pointer {} is not JSON: {e}",
                        self.event_pointer.as_deref().unwrap_or_default()
                    )),
                }
            }
            event => Body::Json(event),
        };
        Ok(Message {
            delivery: None,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event_at(pointer: &str, record: Value) -> Result<Message, String> {
        Plain {
            event_pointer: Some(pointer.into()),
        }
        .decode(record, &Origin::NONE)
    }

    #[test]
    fn the_event_is_found_at_the_pointer_as_json_or_as_a_string() {
        let nested = event_at("/fields/event", json!({"fields": {"event": {"id": 1}}}));
        assert!(matches!(nested.unwrap().body, Body::Json(v) if v == json!({"id": 1})));
        let embedded = event_at("/msg", json!({"msg": "{\"id\": 2}"}));
        assert!(matches!(embedded.unwrap().body, Body::Json(v) if v == json!({"id": 2})));
        let not_json = event_at("/msg", json!({"msg": "started"}));
        assert!(matches!(not_json.unwrap().body, Body::NotJson(_)));
        assert_eq!(
            event_at("/event", json!({"msg": "started"})).unwrap_err(),
            "no value at --event-pointer /event"
        );
    }
}
