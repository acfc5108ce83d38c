//! Plain events: each record is an event, or (for logs) holds one at a JSON pointer, either as
//! JSON or as a string of JSON.

use std::borrow::Cow;

use coder_events::engine::View;

use super::{Decoded, EventSource, InputFormat, Origin};

pub struct Plain {
    /// Where in a record the event is; `None`: the record is the event.
    pub event_pointer: Option<String>,
}

impl InputFormat for Plain {
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// The fallback format: any JSON value is read as an event.
    fn recognizes(&self, _view: &View<'_>, _at: usize) -> bool {
        true
    }

    fn decode<'a>(
        &self,
        view: &View<'a>,
        at: usize,
        _origin: &Origin,
    ) -> Result<Decoded<'a>, String> {
        let Some(pointer) = &self.event_pointer else {
            return Ok(Decoded {
                delivery: None,
                event: EventSource::At(at),
            });
        };
        let event = view
            .pointer(at, pointer)
            .ok_or_else(|| format!("no value at --event-pointer {pointer}"))?;
        let event = match view.bytes(event) {
            // A log line often carries the event serialized into a string field.
            Some(text) => EventSource::Bytes {
                bytes: Cow::Borrowed(text),
                name: Cow::Owned(format!("the string at --event-pointer {pointer}")),
            },
            None => EventSource::At(event),
        };
        Ok(Decoded {
            delivery: None,
            event,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{decode_value, Body, Message};
    use serde_json::{json, Value};

    fn event_at(pointer: &str, record: Value) -> Result<Message, String> {
        let plain = Plain {
            event_pointer: Some(pointer.into()),
        };
        decode_value(&plain, &record, &Origin::NONE)
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
