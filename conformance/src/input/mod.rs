//! Reading inputs: where each record comes from, how a file is framed into records, and the
//! input formats that turn one JSON value into a message (an event, with its delivery when the
//! input carried one).
//!
//! A format is one small module behind [`InputFormat`]; adding one is a new module and a line
//! in [`Decoder::new`]. Every format maps onto the same model, [`Message`]: exchange, routing
//! key, properties, body. Detection is per record: each line of a line-based file, each element
//! of an array (the management API), each document of a file (a rabtap `--saveto` file) is read
//! as the first format whose shape it has, so a file of one format is read as that format
//! and a file mixing formats line by line still works.

pub mod framing;
pub mod lines;
pub mod management;
pub mod plain;
pub mod rabbitmq_tracing;
pub mod rabtap;
pub mod recording;
pub mod sources;

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use serde_json::Value;

/// Where a record came from: a file (or `<stdin>`) and a line, or an element of a JSON array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    /// 1-based line the record starts on; absent for a whole-file problem or an array element.
    pub line: Option<u64>,
    /// 0-based position in a top-level JSON array.
    pub index: Option<u64>,
}

impl Location {
    pub fn file(file: &Arc<str>) -> Location {
        Location {
            file: Arc::clone(file),
            line: None,
            index: None,
        }
    }

    pub fn line(file: &Arc<str>, line: u64) -> Location {
        Location {
            line: Some(line),
            ..Location::file(file)
        }
    }

    pub fn index(file: &Arc<str>, index: u64) -> Location {
        Location {
            index: Some(index),
            ..Location::file(file)
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.file, self.line, self.index)
    }
}

/// `file`, `file:line` or `file#index`: how every report names where a record came from.
pub fn write_location(
    f: &mut fmt::Formatter<'_>,
    file: &str,
    line: Option<u64>,
    index: Option<u64>,
) -> fmt::Result {
    f.write_str(file)?;
    if let Some(line) = line {
        write!(f, ":{line}")?;
    }
    if let Some(index) = index {
        write!(f, "#{index}")?;
    }
    Ok(())
}

/// One record as framing read it, before it is decoded. Lines (and the text of a document that
/// spans lines) stay bytes so that parsing them happens on the worker threads, not on the
/// reading one.
#[derive(Debug)]
pub enum RawRecord {
    Line(Vec<u8>),
    Value(Value),
    Unreadable(String),
}

/// What a record holds once decoded: the event body and, when the input recorded it, the
/// delivery it came with.
#[derive(Debug, Clone)]
pub struct Message {
    pub delivery: Option<Delivery>,
    pub body: Body,
}

/// The AMQP delivery a recorded message came with: only what the rules look at.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    pub exchange: String,
    pub routing_key: String,
    pub content_type: Option<String>,
    pub message_id: Option<String>,
    /// What RabbitMQ would refuse to carry in it; looked for in recordings only, the input
    /// `contracts replay` publishes (a capture of real traffic cannot hold any).
    pub unpublishable: Vec<crate::broker::unpublishable::Unpublishable>,
}

#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    /// The body is not JSON (or not UTF-8); the string says why.
    NotJson(String),
}

impl Body {
    /// A body as the broker carried it: JSON when it is UTF-8 JSON, else why not.
    pub fn from_bytes(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::NotJson("the body is empty".into());
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return Body::NotJson(format!(
                    "the body is not UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ))
            }
        };
        match serde_json::from_str(text) {
            Ok(event) => Body::Json(event),
            Err(e) => Body::NotJson(format!("the body is not JSON: {e}")),
        }
    }
}

/// Standard base64 (with padding), as every capture format here writes bodies; `what` names
/// the field in the error.
pub fn decode_base64(text: &str, what: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("{what} is not base64: {e}"))
}

/// A string AMQP property from a table of basic properties with snake_case names (the
/// management API, the tracing plugin, firehose headers). Empty is unset, as AMQP clients
/// write it.
/// The message of a capture that names properties in snake_case (management API, tracing log).
pub fn snake_case_message(
    exchange: String,
    routing_key: String,
    properties: Option<&Value>,
    body: &[u8],
) -> Message {
    Message {
        delivery: Some(Delivery {
            exchange,
            routing_key,
            content_type: snake_case_property(properties, "content_type"),
            message_id: snake_case_property(properties, "message_id"),
            unpublishable: Vec::new(),
        }),
        body: Body::from_bytes(body),
    }
}

pub fn snake_case_property(properties: Option<&Value>, name: &str) -> Option<String> {
    properties?
        .get(name)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Where a record was read from, for formats that need more than the record itself (a rabtap
/// raw-mode body sits in a file beside the record's).
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// `None` when the record did not come from a file (a test, a live delivery).
    pub location: Option<&'a Location>,
    /// A body read from a file of its own may not be larger (`--max-message-bytes`).
    pub max_message_bytes: usize,
}

impl Origin<'_> {
    /// A record with no file of its own.
    pub const NONE: Origin<'static> = Origin {
        location: None,
        max_message_bytes: usize::MAX,
    };
}

