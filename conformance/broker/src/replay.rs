//! `contracts replay`: publishes a recording back to the broker, each message with its
//! original routing key, properties, typed headers and exact body bytes, with publisher
//! confirms, to drive a consumer under test. Every line is read before anything is published
//! (except from standard input), so a bad line does not leave half a recording published: a
//! malformed one, or one holding what RabbitMQ refuses to carry (`unpublishable`). Each bad
//! line is reported, not just the first.

use std::collections::{BTreeSet, VecDeque};
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{anyhow, Context as _};
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, ExchangeDeclareOptions};
use lapin::types::{FieldTable, ShortString};
use lapin::{Channel, Confirmation, Connection, ExchangeKind, PublisherConfirm};
use tokio::time::{sleep_until, Instant};

use super::line::{self, Publication};
use super::{connect, is_not_found};
use crate::exit::Exit;
use crate::input::sources::{self, Source, SourceKind};

/// Publications awaiting their confirm at most: enough to keep the link busy, few enough
/// that a failure is noticed soon after it happens.
const CONFIRM_WINDOW: usize = 1024;

/// What `replay` publishes, where, and how fast.
pub struct Settings {
    /// The recording (`-`: standard input; gzip is decompressed).
    pub path: PathBuf,
    /// The broker, as an AMQP URI.
    pub url: String,
    /// Every message goes to this exchange instead of the one it was recorded from.
    pub exchange: Option<String>,
    /// At most this many messages a second (`None`: as fast as confirms come).
    pub rate: Option<f64>,
}

