//! How a file is cut into records: JSON Lines (one record a line), one top-level JSON array
//! (one record an element, streamed), or JSON documents spread over many lines (one
//! pretty-printed document, or a stream of them as `rabtap tap --json` prints).
//!
//! The framing is told from the first bytes: `[` starts an array; otherwise a first line that
//! is a whole JSON value starts JSON Lines, and a first line that opens an object and breaks
//! where a pretty printer would starts a stream of documents.
//!
//! Binary data is found line by line, not guessed from the start of a file: a line holding a
//! NUL byte, and the lines after it that are not JSON, are one unreadable record, so a binary
//! file is reported once and a text file with one corrupt line loses only that line.

use std::io::{self, BufRead, Cursor, Read};
use std::sync::Arc;

use super::lines::{BoundedLines, Line};
use super::{Location, RawRecord};

/// Receives each record as it is read.
pub type Emit<'a> = dyn FnMut(Location, RawRecord) + 'a;

/// Reads every record of one file, reporting what cannot be read as unreadable records.
pub fn read_records(mut reader: impl BufRead, file: &Arc<str>, max_bytes: usize, emit: &mut Emit) {
    match take_byte_order_mark(&mut reader) {
        Ok((None | Some(Mark::Utf8), read_ahead)) if read_ahead.is_empty() => {
            read_text(reader, file, max_bytes, emit)
        }
        Ok((None | Some(Mark::Utf8), read_ahead)) => {
            read_text(Cursor::new(read_ahead).chain(reader), file, max_bytes, emit)
        }
        Ok((Some(Mark::Utf16(mark)), _)) => emit(
            Location::file(file),
            RawRecord::Unreadable(format!(
                "UTF-16 text (the file starts with the byte order mark {mark}), not UTF-8: \
                 convert it (iconv -f UTF-16 -t UTF-8) to check it"
            )),
        ),
        Err(e) => emit(
            Location::line(file, 1),
            RawRecord::Unreadable(format!("read error: {e}")),
        ),
    }
}

