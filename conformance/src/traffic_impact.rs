//! `contracts breaking --traffic`: how much recorded traffic each changed contract's new schema
//! rejects that the old accepted (what breaks producers, in messages), and accepts that the old
//! rejected (what old readers would now meet), with the first few places.

use std::fmt::Write as _;
use std::path::PathBuf;

use contracts_schema_checks::breaking::ChangedContract;
use contracts_traffic::input::events::for_each_event;
use contracts_traffic::input::{Decoder, DEFAULT_MAX_MESSAGE_BYTES};
use serde::Serialize;

/// How many places of each kind the report names.
const SHOWN_PLACES: usize = 3;

/// What the traffic says of every changed contract.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Impact {
    /// Records read, and how many of them held no event.
    pub records: u64,
    pub records_without_event: u64,
    pub contracts: Vec<ContractImpact>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractImpact {
    pub event_type: String,
    pub version: String,
    /// The previous state it was compared with.
    pub against: String,
    /// Recorded messages of this contract.
    pub messages: u64,
    /// Accepted by the old schema, rejected by the new: what the change breaks for producers.
    pub rejected_by_new: u64,
    pub rejected_by_new_at: Vec<String>,
    /// Rejected by the old schema, accepted by the new: what readers on the old schema would
    /// now meet.
    pub accepted_by_new: u64,
    pub accepted_by_new_at: Vec<String>,
}

struct Judged<'c> {
    contract: &'c ChangedContract,
    old: jsonschema::Validator,
    new: jsonschema::Validator,
    impact: ContractImpact,
}

/// Reads `paths` once and judges every event of a changed contract by both of its schemas.
pub fn weigh(
    paths: &[PathBuf],
    decoder: &Decoder,
    changed: &[(String, ChangedContract)],
) -> Impact {
    let mut judged: Vec<Judged> = changed
        .iter()
        .filter_map(|(against, contract)| {
            Some(Judged {
                contract,
                old: coder_events::options().build(&contract.old).ok()?,
                new: coder_events::options().build(&contract.new).ok()?,
                impact: ContractImpact {
                    event_type: contract.event_type.clone(),
                    version: contract.version.clone(),
                    against: against.clone(),
                    messages: 0,
                    rejected_by_new: 0,
                    rejected_by_new_at: Vec::new(),
                    accepted_by_new: 0,
                    accepted_by_new_at: Vec::new(),
                },
            })
        })
        .collect();
    let read = for_each_event(
        paths,
        decoder,
        DEFAULT_MAX_MESSAGE_BYTES,
        &mut |location, event| {
            let (Some(event_type), Some(version)) = (
                event.get("type").and_then(|t| t.as_str()),
                event.get("version").and_then(|v| v.as_str()),
            ) else {
                return;
            };
            for j in judged
                .iter_mut()
                .filter(|j| j.contract.event_type == event_type && j.contract.version == version)
            {
                j.impact.messages += 1;
                let (old, new) = (j.old.is_valid(event), j.new.is_valid(event));
                let (count, at) = match (old, new) {
                    (true, false) => (
                        &mut j.impact.rejected_by_new,
                        &mut j.impact.rejected_by_new_at,
                    ),
                    (false, true) => (
                        &mut j.impact.accepted_by_new,
                        &mut j.impact.accepted_by_new_at,
                    ),
                    _ => continue,
                };
                *count += 1;
                if at.len() < SHOWN_PLACES {
                    at.push(location.to_string());
                }
            }
        },
    );
    Impact {
        records: read.records,
        records_without_event: read.without_event,
        contracts: judged.into_iter().map(|j| j.impact).collect(),
    }
}

impl ContractImpact {
    fn sentence(&self) -> String {
        let share = |n: u64| {
            if self.messages == 0 {
                String::new()
            } else {
                format!(" ({:.1}%)", n as f64 * 100.0 / self.messages as f64)
            }
        };
        let places = |at: &[String]| {
            if at.is_empty() {
                String::new()
            } else {
                format!(", first at {}", at.join(", "))
            }
        };
        format!(
            "{}@{} against {}: {} recorded message(s); the new schema rejects {} the old accepted{}{}; it accepts {} the old rejected{}{}",
            self.event_type,
            self.version,
            self.against,
            self.messages,
            self.rejected_by_new,
            share(self.rejected_by_new),
            places(&self.rejected_by_new_at),
            self.accepted_by_new,
            share(self.accepted_by_new),
            places(&self.accepted_by_new_at)
        )
    }
}

impl Impact {
    fn read(&self) -> String {
        format!(
            "{} record(s) read, {} without an event",
            self.records, self.records_without_event
        )
    }

    /// For the text report: a line per changed contract.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for contract in &self.contracts {
            let _ = writeln!(out, "traffic: {}", contract.sentence());
        }
        let _ = writeln!(out, "traffic: {}", self.read());
        out
    }

    /// For the pull-request summary.
    pub fn markdown(&self) -> String {
        let mut out = format!("### Recorded traffic ({})\n\n", self.read());
        if self.contracts.is_empty() {
            out.push_str("No contract changed.\n");
        }
        for contract in &self.contracts {
            let _ = writeln!(out, "- {}", contract.sentence());
        }
        out
    }
}
