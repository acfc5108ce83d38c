//! What the crate knows of each contract, and the error of turning bytes into an [`Event`](crate::Event).

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

/// What a violation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ViolationKind {
    /// The event breaks its contract's schema.
    Schema,
    /// An object of the event has a key twice: JSON parsers disagree on which value counts,
    /// so no contract accepts it.
    DuplicateKey,
    /// The value is not an object with string `type` and `version`.
    NotAnEvent,
    /// No contract has the event's `type`.
    UnknownType,
    /// The `type` is known, but not at this `version`.
    UnknownVersion,
}

/// One way an event breaks its contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// JSON pointer to the offending part of the event (`""` is the whole event).
    pub instance_path: String,
    /// JSON pointer to the keyword in the contract's bundled schema (`""` when no schema applies).
    pub schema_path: String,
    /// The JSON Schema keyword that failed (`required`, `format`, ...), `duplicateKey`, or
    /// `type`/`version` for an unknown contract.
    pub keyword: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance_path.is_empty() { "/" } else { &self.instance_path };
        write!(f, "{at}: {} ({})", self.message, self.keyword)
    }
}

impl Violation {
    /// The violation an unreadable or unknown event amounts to.
    pub(crate) fn from_parse_error(error: &ParseError) -> Violation {
        let (kind, instance_path, keyword) = match error {
            ParseError::UnknownType { .. } => (ViolationKind::UnknownType, "/type", "type"),
            ParseError::UnknownVersion { .. } => (ViolationKind::UnknownVersion, "/version", "version"),
            ParseError::Contract { violation, .. } => return violation.clone(),
            _ => (ViolationKind::NotAnEvent, "", "type"),
        };
        Violation {
            kind,
            instance_path: instance_path.to_string(),
            schema_path: String::new(),
            keyword: keyword.to_string(),
            message: error.to_string(),
        }
    }

    /// The engine's first failure, as a violation.
    pub(crate) fn from_failure(failure: crate::engine::Failure) -> Violation {
        Violation {
            kind: ViolationKind::Schema,
            instance_path: failure.instance_path,
            schema_path: failure.schema_path,
            keyword: failure.keyword.to_string(),
            message: failure.message,
        }
    }

    /// A repeated key, at the object holding it (`pointer`).
    pub fn duplicate_key(pointer: String, key: &str) -> Violation {
        Violation {
            kind: ViolationKind::DuplicateKey,
            instance_path: pointer,
            schema_path: String::new(),
            keyword: "duplicateKey".into(),
            message: format!("the key {key:?} appears twice in the object"),
        }
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
    /// The event names a contract and breaks it: the first violation found (every one is in
    /// [`validate`](crate::validate)'s answer).
    Contract {
        contract: &'static Contract,
        violation: Violation,
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
            ParseError::Contract {
                contract,
                violation,
            } => write!(
                f,
                "does not match {}@{}: {violation}",
                contract.event_type, contract.version
            ),
        }
    }
}

impl std::error::Error for ParseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ParseError::Json(e) => Some(e),
            _ => None,
        }
    }
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

/// Reads the dispatch fields of the value at `at` on a tape.
pub(crate) fn dispatch_view<I>(
    contracts: I,
    view: &crate::engine::View<'_>,
    at: usize,
) -> Result<&'static Contract, ParseError>
where
    I: IntoIterator<Item = &'static Contract>,
{
    if !matches!(view.node(at), crate::engine::Node::Object { .. }) {
        return Err(ParseError::NotAnEvent("not a JSON object".into()));
    }
    let field = |name: &str| match view.get(at, name) {
        None => Ok(None),
        Some(i) => view
            .str(i)
            .map(Some)
            .ok_or_else(|| ParseError::NotAnEvent(format!("field {name:?} is not a string"))),
    };
    dispatch(contracts, field("type")?, field("version")?)
}