/// A byte order mark a file may start with: the UTF-8 one some editors write, which is
/// skipped, or a UTF-16 one, whose text is no line this reader could read.
#[derive(Debug, PartialEq, Eq)]
enum Mark {
    Utf8,
    Utf16(&'static str),
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

impl Mark {
    fn at_start_of(bytes: &[u8]) -> Option<(Mark, usize)> {
        if bytes.starts_with(UTF8_BOM) {
            Some((Mark::Utf8, UTF8_BOM.len()))
        } else if bytes.starts_with(b"\xff\xfe") {
            Some((Mark::Utf16("FF FE"), 2))
        } else if bytes.starts_with(b"\xfe\xff") {
            Some((Mark::Utf16("FE FF"), 2))
        } else {
            None
        }
    }
}

/// Consumes the byte order mark `reader` starts with. Returns it, and the bytes it had to read
/// past the buffer to tell (only when the buffer held fewer than a mark's bytes: a pipe's
/// first write may), which are the text's first bytes.
fn take_byte_order_mark(reader: &mut impl BufRead) -> io::Result<(Option<Mark>, Vec<u8>)> {
    let longest = UTF8_BOM.len();
    let mut start = Vec::new();
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if start.is_empty() && available.len() >= longest {
            let mark = Mark::at_start_of(available).map(|(mark, length)| {
                reader.consume(length);
                mark
            });
            return Ok((mark, start));
        }
        if available.is_empty() {
            break;
        }
        let taken = available.len().min(longest - start.len());
        start.extend_from_slice(&available[..taken]);
        reader.consume(taken);
        if start.len() == longest {
            break;
        }
    }
    let mark = Mark::at_start_of(&start).map(|(mark, length)| {
        start.drain(..length);
        mark
    });
    Ok((mark, start))
}

/// Reads the records of a file's text, past its byte order mark: framing is told here.
fn read_text(mut reader: impl BufRead, file: &Arc<str>, max_bytes: usize, emit: &mut Emit) {
    let first_line = match skip_whitespace(&mut reader) {
        Ok(Start::Empty) => {
            return emit(
                Location::file(file),
                no_record("it is empty or only whitespace"),
            );
        }
        Ok(Start::At { line, first_byte }) => match first_byte {
            b'[' => return read_array(reader, file, max_bytes, emit),
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

fn read_lines<R: BufRead>(
    mut lines: BoundedLines<R>,
    file: &Arc<str>,
    max_bytes: usize,
    emit: &mut Emit,
) {
    let mut first = true;
    let mut binary: Option<BinaryRun> = None;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                if let Some(run) = binary.take() {
                    emit(Location::line(file, run.first), run.record());
                }
                let why = format!("read error: {e}; the rest of the file is not read");
                return emit(
                    Location::line(file, lines.next_number()),
                    RawRecord::Unreadable(why),
                );
            }
        };
        match (&line, &mut binary) {
            (Line::Text { bytes, .. }, _) if bytes.iter().all(u8::is_ascii_whitespace) => continue,
            (Line::Binary { number, .. }, Some(run)) => {
                run.last = *number;
                continue;
            }
            (Line::Binary { number, nul_column }, None) => {
                first = false;
                binary = Some(BinaryRun {
                    first: *number,
                    last: *number,
                    nul_column: *nul_column,
                });
                continue;
            }
            // Parsed here, not on a worker: only lines that follow binary data are.
            (Line::Text { number, bytes }, Some(run)) if !is_json(bytes) => {
                run.last = *number;
                continue;
            }
            _ => {}
        }
        if let Some(run) = binary.take() {
            emit(Location::line(file, run.first), run.record());
        }
        match line {
            Line::Binary { .. } => unreachable!("binary lines are runs"),
            Line::TooLong { number, size } => {
                first = false;
                emit(
                    Location::line(file, number),
                    RawRecord::Unreadable(format!(
                        "the line is {size} bytes, over the limit of {max_bytes} (--max-message-bytes); skipped"
                    )),
                )
            }
            Line::Text { number, bytes } if first => {
                first = false;
                match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
                    // A whole value: JSON Lines (it is read again, into a tape, on a worker).
                    Ok(_) => emit(Location::line(file, number), RawRecord::Line(bytes)),
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
    if let Some(run) = binary {
        emit(Location::line(file, run.first), run.record());
    }
}

/// Binary data in a line-based file: a line holding a NUL byte (which JSON text never holds)
/// and the lines after it up to the next that is JSON. They are one unreadable record, so that a
/// binary file is reported once, while a text file with one corrupt line loses only that line:
/// a line that is JSON is always read.
struct BinaryRun {
    first: u64,
    last: u64,
    /// Where the first line's first NUL byte is.
    nul_column: u64,
}

impl BinaryRun {
    fn record(&self) -> RawRecord {
        let nul = format!("a NUL byte at column {}", self.nul_column);
        RawRecord::Unreadable(if self.first == self.last {
            format!("binary data, not JSON text: {nul}")
        } else {
            format!(
                "binary data, not JSON text: {nul}; lines {}-{} hold no JSON and are this one record",
                self.first, self.last
            )
        })
    }
}

fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
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
    let reader = Cursor::new(first_line).chain(rest);
    split(
        reader,
        DocumentSplitter::new(number, max_bytes),
        &|line| Location::line(file, line),
        emit,
    );
}

/// Cuts a byte stream into records, byte by byte.
trait Splitter {
    /// Takes one byte; returns a record, and where it is, when the byte completes one.
    fn push(&mut self, byte: u8) -> Option<(u64, RawRecord)>;
    /// At the end of the input: what is left, unfinished; called until it returns `None`.
    fn finish(&mut self) -> Option<(u64, RawRecord)>;
    /// Where the next byte is (a line, an element index), to report a read error at.
    fn position(&self) -> u64;
}

/// Feeds all of `reader` to `splitter`, emitting each record it cuts at `locate(position)`;
/// returns the splitter, for what it saw.
fn split<S: Splitter>(
    mut reader: impl BufRead,
    mut splitter: S,
    locate: &dyn Fn(u64) -> Location,
    emit: &mut Emit,
) -> S {
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let why = format!("read error: {e}; the rest of the file is not read");
                emit(locate(splitter.position()), RawRecord::Unreadable(why));
                return splitter;
            }
        };
        if available.is_empty() {
            break;
        }
        for &byte in available {
            if let Some((at, record)) = splitter.push(byte) {
                emit(locate(at), record);
            }
        }
        let consumed = available.len();
        reader.consume(consumed);
    }
    while let Some((at, record)) = splitter.finish() {
        emit(locate(at), record);
    }
    splitter
}

/// A record's bytes as they are cut, held only up to `max_bytes` and counted beyond.
struct Capped {
    max_bytes: usize,
    /// Empty once over the limit.
    bytes: Vec<u8>,
    size: u64,
}

