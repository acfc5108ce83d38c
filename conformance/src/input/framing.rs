//! How a file is cut into records: JSON Lines (one record a line), one top-level JSON array
//! (one record an element, streamed), or JSON documents spread over many lines (one
//! pretty-printed document, or a stream of them as `rabtap tap --json` prints).
//!
//! The framing is told from the first bytes: `[` starts an array; otherwise a first line that
//! is a whole JSON value starts JSON Lines, and a first line that opens an object and breaks
//! where a pretty printer would starts a stream of documents.

use std::fmt;
use std::io::{self, BufRead, Cursor, Read};
use std::sync::Arc;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::Value;

use super::lines::{BoundedLines, Line};
use super::{Location, RawRecord};

/// Receives each record as it is read.
pub type Emit<'a> = dyn FnMut(Location, RawRecord) + 'a;

/// Reads every record of one file, reporting what cannot be read as unreadable records.
pub fn read_records(mut reader: impl BufRead, file: &Arc<str>, max_bytes: usize, emit: &mut Emit) {
    let first_line = match skip_whitespace(&mut reader) {
        Ok(Start::Empty) => {
            let why = "the file holds no record (it is empty or only whitespace)";
            return emit(Location::file(file), RawRecord::Unreadable(why.into()));
        }
        Ok(Start::At { line, first_byte }) => match first_byte {
            b'[' => return read_array(reader, file, emit),
            _ if holds_binary(&mut reader) => {
                let why = "binary data (a NUL byte near the start), not JSON text";
                return emit(
                    Location::line(file, line),
                    RawRecord::Unreadable(why.into()),
                );
            }
            _ => line,
        },
        Err(e) => {
            return emit(
                Location::line(file, 1),
                RawRecord::Unreadable(format!("read error: {e}")),
            )
        }
    };
    read_lines(
        BoundedLines::new(reader, max_bytes, first_line),
        file,
        max_bytes,
        emit,
    );
}

enum Start {
    Empty,
    /// The first non-whitespace byte, and the line it is on.
    At {
        line: u64,
        first_byte: u8,
    },
}

/// Consumes leading whitespace, counting the lines it spans.
fn skip_whitespace(reader: &mut impl BufRead) -> io::Result<Start> {
    let mut line = 1;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(Start::Empty);
        }
        let blank = available
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        line += available[..blank].iter().filter(|&&b| b == b'\n').count() as u64;
        if blank < available.len() {
            let first_byte = available[blank];
            reader.consume(blank);
            return Ok(Start::At { line, first_byte });
        }
        reader.consume(blank);
    }
}

/// Whether the buffered start of the input holds a NUL byte, which JSON text never does.
fn holds_binary(reader: &mut impl BufRead) -> bool {
    reader
        .fill_buf()
        .is_ok_and(|available| available.contains(&0))
}

fn read_lines<R: BufRead>(
    mut lines: BoundedLines<R>,
    file: &Arc<str>,
    max_bytes: usize,
    emit: &mut Emit,
) {
    let mut first = true;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => return,
            Err(e) => {
                let why = format!("read error: {e}; the rest of the file is not read");
                return emit(
                    Location::line(file, lines.next_number()),
                    RawRecord::Unreadable(why),
                );
            }
        };
        match line {
            Line::TooLong { number, size } => {
                first = false;
                emit(
                    Location::line(file, number),
                    RawRecord::Unreadable(format!(
                        "the line is {size} bytes, over the limit of {max_bytes} (--max-message-bytes); skipped"
                    )),
                )
            }
            Line::Text { bytes, .. } if bytes.iter().all(u8::is_ascii_whitespace) => {}
            Line::Text { number, bytes } if first => {
                first = false;
                match serde_json::from_slice::<Value>(&bytes) {
                    Ok(value) => emit(Location::line(file, number), RawRecord::Value(value)),
                    Err(e) if e.is_eof() && opens_a_document(&bytes) => {
                        let rest = lines.into_inner();
                        return read_documents(bytes, rest, file, number, max_bytes, emit);
                    }
                    // Parsed again on a worker, which reports why it is not JSON.
                    Err(_) => emit(Location::line(file, number), RawRecord::Line(bytes)),
                }
            }
            Line::Text { number, bytes } => {
                emit(Location::line(file, number), RawRecord::Line(bytes))
            }
        }
    }
}

/// Whether a first line that is not a whole JSON value starts a pretty-printed object.
/// Pretty printers break lines after `{`, `[` or `,`; a JSON Lines record cut short (a
/// truncated first line) stops anywhere, and must stay one bad line, not swallow the file.
fn opens_a_document(first_line: &[u8]) -> bool {
    let last = first_line.iter().rev().find(|b| !b.is_ascii_whitespace());
    first_line.first() == Some(&b'{') && matches!(last, Some(b'{' | b'[' | b','))
}

