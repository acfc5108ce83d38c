//! `cargo xtask evolve`: what a user does to add a contract version and a brand-new contract,
//! done on a scratch copy of the tree by writing files only (the scaffold commands, then edits
//! to the files they wrote), followed by every check that must then pass: codegen, lint,
//! examples, breaking against the untouched tree (additions, not breaks), docs, a typed parse
//! of both through the regenerated crate, built as a consumer builds it. Nothing else in the
//! tree may need to change. `cargo xtask ci` runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};
use codegen::catalog::{Catalog, CATALOG_FILE};

use crate::ordered::Json;
use crate::scaffold::{Version, PLACEHOLDER};
use crate::scratch;

/// The type of the brand-new contract the scratch copy gets.
const NEW_TYPE: &str = "evolution.probe.happened";
/// The field the new version of an existing contract requires.
const NEW_FIELD: &str = "evolutionNote";
/// How many events of each added contract the agreement probe draws (each with its mutations).
const AGREEMENT_EVENTS: usize = 200;

/// The probe crate's `main.rs`: the added contracts' examples (`/*EXAMPLES*/`) and the drawn
/// cases (`/*DRAWN*/`, a JSON array of events written as JSON) through the regenerated crate.
const PROBE_MAIN: &str = r#"//! Parses each valid example of the added contracts into its `Event` variant, and holds the
//! engine, the typed parse and jsonschema equal on events drawn from their schemas.
const CASES: &[(&str, &str, &[u8])] = &[
/*EXAMPLES*/
];

const DRAWN: &str = include_str!(/*DRAWN*/);

fn main() {
    for (event_type, version, bytes) in CASES {
        let event = coder_events::Event::from_slice(bytes)
            .unwrap_or_else(|e| panic!("{event_type} {version}: {e}"));
        assert_eq!((event.event_type(), event.version()), (*event_type, *version));
    }
    println!("typed parse: {} examples of the added contracts parsed", CASES.len());
    let drawn: Vec<String> = serde_json::from_str(DRAWN).expect("the drawn cases");
    let (mut accepted, mut disagreements) = (0, 0);
    for case in &drawn {
        let bytes = case.as_bytes();
        let value: serde_json::Value = serde_json::from_slice(bytes).expect("drawn as JSON");
        let oracle = match (value["type"].as_str(), value["version"].as_str()) {
            (Some(t), Some(v)) => coder_events::validator_for(t, v)
                .is_some_and(|c| c.validator().is_valid(&value)),
            _ => false,
        };
        let engine = coder_events::check_slice(bytes).conforms();
        let typed = coder_events::Event::from_slice(bytes).is_ok();
        if engine != oracle || typed != oracle {
            eprintln!("disagree (jsonschema {oracle}, engine {engine}, typed parse {typed}): {case}");
            disagreements += 1;
        }
        accepted += usize::from(oracle);
    }
    println!(
        "agreement: {} drawn cases of the added contracts ({accepted} valid), {disagreements} disagreements",
        drawn.len()
    );
    assert_eq!(disagreements, 0, "the engine, the typed parse and jsonschema disagree");
    assert!(accepted > 0 && accepted < drawn.len(), "drawn cases both valid and not");
}
"#;

