//! `cargo xtask new-version` and `cargo xtask new-contract`: write the schema, examples and
//! catalog entry of a new contract version, so that adding one is copying and editing files the
//! tools already understand. What they write passes `contracts lint`, except the places a person
//! must fill in, which say [`PLACEHOLDER`] (lint rule LINT016 finds every one left).

use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use codegen::catalog::{
    Catalog, Compatibility, Consumer, Contract, Direction, Module, CATALOG_FILE,
};

use crate::ordered::Json;

pub use codegen::PLACEHOLDER;

#[derive(Debug, clap::Args)]
pub struct NewVersionArgs {
    /// The event type, e.g. dashboard.updated.
    pub event_type: String,
    /// The new version, MAJOR.MINOR, e.g. 2.0.
    pub version: String,
    /// The generated Rust type's name (default: the latest version's, with this version's
    /// suffix, e.g. DashboardUpdatedV2).
    #[arg(long)]
    pub rust_name: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewContractArgs {
    /// The event type, e.g. dashboard.shared: also its routing key.
    pub event_type: String,
    /// The module that publishes it (added to the catalog's modules if it is not there).
    #[arg(long)]
    pub owner: String,
    /// Whether the catalog's module publishes or consumes it.
    #[arg(long, value_enum)]
    pub direction: DirectionArg,
    /// The generated Rust type's name (default: from the type's last two words, e.g.
    /// DashboardSharedV1).
    #[arg(long)]
    pub rust_name: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DirectionArg {
    Published,
    Consumed,
}

/// A version as the catalog writes it, ordered numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let (major, minor) = text.split_once('.')?;
        let number = |s: &str| {
            (!s.is_empty()
                && s.bytes().all(|b| b.is_ascii_digit())
                && (s == "0" || !s.starts_with('0')))
            .then(|| s.parse().ok())
            .flatten()
        };
        Some(Version {
            major: number(major)?,
            minor: number(minor)?,
        })
    }

    /// The suffix of a Rust type name: `V2` for 2.0, `V2Minor1` for 2.1.
    fn rust_suffix(self) -> String {
        match self.minor {
            0 => format!("V{}", self.major),
            minor => format!("V{}Minor{minor}", self.major),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// What a scaffold wrote, relative to the schemas directory.
pub struct Written {
    pub files: Vec<PathBuf>,
    pub contract: String,
}

impl Written {
    pub fn print(&self, verb: &str) {
        eprintln!("{verb} {}:", self.contract);
        for file in &self.files {
            let shown = Path::new(codegen::tree::SCHEMAS_DIR).join(file);
            eprintln!("  wrote {}", shown.display());
        }
        eprintln!(
            "next: edit the schema and its examples (and every {PLACEHOLDER}), then `cargo xtask codegen` and `cargo xtask ci`"
        );
    }
}

fn load_catalog(schemas: &Path) -> Result<Catalog> {
    Catalog::load(schemas).map_err(|e| anyhow::anyhow!("{e}"))
}

fn write_catalog(schemas: &Path, catalog: &Catalog) -> Result<()> {
    let mut text = serde_json::to_string_pretty(catalog)?;
    text.push('\n');
    let path = schemas.join(CATALOG_FILE);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

fn read_json(path: &Path) -> Result<Json> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Json::parse(&text).with_context(|| format!("parsing {}", path.display()))
}

fn write_json(path: &Path, json: &Json) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, json.to_pretty()).with_context(|| format!("writing {}", path.display()))
}

/// `contracts/<type>/<version>`, where LINT004 wants a contract's files.
fn contract_dir(event_type: &str, version: &str) -> PathBuf {
    PathBuf::from("contracts").join(event_type).join(version)
}

/// The `version` property of a contract schema: a const of its own, so a new version needs no
/// shared definition.
fn version_property(version: &str) -> Json {
    Json::object([
        ("type", Json::string("string")),
        ("const", Json::string(version)),
        (
            "description",
            Json::string(format!("Contract version {version}")),
        ),
    ])
}

fn ensure_rust_name_free(catalog: &Catalog, name: &str) -> Result<()> {
    ensure!(
        !catalog.contracts.iter().any(|c| c.rust_name == name),
        "the Rust name {name} is taken; choose another with --rust-name"
    );
    Ok(())
}

/// Adds `version` of an existing type: the latest version's schema and examples, copied with the
/// new version, and its catalog entry next to the latest one's.
pub fn new_version(schemas: &Path, args: &NewVersionArgs) -> Result<Written> {
    let mut catalog = load_catalog(schemas)?;
    let version = Version::parse(&args.version)
        .with_context(|| format!("{:?} is not a version: MAJOR.MINOR, e.g. 2.0", args.version))?;
    let versions: Vec<(usize, Version)> = catalog
        .contracts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.event_type == args.event_type)
        .filter_map(|(i, c)| Some((i, Version::parse(&c.version)?)))
        .collect();
    let Some(&(latest_at, _)) = versions.iter().max_by_key(|(_, v)| *v) else {
        bail!(
            "{} is not in {CATALOG_FILE}; add it with `cargo xtask new-contract`",
            args.event_type
        );
    };
    ensure!(
        !versions.iter().any(|(_, v)| *v == version),
        "{} {version} is already in {CATALOG_FILE}",
        args.event_type
    );
    let latest = catalog.contracts[latest_at].clone();
    let rust_name = match &args.rust_name {
        Some(name) => name.clone(),
        None => format!(
            "{}{}",
            strip_version_suffix(&latest.rust_name),
            version.rust_suffix()
        ),
    };
    ensure_rust_name_free(&catalog, &rust_name)?;
    let new_version = version.to_string();
    let dir = contract_dir(&args.event_type, &new_version);
    let mut files = Vec::new();

