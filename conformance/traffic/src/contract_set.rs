//! The contracts a run checks against: the ones compiled into `coder-events`, or those of a
//! schemas directory read at run time (`--schemas DIR`), bundled exactly as the codegen bundles
//! them. Also which contracts of a tree differ from the compiled-in ones, so a traffic command
//! run inside a tree whose schemas changed says so.

use std::path::Path;

use coder_events::{Contract, ContractSet, Direction};

/// The contracts of the schemas directory `schemas_dir`. Each contract and its bundled schema
/// live as long as the process: a run loads its contracts once.
pub fn load(schemas_dir: &Path) -> Result<ContractSet, codegen::Error> {
    let (_, bundled) = codegen::load(schemas_dir)?;
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let contracts = bundled
        .iter()
        .map(|b| {
            let c = &b.contract;
            let contract: &'static Contract = Box::leak(Box::new(Contract {
                event_type: leak(&c.event_type),
                version: leak(&c.version),
                rust_name: leak(&c.rust_name),
                owner: leak(&c.owner),
                direction: match c.direction {
                    codegen::catalog::Direction::Published => Direction::Published,
                    codegen::catalog::Direction::Consumed => Direction::Consumed,
                },
                exchange: leak(&c.exchange),
                routing_key: leak(&c.routing_key),
                deprecated: c.deprecated.as_deref().map(leak),
                schema: leak(&codegen::render::bundled_schema_text(&b.schema)),
            }));
            contract
        })
        .collect();
    ContractSet::new(contracts).map_err(|e| {
        let file = bundled
            .iter()
            .find(|b| {
                b.contract.event_type == e.contract.event_type
                    && b.contract.version == e.contract.version
            })
            .map_or_else(
                || schemas_dir.to_path_buf(),
                |b| schemas_dir.join(&b.contract.schema),
            );
        codegen::Error::new(
            codegen::ErrorKind::Unsupported,
            file,
            e.error.message.clone(),
        )
        .at_pointer(e.error.pointer.clone())
    })
}

/// How the contracts of a tree differ from the compiled-in ones: `type@version` with what
/// differs, one per contract, in catalog order (empty when they are the same).
pub fn differences(tree: &ContractSet, compiled: &ContractSet) -> Vec<String> {
    let mut out = Vec::new();
    for c in tree.contracts() {
        let key = format!("{}@{}", c.event_type, c.version);
        match compiled.position(c.event_type, c.version) {
            None => out.push(format!("{key} (not compiled in)")),
            Some(i) => {
                let compiled = compiled.contracts()[i];
                if normalized(compiled.schema) != normalized(c.schema) {
                    out.push(format!("{key} (schema differs)"));
                } else if compiled.routing_key != c.routing_key
                    || compiled.exchange != c.exchange
                    || compiled.deprecated != c.deprecated
                {
                    out.push(format!("{key} (catalog entry differs)"));
                }
            }
        }
    }
    for c in compiled.contracts() {
        if tree.position(c.event_type, c.version).is_none() {
            out.push(format!("{}@{} (not in the tree)", c.event_type, c.version));
        }
    }
    out
}

/// A bundled schema's meaning, whatever its layout.
fn normalized(schema: &str) -> Option<serde_json::Value> {
    serde_json::from_str(schema).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_tree_is_what_is_compiled_in() {
        let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let tree = load(&schemas).unwrap();
        assert_eq!(
            differences(&tree, ContractSet::compiled()),
            Vec::<String>::new()
        );
        assert_eq!(tree.contracts().len(), coder_events::CONTRACTS.len());
    }

    #[test]
    fn a_changed_schema_and_a_new_version_are_named() {
        let scratch = tempfile::tempdir().unwrap();
        let schemas = scratch.path().join("schemas");
        codegen::tree::copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas"),
            &schemas,
        )
        .unwrap();
        let catalog_path = schemas.join("catalog.json");
        let mut catalog: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&catalog_path).unwrap()).unwrap();
        let first = catalog["contracts"][0].clone();
        let schema_path = schemas.join(first["schema"].as_str().unwrap());
        let mut schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
        schema["description"] = "changed".into();
        std::fs::write(&schema_path, schema.to_string()).unwrap();
        let mut added = first.clone();
        added["version"] = "9.0".into();
        added["rustName"] = "AddedInTestV9".into();
        catalog["contracts"].as_array_mut().unwrap().push(added);
        std::fs::write(&catalog_path, catalog.to_string()).unwrap();

        let tree = load(&schemas).unwrap();
        let key = format!("{}@", first["type"].as_str().unwrap());
        assert_eq!(
            differences(&tree, ContractSet::compiled()),
            [
                format!(
                    "{key}{} (schema differs)",
                    first["version"].as_str().unwrap()
                ),
                format!("{key}9.0 (not compiled in)"),
            ]
        );
    }
}
