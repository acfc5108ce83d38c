//! The progress bar of a long `check`: drawn on stderr, only when stderr is a terminal, and
//! only once a run has lasted long enough to need one, so short runs, pipes, CI logs and
//! stdout (where the report goes) never see it.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A run shorter than this shows no bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    /// Bytes read from the input files so far, counted by the readers.
    read: Arc<AtomicU64>,
    records: u64,
    started: Instant,
    /// Whether the bar may be drawn at all: stderr is a terminal.
    may_show: bool,
    shown: bool,
}

impl Progress {
    /// A bar over `total_bytes` of input files (`None`: standard input is among them, so the
    /// total is unknown and a spinner counts bytes instead).
    pub fn new(total_bytes: Option<u64>) -> Progress {
        let bar = ProgressBar::with_draw_target(total_bytes, ProgressDrawTarget::hidden());
        let template = match total_bytes {
            Some(_) => "{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left) {msg}",
            None => "{spinner} {bytes} read ({bytes_per_sec}) {msg}",
        };
        bar.set_style(ProgressStyle::with_template(template).expect("a valid template"));
        Progress {
            bar,
            read: Arc::new(AtomicU64::new(0)),
            records: 0,
            started: Instant::now(),
            may_show: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// The counter the input readers add the bytes they read to.
    pub fn bytes_read(&self) -> &Arc<AtomicU64> {
        &self.read
    }

    /// Called after each batch of `records` records is checked.
    pub fn advance(&mut self, records: usize) {
        self.records += records as u64;
        if !self.shown && self.may_show && self.started.elapsed() >= SHOW_AFTER {
            self.shown = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if self.shown {
            self.bar.set_position(self.read.load(Ordering::Relaxed));
            self.bar.set_message(format!("{} records", self.records));
        }
    }

    /// Removes the bar, so that nothing of it stays above what is printed next.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
