//! What the crate knows of each contract, and the error of turning bytes into an [`Event`](crate::Event).

use std::borrow::Cow;
use std::fmt;

/// Whether the module the catalog documents publishes or consumes a contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Published,
    Consumed,
}

/// One contract: an event type at one version, with where it travels and its bundled schema.
pub struct Contract {
    /// The `type` field's value, e.g. `dashboard.analytics.metric.recorded`.
    pub event_type: &'static str,
    /// The `version` field's value, e.g. `1.0`.
    pub version: &'static str,
    /// Name of the generated type in [`crate::types`].
    pub rust_name: &'static str,
    /// Module that owns (publishes) the event.
    pub owner: &'static str,
    pub direction: Direction,
    pub exchange: &'static str,
    pub routing_key: &'static str,
    /// Why this version is deprecated and what to use instead, when it is.
    pub deprecated: Option<&'static str>,
    /// The contract's JSON Schema (draft-07) with every `$ref` bundled in.
    pub schema: &'static str,
}

/// Everything but the schema, which is kilobytes: an error that names its contract (and is
/// printed with `{:?}`, as `Box<dyn Error>` in `main` does) stays one line.
impl fmt::Debug for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Contract")
            .field("event_type", &self.event_type)
            .field("version", &self.version)
            .field("rust_name", &self.rust_name)
            .field("owner", &self.owner)
            .field("direction", &self.direction)
            .field("exchange", &self.exchange)
            .field("routing_key", &self.routing_key)
            .field("deprecated", &self.deprecated)
            .field("schema", &format_args!("<{} bytes>", self.schema.len()))
            .finish()
    }
}

/// Why bytes are not an [`Event`](crate::Event).
#[derive(Debug)]
pub enum ParseError {
    /// Not well-formed JSON.
    Json(serde_json::Error),
    /// JSON, but not an object with string `type` and `version` fields.
    NotAnEvent(String),
    /// No contract has this `type`.
    UnknownType { event_type: String },
    /// The `type` is known, but not at this `version`.
    UnknownVersion {
        event_type: String,
        version: String,
        known: Vec<&'static str>,
    },
    /// The event names a known contract but does not match its type.
    Contract {
        contract: &'static Contract,
        source: serde_json::Error,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Json(e) => write!(f, "not JSON: {e}"),
            ParseError::NotAnEvent(why) => write!(f, "not an event: {why}"),
            ParseError::UnknownType { event_type } => write!(f, "unknown event type {event_type:?}"),
            ParseError::UnknownVersion {
                event_type,
                version,
                known,
            } => write!(
                f,
                "unknown version {version:?} of {event_type:?} (known: {})",
                known.join(", ")
            ),
            ParseError::Contract { contract, source } => write!(
                f,
                "does not match {}@{}: {source}",
                contract.event_type, contract.version
            ),
        }
    }
}

impl std::error::Error for ParseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ParseError::Json(e) | ParseError::Contract { source: e, .. } => Some(e),
            _ => None,
        }
    }
}

/// The two fields an event is dispatched on, read without building the rest.
#[derive(serde::Deserialize)]
struct Header<'a> {
    #[serde(rename = "type", borrow, default)]
    event_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    version: Option<Cow<'a, str>>,
}

/// Finds the contract for an event's `type` and `version` among `contracts`.
pub(crate) fn dispatch<I>(
    contracts: I,
    event_type: Option<&str>,
    version: Option<&str>,
) -> Result<&'static Contract, ParseError>
where
    I: IntoIterator<Item = &'static Contract>,
{
    let event_type =
        event_type.ok_or_else(|| ParseError::NotAnEvent("missing string field \"type\"".into()))?;
    let mut known = contracts.into_iter().filter(|c| c.event_type == event_type).peekable();
    if known.peek().is_none() {
        return Err(ParseError::UnknownType {
            event_type: event_type.to_string(),
        });
    }
    let version = version.ok_or_else(|| ParseError::NotAnEvent("missing string field \"version\"".into()))?;
    let mut known_versions = Vec::new();
    for contract in known {
        if contract.version == version {
            return Ok(contract);
        }
        known_versions.push(contract.version);
    }
    Err(ParseError::UnknownVersion {
        event_type: event_type.to_string(),
        version: version.to_string(),
        known: known_versions,
    })
}

/// Reads the dispatch fields of a JSON document.
pub(crate) fn dispatch_slice<I>(contracts: I, bytes: &[u8]) -> Result<&'static Contract, ParseError>
where
    I: IntoIterator<Item = &'static Contract>,
{
    match serde_json::from_slice::<Header<'_>>(bytes) {
        Ok(header) => dispatch(contracts, header.event_type.as_deref(), header.version.as_deref()),
        Err(e) => match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Err(_) => Err(ParseError::Json(e)),
            Ok(_) => Err(ParseError::NotAnEvent(e.to_string())),
        },
    }
}

/// Reads the dispatch fields of a JSON value.
pub(crate) fn dispatch_value<I>(
    contracts: I,
    value: &serde_json::Value,
) -> Result<&'static Contract, ParseError>
where
    I: IntoIterator<Item = &'static Contract>,
{
    let Some(object) = value.as_object() else {
        return Err(ParseError::NotAnEvent("not a JSON object".into()));
    };
    let field = |name: &str| match object.get(name) {
        None => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(ParseError::NotAnEvent(format!("field {name:?} is not a string"))),
    };
    dispatch(contracts, field("type")?, field("version")?)
}
