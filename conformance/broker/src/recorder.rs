//! The consuming loop of `contracts record` and `tap`: binds a queue to the exchange, writes
//! each delivery as a recording line, and acknowledges a delivery only once its line is
//! written and flushed (and checked, for `tap`). A process killed at any moment loses
//! nothing that a durable `--queue` holds: what it had not acknowledged is delivered again.
//! A dropped connection is reopened with backoff; a signal, `--limit` or `--duration` stops
//! the loop cleanly (flush, ack, close).

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use futures_lite::StreamExt as _;
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicQosOptions, ExchangeDeclareOptions,
    QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{Channel, Connection, Consumer, ExchangeKind};
use serde::de::IgnoredAny;
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::time::{sleep, sleep_until, Instant};

use super::{connect, is_not_found, line};
use crate::exit::Exit;
use crate::recording::RecordedDelivery;

/// Deliveries written, flushed and acknowledged together: one write and one ack per batch
/// rather than per message, and never more than were already waiting.
const MAX_BATCH: usize = 256;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Where `record` and `tap` consume from, where they write, and when they stop.
pub struct Settings {
    /// `record` or `tap`: the prefix of every stderr line.
    pub command: &'static str,
    pub url: String,
    pub exchange: String,
    pub bindings: Vec<String>,
    pub queue: Option<String>,
    pub prefetch: u16,
    pub limit: Option<u64>,
    pub duration: Option<Duration>,
    /// The recording to append to; `-` is standard output.
    pub out: Option<PathBuf>,
    pub fsync: bool,
}

/// What is done with each line once it is written, before it is acknowledged.
pub trait Observer {
    /// `line` is the recording line (no newline); `number` its line number in the recording
    /// (or, with no recording, the delivery's position in this run, from 1).
    fn delivered(&mut self, line: &[u8], number: u64) -> anyhow::Result<()>;
    /// Called after each batch, before it is acknowledged.
    fn batch_done(&mut self) -> anyhow::Result<()>;
}

/// `record`: nothing to do beyond writing.
struct Nobody;

impl Observer for Nobody {
    fn delivered(&mut self, _: &[u8], _: u64) -> anyhow::Result<()> {
        Ok(())
    }
    fn batch_done(&mut self) -> anyhow::Result<()> {
        Ok(())
    }
}