    // The schema: the latest one, naming the new version.
    let mut schema = read_json(&schemas.join(&latest.schema))?;
    if let Some(id) = schema.get("$id").and_then(Json::as_str) {
        let id = id.replace(
            &format!("/{}/", latest.version),
            &format!("/{new_version}/"),
        );
        schema.set("$id", Json::string(id));
    }
    if let Some(title) = schema.get("title").and_then(Json::as_str) {
        let title = title.replace(
            &format!("(v{})", latest.version),
            &format!("(v{new_version})"),
        );
        schema.set("title", Json::string(title));
    }
    match schema.get_mut("properties") {
        Some(properties) => properties.set("version", version_property(&new_version)),
        None => bail!("{} has no properties", latest.schema.display()),
    }
    let schema_file = dir.join("schema.json");
    write_json(&schemas.join(&schema_file), &schema)?;
    files.push(schema_file);

    // The examples: the latest version's, carrying the new version. An example labelled with
    // a wrong version keeps being wrong: it names a version no catalog entry of the type has.
    let known: Vec<String> = versions.iter().map(|(_, v)| v.to_string()).collect();
    let wrong_version = wrong_version(&known, &new_version);
    for kind in ["valid", "invalid"] {
        let from_dir = schemas.join(&latest.examples).join(kind);
        let mut names: Vec<PathBuf> = match std::fs::read_dir(&from_dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e).with_context(|| format!("listing {}", from_dir.display())),
        };
        names.sort();
        for from in names
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let mut example = read_json(from)?;
            // An example of the new version is a new event: its own id, so that traffic made
            // of both versions' examples has no id with two contents.
            let event = if kind == "valid" {
                Some(&mut example)
            } else {
                example.get_mut("event")
            };
            if let Some(event) = event {
                if let Some(id) = event.get("id").and_then(Json::as_str).map(str::to_string) {
                    event.set("id", Json::string(id_for_version(&id, &new_version)));
                }
            }
            if kind == "valid" {
                example.set("version", Json::string(&new_version));
            } else {
                let labelled_path = example
                    .get("expect")
                    .and_then(|e| e.get("instancePath"))
                    .and_then(Json::as_str)
                    .map(str::to_string);
                let Some(event) = example.get_mut("event") else {
                    bail!("{} has no \"event\"", from.display());
                };
                if labelled_path.as_deref() == Some("/version") {
                    let old = event
                        .get("version")
                        .and_then(Json::as_str)
                        .map(str::to_string);
                    event.set("version", Json::string(&wrong_version));
                    if let (Some(old), Some(description)) = (
                        old,
                        example
                            .get("description")
                            .and_then(Json::as_str)
                            .map(str::to_string),
                    ) {
                        example.set(
                            "description",
                            Json::string(description.replace(&old, &wrong_version)),
                        );
                    }
                } else if event.get("version").is_some() {
                    event.set("version", Json::string(&new_version));
                }
            }
            let to = dir
                .join("examples")
                .join(kind)
                .join(from.file_name().expect("a listed file has a name"));
            write_json(&schemas.join(&to), &example)?;
            files.push(to);
        }
    }

    let mut entry = latest.clone();
    entry.version = new_version.clone();
    entry.rust_name = rust_name;
    entry.deprecated = None;
    entry.schema = dir.join("schema.json");
    entry.examples = dir.join("examples");
    catalog.contracts.insert(latest_at + 1, entry);
    write_catalog(schemas, &catalog)?;
    files.push(CATALOG_FILE.into());
    Ok(Written {
        files,
        contract: format!("{} {new_version}", args.event_type),
    })
}