impl Capped {
    fn new(max_bytes: usize) -> Self {
        Capped {
            max_bytes,
            bytes: Vec::new(),
            size: 0,
        }
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

    /// The record kept so far (`what` it is, for the message when it was too long); empties.
    fn take(&mut self, what: &str) -> RawRecord {
        let bytes = std::mem::take(&mut self.bytes);
        let size = std::mem::replace(&mut self.size, 0);
        if size > self.max_bytes as u64 {
            RawRecord::Unreadable(format!(
                "the {what} is {size} bytes, over the limit of {} (--max-message-bytes); skipped",
                self.max_bytes
            ))
        } else {
            RawRecord::Line(bytes)
        }
    }
}

/// Cuts a byte stream into JSON documents (objects or arrays) and, between them, stray lines.
struct DocumentSplitter {
    /// The line the next byte is on.
    line: u64,
    state: Split,
    /// The current record's line and bytes.
    start: u64,
    record: Capped,
    brackets: Brackets,
}

/// Where a byte stream is in JSON text, as far as cutting it into values needs: how deep in
/// brackets, and whether in a string. Brackets are counted, not matched: what does not
/// balance is the parser's to explain.
#[derive(Default)]
struct Brackets {
    depth: u64,
    in_string: bool,
    escaped: bool,
}

impl Brackets {
    /// Takes the next byte of a value; true when it closes the value's outermost bracket.
    fn track(&mut self, byte: u8) -> bool {
        if self.in_string {
            match byte {
                _ if self.escaped => self.escaped = false,
                b'\\' => self.escaped = true,
                b'"' => self.in_string = false,
                _ => {}
            }
            return false;
        }
        match byte {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                return self.depth == 0;
            }
            _ => {}
        }
        false
    }

    /// Outside any bracket and string: where a value's end may be.
    fn at_top(&self) -> bool {
        self.depth == 0 && !self.in_string
    }
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
            line,
            state: Split::Between,
            start: line,
            record: Capped::new(max_bytes),
            brackets: Brackets::default(),
        }
    }

    fn take(&mut self) -> (u64, RawRecord) {
        self.state = Split::Between;
        self.brackets = Brackets::default();
        (self.start, self.record.take("document"))
    }
}

impl Splitter for DocumentSplitter {
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
                    self.brackets.track(byte);
                    Split::Document
                } else {
                    Split::Stray
                };
                self.record.keep(byte);
                None
            }
            Split::Stray if byte == b'\n' => Some(self.take()),
            Split::Stray => {
                self.record.keep(byte);
                None
            }
            Split::Document => {
                self.record.keep(byte);
                self.brackets.track(byte).then(|| self.take())
            }
        }
    }

    fn finish(&mut self) -> Option<(u64, RawRecord)> {
        (self.state != Split::Between).then(|| self.take())
    }

    fn position(&self) -> u64 {
        self.line
    }
}

/// Streams the elements of a top-level JSON array, one record each. Elements are cut here by
/// counting brackets outside strings, and parsed on the workers like lines; one longer than
/// `max_bytes` is measured as it streams past, never held.
fn read_array(reader: impl BufRead, file: &Arc<str>, max_bytes: usize, emit: &mut Emit) {
    let splitter = split(
        reader,
        ArraySplitter::new(max_bytes),
        &|index| Location::index(file, index),
        emit,
    );
    if splitter.state == ArrayState::Closed && splitter.index == 0 {
        emit(
            Location::file(file),
            no_record("it is an empty array, `[]`"),
        );
    }
}

/// A file with nothing to check, said the same way whatever its framing. It is unreadable
/// input (exit 2), not a pass: a capture that caught nothing, or a file cut at its start,
/// must not let a run that checked nothing succeed.
fn no_record(what: &str) -> RawRecord {
    RawRecord::Unreadable(format!(
        "the file holds no record ({what}): a file with nothing to check is unreadable input"
    ))
}

/// Cuts a top-level JSON array into its elements.
struct ArraySplitter {
    state: ArrayState,
    /// The index of the next element.
    index: u64,
    element: Capped,
    brackets: Brackets,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    /// Before the opening `[`.
    Open,
    /// Between elements; `after_comma`: one must follow.
    Between {
        after_comma: bool,
    },
    Element,
    /// After the closing `]`.
    Closed,
    /// After the closing `]`, with something other than whitespace reported.
    Trailing,
}

impl ArraySplitter {
    fn new(max_bytes: usize) -> Self {
        ArraySplitter {
            state: ArrayState::Open,
            index: 0,
            element: Capped::new(max_bytes),
            brackets: Brackets::default(),
        }
    }