pub fn run(root: &Path) -> Result<()> {
    let scratch_dir = tempfile::Builder::new()
        .prefix("contracts-evolve-")
        .tempdir()
        .context("creating a scratch directory")?;
    let copy = scratch_dir.path().join("tree");
    scratch::copy_tree(root, &copy)?;
    let schemas = copy.join(codegen::tree::SCHEMAS_DIR);
    let catalog = Catalog::load(&schemas).map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(first) = catalog.contracts.first() else {
        bail!("the catalog lists no contract to add a version to");
    };
    let existing_type = first.event_type.clone();
    let latest = catalog
        .contracts
        .iter()
        .filter(|c| c.event_type == existing_type)
        .filter_map(|c| Version::parse(&c.version))
        .max()
        .context("the first contract's versions are MAJOR.MINOR")?;
    let new_version = Version {
        major: latest.major + 1,
        minor: 0,
    }
    .to_string();
    step(&format!(
        "evolve: new-version {existing_type} {new_version}, then require {NEW_FIELD}"
    ));
    xtask(&copy, &["new-version", &existing_type, &new_version])?;
    let version_dir = schemas
        .join("contracts")
        .join(&existing_type)
        .join(&new_version);
    require_new_field(&version_dir)?;

    step(&format!(
        "evolve: new-contract {NEW_TYPE}, then fill in its placeholders"
    ));
    xtask(
        &copy,
        &[
            "new-contract",
            NEW_TYPE,
            "--owner",
            &catalog.module,
            "--direction",
            "published",
        ],
    )?;
    let contract_dir = schemas.join("contracts").join(NEW_TYPE).join("1.0");
    fill_in_new_contract(&schemas, &contract_dir)?;

    // What `cargo xtask codegen` does, but for the report schema, which depends on no schema (it
    // would take building the whole scratch workspace to ask its binary for the same file).
    step("evolve: codegen");
    let rewrote = crate::codegen::generate(&copy, false, crate::codegen::WithReportSchema::No)?;
    eprintln!(
        "codegen: rewrote {} file(s) in the scratch copy",
        rewrote.len()
    );
    for args in [
        &["lint"][..],
        &["examples"][..],
        &[
            "breaking",
            "--against",
            &root.join("schemas").display().to_string(),
        ][..],
        &["docs", "--check"][..],
    ] {
        step(&format!("evolve: contracts {}", args.join(" ")));
        contracts(root, &copy, args)?;
    }

    step(
        "evolve: gen-traffic draws from both, and check finds all of it conforming with --schemas",
    );
    let traffic = scratch_dir.path().join("traffic.jsonl");
    xtask(
        &copy,
        &[
            "gen-traffic",
            "--events",
            "3000",
            "--problem-one-in",
            "0",
            "--out",
            &traffic.display().to_string(),
        ],
    )?;
    let report = contracts_output(
        root,
        &copy,
        &[
            "check",
            "--format",
            "json",
            "--schemas",
            &schemas.display().to_string(),
            &traffic.display().to_string(),
        ],
    )?;
    let report: serde_json::Value = serde_json::from_slice(&report).context("the JSON report")?;
    for (event_type, version) in [
        (existing_type.as_str(), new_version.as_str()),
        (NEW_TYPE, "1.0"),
    ] {
        let seen = report["coverage"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["eventType"] == event_type && c["version"] == version)
            .and_then(|c| c["messages"].as_u64())
            .unwrap_or(0);
        ensure!(
            seen > 0,
            "gen-traffic made no event of {event_type} {version}"
        );
    }

    step("evolve: only the schemas, their examples, the catalog and derived files changed");
    let allowed = |path: &Path| {
        path == Path::new("schemas").join(CATALOG_FILE)
            || path.starts_with(
                Path::new("schemas/contracts")
                    .join(&existing_type)
                    .join(&new_version),
            )
            || path.starts_with(Path::new("schemas/contracts").join(NEW_TYPE))
            || path.starts_with("generated/rust")
            || path.starts_with(crate::typescript::PACKAGE_DIR)
            || path.starts_with("docs/events")
    };
    let changed = scratch::changed_files(root, &copy)?;
    let outside: Vec<&PathBuf> = changed.iter().filter(|p| !allowed(p)).collect();
    ensure!(
        outside.is_empty(),
        "adding a version and a contract changed other files: {outside:?}"
    );

    step(
        "evolve: through the regenerated crate, built as a consumer builds it: a typed parse of \
         both contracts' examples, and the engine, the typed parse and jsonschema agreeing on \
         events drawn from both schemas and every mutation of them",
    );
    let mut cases = Vec::new();
    for (event_type, version, dir) in [
        (existing_type.as_str(), new_version.as_str(), &version_dir),
        (NEW_TYPE, "1.0", &contract_dir),
    ] {
        for file in json_files(&dir.join("examples/valid"))? {
            cases.push(format!(
                "    ({event_type:?}, {version:?}, include_bytes!({:?})),",
                file.display().to_string()
            ));
        }
    }
    let sources = crate::gen_traffic::Sources::load(&schemas)?;
    let mut drawn = Vec::new();
    for (event_type, version) in [
        (existing_type.as_str(), new_version.as_str()),
        (NEW_TYPE, "1.0"),
    ] {
        drawn.extend(sources.cases(event_type, version, AGREEMENT_EVENTS, 1)?);
    }
    let drawn_file = scratch_dir.path().join("drawn.json");
    std::fs::write(&drawn_file, serde_json::to_string(&drawn)?)?;
    let main_rs = PROBE_MAIN
        .replace("/*EXAMPLES*/", &cases.join("\n"))
        .replace(
            "/*DRAWN*/",
            &format!("{:?}", drawn_file.display().to_string()),
        );
    scratch::run_probe_crate(
        &scratch_dir.path().join("probe"),
        &copy.join("generated/rust"),
        &root.join("Cargo.lock"),
        &main_rs,
        &root.join("target/probe"),
    )?;

    step("evolve: the regenerated TypeScript package type-checks (strict) and parses the same examples");
    let mut examples = Vec::new();
    for (event_type, version, dir) in [
        (existing_type.as_str(), new_version.as_str(), &version_dir),
        (NEW_TYPE, "1.0", &contract_dir),
    ] {
        for file in json_files(&dir.join("examples/valid"))? {
            examples.push(serde_json::json!([event_type, version, file]));
        }
    }
    typescript_parse(root, &copy.join(crate::typescript::PACKAGE_DIR), &examples)?;

    step("evolve: the TypeScript type tests on the regenerated package (a type with two versions)");
    typescript_type_tests(root, &copy)?;
    eprintln!(
        "evolve: a new version and a new contract needed only schema, example and catalog files"
    );
    Ok(())
}