/// Reads JSON documents that may span lines, the first starting with `first_line` (on line
/// `number`), one record each at the line it starts on. Documents are cut here by counting
/// brackets outside strings, and parsed on the workers like lines; what does not balance is
/// handed on as it is, for the parser to say what is wrong with it.
fn read_documents(
    mut first_line: Vec<u8>,
    rest: impl BufRead,
    file: &Arc<str>,
    number: u64,
    max_bytes: usize,
    emit: &mut Emit,
) {
    first_line.push(b'\n');
    let mut reader = Cursor::new(first_line).chain(rest);
    let mut splitter = DocumentSplitter::new(number, max_bytes);
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let why = format!("read error: {e}; the rest of the file is not read");
                return emit(
                    Location::line(file, splitter.line),
                    RawRecord::Unreadable(why),
                );
            }
        };
        if available.is_empty() {
            break;
        }
        for &byte in available {
            if let Some((line, record)) = splitter.push(byte) {
                emit(Location::line(file, line), record);
            }
        }
        let consumed = available.len();
        reader.consume(consumed);
    }
    if let Some((line, record)) = splitter.finish() {
        emit(Location::line(file, line), record);
    }
}

/// Cuts a byte stream into JSON documents (objects or arrays) and, between them, stray lines.
struct DocumentSplitter {
    max_bytes: usize,
    /// The line the next byte is on.
    line: u64,
    state: Split,
    /// The current record's line, bytes (empty once over the limit) and size.
    start: u64,
    bytes: Vec<u8>,
    size: u64,
    depth: u64,
    in_string: bool,
    escaped: bool,
}

#[derive(PartialEq, Eq)]
enum Split {
    Between,
    Document,
    /// Text outside any document, read to the end of its line.
    Stray,
}

impl DocumentSplitter {
    fn new(line: u64, max_bytes: usize) -> Self {
        DocumentSplitter {
            max_bytes,
            line,
            state: Split::Between,
            start: line,
            bytes: Vec::new(),
            size: 0,
            depth: 0,
            in_string: false,
            escaped: false,
        }
    }

    /// Takes one byte; returns a record when it completes one.
    fn push(&mut self, byte: u8) -> Option<(u64, RawRecord)> {
        let line = self.line;
        if byte == b'\n' {
            self.line += 1;
        }
        match self.state {
            Split::Between if byte.is_ascii_whitespace() => None,
            Split::Between => {
                self.start = line;
                self.state = if matches!(byte, b'{' | b'[') {
                    self.depth = 1;
                    Split::Document
                } else {
                    Split::Stray
                };
                self.keep(byte);
                None
            }
            Split::Stray if byte == b'\n' => self.take(),
            Split::Stray => {
                self.keep(byte);
                None
            }
            Split::Document => {
                self.keep(byte);
                if self.in_string {
                    match byte {
                        _ if self.escaped => self.escaped = false,
                        b'\\' => self.escaped = true,
                        b'"' => self.in_string = false,
                        _ => {}
                    }
                    return None;
                }
                match byte {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            return self.take();
                        }
                    }
                    _ => {}
                }
                None
            }
        }
    }

    /// At the end of the input: what is left, unfinished.
    fn finish(&mut self) -> Option<(u64, RawRecord)> {
        (self.state != Split::Between)
            .then(|| self.take())
            .flatten()
    }

    fn keep(&mut self, byte: u8) {
        self.size += 1;
        if self.size > self.max_bytes as u64 {
            // Give the memory back now: the rest of this record is only counted.
            self.bytes = Vec::new();
        } else {
            self.bytes.push(byte);
        }
    }

    fn take(&mut self) -> Option<(u64, RawRecord)> {
        let bytes = std::mem::take(&mut self.bytes);
        let size = std::mem::replace(&mut self.size, 0);
        self.state = Split::Between;
        self.in_string = false;
        self.escaped = false;
        let record = if size > self.max_bytes as u64 {
            RawRecord::Unreadable(format!(
                "the document is {size} bytes, over the limit of {} (--max-message-bytes); skipped",
                self.max_bytes
            ))
        } else {
            RawRecord::Line(bytes)
        };
        Some((self.start, record))
    }
}

/// Streams the elements of a top-level JSON array, one record each.
fn read_array(reader: impl BufRead, file: &Arc<str>, emit: &mut Emit) {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let mut elements = 0;
    let visitor = ArrayElements {
        file,
        emit: &mut *emit,
        elements: &mut elements,
    };
    if let Err(e) = deserializer.deserialize_seq(visitor) {
        let why = describe_json_error(&e);
        return emit(Location::index(file, elements), RawRecord::Unreadable(why));
    }
    if let Err(e) = deserializer.end() {
        let why = format!("data after the JSON array: {e}");
        emit(Location::index(file, elements), RawRecord::Unreadable(why));
    }
}