pub async fn record(settings: &Settings, out: &mut dyn Write) -> anyhow::Result<Exit> {
    run(settings, out, &mut Nobody).await?;
    Ok(Exit::Clean)
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Signal(&'static str),
    Limit,
    Duration,
}

/// Consumes until stopped, then says what it did on stderr. `stdout` is the `-` recording.
/// An `Err` is a failure to write (the recording, or what the observer writes): the run stops
/// at once, having acknowledged only what was written before it, and says how much that was.
pub async fn run(
    settings: &Settings,
    stdout: &mut dyn Write,
    observer: &mut dyn Observer,
) -> anyhow::Result<()> {
    let name = settings.command;
    let mut output = Output::open(settings.out.as_deref(), stdout, settings.fsync, name)?;
    let mut signals = Signals::new()?;
    let deadline = settings.duration.map(|d| Instant::now() + d);
    let mut tally = Tally::default();
    let mut backoff = FIRST_BACKOFF;
    let mut connected_before = false;
    let stop = loop {
        let mut session = match Session::open(settings).await {
            Ok(session) => session,
            // Unreachable at the start is a mistake to report, not a wait.
            Err(e) if !connected_before => return Err(e),
            Err(e) => {
                eprintln!(
                    "{name}: reconnecting failed: {e:#}; next try in {:.1}s",
                    backoff.as_secs_f64()
                );
                if let Some(stop) = pause(backoff, &mut signals, deadline).await {
                    break stop;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        if connected_before {
            eprintln!("{name}: reconnected");
            if settings.queue.is_none() {
                eprintln!(
                    "{name}: warning: messages published while disconnected reached no queue \
                     of this process (--queue NAME keeps them in a durable queue)"
                );
            }
        }
        connected_before = true;
        backoff = FIRST_BACKOFF;
        eprintln!(
            "{name}: queue {} bound to exchange {} with binding key(s) {}",
            session.queue,
            settings.exchange,
            settings.bindings.join(" ")
        );
        let ended = consume(
            &mut session,
            settings,
            &mut output,
            observer,
            &mut tally,
            &mut signals,
            deadline,
        )
        .await;
        let ended = match ended {
            Ok(ended) => ended,
            Err(write_error) => {
                session.close().await;
                eprintln!(
                    "{name}: stopped by a write error after acknowledging {} message{}, each \
                     once it was written; {}",
                    tally.acknowledged,
                    if tally.acknowledged == 1 { "" } else { "s" },
                    match &settings.queue {
                        Some(queue) =>
                            format!("every message not acknowledged stays on queue {queue}"),
                        None => "the messages not acknowledged were on this process's own queue, \
                                 which goes with it (--queue NAME keeps them)"
                            .into(),
                    }
                );
                return Err(write_error);
            }
        };
        match ended {
            Ended::Stopped(stop) => {
                session.close().await;
                break stop;
            }
            Ended::Lost(why) => {
                tally.reconnects += 1;
                eprintln!(
                    "{name}: connection lost: {why}; reconnecting in {:.1}s",
                    backoff.as_secs_f64()
                );
                if let Some(stop) = pause(backoff, &mut signals, deadline).await {
                    break stop;
                }
            }
        }
    };
    output.commit().with_context(|| output.cannot_write())?;
    eprintln!(
        "{name}: {}; stopped by {}",
        tally.describe(),
        stop.describe()
    );
    Ok(())
}

impl Stop {
    fn describe(self) -> String {
        match self {
            Stop::Signal(signal) => signal.to_string(),
            Stop::Limit => "--limit".into(),
            Stop::Duration => "--duration".into(),
        }
    }
}

#[derive(Default)]
struct Tally {
    /// Lines written, acknowledged or not yet.
    messages: u64,
    acknowledged: u64,
    redelivered: u64,
    reconnects: u64,
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Tally {
    fn describe(&self) -> String {
        let mut text = format!(
            "{} message{} ({} redelivered)",
            self.messages,
            if self.messages == 1 { "" } else { "s" },
            self.redelivered
        );
        if let (Some(first), Some(last)) = (self.first, self.last) {
            let seconds = (last - first).as_secs_f64();
            text.push_str(&format!(" in {seconds:.3}s from the first to the last"));
            if seconds > 0.0 && self.messages > 1 {
                text.push_str(&format!(
                    " ({:.0} msg/s)",
                    (self.messages - 1) as f64 / seconds
                ));
            }
        }
        if self.reconnects > 0 {
            text.push_str(&format!(", {} reconnect(s)", self.reconnects));
        }
        text
    }
}

enum Ended {
    Stopped(Stop),
    Lost(String),
}

/// Takes deliveries until stopped or the connection is lost. An `Err` is a failure to write:
/// nothing of the batch in hand is acknowledged.
async fn consume(
    session: &mut Session,
    settings: &Settings,
    output: &mut Output<'_>,
    observer: &mut dyn Observer,
    tally: &mut Tally,
    signals: &mut Signals,
    deadline: Option<Instant>,
) -> anyhow::Result<Ended> {
    loop {
        let room = match settings.limit {
            Some(limit) if tally.messages >= limit => return Ok(Ended::Stopped(Stop::Limit)),
            Some(limit) => usize::try_from(limit - tally.messages).unwrap_or(MAX_BATCH),
            None => MAX_BATCH,
        }
        .min(MAX_BATCH);
        let next = tokio::select! {
            // A flood of deliveries must not keep a signal waiting.
            biased;
            signal = signals.recv() => return Ok(Ended::Stopped(Stop::Signal(signal))),
            () = until(deadline) => return Ok(Ended::Stopped(Stop::Duration)),
            next = session.consumer.next() => next,
        };
        let mut batch: Vec<Delivery> = Vec::new();
        let mut lost = None;
        match next {
            Some(Ok(delivery)) => batch.push(delivery),
            Some(Err(e)) => return Ok(Ended::Lost(e.to_string())),
            None => return Ok(Ended::Lost("the consumer was cancelled".into())),
        }
        // Whatever else has already arrived goes in the same batch; nothing is waited for.
        while batch.len() < room {
            match futures_lite::future::poll_once(session.consumer.next()).await {
                Some(Some(Ok(delivery))) => batch.push(delivery),
                Some(Some(Err(e))) => {
                    lost = Some(e.to_string());
                    break;
                }
                Some(None) => {
                    lost = Some("the consumer was cancelled".into());
                    break;
                }
                None => break,
            }
        }
        let now = Instant::now();
        tally.first.get_or_insert(now);
        for delivery in &batch {
            let line = line::encode(
                delivery.exchange.as_str(),
                delivery.routing_key.as_str(),
                delivery.redelivered,
                &delivery.properties,
                &delivery.data,
            );
            let number = output
                .write_line(&line)
                .with_context(|| output.cannot_write())?;
            observer.delivered(&line, number)?;
            tally.messages += 1;
            tally.redelivered += u64::from(delivery.redelivered);
        }
        output.commit().with_context(|| output.cannot_write())?;
        observer.batch_done()?;
        tally.last = Some(Instant::now());
        let last_tag = batch.last().expect("a batch has a delivery").delivery_tag;
        let ack = BasicAckOptions { multiple: true };
        if let Err(e) = session.channel.basic_ack(last_tag, ack).await {
            // The batch is written; the broker delivers it again, which duplicates it.
            return Ok(Ended::Lost(e.to_string()));
        }
        tally.acknowledged += batch.len() as u64;
        if let Some(why) = lost {
            return Ok(Ended::Lost(why));
        }
    }
}

/// Waits `how_long` unless a signal or the deadline comes first.
async fn pause(
    how_long: Duration,
    signals: &mut Signals,
    deadline: Option<Instant>,
) -> Option<Stop> {
    tokio::select! {
        signal = signals.recv() => Some(Stop::Signal(signal)),
        () = until(deadline) => Some(Stop::Duration),
        () = sleep(how_long) => None,
    }
}

async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    fn new() -> anyhow::Result<Signals> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt()).context("handling SIGINT")?,
            terminate: signal(SignalKind::terminate()).context("handling SIGTERM")?,
        })
    }

    async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}