/// Runs the TypeScript package's type tests (`codegen/typescript/tests/types.test.mjs`: every
/// contract's events built, broken and narrowed under `tsc --strict`) in the scratch copy, whose
/// catalog now has a type with two versions. The copy borrows the tree's installed packages.
fn typescript_type_tests(root: &Path, copy: &Path) -> Result<()> {
    let modules = copy.join("node_modules");
    if !modules.exists() {
        std::os::unix::fs::symlink(root.join("node_modules"), &modules)
            .context("linking the tree's node_modules into the scratch copy")?;
    }
    let status = Command::new("node")
        .args(["--test", "codegen/typescript/tests/types.test.mjs"])
        .current_dir(copy)
        .status()
        .context("running node --test")?;
    ensure!(
        status.success(),
        "the TypeScript type tests fail on the regenerated package"
    );
    Ok(())
}

/// Builds the scratch copy's TypeScript package with the tree's tools (the copy has no installed
/// packages: types and ajv come from the tree's node_modules) and parses each example with its
/// `parseEvent`, which must give the event of the named type and version.
fn typescript_parse(root: &Path, package: &Path, examples: &[serde_json::Value]) -> Result<()> {
    crate::typescript::ensure_installed(root)?;
    let modules = root.join("node_modules");
    let status = Command::new("node")
        .arg(modules.join("typescript/bin/tsc"))
        .arg("-p")
        .arg(package)
        .arg("--typeRoots")
        .arg(modules.join("@types"))
        .status()
        .context("running tsc")?;
    ensure!(
        status.success(),
        "tsc rejects the regenerated TypeScript package"
    );
    let script = r#"
        const [index, cases] = process.argv.slice(1);
        const { parseEvent } = await import(index);
        const { readFileSync } = await import("node:fs");
        for (const [type, version, file] of JSON.parse(cases)) {
          const result = parseEvent(readFileSync(file));
          if (!result.ok || result.event.type !== type || result.event.version !== version) {
            throw new Error(`${file}: ${JSON.stringify(result)}`);
          }
        }
        console.log(`typescript parse: ${JSON.parse(cases).length} examples of the added contracts parsed`);
    "#;
    let index = package.join("dist/index.js");
    let status = Command::new("node")
        .args(["--input-type=module", "-e", script])
        .arg(format!("file://{}", index.display()))
        .arg(serde_json::Value::Array(examples.to_vec()).to_string())
        // The package's own `require` of ajv's runtime helpers, from the tree's packages.
        .env("NODE_PATH", &modules)
        .status()
        .context("running node")?;
    ensure!(
        status.success(),
        "parseEvent of the regenerated package rejects an added example"
    );
    Ok(())
}

fn step(what: &str) {
    eprintln!("==> {what}");
}

/// Runs this very xtask binary in the scratch tree, as `cargo xtask` would there.
fn xtask(tree: &Path, args: &[&str]) -> Result<()> {
    let exe = std::env::current_exe().context("finding the xtask binary")?;
    let status = Command::new(exe).args(args).current_dir(tree).status()?;
    ensure!(
        status.success(),
        "cargo xtask {} failed in {}",
        args.join(" "),
        tree.display()
    );
    Ok(())
}

/// Runs the workspace's `contracts` binary with the scratch tree as its current directory.
fn contracts(root: &Path, tree: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .args(["-p", "conformance", "--bin", "contracts", "--"])
        .args(args)
        .current_dir(tree)
        .status()?;
    ensure!(
        status.success(),
        "contracts {} exited with {status} in {}",
        args.join(" "),
        tree.display()
    );
    Ok(())
}

/// Runs `contracts` in the scratch tree and returns its standard output; it must exit 0.
fn contracts_output(root: &Path, tree: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .args(["-p", "conformance", "--bin", "contracts", "--"])
        .args(args)
        .current_dir(tree)
        .stderr(std::process::Stdio::inherit())
        .output()?;
    ensure!(
        output.status.success(),
        "contracts {} exited with {} in {}",
        args.join(" "),
        output.status,
        tree.display()
    );
    Ok(output.stdout)
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut Json) -> Result<()>) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut json = Json::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
    edit(&mut json)?;
    std::fs::write(path, json.to_pretty()).with_context(|| format!("writing {}", path.display()))
}

