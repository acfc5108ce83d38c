//! The contracts a run checks against, each with its fast-path plan: the ones compiled into
//! `coder-events`, or those of a schemas directory read at run time (`--schemas DIR`).

use std::sync::LazyLock;

use coder_events::{Contract, ContractSet};

use super::plan::Plan;

pub struct Contracts {
    set: &'static ContractSet,
    plans: Vec<Plan>,
}

impl Contracts {
    /// The compiled-in contracts.
    pub fn compiled() -> &'static Contracts {
        static COMPILED: LazyLock<Contracts> =
            LazyLock::new(|| Contracts::new(ContractSet::compiled()));
        &COMPILED
    }

    /// Contracts known at run time; they live as long as the process (a run loads them once).
    pub fn of(set: ContractSet) -> &'static Contracts {
        Box::leak(Box::new(Contracts::new(Box::leak(Box::new(set)))))
    }

    fn new(set: &'static ContractSet) -> Contracts {
        Contracts {
            set,
            plans: set.contracts().iter().map(|c| Plan::new(c)).collect(),
        }
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

    /// Every contract's plan, in catalog order.
    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }
}