/// One connection with its consuming channel.
struct Session {
    connection: Connection,
    channel: Channel,
    consumer: Consumer,
    queue: String,
}

impl Session {
    async fn open(settings: &Settings) -> anyhow::Result<Session> {
        let connection = connect(&settings.url, settings.command).await?;
        let channel = ensure_exchange(&connection, settings).await?;
        let queue = match &settings.queue {
            // Durable and shared: every process given the name consumes from it, and what
            // none has acknowledged waits in it.
            Some(name) => channel.queue_declare(
                name.as_str().into(),
                QueueDeclareOptions {
                    durable: true,
                    ..QueueDeclareOptions::default()
                },
                FieldTable::default(),
            ),
            // This process's own, gone with its connection.
            None => channel.queue_declare(
                "".into(),
                QueueDeclareOptions {
                    exclusive: true,
                    auto_delete: true,
                    ..QueueDeclareOptions::default()
                },
                FieldTable::default(),
            ),
        }
        .await
        .context("declaring the queue")?;
        let queue = queue.name().as_str().to_string();
        for key in &settings.bindings {
            channel
                .queue_bind(
                    queue.as_str().into(),
                    settings.exchange.as_str().into(),
                    key.as_str().into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await
                .with_context(|| format!("binding queue {queue} with {key:?}"))?;
        }
        channel
            .basic_qos(settings.prefetch, BasicQosOptions::default())
            .await
            .context("setting the prefetch")?;
        let tag = format!("contracts-{}-{}", settings.command, std::process::id());
        let consumer = channel
            .basic_consume(
                queue.as_str().into(),
                tag.as_str().into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
            .context("consuming from the queue")?;
        Ok(Session {
            connection,
            channel,
            consumer,
            queue,
        })
    }

    /// Closing the channel returns what was delivered but not acknowledged to the queue;
    /// the close handshake also means every ack sent before it has reached the broker.
    async fn close(self) {
        let _ = self.channel.close(200, "OK".into()).await;
        let _ = self.connection.close(200, "OK".into()).await;
    }
}

/// Uses the exchange if it exists, with whatever type and arguments it has; otherwise
/// declares it a durable topic exchange, as `coder.events` is. A failed passive declare
/// closes its channel, so the declaring one is new.
async fn ensure_exchange(connection: &Connection, settings: &Settings) -> anyhow::Result<Channel> {
    let channel = connection.create_channel().await?;
    let passive = ExchangeDeclareOptions {
        passive: true,
        ..ExchangeDeclareOptions::default()
    };
    let name = settings.exchange.as_str();
    match channel
        .exchange_declare(
            name.into(),
            ExchangeKind::Topic,
            passive,
            FieldTable::default(),
        )
        .await
    {
        Ok(()) => Ok(channel),
        Err(e) if is_not_found(&e) => {
            let channel = connection.create_channel().await?;
            let durable = ExchangeDeclareOptions {
                durable: true,
                ..ExchangeDeclareOptions::default()
            };
            channel
                .exchange_declare(
                    name.into(),
                    ExchangeKind::Topic,
                    durable,
                    FieldTable::default(),
                )
                .await
                .with_context(|| format!("declaring exchange {name}"))?;
            eprintln!(
                "{}: exchange {name} did not exist; declared it (topic, durable)",
                settings.command
            );
            Ok(channel)
        }
        Err(e) => Err(e).with_context(|| format!("checking exchange {name}")),
    }
}

/// Where lines go: a file appended to, standard output, or nowhere (`tap` without `--out`).
struct Output<'a> {
    sink: Sink<'a>,
    /// The file's path, or `standard output`, for messages.
    name: String,
    fsync: bool,
    /// The number the next line gets.
    next_line: u64,
}

enum Sink<'a> {
    Nowhere,
    File(BufWriter<File>),
    Stdout(&'a mut dyn Write),
}

impl<'a> Output<'a> {
    fn open(
        path: Option<&Path>,
        stdout: &'a mut dyn Write,
        fsync: bool,
        command: &str,
    ) -> anyhow::Result<Output<'a>> {
        let (sink, lines, name) = match path {
            None => (Sink::Nowhere, 0, String::new()),
            Some(path) if path == Path::new("-") => {
                (Sink::Stdout(stdout), 0, "standard output".into())
            }
            Some(path) => {
                let (file, lines) = open_for_append(path, command)?;
                let sink = Sink::File(BufWriter::with_capacity(1 << 16, file));
                (sink, lines, path.display().to_string())
            }
        };
        Ok(Output {
            sink,
            name,
            fsync,
            next_line: lines + 1,
        })
    }