    fn keep(&mut self, byte: u8) {
        self.brackets.track(byte);
        self.element.keep(byte);
    }

    /// The element read so far, as a record of its own.
    fn take(&mut self) -> (u64, RawRecord) {
        // Whitespace before the next comma is not the element's.
        let end = self.element.bytes.trim_ascii_end().len();
        self.element.bytes.truncate(end);
        self.brackets = Brackets::default();
        let index = self.index;
        self.index += 1;
        (index, self.element.take("element"))
    }

    /// A problem with the array's structure, reported where the next element would be.
    fn problem(&mut self, why: &str) -> (u64, RawRecord) {
        let index = self.index;
        self.index += 1;
        (index, RawRecord::Unreadable(why.to_string()))
    }
}

impl Splitter for ArraySplitter {
    fn push(&mut self, byte: u8) -> Option<(u64, RawRecord)> {
        match self.state {
            _ if byte.is_ascii_whitespace() && self.state != ArrayState::Element => None,
            ArrayState::Open => {
                debug_assert_eq!(byte, b'[', "framing found the array by its `[`");
                self.state = ArrayState::Between { after_comma: false };
                None
            }
            ArrayState::Between { after_comma } => match byte {
                b']' => {
                    self.state = ArrayState::Closed;
                    after_comma.then(|| self.problem("not JSON: a comma before the closing `]`"))
                }
                b',' => Some(self.problem("not JSON: an element is missing before a comma")),
                _ => {
                    self.state = ArrayState::Element;
                    self.keep(byte);
                    None
                }
            },
            ArrayState::Element if self.brackets.at_top() && matches!(byte, b',' | b']') => {
                self.state = if byte == b',' {
                    ArrayState::Between { after_comma: true }
                } else {
                    ArrayState::Closed
                };
                Some(self.take())
            }
            ArrayState::Element => {
                self.keep(byte);
                None
            }
            ArrayState::Closed => {
                self.state = ArrayState::Trailing;
                Some(self.problem("not JSON: data after the array's closing `]`"))
            }
            ArrayState::Trailing => None,
        }
    }

    /// The last element, then the missing `]`: an array cut after a whole element would
    /// otherwise read as a whole array.
    fn finish(&mut self) -> Option<(u64, RawRecord)> {
        match self.state {
            ArrayState::Element => {
                self.state = ArrayState::Between { after_comma: false };
                Some(self.take())
            }
            ArrayState::Between { .. } => {
                self.state = ArrayState::Closed;
                Some(self.problem("truncated JSON: the array ends without its closing `]`"))
            }
            ArrayState::Open | ArrayState::Closed | ArrayState::Trailing => None,
        }
    }

