//! A line reader that never holds more than a set number of bytes of one line: a longer line
//! is measured and discarded as it streams past, so one huge line cannot exhaust memory. A line
//! holding a NUL byte, which JSON text never does, is told apart as binary data, whatever its
//! length, and not kept either.

use std::io::{self, BufRead};

/// One line read by [`BoundedLines`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The line's bytes, without its `\n` or `\r\n`.
    Text { number: u64, bytes: Vec<u8> },
    /// The line was longer than the limit; `size` is its length in bytes without the newline.
    TooLong { number: u64, size: u64 },
    /// The line holds a NUL byte, the first at 1-based `nul_column`.
    Binary { number: u64, nul_column: u64 },
}

pub struct BoundedLines<R> {
    reader: R,
    max_bytes: usize,
    next_number: u64,
}

impl<R: BufRead> BoundedLines<R> {
    /// Reads `reader` from line `first_number` on (a caller may have consumed earlier lines).
    pub fn new(reader: R, max_bytes: usize, first_number: u64) -> Self {
        BoundedLines {
            reader,
            max_bytes,
            next_number: first_number,
        }
    }

    /// The line number the next line will have.
    pub fn next_number(&self) -> u64 {
        self.next_number
    }

    pub fn into_inner(self) -> R {
        self.reader
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let mut size: u64 = 0;
        let mut too_long = false;
        let mut nul_column = None;
        let mut read_anything = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !read_anything {
                    return Ok(None);
                }
                break;
            }
            read_anything = true;
            // One pass finds the line's end and, on the way, a NUL byte before it.
            let newline = match nul_column {
                Some(_) => memchr::memchr(b'\n', available),
                None => match memchr::memchr2(b'\n', 0, available) {
                    Some(nul) if available[nul] == 0 => {
                        nul_column = Some(size + nul as u64 + 1);
                        memchr::memchr(b'\n', &available[nul..]).map(|end| nul + end)
                    }
                    newline => newline,
                },
            };
            let chunk = &available[..newline.unwrap_or(available.len())];
            size += chunk.len() as u64;
            if !too_long && nul_column.is_none() {
                if bytes.len() + chunk.len() > self.max_bytes {
                    too_long = true;
                    // Give the memory back now: the rest of this line is only counted.
                    bytes = Vec::new();
                } else {
                    bytes.extend_from_slice(chunk);
                }
            }
            let consumed = chunk.len() + usize::from(newline.is_some());
            self.reader.consume(consumed);
            if newline.is_some() {
                break;
            }
        }
        let number = self.next_number;
        self.next_number += 1;
        if let Some(nul_column) = nul_column {
            return Ok(Some(Line::Binary { number, nul_column }));
        }
        if too_long {
            return Ok(Some(Line::TooLong { number, size }));
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        Ok(Some(Line::Text { number, bytes }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Line> {
        // A tiny buffer makes lines span many `fill_buf` calls.
        let reader = io::BufReader::with_capacity(3, input);
        let mut lines = BoundedLines::new(reader, max, 1);
        std::iter::from_fn(|| lines.next_line().unwrap()).collect()
    }

    fn text(number: u64, s: &str) -> Line {
        Line::Text {
            number,
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn splits_lines_and_strips_line_endings() {
        assert_eq!(
            lines(b"ab\r\ncdef\n\nlast", 100),
            vec![text(1, "ab"), text(2, "cdef"), text(3, ""), text(4, "last")]
        );
        assert_eq!(lines(b"", 100), vec![]);
        assert_eq!(lines(b"one\n", 100), vec![text(1, "one")]);
    }

    #[test]
    fn measures_and_skips_a_line_over_the_limit() {
        assert_eq!(
            lines(b"12345\n1234567890\n123\n", 5),
            vec![
                text(1, "12345"),
                Line::TooLong {
                    number: 2,
                    size: 10
                },
                text(3, "123")
            ]
        );
    }

    #[test]
    fn tells_a_line_holding_a_nul_byte_whatever_its_length() {
        assert_eq!(
            lines(b"ok\nab\0c\n\0\nx\0yyyyyyyy\nok", 5),
            vec![
                text(1, "ok"),
                Line::Binary {
                    number: 2,
                    nul_column: 3
                },
                Line::Binary {
                    number: 3,
                    nul_column: 1
                },
                Line::Binary {
                    number: 4,
                    nul_column: 2
                },
                text(5, "ok"),
            ]
        );
        // Past the limit, and past the reader's buffer, the NUL is still found.
        assert_eq!(
            lines(b"1234567\08\n", 5),
            vec![Line::Binary {
                number: 1,
                nul_column: 8
            }]
        );
    }
}