pub async fn replay(args: &Settings) -> anyhow::Result<Exit> {
    let sources = sources::expand(std::slice::from_ref(&args.path));
    let from_stdin = sources.iter().any(|s| matches!(s.kind, SourceKind::Stdin));
    let override_exchange = args
        .exchange
        .as_deref()
        .map(ShortString::try_new)
        .transpose()?;
    // The exchanges to publish to, when they are known before publishing: all of them.
    let mut exchanges: BTreeSet<ShortString> = override_exchange.iter().cloned().collect();
    if !from_stdin {
        let mut lines = 0u64;
        let mut problems = 0u64;
        for publication in Publications::new(&sources) {
            match publication {
                Ok(publication) => {
                    lines += 1;
                    if override_exchange.is_none() {
                        exchanges.insert(publication.exchange);
                    }
                }
                Err(problem) => {
                    problems += 1;
                    eprintln!("replay: {problem:#}");
                }
            }
        }
        if problems > 0 {
            eprintln!(
                "replay: {problems} problem{} in {}; nothing was published",
                if problems == 1 { "" } else { "s" },
                args.path.display()
            );
            return Ok(Exit::Trouble);
        }
        if lines == 0 {
            eprintln!("replay: {} holds no message", args.path.display());
            return Ok(Exit::Clean);
        }
    }
    let connection = connect(&args.url, "replay").await?;
    let mut existing = ExistingExchanges::default();
    for exchange in &exchanges {
        existing
            .check(&connection, exchange)
            .await
            .context("nothing was published")?;
    }
    let channel = connection.create_channel().await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .context("enabling publisher confirms")?;
    let mut tally = Tally::default();
    let mut pending: VecDeque<PublisherConfirm> = VecDeque::new();
    let start = Instant::now();
    for publication in Publications::new(&sources) {
        let publication = publication.with_context(|| tally.so_far())?;
        if let Some(rate) = args.rate {
            sleep_until(start + Duration::from_secs_f64(tally.published as f64 / rate)).await;
        }
        let exchange = override_exchange.clone().unwrap_or(publication.exchange);
        existing
            .check(&connection, &exchange)
            .await
            .with_context(|| tally.so_far())?;
        // Mandatory: a message no queue takes comes back, and is counted, not lost quietly.
        let options = BasicPublishOptions {
            mandatory: true,
            ..BasicPublishOptions::default()
        };
        let published = channel
            .basic_publish(
                exchange,
                publication.routing_key,
                options,
                &publication.body,
                publication.properties,
            )
            .await;
        let confirm = match published {
            Ok(confirm) => confirm,
            Err(failure) => {
                let why = why_the_channel_failed(&mut pending, failure).await;
                return Err(anyhow!("publishing: {why}; {}", tally.so_far()));
            }
        };
        tally.published += 1;
        pending.push_back(confirm);
        if pending.len() >= CONFIRM_WINDOW {
            let oldest = pending.pop_front().expect("the window is full");
            tally.confirmed(oldest.await)?;
        }
    }
    while let Some(confirm) = pending.pop_front() {
        tally.confirmed(confirm.await)?;
    }
    let seconds = start.elapsed().as_secs_f64();
    let _ = channel.close(200, "OK".into()).await;
    let _ = connection.close(200, "OK".into()).await;
    eprintln!(
        "replay: {} published and confirmed in {seconds:.3}s ({:.0} msg/s); {} returned \
         unroutable, {} refused (nack)",
        tally.published,
        tally.published as f64 / seconds.max(f64::EPSILON),
        tally.unroutable,
        tally.nacked
    );
    Ok(if tally.nacked > 0 {
        Exit::Trouble
    } else if tally.unroutable > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// Why publishing failed. When the broker closes the channel (a message it refuses, e.g. one
/// whose userId is not the publishing user), publishing says only "invalid channel state";
/// the confirms still awaited fail with the broker's own reason.
async fn why_the_channel_failed(
    pending: &mut VecDeque<PublisherConfirm>,
    failure: lapin::Error,
) -> lapin::Error {
    while let Some(confirm) = pending.pop_front() {
        if let Err(reason) = confirm.await {
            return reason;
        }
    }
    failure
}

/// The exchanges known to exist, each checked once, before the first message to it: a
/// message to a missing exchange closes the channel, and every publication after it fails
/// saying only "invalid channel state".
#[derive(Default)]
struct ExistingExchanges {
    known: BTreeSet<ShortString>,
    /// For passive declares; a failed one closes it, and the replay stops.
    channel: Option<Channel>,
}

impl ExistingExchanges {
    async fn check(
        &mut self,
        connection: &Connection,
        exchange: &ShortString,
    ) -> anyhow::Result<()> {
        // The default exchange always exists, and cannot be declared.
        if exchange.as_str().is_empty() || self.known.contains(exchange) {
            return Ok(());
        }
        let channel = match &self.channel {
            Some(channel) => channel,
            None => self.channel.insert(connection.create_channel().await?),
        };
        let passive = ExchangeDeclareOptions {
            passive: true,
            ..ExchangeDeclareOptions::default()
        };
        match channel
            .exchange_declare(
                exchange.clone(),
                ExchangeKind::Topic,
                passive,
                FieldTable::default(),
            )
            .await
        {
            Ok(()) => {
                self.known.insert(exchange.clone());
                Ok(())
            }
            Err(e) if is_not_found(&e) => {
                Err(anyhow!("exchange {exchange} does not exist on the broker"))
            }
            Err(e) => Err(e).with_context(|| format!("checking exchange {exchange}")),
        }
    }
}

#[derive(Default)]
struct Tally {
    published: u64,
    acked: u64,
    unroutable: u64,
    nacked: u64,
}

impl Tally {
    fn confirmed(&mut self, confirmation: lapin::Result<Confirmation>) -> anyhow::Result<()> {
        match confirmation.map_err(|e| anyhow!("waiting for a confirm: {e}; {}", self.so_far()))? {
            Confirmation::Ack(returned) => {
                self.acked += 1;
                self.unroutable += u64::from(returned.is_some());
            }
            Confirmation::Nack(_) => self.nacked += 1,
            Confirmation::NotRequested => unreachable!("confirms are enabled"),
        }
        Ok(())
    }

    fn so_far(&self) -> String {
        format!(
            "{} published, {} confirmed before this",
            self.published, self.acked
        )
    }
}

/// The publications of every line of every source in order, each an error naming its line
/// if it cannot be read or published. Blank lines are skipped.
struct Publications<'a> {
    sources: std::slice::Iter<'a, Source>,
    current: Option<(&'a Source, Box<dyn BufRead>, u64)>,
}

impl<'a> Publications<'a> {
    fn new(sources: &'a [Source]) -> Publications<'a> {
        Publications {
            sources: sources.iter(),
            current: None,
        }
    }
}

impl Iterator for Publications<'_> {
    type Item = anyhow::Result<Publication>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some((source, reader, line_number)) = &mut self.current else {
                let source = self.sources.next()?;
                if let SourceKind::Unreadable(why) = &source.kind {
                    return Some(Err(anyhow!("{}: {why}", source.name)));
                }
                match sources::open(source) {
                    Ok(reader) => self.current = Some((source, reader, 0)),
                    Err(e) => return Some(Err(anyhow!("{}: cannot open: {e}", source.name))),
                }
                continue;
            };
            let mut bytes = Vec::new();
            *line_number += 1;
            match reader.read_until(b'\n', &mut bytes) {
                Ok(0) => self.current = None,
                Ok(_) if bytes.iter().all(u8::is_ascii_whitespace) => {}
                Ok(_) => {
                    let at = format!("{}:{line_number}", source.name);
                    return Some(line::decode(&bytes).with_context(|| at));
                }
                Err(e) => {
                    let at = format!("{}:{line_number}", source.name);
                    // A reader that failed may fail again forever: the rest of it is skipped.
                    self.current = None;
                    return Some(Err(anyhow!("{at}: read error: {e}")));
                }
            }
        }
    }
}