    fn position(&self) -> u64 {
        self.index
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
                ("f:2", "line {\"a\":1}"),
                ("f:5", "line nope"),
                ("f:6", "line {\"b\":2}"),
            ])
        );
    }

    #[test]
    fn an_array_is_streamed_element_by_element() {
        assert_eq!(
            records(" [ {\"a\":1}, 2 ]\n", 100),
            pairs(&[("f#0", "line {\"a\":1}"), ("f#1", "line 2")])
        );
        // Commas and brackets in strings and nested values do not cut an element.
        assert_eq!(
            records(
                "[{\"a\": \"],[\\\"\", \"b\": [1, {}]},\n\"x,y\" ,null]",
                100
            ),
            pairs(&[
                ("f#0", "line {\"a\": \"],[\\\"\", \"b\": [1, {}]}"),
                ("f#1", "line \"x,y\""),
                ("f#2", "line null"),
            ])
        );
        // An element that does not parse is handed on as it is, for the parser to explain;
        // the `]` it took leaves the array unclosed.
        let broken = records("[{\"a\":1}, {\"b\": ]", 100);
        assert_eq!(
            broken,
            pairs(&[
                ("f#0", "line {\"a\":1}"),
                ("f#1", "line {\"b\": ]"),
                (
                    "f#2",
                    "unreadable truncated JSON: the array ends without its closing `]`"
                )
            ])
        );
        assert!(serde_json::from_str::<serde_json::Value>("{\"b\": ]").is_err());
        assert_eq!(
            records(" [ \n]", 100),
            pairs(&[(
                "f",
                "unreadable the file holds no record (it is an empty array, `[]`): a file with nothing to check is unreadable input"
            )])
        );
    }

    #[test]
    fn an_array_element_over_the_limit_is_measured_and_skipped() {
        let read = records("[{\"a\": \"0123456789\"}, {\"b\": 1}]", 12);
        assert_eq!(read.len(), 2, "{read:?}");
        assert_eq!(read[0].0, "f#0");
        assert!(
            read[0]
                .1
                .contains("the element is 19 bytes, over the limit of 12"),
            "{read:?}"
        );
        assert_eq!(read[1], ("f#1".into(), "line {\"b\": 1}".into()));
    }

    #[test]
    fn a_malformed_array_is_reported_where_it_breaks() {
        assert_eq!(
            records("[1,]", 100),
            pairs(&[
                ("f#0", "line 1"),
                ("f#1", "unreadable not JSON: a comma before the closing `]`")
            ])
        );
        assert_eq!(
            records("[1,,2]", 100),
            pairs(&[
                ("f#0", "line 1"),
                (
                    "f#1",
                    "unreadable not JSON: an element is missing before a comma"
                ),
                ("f#2", "line 2"),
            ])
        );
        assert_eq!(
            records("[1] x", 100),
            pairs(&[
                ("f#0", "line 1"),
                (
                    "f#1",
                    "unreadable not JSON: data after the array's closing `]`"
                )
            ])
        );
        assert_eq!(
            records("[1, 2", 100),
            pairs(&[
                ("f#0", "line 1"),
                ("f#1", "line 2"),
                (
                    "f#2",
                    "unreadable truncated JSON: the array ends without its closing `]`"
                )
            ])
        );
        assert_eq!(
            records("[1, ", 100),
            pairs(&[
                ("f#0", "line 1"),
                (
                    "f#1",
                    "unreadable truncated JSON: the array ends without its closing `]`"
                )
            ])
        );
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
        let parsed: serde_json::Value = serde_json::from_str(first).unwrap();
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
    fn binary_lines_are_one_record_up_to_the_next_json_line() {
        assert_eq!(
            records("{\"a\":1}\nx\0y\n\nnot json\n\u{7f}\0\n{\"b\":2}\ncut {\n", 100),
            pairs(&[
                ("f:1", "line {\"a\":1}"),
                (
                    "f:2",
                    "unreadable binary data, not JSON text: a NUL byte at column 2; lines 2-5 hold no JSON and are this one record"
                ),
                ("f:6", "line {\"b\":2}"),
                ("f:7", "line cut {"),
            ])
        );
        assert_eq!(
            records("1\n\0\n2", 100),
            pairs(&[
                ("f:1", "line 1"),
                (
                    "f:2",
                    "unreadable binary data, not JSON text: a NUL byte at column 1"
                ),
                ("f:3", "line 2"),
            ])
        );
    }

    #[test]
    fn a_utf8_byte_order_mark_is_skipped_and_a_utf16_one_named() {
        let read = |bytes: &[u8], buffer: usize| {
            let file: Arc<str> = "f".into();
            let mut out = Vec::new();
            read_records(
                io::BufReader::with_capacity(buffer, bytes),
                &file,
                100,
                &mut |location, record| out.push(format!("{location} {record:?}")),
            );
            out
        };
        // A buffer smaller than the mark, as a pipe's first write may leave it, reads the same.
        for buffer in [1, 2, 3, 64] {
            assert_eq!(
                read(b"\xef\xbb\xbf{\"a\":1}\n2", buffer),
                ["f:1 Line([123, 34, 97, 34, 58, 49, 125])", "f:2 Line([50])"],
                "{buffer}"
            );
            assert_eq!(read(b"\xef\xbb\xbf[1]", buffer), ["f#0 Line([49])"]);
            assert_eq!(read(b"\xef[1]", buffer), ["f:1 Line([239, 91, 49, 93])"]);
            assert_eq!(read(b"1", buffer), ["f:1 Line([49])"]);
            let utf16 = read(b"\xff\xfe{\0}\0", buffer);
            assert_eq!(utf16.len(), 1);
            assert!(
                utf16[0].starts_with("f Unreadable(\"UTF-16 text"),
                "{utf16:?}"
            );
        }
    }

    #[test]
    fn empty_and_binary_files_are_unreadable() {
        assert_eq!(
            records(" \n\n", 100),
            pairs(&[(
                "f",
                "unreadable the file holds no record (it is empty or only whitespace): a file with nothing to check is unreadable input"
            )])
        );
        let binary = records("\u{7f}ELF\0\0\0", 100);
        assert_eq!(binary.len(), 1);
        assert!(binary[0].1.contains("binary data"), "{binary:?}");
    }
}
