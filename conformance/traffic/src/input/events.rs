//! Every event of some recordings or logs, in every format `check` reads, as a `Value` with
//! where it was: how a command that is not a check reads traffic (`contracts breaking
//! --traffic`). Records that hold no event are counted, not silently dropped.

use std::path::PathBuf;

use coder_events::engine::Tape;
use serde_json::Value;

use super::framing::read_records;
use super::sources::{expand, open, SourceKind};
use super::{Decoder, EventSource, Location, Origin, RawRecord};

/// How many records were read, and how many of them held no event (not JSON, not a record of
/// the format, an unreadable file).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    pub records: u64,
    pub without_event: u64,
}

/// Calls `each` with every event of the files (or directories, `-`, gzip) `paths` name.
pub fn for_each_event(
    paths: &[PathBuf],
    decoder: &Decoder,
    max_message_bytes: usize,
    each: &mut dyn FnMut(&Location, &Value),
) -> Read {
    let mut read = Read::default();
    let mut tape = Tape::new();
    for source in expand(paths) {
        let reader = match &source.kind {
            SourceKind::Unreadable(_) => None,
            _ => open(&source).ok(),
        };
        let Some(reader) = reader else {
            read.records += 1;
            read.without_event += 1;
            continue;
        };
        read_records(
            reader,
            &source.name,
            max_message_bytes,
            &mut |location, record| {
                read.records += 1;
                let event = match record {
                    RawRecord::Line(bytes) => {
                        event_of(&mut tape, &bytes, decoder, &location, max_message_bytes)
                    }
                    RawRecord::Unreadable(_) => None,
                };
                match event {
                    Some(event) => each(&location, &event),
                    None => read.without_event += 1,
                }
            },
        );
    }
    read
}

/// The event of one record, if it holds one.
fn event_of(
    tape: &mut Tape,
    bytes: &[u8],
    decoder: &Decoder,
    location: &Location,
    max_message_bytes: usize,
) -> Option<Value> {
    tape.read(bytes).ok()?;
    let view = tape.view(bytes);
    let origin = Origin {
        location: Some(location),
        max_message_bytes,
    };
    match decoder.decode(&view, 0, &origin).ok()?.event {
        EventSource::At(at) => Some(view.to_value(at)),
        EventSource::Bytes { bytes, .. } => serde_json::from_slice(&bytes).ok(),
        EventSource::NotJson(_) => None,
    }
}
