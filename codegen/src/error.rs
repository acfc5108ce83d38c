//! The one error type of the codegen: a kind, the file it concerns, where in that file, and why.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, coarsely; the message says the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io,
    /// A file is not well-formed JSON.
    Json,
    /// The catalog is inconsistent (duplicate contract, bad name, missing file, ...).
    Catalog,
    /// A `$ref` names a URL; references are never fetched.
    RefUrl,
    /// A `$ref` leaves the `schemas/` directory.
    RefOutsideSchemas,
    /// A `$ref` points at a file or a fragment that does not exist.
    RefTarget,
    /// A schema uses something the Rust generator cannot express.
    Unsupported,
    /// typify rejected a schema.
    Typify,
    /// The generated Rust did not parse or format.
    Format,
}

/// An error with its location: the file and, when known, the line or the JSON pointer inside it.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub pointer: Option<String>,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error {
            kind,
            file: file.as_ref().to_path_buf(),
            line: None,
            pointer: None,
            message: message.into(),
        }
    }

    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub(crate) fn io(file: impl AsRef<Path>, err: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, file, err.to_string())
    }

    pub(crate) fn io_ref(file: impl AsRef<Path>, err: &std::io::Error) -> Self {
        Error::new(ErrorKind::Io, file, err.to_string())
    }

    pub(crate) fn json(file: impl AsRef<Path>, err: serde_json::Error) -> Self {
        let line = err.line();
        Error::new(ErrorKind::Json, file, err.to_string()).at_line(line)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, "#{pointer}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
