//! The live broker: `contracts record` writes what a RabbitMQ queue bound to the exchange
//! receives in the recording format, `tap` checks it as it arrives, `replay` publishes a
//! recording back. AMQP is lapin on a single-threaded tokio runtime: one consumer or publisher
//! per process, so there is nothing for more threads to do (scale out with processes on a
//! shared queue instead, see `RECORDING.md`).

pub mod fields;
pub mod line;
pub mod recorder;
pub mod replay;
pub mod tap;
pub mod unpublishable;

use std::io::Write;
use std::time::Duration;

use anyhow::Context as _;
use lapin::protocol::{AMQPErrorKind, AMQPSoftError};
use lapin::types::LongString;
use lapin::{Connection, ConnectionProperties, ErrorKind};

use crate::cli::{RecordArgs, ReplayArgs, TapArgs};

/// `--url`'s default: the local broker's default vhost as the guest user.
pub const DEFAULT_URL: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";

pub fn record(args: RecordArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let settings = recorder::Settings::new("record", args.consume, Some(args.out));
    runtime()?.block_on(recorder::record(&settings, out))
}

pub fn tap(args: TapArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    anyhow::ensure!(
        args.out.as_deref() != Some(std::path::Path::new("-")),
        "tap prints its report on standard output: give --out a file"
    );
    let settings = recorder::Settings::new("tap", args.consume, args.out);
    runtime()?.block_on(tap::tap(&settings, &args.common, out))
}

pub fn replay(args: ReplayArgs) -> anyhow::Result<u8> {
    runtime()?.block_on(replay::replay(&args))
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

/// `30s`, `5m`, `1h`, `250ms`, or a number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{s:?} is not a duration such as 30s, 5m, 1h or 250ms"))?;
    let seconds = match unit {
        "" | "s" => number,
        "ms" => number / 1000.0,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        other => return Err(format!("unknown unit {other:?}: use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{s:?}: {e}"))
}

/// `100` or `100/s`: messages a second, more than zero.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let number = s.trim().strip_suffix("/s").unwrap_or(s.trim());
    match number.parse::<f64>() {
        Ok(rate) if rate > 0.0 && rate.is_finite() => Ok(rate),
        _ => Err(format!(
            "{s:?} is not a rate such as 100/s (messages a second)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_rates_parse() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3d").is_err());
        assert_eq!(parse_rate("100/s"), Ok(100.0));
        assert_eq!(parse_rate("0.5"), Ok(0.5));
        assert!(parse_rate("0/s").is_err());
        assert!(parse_rate("fast").is_err());
    }

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
