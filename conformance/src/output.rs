//! Standard output as the commands write to it: its write errors name it (a full disk says
//! what could not be written), and, for every command but `record` and `tap`, it goes quiet
//! when its reader goes away (`contracts check | head`): the first broken pipe stops further
//! writes, and the run still ends with its verdict's exit code. `record` and `tap`
//! (`app::acknowledges_what_it_writes`) must not acknowledge what they write unread.

use std::io::{self, Write};

/// A writer whose errors say that standard output failed, keeping their kind (a broken pipe
/// is still one).
pub struct NamedStdout<W>(pub W);

impl<W: Write> NamedStdout<W> {
    fn named<T>(result: io::Result<T>) -> io::Result<T> {
        result
            .map_err(|e| io::Error::new(e.kind(), format!("cannot write to standard output: {e}")))
    }
}

impl<W: Write> Write for NamedStdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Self::named(self.0.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        Self::named(self.0.flush())
    }
}

pub struct QuietOnBrokenPipe<W> {
    inner: W,
    broken: bool,
}

impl<W: Write> QuietOnBrokenPipe<W> {
    pub fn new(inner: W) -> Self {
        QuietOnBrokenPipe {
            inner,
            broken: false,
        }
    }

    fn quiet<T>(&mut self, result: io::Result<T>, nothing_written: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.broken = true;
                Ok(nothing_written)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for QuietOnBrokenPipe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.broken {
            // Claim it written: nobody reads it, and the caller must not loop or fail.
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.quiet(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.broken {
            return Ok(());
        }
        let result = self.inner.flush();
        self.quiet(result, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn standard_output_names_itself_and_keeps_the_kind_of_its_errors() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let e = write!(NamedStdout(Full), "report").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert_eq!(
            e.to_string(),
            "cannot write to standard output: no space left"
        );
        let mut closed = QuietOnBrokenPipe::new(NamedStdout(ClosedPipe));
        assert!(writeln!(closed, "report").is_ok());
    }

    #[test]
    fn a_broken_pipe_is_swallowed_and_other_errors_are_not() {
        let mut out = QuietOnBrokenPipe::new(ClosedPipe);
        assert!(writeln!(out, "report").is_ok());
        assert!(out.flush().is_ok());
        let mut buffer = [0u8; 2];
        let mut full = QuietOnBrokenPipe::new(&mut buffer[..]);
        assert!(write!(full, "too long").is_err());
    }
}
