//! The one exit status every command ends with: 0 clean, 1 findings at error severity (or
//! messages the broker would not route), 2 trouble (a usage error, unreadable input, a refusal).

/// How a run ended, as the process reports it to its caller (a shell, CI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// Everything conforms; nothing at error severity.
    Clean,
    /// At least one finding at error severity.
    Findings,
    /// The run could not do its job: a usage error, input it could not read.
    Trouble,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Findings => 1,
            Exit::Trouble => 2,
        }
    }
}

impl From<Exit> for u8 {
    fn from(exit: Exit) -> u8 {
        exit.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_ones() {
        assert_eq!(
            [Exit::Clean, Exit::Findings, Exit::Trouble].map(Exit::code),
            [0, 1, 2]
        );
    }
}