/// The id an example copied to `version` gets: the original's, its last twelve hex digits
/// replaced by a hash of both, so every copy differs and the same copy is made every time. An
/// id that is no uuid (an example of a bad id) keeps being one.
fn id_for_version(id: &str, version: &str) -> String {
    if id.len() != 36 || !id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return id.to_string();
    }
    // FNV-1a over the id and the version.
    let hash = id
        .bytes()
        .chain(std::iter::once(b'@'))
        .chain(version.bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{}{:012x}", &id[..24], hash & 0xffff_ffff_ffff)
}

/// A version string that names no version of the type, for an example that must carry a wrong one.
fn wrong_version(known: &[String], new_version: &str) -> String {
    (0..)
        .map(|minor| format!("0.{minor}"))
        .chain((9..).map(|major| format!("{major}.9")))
        .find(|v| v != new_version && !known.contains(v))
        .expect("an unbounded supply of versions")
}

/// `DashboardUpdatedV1` → `DashboardUpdated`; `DashboardUpdatedV2Minor1` → `DashboardUpdated`.
fn strip_version_suffix(name: &str) -> &str {
    let without_minor = match name.rfind("Minor") {
        Some(at) if name[at + 5..].bytes().all(|b| b.is_ascii_digit()) && at + 5 < name.len() => {
            &name[..at]
        }
        _ => name,
    };
    let digits = without_minor
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    let stem = &without_minor[..without_minor.len() - digits];
    match stem.strip_suffix('V') {
        Some(base) if digits > 0 && !base.is_empty() => base,
        _ => name,
    }
}

/// `dashboard.shared` → `DashboardShared`, from the type's last two words.
fn upper_camel(words: &[&str]) -> String {
    words
        .iter()
        .flat_map(|w| w.split(['-', '_']))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().expect("non-empty").to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect()
}