    fn write_line(&mut self, line: &[u8]) -> io::Result<u64> {
        match &mut self.sink {
            Sink::Nowhere => {}
            Sink::File(writer) => {
                writer.write_all(line)?;
                writer.write_all(b"\n")?;
            }
            Sink::Stdout(out) => {
                out.write_all(line)?;
                out.write_all(b"\n")?;
            }
        }
        self.next_line += 1;
        Ok(self.next_line - 1)
    }

    fn cannot_write(&self) -> String {
        format!("cannot write the recording to {}", self.name)
    }

    /// Flushes what was written to the operating system (and to the disk with `--fsync`).
    fn commit(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Nowhere => Ok(()),
            Sink::File(writer) => {
                writer.flush()?;
                if self.fsync {
                    writer.get_ref().sync_data()?;
                }
                Ok(())
            }
            Sink::Stdout(out) => out.flush(),
        }
    }
}

/// Opens a recording to append to, returning it with the number of lines it holds. Nothing
/// in it is ever changed: a file that is not empty must be a recording (its first line a
/// recording line), or it is refused. A last line without its newline was being written when
/// a recorder was killed; it was never acknowledged, so its message will be delivered again.
/// It is kept, ended with a newline (`check` reports it unreadable), and recording goes on
/// after it.
fn open_for_append(path: &Path, command: &str) -> anyhow::Result<(File, u64)> {
    let opening = || format!("opening {}", path.display());
    let regular = std::fs::metadata(path).map_or(true, |m| m.is_file());
    if !regular {
        // A pipe or a device (/dev/stdout, a FIFO) has no lines to count and may never end
        // when read (/dev/full reads as zeros).
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(opening)?;
        return Ok((file, 0));
    }
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .with_context(opening)?;
    let reading = || format!("reading {}", path.display());
    let mut reader = BufReader::with_capacity(1 << 16, &file);
    let mut first_line = Vec::new();
    reader
        .read_until(b'\n', &mut first_line)
        .with_context(reading)?;
    if let Err(why) = recording_line_start(&first_line) {
        anyhow::bail!(
            "{} is not a recording: {why}; record appends only to a recording, and leaves this \
             file as it is (give --out a new file)",
            path.display()
        );
    }
    let mut lines = u64::from(first_line.ends_with(b"\n"));
    let mut unfinished = if lines == 0 { first_line.len() } else { 0 };
    loop {
        let buffer = reader.fill_buf().with_context(reading)?;
        if buffer.is_empty() {
            break;
        }
        lines += memchr::memchr_iter(b'\n', buffer).count() as u64;
        unfinished = match memchr::memrchr(b'\n', buffer) {
            Some(last) => buffer.len() - last - 1,
            None => unfinished + buffer.len(),
        };
        let read = buffer.len();
        reader.consume(read);
    }
    if unfinished > 0 {
        file.write_all(b"\n")
            .with_context(|| format!("writing {}", path.display()))?;
        lines += 1;
        eprintln!(
            "{command}: the last line of {} is unfinished ({unfinished} bytes, left by an \
             interrupted recorder: its message was not acknowledged, and comes again); it is \
             kept as it is, and recording goes on after it, on line {}",
            path.display(),
            lines + 1
        );
    }
    Ok((file, lines))
}

