//! Which line of a JSON file a JSON pointer names, for the findings of `lint` and `breaking`,
//! which rules give as a pointer. serde_json keeps no positions, and the engine's tape keeps
//! none for containers, so a scanner just big enough to follow a pointer counts the lines.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Finding;

/// Fills in the line of every finding that has none, by reading its file (once per file) and
/// finding its pointer. Files that cannot be read, or are not JSON, leave the line unset.
pub fn locate_lines(findings: &mut [Finding]) {
    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::new();
    for f in findings.iter_mut().filter(|f| f.line.is_none()) {
        let text = texts
            .entry(f.file.clone())
            .or_insert_with(|| std::fs::read_to_string(&f.file).ok());
        if let Some(text) = text {
            f.line = line_of_pointer(text, &f.pointer);
        }
    }
}

/// The 1-based line where the member or element `pointer` names starts in the JSON `text`, or
/// that of its nearest ancestor present in the text. `None` when `text` is not a JSON document
/// the scanner can follow.
pub fn line_of_pointer(text: &str, pointer: &str) -> Option<usize> {
    let segments: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(codegen::walk::unescape)
            .collect()
    };
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    scanner.skip_whitespace();
    let mut best = scanner.line;
    let mut depth = 0;
    while depth < segments.len() {
        match scanner.enter(&segments[depth])? {
            Some(line) => {
                best = line;
                depth += 1;
            }
            None => break,
        }
    }
    Some(best)
}

/// Just enough of a JSON reader to follow a pointer and count lines on the way.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }

    /// From the start of a container, moves to the start of the value of member or element
    /// `segment` and returns its line (the key's line for a member). `Some(None)` when the
    /// container has no such member; `None` when the text is not JSON.
    fn enter(&mut self, segment: &str) -> Option<Option<usize>> {
        match self.bump()? {
            b'{' => loop {
                self.skip_whitespace();
                if self.peek()? == b'}' {
                    return Some(None);
                }
                let key_line = self.line;
                let key = self.string()?;
                self.skip_whitespace();
                if self.bump()? != b':' {
                    return None;
                }
                self.skip_whitespace();
                if key == segment {
                    return Some(Some(key_line));
                }
                self.skip_value()?;
                self.skip_whitespace();
                match self.bump()? {
                    b',' => continue,
                    b'}' => return Some(None),
                    _ => return None,
                }
            },
            b'[' => {
                let Ok(wanted) = segment.parse::<usize>() else {
                    return Some(None);
                };
                let mut index = 0;
                loop {
                    self.skip_whitespace();
                    if self.peek()? == b']' {
                        return Some(None);
                    }
                    if index == wanted {
                        return Some(Some(self.line));
                    }
                    self.skip_value()?;
                    self.skip_whitespace();
                    match self.bump()? {
                        b',' => index += 1,
                        b']' => return Some(None),
                        _ => return None,
                    }
                }
            }
            _ => Some(None),
        }
    }

    /// Reads a string starting at its opening quote; escapes other than `\"` and `\\` are kept
    /// as written, which is enough to compare keys.
    fn string(&mut self) -> Option<String> {
        if self.bump()? != b'"' {
            return None;
        }
        let mut bytes = Vec::new();
        loop {
            match self.bump()? {
                b'"' => return String::from_utf8(bytes).ok(),
                b'\\' => match self.bump()? {
                    escaped @ (b'"' | b'\\' | b'/') => bytes.push(escaped),
                    other => bytes.extend([b'\\', other]),
                },
                b => bytes.push(b),
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.bump();
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.bump();
                }
            }
            _ => {
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'
                ) {
                    self.bump();
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "a": 1,
  "properties": {
    "x/y": {"type": "string"},
    "list": [
      true,
      {"k": "v"}
    ]
  }
}"#;

    #[test]
    fn pointers_are_found_on_their_lines() {
        assert_eq!(line_of_pointer(TEXT, ""), Some(1));
        assert_eq!(line_of_pointer(TEXT, "/a"), Some(2));
        assert_eq!(line_of_pointer(TEXT, "/properties/x~1y"), Some(4));
        assert_eq!(line_of_pointer(TEXT, "/properties/list/1/k"), Some(7));
    }

    #[test]
    fn a_missing_member_gives_its_nearest_ancestor() {
        assert_eq!(line_of_pointer(TEXT, "/properties/list/5"), Some(5));
        assert_eq!(line_of_pointer(TEXT, "/properties/nope/type"), Some(3));
    }
}
