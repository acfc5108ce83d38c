//! The contracts a run checks against: the ones compiled into `coder-events`, or those of a
//! schemas directory read at run time (`--schemas DIR`), each with its engine program.

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
