//! Reading inputs: where each record comes from, how a file is framed into records, and the
//! input formats that turn one JSON value into a message (an event, with its delivery when the
//! input carried one).
//!
//! A format is one small module behind [`InputFormat`]; adding one (rabtap, the management
//! API's `get` output, tracing logs) is a new module and a line in [`Decoder::new`].

pub mod framing;
pub mod lines;
pub mod plain;
pub mod recording;
pub mod sources;

use std::fmt;
use std::sync::Arc;

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
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(index) = self.index {
            write!(f, "#{index}")?;
        }
        Ok(())
    }
}

/// One record as framing read it, before it is decoded. Lines stay bytes so that parsing them
/// happens on the worker threads, not on the reading one.
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
}

#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    /// The body is not JSON (or not UTF-8); the string says why.
    NotJson(String),
}

/// One input format: recognises the JSON values it reads and turns them into messages.
pub trait InputFormat: Send + Sync {
    /// Whether `value` looks like this format; asked in order when the format is not forced.
    fn recognizes(&self, value: &Value) -> bool;
    /// The message `value` holds, or why it holds none (reported as unreadable).
    fn decode(&self, value: Value) -> Result<Message, String>;
}

/// Which format to read records as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatChoice {
    /// Each record is read as the first format that recognises it.
    Auto,
    Plain,
    Recording,
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
            FormatChoice::Auto => vec![Box::new(recording::Recording), plain],
            FormatChoice::Plain => vec![plain],
            FormatChoice::Recording => vec![Box::new(recording::Recording)],
        };
        Decoder { formats }
    }

    pub fn decode(&self, value: Value) -> Result<Message, String> {
        let forced = self.formats.len() == 1;
        let format = self
            .formats
            .iter()
            .find(|f| forced || f.recognizes(&value))
            .expect("the last format of an auto decoder recognises everything");
        format.decode(value)
    }
}
