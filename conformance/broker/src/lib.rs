//! The live broker: `contracts record` writes what a RabbitMQ queue bound to the exchange
//! receives in the recording format, `tap` checks it as it arrives, `replay` publishes a
//! recording back. AMQP is lapin on a single-threaded tokio runtime: one consumer or publisher
//! per process, so there is nothing for more threads to do (scale out with processes on a
//! shared queue instead, see `RECORDING.md`).

pub mod line;
pub mod recorder;
pub mod replay;
pub mod tap;

use std::io::Write;

use anyhow::Context as _;
use lapin::protocol::{AMQPErrorKind, AMQPSoftError};
use lapin::types::{LongString, MAX_SHORT_STRING_LENGTH};
use lapin::uri::AMQPUri;
use lapin::{Connection, ConnectionProperties, ErrorKind};

// The traffic checker and the findings framework, under the names this crate's modules use.
use contracts_findings::exit;
use contracts_traffic::{check, input, recording, report};

use crate::check::CheckSettings;
use crate::exit::Exit;

/// `--url`'s default: the local broker's default vhost as the guest user.
pub const DEFAULT_URL: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";

/// `contracts record`: appends what the queue receives to `settings.out`.
pub fn record(settings: &recorder::Settings, out: &mut dyn Write) -> anyhow::Result<Exit> {
    runtime()?.block_on(recorder::record(settings, out))
}

/// `contracts tap`: checks each delivery with `check` settings made for it (see
/// [`tap::keep`]), reporting on `out` in `format`.
pub fn tap(
    settings: &recorder::Settings,
    check: &CheckSettings,
    format: report::Format,
    out: &mut dyn Write,
) -> anyhow::Result<Exit> {
    anyhow::ensure!(
        settings.out.as_deref() != Some(std::path::Path::new("-")),
        "tap prints its report on standard output: give --out a file"
    );
    runtime()?.block_on(tap::tap(settings, check, format, out))
}

/// `contracts replay`: publishes a recording with confirms.
pub fn replay(settings: &replay::Settings) -> anyhow::Result<Exit> {
    runtime()?.block_on(replay::replay(settings))
}

/// One thread: lapin runs its socket on a thread of its own, and the rest is one loop.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Connects, naming the connection after the command so that the management UI and
/// `rabbitmqctl list_connections` tell who it is.
async fn connect(url: &str, command: &str) -> anyhow::Result<Connection> {
    let name = format!("contracts {command} (pid {})", std::process::id());
    let properties = ConnectionProperties::default().with_connection_name(LongString::from(name));
    Connection::connect(url, properties)
        .await
        .with_context(|| format!("cannot connect to {}", redact(url)))
}

/// Whether the broker answered that what was asked for (an exchange, a queue) does not exist.
fn is_not_found(e: &lapin::Error) -> bool {
    matches!(e.kind(), ErrorKind::ProtocolError(amqp)
        if *amqp.kind() == AMQPErrorKind::Soft(AMQPSoftError::NOTFOUND))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => url.to_string(),
    }
}

/// Why `name` cannot be an AMQP short string (an exchange, queue or binding key): longer than
/// 255 bytes, which the AMQP client cannot even encode. The value is not repeated: it is long,
/// by definition.
pub fn short_string_refusal(name: &str) -> Option<String> {
    (name.len() > MAX_SHORT_STRING_LENGTH).then(|| {
        format!(
            "it is {} bytes; AMQP carries it in a short string, which holds at most \
             {MAX_SHORT_STRING_LENGTH}",
            name.len()
        )
    })
}

/// Why the AMQP URI `url` cannot be used: its vhost does not fit the short string the broker
/// takes it as. A URI that does not parse is left for the connection to report, with its
/// password hidden; so is this refusal, which does not repeat the URI.
pub fn url_refusal(url: &str) -> Option<String> {
    let uri = url.parse::<AMQPUri>().ok()?;
    (uri.vhost.len() > MAX_SHORT_STRING_LENGTH).then(|| {
        format!(
            "its vhost is {} bytes; AMQP carries it in a short string, which \
             holds at most {MAX_SHORT_STRING_LENGTH}",
            uri.vhost.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("amqp://guest:secret@127.0.0.1:5672/%2f"),
            "amqp://guest:***@127.0.0.1:5672/%2f"
        );
        assert_eq!(
            redact("amqp://127.0.0.1:5672/%2f"),
            "amqp://127.0.0.1:5672/%2f"
        );
    }
}