fn is_event_type(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|word| {
            word.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// Adds a new event type at version 1.0: a minimal schema on the shared envelope (the envelope
/// properties as the catalog's other contracts write them), a valid example and invalid ones
/// built from it, and a catalog entry whose prose is left to fill in.
pub fn new_contract(schemas: &Path, args: &NewContractArgs) -> Result<Written> {
    let mut catalog = load_catalog(schemas)?;
    let event_type = args.event_type.as_str();
    ensure!(
        is_event_type(event_type),
        "{event_type:?} is not an event type: dot-separated lowercase words, e.g. dashboard.shared"
    );
    ensure!(
        !catalog.contracts.iter().any(|c| c.event_type == event_type),
        "{event_type} is already in {CATALOG_FILE}; add a version with `cargo xtask new-version`"
    );
    ensure!(
        is_event_type(&args.owner) && !args.owner.contains('.'),
        "{:?} is not a module name: lowercase words joined by '-', e.g. dashboard-analytics",
        args.owner
    );
    let words: Vec<&str> = event_type.split('.').collect();
    let rust_name = match &args.rust_name {
        Some(name) => name.clone(),
        None => {
            let short = format!("{}V1", upper_camel(&words[words.len().saturating_sub(2)..]));
            if catalog.contracts.iter().any(|c| c.rust_name == short) {
                format!("{}V1", upper_camel(&words))
            } else {
                short
            }
        }
    };
    ensure_rust_name_free(&catalog, &rust_name)?;
    let version = "1.0";
    let dir = contract_dir(event_type, version);
    let mut files = Vec::new();

    let schema = new_schema(schemas, &catalog, event_type, &args.owner)?;
    let schema_file = dir.join("schema.json");
    write_json(&schemas.join(&schema_file), &schema)?;
    files.push(schema_file);

    let event = example_event(event_type, &args.owner);
    let valid = dir.join("examples/valid/01-minimal.json");
    write_json(&schemas.join(&valid), &event)?;
    files.push(valid);
    for (name, description, instance_path, keyword, edit) in invalid_examples() {
        let mut broken = event.clone();
        edit(&mut broken);
        let example = Json::object([
            ("description", Json::string(description)),
            (
                "expect",
                Json::object([
                    ("instancePath", Json::string(instance_path)),
                    ("keyword", Json::string(keyword)),
                ]),
            ),
            ("event", broken),
        ]);
        let path = dir.join("examples/invalid").join(name);
        write_json(&schemas.join(&path), &example)?;
        files.push(path);
    }

    if !catalog.modules.iter().any(|m| m.name == args.owner) {
        catalog.modules.push(Module {
            name: args.owner.clone(),
            title: format!("{PLACEHOLDER}: the {} module's title", args.owner),
            overview: format!("{PLACEHOLDER}: what the {} module publishes", args.owner),
            guideline: None,
            related_documentation: Vec::new(),
            document_version: None,
            last_updated: None,
        });
    }
    let direction = match args.direction {
        DirectionArg::Published => Direction::Published,
        DirectionArg::Consumed => Direction::Consumed,
    };
    let consumers = match direction {
        Direction::Published => Vec::new(),
        Direction::Consumed => {
            let module = catalog
                .modules
                .iter()
                .find(|m| m.name == catalog.module)
                .map_or_else(|| catalog.module.clone(), |m| format!("{} module", m.title));
            vec![Consumer {
                module: catalog.module.clone(),
                name: module,
                handler: format!("{PLACEHOLDER}: what the handler does with it"),
            }]
        }
    };
    catalog.contracts.push(Contract {
        event_type: event_type.to_string(),
        version: version.to_string(),
        rust_name,
        owner: args.owner.clone(),
        direction,
        exchange: catalog.exchange.clone(),
        routing_key: event_type.to_string(),
        description: format!("{PLACEHOLDER}: a few words, e.g. Dashboard shared"),
        summary: format!("{PLACEHOLDER}: when it is emitted, in one sentence"),
        triggered_when: vec![format!("{PLACEHOLDER}: what makes it happen")],
        publisher: None,
        consumers,
        compatibility: Compatibility::Backward,
        deprecated: None,
        schema: dir.join("schema.json"),
        examples: dir.join("examples"),
    });
    write_catalog(schemas, &catalog)?;
    files.push(CATALOG_FILE.into());
    Ok(Written {
        files,
        contract: format!("{event_type} {version}"),
    })
}

/// The envelope properties every contract shares, as most of the catalog's contracts write
/// them (by `$ref` to the shared envelope); `source` as the owner's other contracts write it.
fn new_schema(schemas: &Path, catalog: &Catalog, event_type: &str, owner: &str) -> Result<Json> {
    let mut shared: Vec<(String, Vec<Json>)> = Vec::new();
    let mut owner_source = None;
    let mut id_base = None;
    for contract in &catalog.contracts {
        let schema = read_json(&schemas.join(&contract.schema))?;
        if id_base.is_none() {
            id_base = schema.get("$id").and_then(Json::as_str).and_then(|id| {
                let at = id.find("contracts/")?;
                Some(id[..at].to_string())
            });
        }
        let Some(Json::Object(properties)) = schema.get("properties") else {
            continue;
        };
        for (name, property) in properties {
            match name.as_str() {
                "type" | "version" | "data" => {}
                "source" => {
                    if contract.owner == owner && owner_source.is_none() {
                        owner_source = Some(property.clone());
                    }
                }
                _ => match shared.iter_mut().find(|(n, _)| n == name) {
                    Some((_, seen)) => seen.push(property.clone()),
                    None => shared.push((name.clone(), vec![property.clone()])),
                },
            }
        }
    }
    let most_common = |seen: &[Json]| {
        seen.iter()
            .max_by_key(|candidate| seen.iter().filter(|s| s == candidate).count())
            .cloned()
    };
    let envelope = |name: &str, fallback: Json| {
        shared
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, seen)| most_common(seen))
            .unwrap_or(fallback)
    };
    let string_with = |format: &str, description: &str| {
        Json::object([
            ("type", Json::string("string")),
            ("format", Json::string(format)),
            ("description", Json::string(description)),
        ])
    };
    let source = owner_source.unwrap_or_else(|| {
        Json::object([
            ("type", Json::string("object")),
            (
                "description",
                Json::string(format!("The publishing service: the {owner} module")),
            ),
            (
                "properties",
                Json::object([(
                    "service",
                    Json::object([
                        ("type", Json::string("string")),
                        ("const", Json::string(owner)),
                        (
                            "description",
                            Json::string("Name of the publishing service"),
                        ),
                    ]),
                )]),
            ),
        ])
    });
    let title = format!("{} (v1.0)", sentence(event_type));
    let mut schema = Json::object([
        (
            "$schema",
            Json::string("http://json-schema.org/draft-07/schema#"),
        ),
        (
            "$id",
            Json::string(format!(
                "{}contracts/{event_type}/1.0/schema.json",
                id_base.unwrap_or_else(|| "https://schemas.coder.events/".into())
            )),
        ),
        ("title", Json::string(title)),
        (
            "description",
            Json::string(format!(
                "{PLACEHOLDER}: what the event means and who publishes it"
            )),
        ),
        ("type", Json::string("object")),
        (
            "required",
            Json::Array(
                [
                    "id",
                    "type",
                    "version",
                    "timestamp",
                    "tenantId",
                    "source",
                    "data",
                ]
                .into_iter()
                .map(Json::string)
                .collect(),
            ),
        ),
    ]);
    schema.set(
        "properties",
        Json::object([
            (
                "id",
                envelope("id", string_with("uuid", "Unique event identifier")),
            ),
            (
                "type",
                Json::object([
                    ("type", Json::string("string")),
                    ("const", Json::string(event_type)),
                    (
                        "description",
                        Json::string("Event type; also the routing key on coder.events"),
                    ),
                ]),
            ),
            ("version", version_property("1.0")),
            (
                "timestamp",
                envelope("timestamp", string_with("date-time", "ISO 8601 timestamp")),
            ),
            (
                "tenantId",
                envelope("tenantId", string_with("uuid", "Tenant ID")),
            ),
            ("source", source),
            (
                "data",
                Json::object([
                    ("type", Json::string("object")),
                    (
                        "description",
                        Json::string(format!("{PLACEHOLDER}: the event's payload")),
                    ),
                    ("required", Json::Array(Vec::new())),
                    ("properties", Json::Object(Vec::new())),
                ]),
            ),
        ]),
    );
    Ok(schema)
}