struct ArrayElements<'a, 'e> {
    file: &'a Arc<str>,
    emit: &'a mut Emit<'e>,
    /// How many elements were read: where an error is, when one stops the array.
    elements: &'a mut u64,
}

impl<'de> Visitor<'de> for ArrayElements<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            (self.emit)(
                Location::index(self.file, *self.elements),
                RawRecord::Value(value),
            );
            *self.elements += 1;
        }
        Ok(())
    }
}

/// Says why bytes are not JSON, telling a truncated value from a malformed one.
pub fn describe_json_error(e: &serde_json::Error) -> String {
    if e.is_eof() {
        format!("truncated JSON: {e}")
    } else if e.is_io() {
        e.to_string()
    } else {
        format!("not JSON: {e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(input: &str, max_bytes: usize) -> Vec<(String, String)> {
        let file: Arc<str> = "f".into();
        let mut out = Vec::new();
        read_records(
            input.as_bytes(),
            &file,
            max_bytes,
            &mut |location, record| {
                let what = match record {
                    RawRecord::Line(bytes) => format!("line {}", String::from_utf8_lossy(&bytes)),
                    RawRecord::Value(value) => format!("value {value}"),
                    RawRecord::Unreadable(why) => format!("unreadable {why}"),
                };
                out.push((location.to_string(), what));
            },
        );
        out
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn json_lines_keep_their_line_numbers_and_skip_blank_lines() {
        assert_eq!(
            records("\n{\"a\":1}\n\n  \nnope\n{\"b\":2}", 100),
            pairs(&[
                ("f:2", "value {\"a\":1}"),
                ("f:5", "line nope"),
                ("f:6", "line {\"b\":2}"),
            ])
        );
    }

    #[test]
    fn an_array_is_streamed_element_by_element() {
        assert_eq!(
            records(" [ {\"a\":1}, 2 ]\n", 100),
            pairs(&[("f#0", "value {\"a\":1}"), ("f#1", "value 2")])
        );
        let broken = records("[{\"a\":1}, {\"b\": ]", 100);
        assert_eq!(broken[0], ("f#0".into(), "value {\"a\":1}".into()));
        assert_eq!(broken[1].0, "f#1");
        assert!(broken[1].1.starts_with("unreadable not JSON"), "{broken:?}");
    }

    #[test]
    fn a_pretty_printed_document_is_one_record() {
        assert_eq!(
            records("\n{\n  \"a\": [1,\n 2]\n}\n", 100),
            pairs(&[("f:2", "line {\n  \"a\": [1,\n 2]\n}")])
        );
        let too_big = records("{\n  \"a\": \"0123456789\"\n}\n", 10);
        assert_eq!(too_big.len(), 1);
        assert!(
            too_big[0].1.contains("is 23 bytes, over the limit of 10"),
            "{too_big:?}"
        );
    }

    #[test]
    fn a_stream_of_pretty_documents_is_a_record_each() {
        let stream = "{\n  \"a\": \"}{\\\"\",\n  \"b\": [{}]\n}\n{\n  \"c\": 2\n}\n\n[\n 3\n]\nstray text\n{\n \"cut\": ";
        assert_eq!(
            records(stream, 100),
            pairs(&[
                ("f:1", "line {\n  \"a\": \"}{\\\"\",\n  \"b\": [{}]\n}"),
                ("f:5", "line {\n  \"c\": 2\n}"),
                ("f:9", "line [\n 3\n]"),
                ("f:12", "line stray text"),
                ("f:13", "line {\n \"cut\": "),
            ])
        );
        // Each document is parsed on its own, as a line is.
        let documents = records(stream, 100);
        let first = documents[0].1.strip_prefix("line ").unwrap();
        let parsed: Value = serde_json::from_str(first).unwrap();
        assert_eq!(parsed["a"], "}{\"");
    }

    #[test]
    fn a_truncated_first_line_does_not_swallow_the_lines_after_it() {
        let read = records("{\"a\": \"cut of\n{\"b\":2}\n", 100);
        assert_eq!(read.len(), 2, "{read:?}");
        assert_eq!(read[0], ("f:1".into(), "line {\"a\": \"cut of".into()));
        assert_eq!(read[1], ("f:2".into(), "line {\"b\":2}".into()));
        assert_eq!(
            records("{ \"a\": 1,\n  \"b\": 2 }", 100),
            pairs(&[("f:1", "line { \"a\": 1,\n  \"b\": 2 }")])
        );
    }

    #[test]
    fn empty_and_binary_files_are_unreadable() {
        assert_eq!(
            records(" \n\n", 100),
            pairs(&[(
                "f",
                "unreadable the file holds no record (it is empty or only whitespace)"
            )])
        );
        let binary = records("\u{7f}ELF\0\0\0", 100);
        assert_eq!(binary.len(), 1);
        assert!(binary[0].1.contains("binary data"), "{binary:?}");
    }
}
