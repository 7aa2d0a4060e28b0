//! Small hand-made registries whose answers are known, written as JSON so
//! they go through the same loading and validation as any file.

#![allow(dead_code)] // each test binary uses the part it needs

use collab_registry::Registry;
use serde_json::{Value, json};

/// The day every hand-made agreement starts.
const START: &str = "2020-04-01";

/// A registry under construction.
#[derive(Default)]
pub(crate) struct Handmade {
    parties: Vec<Value>,
    agreements: Vec<Value>,
    bodies: Vec<Value>,
}

impl Handmade {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A party of the given kind (`police_force`, `fire_and_rescue`, ...).
    pub(crate) fn party(mut self, id: &str, kind: &str) -> Self {
        self.parties
            .push(json!({"id": id, "name": title(id), "kind": kind}));
        self
    }

    /// An agreement active from [`START`] whose members all join that day;
    /// members not declared yet become police forces.
    pub(crate) fn agreement(self, id: &str, members: &[&str]) -> Self {
        let members: Vec<Value> = members
            .iter()
            .map(|m| json!({"party": m, "role": "member", "joined": START}))
            .collect();
        self.agreement_json(json!({
            "id": id,
            "title": title(id),
            "legal_basis": "section_22a_police_act_1996",
            "start": START,
            "status": [{"status": "active", "from": START}],
            "members": members,
        }))
    }

    /// An agreement given in full; members not declared yet become police forces.
    pub(crate) fn agreement_json(mut self, agreement: Value) -> Self {
        let ids: Vec<String> = agreement["members"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["party"].as_str().map(str::to_string))
            .collect();
        for id in ids {
            if !self.parties.iter().any(|p| p["id"] == id.as_str()) {
                self = self.party(&id, "police_force");
            }
        }
        self.agreements.push(agreement);
        self
    }

    /// A governance body with these seats `(party, votes)` and decision rule.
    pub(crate) fn body(mut self, id: &str, seats: &[(&str, u32)], rule: Value) -> Self {
        let seats: Vec<Value> = seats
            .iter()
            .map(|(p, v)| json!({"party": p, "role": "member", "votes": v}))
            .collect();
        self.bodies.push(json!({
            "id": id,
            "name": title(id),
            "kind": "joint_committee",
            "seats": seats,
            "decision_rule": rule,
        }));
        self
    }

    pub(crate) fn build(self) -> Registry {
        let doc = json!({
            "schema_version": 1,
            "name": "hand-made",
            "currency": "GBP",
            "parties": self.parties,
            "agreements": self.agreements,
            "bodies": self.bodies,
        });
        match Registry::from_json_str(&doc.to_string()) {
            Ok(registry) => registry,
            Err(e) => panic!("the hand-made registry loads: {e}"),
        }
    }
}

fn title(id: &str) -> String {
    id.replace('-', " ")
}