/// One input format: recognises the JSON values it reads and turns them into messages.
pub trait InputFormat: Send + Sync {
    /// Whether `value` looks like this format; asked in order when the format is not forced.
    fn recognizes(&self, value: &Value) -> bool;
    /// The message `value` holds, or why it holds none (reported as unreadable).
    fn decode(&self, value: Value, origin: &Origin) -> Result<Message, String>;
    /// Top-level keys one of which a value must have to be recognised (`None`: any value
    /// is): the fast path reads a record as an event only when no other format could claim it.
    fn recognized_only_with(&self) -> Option<&'static [&'static str]>;
    /// Whether a record of this format is itself the event, as it stands.
    fn is_the_event(&self) -> bool {
        false
    }
}

/// Which format to read records as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatChoice {
    /// Each record is read as the first format that recognises it.
    Auto,
    Plain,
    Recording,
    Rabtap,
    Management,
    Tracing,
}

/// Turns records into messages, per record, with the formats in detection order.
pub struct Decoder {
    /// The most specific first: plain recognises everything, so it is the fallback.
    formats: Vec<Box<dyn InputFormat>>,
}

impl Decoder {
    /// `event_pointer` says where a plain record holds its event (`None`: it is the event).
    pub fn new(choice: FormatChoice, event_pointer: Option<String>) -> Decoder {
        let plain = Box::new(plain::Plain { event_pointer });
        let formats: Vec<Box<dyn InputFormat>> = match choice {
            // Each of these recognises only its own field names, so their order does not
            // matter; plain takes whatever none of them recognises.
            FormatChoice::Auto => vec![
                Box::new(recording::Recording),
                Box::new(rabtap::Rabtap),
                Box::new(management::Management),
                Box::new(rabbitmq_tracing::Tracing),
                plain,
            ],
            FormatChoice::Plain => vec![plain],
            FormatChoice::Recording => vec![Box::new(recording::Recording)],
            FormatChoice::Rabtap => vec![Box::new(rabtap::Rabtap)],
            FormatChoice::Management => vec![Box::new(management::Management)],
            FormatChoice::Tracing => vec![Box::new(rabbitmq_tracing::Tracing)],
        };
        Decoder { formats }
    }

    /// Whether the format is forced (`--input-format`) rather than detected per record.
    pub fn is_forced(&self) -> bool {
        self.formats.len() == 1
    }

    /// Whether a record whose top-level keys are all among `keys` is decoded as the event it
    /// is, with no delivery: what the fast path assumes of a line it scans.
    pub fn reads_as_the_event(&self, keys: &[&str]) -> bool {
        let claimed = |format: &dyn InputFormat| {
            self.is_forced()
                || format
                    .recognized_only_with()
                    .is_none_or(|needed| needed.iter().any(|k| keys.contains(k)))
        };
        self.formats
            .iter()
            .map(Box::as_ref)
            .find(|format| claimed(*format))
            .is_some_and(|format| format.is_the_event())
    }

    /// Decodes a record that has no file of its own.
    pub fn decode(&self, value: Value) -> Result<Message, String> {
        self.decode_from(value, &Origin::NONE)
    }

    pub fn decode_from(&self, value: Value, origin: &Origin) -> Result<Message, String> {
        let forced = self.formats.len() == 1;
        let format = self
            .formats
            .iter()
            .find(|f| forced || f.recognizes(&value))
            .expect("the last format of an auto decoder recognises everything");
        format.decode(value, origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of the sample captures, whatever their framing.
    fn sample_records() -> Vec<Value> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings");
        let mut files = vec![
            dir.join("management-get.json"),
            dir.join("rabtap-stream.json"),
            dir.join("tracing.log"),
            dir.join("sample.recording.jsonl"),
        ];
        for entry in std::fs::read_dir(dir.join("rabtap")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
        let mut records = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for value in serde_json::Deserializer::from_str(&text).into_iter::<Value>() {
                match value.unwrap() {
                    Value::Array(items) => records.extend(items),
                    value => records.push(value),
                }
            }
        }
        records
    }

    /// What the fast path relies on: a format never recognises a record that has none of the
    /// keys it says it needs.
    #[test]
    fn formats_recognise_only_records_with_the_keys_they_name() {
        let decoder = Decoder::new(FormatChoice::Auto, None);
        let mut recognised = 0;
        for record in sample_records() {
            for format in &decoder.formats {
                let Some(needed) = format.recognized_only_with() else {
                    continue;
                };
                if !format.recognizes(&record) {
                    continue;
                }
                recognised += 1;
                let mut without = record.clone();
                for key in needed {
                    without.as_object_mut().unwrap().remove(*key);
                }
                assert!(!format.recognizes(&without), "{record}");
            }
        }
        assert!(recognised >= 10, "{recognised}");
    }

    #[test]
    fn only_plain_events_read_as_the_event() {
        let keys = ["id", "type", "version", "data"];
        assert!(Decoder::new(FormatChoice::Auto, None).reads_as_the_event(&keys));
        assert!(Decoder::new(FormatChoice::Plain, None).reads_as_the_event(&keys));
        assert!(!Decoder::new(FormatChoice::Plain, Some("/e".into())).reads_as_the_event(&keys));
        assert!(!Decoder::new(FormatChoice::Recording, None).reads_as_the_event(&keys));
        let claimed = ["id", "type", "routingKey"];
        assert!(!Decoder::new(FormatChoice::Auto, None).reads_as_the_event(&claimed));
    }
}
