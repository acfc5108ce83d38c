//! Standard output that goes quiet when its reader goes away (`contracts check | head`): the
//! first broken pipe stops further writes, and the run still ends with its verdict's exit code.
//! Not for `record` and `tap` (`app::acknowledges_what_it_writes`): what they write unread
//! they must not acknowledge.

use std::io::{self, Write};

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
    fn a_broken_pipe_is_swallowed_and_other_errors_are_not() {
        let mut out = QuietOnBrokenPipe::new(ClosedPipe);
        assert!(writeln!(out, "report").is_ok());
        assert!(out.flush().is_ok());
        let mut buffer = [0u8; 2];
        let mut full = QuietOnBrokenPipe::new(&mut buffer[..]);
        assert!(write!(full, "too long").is_err());
    }
}
