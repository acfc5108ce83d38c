//! Reading inputs: where each record comes from, how a file is framed into records, and the
//! input formats that find the event in one record (on the record's tape, or as bytes of its
//! own) and the delivery it came with, when the input carried one.
//!
//! A format is one small module behind [`InputFormat`]; adding one is a new module and a line
//! in [`FORMATS`], the registry. Every format maps onto the same model, [`Decoded`]: exchange, routing
//! key, properties, event. Detection is per record: each line of a line-based file, each element
//! of an array (the management API), each document of a file (a rabtap `--saveto` file) is read
//! as the first format whose shape it has, so a file of one format is read as that format
//! and a file mixing formats line by line still works. Records are read once, into a tape
//! (`coder_events::engine`); no format builds a `serde_json::Value` of the event.

pub mod events;
pub mod framing;
pub mod lines;
pub mod management;
pub mod plain;
pub mod rabbitmq_tracing;
pub mod rabtap;
pub mod recording;
pub mod sources;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use coder_events::engine::View;
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
    Unreadable(String),
}

/// What a format found in one record: where the event is and, when the input recorded it, the
/// delivery it came with.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub delivery: Option<Delivery>,
    pub event: EventSource<'a>,
}

/// Where a record's event is.
#[derive(Debug)]
pub enum EventSource<'a> {
    /// On the record's own tape, at this node (a plain event, a recording's embedded body).
    At(usize),
    /// In bytes of its own, to be read on a tape of their own (a base64 body, a payload, a
    /// string holding the event's JSON); `name` is what a message calls them ("the body").
    Bytes {
        bytes: Cow<'a, [u8]>,
        name: Cow<'a, str>,
    },
    /// Nothing that can be an event: why.
    NotJson(String),
}

/// A record's message with its event as a `serde_json::Value`: what the rules and reports see
/// of a record the engine rejected, and what tests compare.
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
    pub unpublishable: Vec<crate::recording::unpublishable::Unpublishable>,
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
        Body::from_bytes_named(bytes, "the body")
    }

    /// Bytes that should hold an event, called `name` in what is said of them.
    pub fn from_bytes_named(bytes: &[u8], name: &str) -> Body {
        match serde_json::from_slice(bytes) {
            Ok(event) => Body::Json(event),
            Err(e) => Body::NotJson(not_json(bytes, name, &e)),
        }
    }
}

/// Why `bytes` (called `name`) are not JSON, given serde_json's error: empty, not UTF-8, or
/// the syntax error.
pub fn not_json(bytes: &[u8], name: &str, error: &serde_json::Error) -> String {
    if bytes.is_empty() {
        return format!("{name} is empty");
    }
    match std::str::from_utf8(bytes) {
        Err(e) => format!(
            "{name} is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ),
        Ok(_) => format!("{name} is not JSON: {error}"),
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
pub fn snake_case_decoded<'a>(
    exchange: String,
    routing_key: String,
    properties: Option<&Value>,
    body: Vec<u8>,
) -> Decoded<'a> {
    Decoded {
        delivery: Some(Delivery {
            exchange,
            routing_key,
            content_type: snake_case_property(properties, "content_type"),
            message_id: snake_case_property(properties, "message_id"),
            unpublishable: Vec::new(),
        }),
        event: EventSource::Bytes {
            bytes: Cow::Owned(body),
            name: Cow::Borrowed("the body"),
        },
    }
}

pub fn snake_case_property(properties: Option<&Value>, name: &str) -> Option<String> {
    properties?
        .get(name)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// How long a record may be before it is unreadable, unless `--max-message-bytes` says otherwise.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

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

/// One input format: recognises the records it reads and finds the event in them.
pub trait InputFormat: Send + Sync {
    /// Whether the record at `at` on the tape looks like this format; asked in order when the
    /// format is not forced.
    fn recognizes(&self, view: &View<'_>, at: usize) -> bool;
    /// Top-level keys a record this format recognises has at least one of: detection reads a
    /// record's keys once for every format, and asks a format only about a record with one of
    /// its keys. The fallback (plain), asked about nothing, has none.
    fn keys(&self) -> &'static [&'static str];
    /// Where the record's event is, and its delivery, or why it holds none (reported as
    /// unreadable).
    fn decode<'a>(
        &self,
        view: &View<'a>,
        at: usize,
        origin: &Origin,
    ) -> Result<Decoded<'a>, String>;
}

/// Whether the object at `at` has a member `key`.
pub fn has(view: &View<'_>, at: usize, key: &str) -> bool {
    matches!(view.node(at), coder_events::engine::Node::Object { .. })
        && view.get(at, key).is_some()
}

/// Reads the record at `at` as a `T` (a format's own shape), serde on the tape.
pub fn read_as<'a, T: serde::Deserialize<'a>>(view: &View<'a>, at: usize) -> Result<T, String> {
    coder_events::engine::de::from_tape(view, at).map_err(|e| e.to_string())
}

/// A capture format: its name for `--input-format`, a one-line help, and its reader.
pub struct Format {
    pub name: &'static str,
    pub help: Option<&'static str>,
    pub reader: &'static dyn InputFormat,
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.name == other.name
    }
}

