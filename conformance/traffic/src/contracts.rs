//! The contracts a run checks against: the ones compiled into `coder-events`, or those of a
//! schemas directory read at run time (`--schemas DIR`), each with its engine program; and
//! which of a contract's optional fields an event has, which `check` finds and the report's
//! coverage counts.

use std::path::Path;

use coder_events::{Contract, ContractSet};

pub struct Contracts {
    set: &'static ContractSet,
}

impl Contracts {
    /// The compiled-in contracts.
    pub fn compiled() -> &'static Contracts {
        static COMPILED: std::sync::LazyLock<Contracts> = std::sync::LazyLock::new(|| Contracts {
            set: ContractSet::compiled(),
        });
        &COMPILED
    }

    /// The contracts a run checks against: `schemas`'s, read now; else the compiled-in ones,
    /// with a note on standard error when the tree the command runs in has other schemas.
    pub fn for_run(schemas: Option<&Path>) -> Result<&'static Contracts, String> {
        if let Some(dir) = schemas {
            let set = crate::contract_set::load(dir).map_err(|e| e.to_string())?;
            return Ok(Contracts::of(set));
        }
        let compiled = Contracts::compiled();
        if let Some(tree) = codegen::Tree::find() {
            // A tree that does not load is for `lint` to explain; the compiled-in contracts
            // still apply.
            if let Ok(set) = crate::contract_set::load(&tree.schemas) {
                let differ = crate::contract_set::differences(&set, compiled.set());
                if !differ.is_empty() {
                    eprintln!(
                        "contracts: note: the schemas in {} differ from the contracts compiled into this binary: {}; checking against the compiled-in ones (pass --schemas {} to check against the tree's)",
                        tree.schemas.display(),
                        differ.join(", "),
                        tree.schemas.display()
                    );
                }
            }
        }
        Ok(compiled)
    }

    /// Contracts known at run time; they live as long as the process (a run loads them once).
    pub fn of(set: ContractSet) -> &'static Contracts {
        Box::leak(Box::new(Contracts {
            set: Box::leak(Box::new(set)),
        }))
    }

    pub fn set(&self) -> &'static ContractSet {
        self.set
    }

    pub fn len(&self) -> usize {
        self.set.contracts().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The contract at `index`, in catalog order.
    pub fn contract(&self, index: usize) -> &'static Contract {
        self.set.contracts()[index]
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static Contract> + '_ {
        self.set.contracts().iter().copied()
    }

    /// The index of the contract with this `type` and `version`.
    pub fn index(&self, event_type: &str, version: &str) -> Option<usize> {
        self.set.position(event_type, version)
    }

    /// The optional fields coverage counts for the contract at `index` (JSON pointers; `*`
    /// stands for any element of an array), from its engine program.
    pub fn optional_fields(&self, index: usize) -> &'static [String] {
        self.set.program(index).optional_fields()
    }
}

/// Which optional fields of its contract an event has: bit `i` of word `i / 64` for the
/// contract program's `optional_fields()[i]`. Two words inline (most contracts have fewer than
/// 128 optional fields), the rest on the heap.
#[derive(Debug, Default, Clone)]
pub struct Fields {
    inline: [u64; 2],
    more: Vec<u64>,
}

impl Fields {
    pub(crate) fn from_words(words: &[u64]) -> Fields {
        let mut fields = Fields::default();
        for (i, word) in words.iter().enumerate() {
            match fields.inline.get_mut(i) {
                Some(slot) => *slot = *word,
                None => fields.more.push(*word),
            }
        }
        fields
    }

    /// The indexes of the fields present, in order.
    pub fn indexes(&self) -> impl Iterator<Item = usize> + '_ {
        self.inline
            .iter()
            .chain(&self.more)
            .enumerate()
            .flat_map(|(w, word)| {
                let mut bits = *word;
                std::iter::from_fn(move || {
                    (bits != 0).then(|| {
                        let bit = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        w * 64 + bit
                    })
                })
            })
    }
}