/// Adds a required string field to `data` (or the event, when it has no `data` object) of the
/// schema, and gives it a value in every example that has the object.
fn require_new_field(version_dir: &Path) -> Result<()> {
    let holder_of = |json: &Json| -> Option<&'static str> {
        match json.get("properties")?.get("data") {
            Some(data) if data.get("properties").is_some() => Some("data"),
            _ => None,
        }
    };
    let mut holder = None;
    edit_json(&version_dir.join("schema.json"), |schema| {
        holder = holder_of(schema);
        let object = match holder {
            Some(name) => schema
                .get_mut("properties")
                .and_then(|p| p.get_mut(name))
                .context("the data property")?,
            None => schema,
        };
        let field = Json::object([
            ("type", Json::string("string")),
            ("minLength", Json::Scalar(1.into())),
            (
                "description",
                Json::string("A note every event of this version carries"),
            ),
        ]);
        object
            .get_mut("properties")
            .context("properties")?
            .set(NEW_FIELD, field);
        match object.get_mut("required") {
            Some(Json::Array(required)) => required.push(Json::string(NEW_FIELD)),
            _ => object.set("required", Json::Array(vec![Json::string(NEW_FIELD)])),
        }
        Ok(())
    })?;
    for kind in ["valid", "invalid"] {
        for file in json_files(&version_dir.join("examples").join(kind))? {
            edit_json(&file, |example| {
                let event = if kind == "valid" {
                    Some(example)
                } else {
                    example.get_mut("event")
                };
                let target = match holder {
                    Some(name) => event.and_then(|e| e.get_mut(name)),
                    None => event,
                };
                if let Some(object @ Json::Object(_)) = target {
                    object.set(NEW_FIELD, Json::string("added in the new version"));
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// Replaces every placeholder the scaffold left in the catalog and the schema with prose, and
/// gives `data` two required fields that every example carries: a count, and a subject that is
/// one of two closed objects (`oneOf`); `data` itself is closed (`additionalProperties: false`).
fn fill_in_new_contract(schemas: &Path, contract_dir: &Path) -> Result<()> {
    fn fill(json: &mut Json) {
        match json {
            Json::Scalar(serde_json::Value::String(s)) if s.contains(PLACEHOLDER) => {
                *s = "Filled in by cargo xtask evolve".into();
            }
            Json::Scalar(_) => {}
            Json::Array(items) => items.iter_mut().for_each(fill),
            Json::Object(pairs) => pairs.iter_mut().for_each(|(_, v)| fill(v)),
        }
    }
    edit_json(&schemas.join(CATALOG_FILE), |catalog| {
        fill(catalog);
        Ok(())
    })?;
    edit_json(&contract_dir.join("schema.json"), |schema| {
        fill(schema);
        let data = schema
            .get_mut("properties")
            .and_then(|p| p.get_mut("data"))
            .context("the scaffold writes a data property")?;
        data.get_mut("properties").context("data.properties")?.set(
            "count",
            Json::object([
                ("type", Json::string("integer")),
                ("minimum", Json::Scalar(0.into())),
                ("description", Json::string("How many times it happened")),
            ]),
        );
        let subject = |kind: &str, id: &str| {
            Json::object([
                ("type", Json::string("object")),
                (
                    "properties",
                    Json::object([
                        (
                            "kind",
                            Json::object([
                                ("const", Json::string(kind)),
                                ("description", Json::string("Which kind of subject")),
                            ]),
                        ),
                        (
                            id,
                            Json::object([
                                ("type", Json::string("string")),
                                ("format", Json::string("uuid")),
                                ("description", Json::string("The subject's id")),
                            ]),
                        ),
                    ]),
                ),
                (
                    "required",
                    Json::Array(vec![Json::string("kind"), Json::string(id)]),
                ),
                ("additionalProperties", Json::Scalar(false.into())),
            ])
        };
        data.get_mut("properties").context("data.properties")?.set(
            "subject",
            Json::object([
                ("description", Json::string("What it happened to")),
                (
                    "oneOf",
                    Json::Array(vec![
                        subject("widget", "widgetId"),
                        subject("dashboard", "dashboardId"),
                    ]),
                ),
            ]),
        );
        data.set(
            "required",
            Json::Array(vec![Json::string("count"), Json::string("subject")]),
        );
        data.set("additionalProperties", Json::Scalar(false.into()));
        Ok(())
    })?;
    for kind in ["valid", "invalid"] {
        for file in json_files(&contract_dir.join("examples").join(kind))? {
            edit_json(&file, |example| {
                let event = if kind == "valid" {
                    Some(example)
                } else {
                    example.get_mut("event")
                };
                if let Some(data @ Json::Object(_)) = event.and_then(|e| e.get_mut("data")) {
                    data.set("count", Json::Scalar(1.into()));
                    data.set(
                        "subject",
                        Json::object([
                            ("kind", Json::string("widget")),
                            (
                                "widgetId",
                                Json::string("6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f"),
                            ),
                        ]),
                    );
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}