impl Eq for Format {}

/// Every capture format, listed once. Detection (`auto`) asks them in this order and reads
/// what none recognises as a plain event; each recognises only its own field names, so the
/// order does not matter. Adding a capture format is a module with its `FORMAT` and a line
/// here: the command line, detection and the tests that go over every reader take it from
/// this list.
pub static FORMATS: [&Format; 4] = [
    &recording::FORMAT,
    &rabtap::FORMAT,
    &management::FORMAT,
    &rabbitmq_tracing::FORMAT,
];

/// Which format to read records as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatChoice {
    /// Each record is read as the first format that recognises it.
    Auto,
    /// Each record is an event (or holds one at `--event-pointer`).
    Plain,
    /// Every record is of this capture format.
    Capture(&'static Format),
}

impl FormatChoice {
    /// The choice `--input-format NAME` names: `auto`, `plain`, or a capture format's name.
    pub fn named(name: &str) -> Option<FormatChoice> {
        match name {
            "auto" => Some(FormatChoice::Auto),
            "plain" => Some(FormatChoice::Plain),
            _ => FORMATS
                .iter()
                .find(|format| format.name == name)
                .map(|format| FormatChoice::Capture(format)),
        }
    }

    /// Every choice, `auto` and `plain` first, then the capture formats in registry order.
    pub fn all() -> impl Iterator<Item = FormatChoice> {
        [FormatChoice::Auto, FormatChoice::Plain]
            .into_iter()
            .chain(FORMATS.iter().map(|format| FormatChoice::Capture(format)))
    }

    pub fn name(self) -> &'static str {
        match self {
            FormatChoice::Auto => "auto",
            FormatChoice::Plain => "plain",
            FormatChoice::Capture(format) => format.name,
        }
    }
}

/// Turns records into messages, per record, with the formats in detection order.
pub struct Decoder {
    /// The capture formats asked, in order.
    captures: Vec<&'static dyn InputFormat>,
    /// Each key of a capture format's [`InputFormat::keys`], with the formats (bit `i`:
    /// `captures[i]`) that may recognise a record that has it.
    keys: Vec<(&'static [u8], u64)>,
    /// Bit `n`: some key in `keys` is `n` bytes long (one of 64 or more, bit 63). Most keys of
    /// a record are no format's, and most differ in length from every format's.
    key_lengths: u64,
    /// Plain, when it is asked: after the captures, as the fallback that recognises anything.
    plain: Option<plain::Plain>,
}

impl Decoder {
    /// `event_pointer` says where a plain record holds its event (`None`: it is the event).
    pub fn new(choice: FormatChoice, event_pointer: Option<String>) -> Decoder {
        let plain = plain::Plain { event_pointer };
        let (captures, plain) = match choice {
            FormatChoice::Auto => (
                FORMATS.iter().map(|format| format.reader).collect(),
                Some(plain),
            ),
            FormatChoice::Plain => (Vec::new(), Some(plain)),
            FormatChoice::Capture(format) => (vec![format.reader], None),
        };
        let mut keys: Vec<(&'static [u8], u64)> = Vec::new();
        for (i, format) in captures.iter().enumerate().take(64) {
            for key in format.keys() {
                match keys.iter_mut().find(|(k, _)| *k == key.as_bytes()) {
                    Some((_, formats)) => *formats |= 1 << i,
                    None => keys.push((key.as_bytes(), 1 << i)),
                }
            }
        }
        let key_lengths = keys.iter().fold(0, |set, (k, _)| set | length_bit(k.len()));
        Decoder {
            captures,
            keys,
            key_lengths,
            plain,
        }
    }

    /// The formats asked, in order: the capture formats, then plain.
    fn formats(&self) -> impl Iterator<Item = &dyn InputFormat> {
        let plain = self.plain.as_ref().map(|p| p as &dyn InputFormat);
        self.captures.iter().copied().chain(plain)
    }

    /// Whether the format is forced (`--input-format`) rather than detected per record.
    pub fn is_forced(&self) -> bool {
        self.captures.len() + usize::from(self.plain.is_some()) == 1
    }

    /// Where the event of the record at `at` is, and its delivery.
    pub fn decode<'a>(
        &self,
        view: &View<'a>,
        at: usize,
        origin: &Origin,
    ) -> Result<Decoded<'a>, String> {
        if self.is_forced() {
            let format = self.formats().next().expect("a decoder has a format");
            return format.decode(view, at, origin);
        }
        let candidates = self.candidates(view, at);
        let format = self
            .captures
            .iter()
            .enumerate()
            .filter(|(i, _)| candidates & (1 << i) != 0)
            .map(|(_, f)| *f)
            .find(|f| f.recognizes(view, at))
            .or_else(|| self.plain.as_ref().map(|p| p as &dyn InputFormat))
            .expect("an auto decoder falls back on plain");
        format.decode(view, at, origin)
    }