/// Whether a file's first line (with its newline, if it has one) is a recording's: empty (a
/// new file), a recording line, or an unfinished line that begins as `record` begins every
/// line (a recorder killed while writing its first).
fn recording_line_start(first_line: &[u8]) -> Result<(), String> {
    if first_line.is_empty() {
        return Ok(());
    }
    match first_line.strip_suffix(b"\n") {
        Some(line) => serde_json::from_slice::<RecordedDelivery<IgnoredAny>>(line)
            .map(|_| ())
            .map_err(|e| format!("its first line is not a recording line ({e})")),
        None if first_line.starts_with(RECORDING_LINE_START) => Ok(()),
        None => Err(format!(
            "its only line is unfinished and does not begin as a recording line does ({})",
            String::from_utf8_lossy(RECORDING_LINE_START)
        )),
    }
}

/// How `line::encode` begins every line.
const RECORDING_LINE_START: &[u8] = b"{\"exchange\":";

#[cfg(test)]
mod tests {
    use super::*;

    fn recording_line(routing_key: &str) -> String {
        let line = line::encode("x", routing_key, false, &Default::default(), b"1");
        String::from_utf8(line).unwrap()
    }

    #[test]
    fn appending_keeps_an_unfinished_line_and_goes_on_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let (a, b, d) = (
            recording_line("a"),
            recording_line("b"),
            recording_line("d"),
        );
        let unfinished = r#"{"exchange":"x","rout"#;
        std::fs::write(&path, format!("{a}\n{b}\n{unfinished}")).unwrap();
        let (mut file, lines) = open_for_append(&path, "test").unwrap();
        assert_eq!(lines, 3, "the unfinished line, ended, is the third");
        file.write_all(format!("{d}\n").as_bytes()).unwrap();
        drop(file);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{a}\n{b}\n{unfinished}\n{d}\n")
        );
        let (_, lines) = open_for_append(&path, "test").unwrap();
        assert_eq!(lines, 4);
        let (_, lines) = open_for_append(&dir.path().join("new.jsonl"), "test").unwrap();
        assert_eq!(lines, 0);
    }

    #[test]
    fn a_file_that_is_not_a_recording_is_refused_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        for content in ["key = value", "{\"a\":1}\n", "\n", "{\"exchange\":\"x\"}\n"] {
            let path = dir.path().join("f");
            std::fs::write(&path, content).unwrap();
            let error = open_for_append(&path, "test").unwrap_err().to_string();
            assert!(error.contains("is not a recording"), "{content:?}: {error}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
        }
    }

    #[test]
    fn an_unfinished_first_line_is_known_by_how_every_line_begins() {
        assert!(recording_line("k")
            .as_bytes()
            .starts_with(RECORDING_LINE_START));
        assert!(recording_line_start(br#"{"exchange":"x","ro"#).is_ok());
        assert!(recording_line_start(b"{\"exch").is_err());
    }
}