/// `dashboard.shared` → `Dashboard shared`.
fn sentence(event_type: &str) -> String {
    let words = event_type.replace(['.', '-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn example_event(event_type: &str, owner: &str) -> Json {
    Json::object([
        ("id", Json::string("00000000-0000-4000-8000-000000000001")),
        ("type", Json::string(event_type)),
        ("version", Json::string("1.0")),
        ("timestamp", Json::string("2026-01-23T10:00:00Z")),
        (
            "tenantId",
            Json::string("123e4567-e89b-12d3-a456-426614174000"),
        ),
        ("source", Json::object([("service", Json::string(owner))])),
        ("data", Json::Object(Vec::new())),
    ])
}

type Edit = fn(&mut Json);

/// Invalid examples every new contract starts with: one violation of the envelope each.
fn invalid_examples() -> [(&'static str, &'static str, &'static str, &'static str, Edit); 6] {
    [
        (
            "01-wrong-type-const.json",
            "type names another event",
            "/type",
            "const",
            |e| {
                let wrong = format!(
                    "{}.other",
                    e.get("type").and_then(Json::as_str).unwrap_or("")
                );
                e.set("type", Json::string(wrong));
            },
        ),
        (
            "02-wrong-version.json",
            "version 0.0 is not this contract",
            "/version",
            "const",
            |e| {
                e.set("version", Json::string("0.0"));
            },
        ),
        (
            "03-missing-id.json",
            "id is required",
            "",
            "required",
            |e| {
                e.remove("id");
            },
        ),
        (
            "04-bad-uuid-id.json",
            "id is not a uuid",
            "/id",
            "format",
            |e| {
                e.set("id", Json::string("not-a-uuid"));
            },
        ),
        (
            "05-bad-date-time.json",
            "timestamp is not a date-time",
            "/timestamp",
            "format",
            |e| {
                e.set("timestamp", Json::string("2026-01-23 10:00"));
            },
        ),
        (
            "06-data-not-object.json",
            "data is an object",
            "/data",
            "type",
            |e| {
                e.set("data", Json::string("payload"));
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order_numerically() {
        assert!(Version::parse("1.10").unwrap() > Version::parse("1.9").unwrap());
        assert_eq!(Version::parse("2.0").unwrap().to_string(), "2.0");
        for bad in ["2", "2.", ".1", "v2.0", "2.0.1", "02.0", "2.x"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn rust_names_take_the_new_version() {
        assert_eq!(
            strip_version_suffix("DashboardUpdatedV1"),
            "DashboardUpdated"
        );
        assert_eq!(
            strip_version_suffix("DashboardUpdatedV12Minor3"),
            "DashboardUpdated"
        );
        assert_eq!(strip_version_suffix("Versionless"), "Versionless");
        assert_eq!(Version::parse("2.0").unwrap().rust_suffix(), "V2");
        assert_eq!(Version::parse("2.1").unwrap().rust_suffix(), "V2Minor1");
        assert_eq!(upper_camel(&["metric", "recorded"]), "MetricRecorded");
        assert_eq!(upper_camel(&["big-thing_done"]), "BigThingDone");
    }

    #[test]
    fn copied_examples_get_ids_of_their_own() {
        let id = "550e8400-e29b-41d4-a716-446655440000";
        let copied = id_for_version(id, "2.0");
        assert_ne!(copied, id);
        assert_eq!(copied, id_for_version(id, "2.0"));
        assert_ne!(copied, id_for_version(id, "3.0"));
        assert!(uuid::Uuid::parse_str(&copied).is_ok() && copied.len() == 36);
        assert_eq!(id_for_version("not-a-uuid", "2.0"), "not-a-uuid");
    }

    #[test]
    fn a_wrong_version_names_no_version_of_the_type() {
        let known = ["0.0".to_string(), "1.0".to_string()];
        assert_eq!(wrong_version(&known, "0.1"), "0.2");
    }
}