    /// The capture formats (bit `i`: `captures[i]`) that may recognise the record at `at`: those
    /// with one of their keys among its top-level keys, found in one pass over them. Most
    /// records are plain events, and have none.
    fn candidates(&self, view: &View<'_>, at: usize) -> u64 {
        if !matches!(view.node(at), coder_events::engine::Node::Object { .. }) {
            return 0;
        }
        let mut candidates = 0;
        for (key, _) in view.members(at) {
            // The length from the node, before the bytes are looked up.
            let length = match view.node(key) {
                coder_events::engine::Node::Str { len, .. } => len as usize,
                _ => continue,
            };
            if self.key_lengths & length_bit(length) == 0 {
                continue;
            }
            let key = view.bytes(key).unwrap_or_default();
            for (name, formats) in &self.keys {
                if *name == key {
                    candidates |= formats;
                }
            }
        }
        candidates
    }
}

/// A key's length as a bit of [`Decoder::key_lengths`].
fn length_bit(length: usize) -> u64 {
    1 << length.min(63)
}

/// Decodes one JSON value as `format` decodes a record, with the event as a `Value`: how the
/// formats' own tests read what they decode.
#[cfg(test)]
pub(crate) fn decode_value(
    format: &dyn InputFormat,
    value: &Value,
    origin: &Origin,
) -> Result<Message, String> {
    let bytes = serde_json::to_vec(value).expect("a Value serializes");
    let mut tape = coder_events::engine::Tape::new();
    tape.read(&bytes).expect("a Value is JSON");
    let view = tape.view(&bytes);
    let decoded = format.decode(&view, 0, origin)?;
    let body = match decoded.event {
        EventSource::At(at) => Body::Json(view.to_value(at)),
        EventSource::Bytes { bytes, name } => Body::from_bytes_named(&bytes, &name),
        EventSource::NotJson(why) => Body::NotJson(why),
    };
    Ok(Message {
        delivery: decoded.delivery,
        body,
    })
}

/// Whether `format` recognises one JSON value as its record: how the formats' own tests ask.
#[cfg(test)]
pub(crate) fn recognizes_value(format: &dyn InputFormat, value: &Value) -> bool {
    let bytes = serde_json::to_vec(value).expect("a Value serializes");
    let mut tape = coder_events::engine::Tape::new();
    tape.read(&bytes).expect("a Value is JSON");
    format.recognizes(&tape.view(&bytes), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of the sample captures, whatever their framing.
    fn sample_records() -> Vec<Value> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../recordings");
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

    /// Every sample record is claimed by exactly the format of the file it is in.
    #[test]
    fn each_sample_record_is_recognised_by_its_own_format() {
        let decoder = Decoder::new(FormatChoice::Auto, None);
        let mut recognised = 0;
        for record in sample_records() {
            let bytes = serde_json::to_vec(&record).unwrap();
            let mut tape = coder_events::engine::Tape::new();
            tape.read(&bytes).unwrap();
            let view = tape.view(&bytes);
            let claiming: Vec<usize> = decoder
                .formats()
                .enumerate()
                .filter(|(_, f)| f.recognizes(&view, 0))
                .map(|(i, _)| i)
                .collect();
            // Plain (the last) claims everything; one capture format at most before it.
            assert!(claiming.len() <= 2, "{record}");
            // A capture format claims only records with one of its keys.
            for format in decoder.formats().filter(|f| f.recognizes(&view, 0)) {
                let keys = format.keys();
                assert!(
                    keys.is_empty() || keys.iter().any(|k| has(&view, 0, k)),
                    "{record}"
                );
            }
            assert_eq!(claiming.last(), Some(&(decoder.formats().count() - 1)));
            recognised += usize::from(claiming.len() == 2);
        }
        assert!(recognised >= 10, "{recognised}");
    }
}
