//! `cargo xtask codegen [--check]`: writes every file derived from schemas/ (the `coder-events`
//! crate in generated/rust/, the `@coder/events` package in generated/typescript/, the event
//! documentation in docs/events/, the JSON report's schema), or checks that each is up to date
//! and names the stale ones.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};

pub const COMMAND: &str = "cargo xtask codegen";

/// Where the generated crate goes, relative to the tree's root.
const CRATE_DIR: &str = "generated/rust";
/// Where the event documentation goes, relative to the tree's root.
const DOCS_DIR: &str = "docs/events";

/// Regenerates every derived file; with `check`, writes nothing and fails naming every stale one.
pub fn run(check: bool) -> Result<()> {
    let root = crate::root::project_root()?;
    let started = Instant::now();
    let stale = generate(&root, check, WithReportSchema::Yes)?;
    if check && !stale.is_empty() {
        let list: Vec<String> = stale.iter().map(|p| format!("  {}", p.display())).collect();
        bail!(
            "{} derived file(s) are out of date with schemas/:\n{}\nrun `{COMMAND}` and commit the result",
            stale.len(),
            list.join("\n")
        );
    }
    let outcome = if stale.is_empty() {
        "every derived file is up to date".to_string()
    } else {
        let list: Vec<String> = stale.iter().map(|p| format!("  {}", p.display())).collect();
        format!("rewrote {} file(s):\n{}\n", stale.len(), list.join("\n"))
    };
    eprintln!(
        "codegen ({}): {outcome} in {:.2?}",
        root.display(),
        started.elapsed()
    );
    Ok(())
}

/// One file derived from the schemas, its path relative to the tree's root.
struct Derived {
    path: PathBuf,
    contents: String,
}

/// Every derived file of the tree at `root`.
fn derived_files(root: &Path) -> Result<Vec<Derived>> {
    let schemas = root.join(codegen::tree::SCHEMAS_DIR);
    let mut files: Vec<Derived> = codegen::generate(&schemas)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .map(|file| Derived {
            path: Path::new(CRATE_DIR).join(file.path),
            contents: file.contents,
        })
        .collect();
    let pages = codegen::docs::render(&schemas).map_err(|e| anyhow::anyhow!("{e}"))?;
    files.extend(pages.into_iter().map(|page| Derived {
        path: Path::new(DOCS_DIR).join(page.file_name),
        contents: page.contents,
    }));
    files.extend(
        crate::typescript::generate(&schemas)?
            .into_iter()
            .map(|(path, contents)| Derived { path, contents }),
    );
    Ok(files)
}

/// Where the JSON report's schema is checked in, relative to the tree's root.
const REPORT_SCHEMA: &str = "conformance/report.schema.json";

/// The JSON report's schema, as `contracts report-schema` prints it. Asked of the binary, built
/// after the crate above is written: xtask links nothing that depends on the generated crate,
/// so a change to the generated API can never leave xtask unable to build and regenerate it.
fn report_schema_file(root: &Path) -> Result<Derived> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "-p",
            "conformance",
            "--bin",
            "contracts",
            "--",
            "report-schema",
        ])
        .current_dir(root)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running contracts report-schema")?;
    if !output.status.success() {
        bail!("contracts report-schema failed: {}", output.status);
    }
    Ok(Derived {
        path: REPORT_SCHEMA.into(),
        contents: String::from_utf8(output.stdout).context("report-schema printed non-UTF-8")?,
    })
}

/// Whether [`generate`] also asks the built binary for the report schema. Tests do not (they
/// must not run cargo from inside cargo; conformance's own tests check that file), and neither
/// does `evolve` on its scratch copy (the file depends on no schema).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WithReportSchema {
    Yes,
    No,
}

/// Generates into the tree at `root`, returning the files that differed, or that are left over
/// from an earlier run and no longer derived (removed unless checking).
pub fn generate(root: &Path, check: bool, report_schema: WithReportSchema) -> Result<Vec<PathBuf>> {
    let mut files = derived_files(root)?;
    let mut stale = Vec::new();
    for file in &files {
        let path = root.join(&file.path);
        if !ensure_file_contents(&path, &file.contents, check)? {
            stale.push(file.path.clone());
        }
    }
    if report_schema == WithReportSchema::Yes {
        let schema = report_schema_file(root)?;
        if !ensure_file_contents(&root.join(&schema.path), &schema.contents, check)? {
            stale.push(schema.path.clone());
        }
        files.push(schema);
    } else {
        // Still derived, if not compared here: not a leftover.
        files.push(Derived {
            path: REPORT_SCHEMA.into(),
            contents: String::new(),
        });
    }
    let derived = |relative: &Path| files.iter().any(|f| f.path == relative);
    let mut leftovers = list_files(&root.join(CRATE_DIR))?;
    leftovers.extend(list_files(&root.join(crate::typescript::PACKAGE_DIR))?);
    // A page in docs/events is ours only when a run of this command wrote it.
    leftovers.extend(
        list_files(&root.join(DOCS_DIR))?
            .into_iter()
            .filter(|page| is_generated_page(page)),
    );
    for existing in leftovers {
        let relative = existing.strip_prefix(root).expect("listed below root");
        if !derived(relative) {
            if !check {
                std::fs::remove_file(&existing)
                    .with_context(|| format!("removing stale {}", existing.display()))?;
            }
            stale.push(relative.to_path_buf());
        }
    }
    Ok(stale)
}

fn is_generated_page(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
        && std::fs::read_to_string(path).is_ok_and(|text| {
            text.lines()
                .next()
                .is_some_and(|first| first == codegen::docs::GENERATED_MARKER)
        })
}

/// Writes `contents` to `path` unless it is already there; returns whether it was up to date.
/// In check mode nothing is written.
pub fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(true);
    }
    if !check {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(false)
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                // Build output and installed packages inside a package are not ours to police.
                let not_derived = path.file_name().is_some_and(|n| {
                    n == "target" || crate::typescript::NOT_DERIVED.iter().any(|d| n == *d)
                });
                if !not_derived {
                    pending.push(path);
                }
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_derived_file_is_up_to_date() {
        let root = crate::root::project_root().expect("the tests run inside the tree");
        let stale = generate(&root, true, WithReportSchema::No).expect("codegen runs");
        assert!(
            stale.is_empty(),
            "derived files are stale ({stale:?}); run `{COMMAND}` and commit the result"
        );
    }

    #[test]
    fn a_stale_file_and_a_leftover_are_named_and_then_fixed() {
        let root = crate::root::project_root().unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let copy = scratch.path();
        crate::scratch::copy_tree(&root, copy).unwrap();
        let page = std::fs::read_dir(copy.join(DOCS_DIR))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| is_generated_page(p))
            .expect("a generated page");
        std::fs::write(&page, "hand edit\n").unwrap();
        let leftover = copy.join(CRATE_DIR).join("src/leftover.rs");
        std::fs::write(&leftover, "// not derived\n").unwrap();
        let relative = |p: &Path| p.strip_prefix(copy).unwrap().to_path_buf();

        let generate = |check| generate(copy, check, WithReportSchema::No).unwrap();
        assert_eq!(generate(true), [relative(&page), relative(&leftover)]);
        assert!(leftover.exists(), "check mode writes nothing");

        assert_eq!(generate(false).len(), 2);
        assert!(!leftover.exists());
        assert_eq!(generate(true), Vec::<PathBuf>::new());
    }
}
