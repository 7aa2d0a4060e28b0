//! Changes: every way a registry changes, each checked before it takes
//! effect and keeping history rather than overwriting it.
//!
//! A single change checks only what it touches, against the same rules the
//! loader runs (the new membership against that party's other spells, the
//! two-member rule from the day a member leaves, the shares and metrics of
//! the years the new member shares), so changing an agreement of 2,000
//! members costs about what changing one of two does. [`Registry::apply`]
//! applies many changes and checks each record they touched once, in full,
//! at the end. Either way a refused change leaves the registry exactly as
//! it was, and an accepted one saves to a file that loads back to the same
//! bytes.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::error::{Error, ErrorKind};
use crate::model::{
    Agreement, AgreementChange, AgreementId, Amendment, AmendmentKind, BodyChange, BodyId,
    BodyTerms, Change as FieldChange, Ending, GovernanceBody, Governs, Membership, Metric,
    Oversight, PartialDate, Party, PartyChange, PartyId, PartyTerms, ReportsTo, Review, Role, Seat,
    Status, StatusChange, Terms,
};
use crate::problem::{Path, ProblemCode as Code, Problems};
use crate::rules;
use crate::time::{AgreementView, At, BodyView, PartyView, When, withdrawal_day};

use super::keys::{AgreementKey, BodyKey, PartyKey};
use super::{Registry, key};

/// One change to a registry, as data: what [`Registry::apply`] takes, and
/// what each change method of [`Registry`] builds and applies.
///
/// The amendments carry the whole new terms; [`Registry::terms_on`] (and
/// its kin for parties and bodies) gives the terms as they stood on a day
/// to edit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// Adds a party ([`Registry::add_party`]).
    AddParty(Box<Party>),
    /// Adds an agreement ([`Registry::add_agreement`]).
    AddAgreement(Box<Agreement>),
    /// Adds a governance body ([`Registry::add_body`]).
    AddBody(Box<GovernanceBody>),
    /// A party joins ([`Registry::join`]).
    Join {
        /// The agreement.
        agreement: AgreementId,
        /// The membership, its joining day the day it takes effect.
        membership: Membership,
    },
    /// A member leaves ([`Registry::leave`]).
    Leave {
        /// The agreement.
        agreement: AgreementId,
        /// The member.
        party: PartyId,
        /// The first day it is no longer a member, and when that was entered.
        when: When,
    },
    /// A member serves notice ([`Registry::serve_notice`]).
    ServeNotice {
        /// The agreement.
        agreement: AgreementId,
        /// The member.
        party: PartyId,
        /// The day notice is served, and when that was entered.
        when: When,
    },
    /// A change of status ([`Registry::set_status`]).
    SetStatus {
        /// The agreement.
        agreement: AgreementId,
        /// The new status.
        status: Status,
        /// When it takes effect and was entered.
        when: When,
        /// Why, in a sentence.
        note: Option<String>,
        /// For a termination, who ended it, where known.
        ended_by: Option<Ending>,
    },
    /// A review held ([`Registry::record_review`]).
    RecordReview {
        /// The agreement.
        agreement: AgreementId,
        /// The review.
        review: Review,
    },
    /// An amendment of an agreement's terms ([`Registry::amend`]).
    Amend {
        /// The agreement.
        agreement: AgreementId,
        /// When it takes effect and was entered.
        when: When,
        /// What kind of amendment.
        kind: AmendmentKind,
        /// What it does, in a sentence.
        summary: String,
        /// The terms as amended: the terms as they stood on the day it takes
        /// effect, with the amendment's changes made.
        terms: Box<Terms>,
    },
    /// A member's role changes ([`Registry::change_role`]).
    ChangeRole {
        /// The agreement.
        agreement: AgreementId,
        /// The member.
        party: PartyId,
        /// The new role.
        role: Role,
        /// When it takes effect and was entered.
        when: When,
    },
    /// An amendment of a party's terms ([`Registry::amend_party`]).
    AmendParty {
        /// The party.
        party: PartyId,
        /// When it takes effect and was entered.
        when: When,
        /// What kind of amendment.
        kind: AmendmentKind,
        /// What it does, in a sentence.
        summary: String,
        /// The terms as amended.
        terms: Box<PartyTerms>,
    },
    /// A new overseer from a day ([`Registry::add_oversight`]).
    AddOversight {
        /// The party overseen.
        party: PartyId,
        /// The oversight.
        oversight: Oversight,
    },
    /// An oversight ends ([`Registry::end_oversight`]).
    EndOversight {
        /// The party overseen.
        party: PartyId,
        /// The overseer.
        by: PartyId,
        /// The first day it no longer oversees, and when that was entered.
        when: When,
    },
    /// An amendment of a body's terms ([`Registry::amend_body`]).
    AmendBody {
        /// The body.
        body: BodyId,
        /// When it takes effect and was entered.
        when: When,
        /// What kind of amendment.
        kind: AmendmentKind,
        /// What it does, in a sentence.
        summary: String,
        /// The terms as amended.
        terms: Box<BodyTerms>,
    },
    /// A seat from a day ([`Registry::add_seat`]).
    AddSeat {
        /// The body.
        body: BodyId,
        /// The seat.
        seat: Seat,
    },
    /// A seat ends ([`Registry::end_seat`]).
    EndSeat {
        /// The body.
        body: BodyId,
        /// The party holding it.
        party: PartyId,
        /// The first day it is no longer held, and when that was entered.
        when: When,
    },
    /// A body starts governing an agreement ([`Registry::govern`]).
    Govern {
        /// The body.
        body: BodyId,
        /// The agreement and the spell.
        governs: Governs,
    },
    /// A body stops governing an agreement ([`Registry::stop_governing`]).
    StopGoverning {
        /// The body.
        body: BodyId,
        /// The agreement.
        agreement: AgreementId,
        /// The first day it no longer governs it, and when that was entered.
        when: When,
    },
    /// A body starts reporting to another ([`Registry::report_to`]).
    ReportTo {
        /// The body.
        body: BodyId,
        /// The body reported to and the spell.
        reports_to: ReportsTo,
    },
    /// A body stops reporting to another ([`Registry::stop_reporting`]).
    StopReporting {
        /// The body.
        body: BodyId,
        /// The body it reported to.
        to: BodyId,
        /// The first day it no longer does, and when that was entered.
        when: When,
    },
}

impl Change {
    /// When the change takes effect and was entered, for the changes dated that way.
    fn when(&self) -> Option<When> {
        match self {
            Change::Leave { when, .. }
            | Change::ServeNotice { when, .. }
            | Change::SetStatus { when, .. }
            | Change::Amend { when, .. }
            | Change::ChangeRole { when, .. }
            | Change::AmendParty { when, .. }
            | Change::EndOversight { when, .. }
            | Change::AmendBody { when, .. }
            | Change::EndSeat { when, .. }
            | Change::StopGoverning { when, .. }
            | Change::StopReporting { when, .. } => Some(*when),
            _ => None,
        }
    }
}

/// What a change produced.
enum Outcome {
    Party(PartyKey),
    Agreement(AgreementKey),
    Body(BodyKey),
    Day(NaiveDate),
    Amendment(Box<Amendment<AgreementChange>>),
    Done,
}

/// How a change is checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Check what the change touches, and put it back if a rule breaks.
    Checked,
    /// Only what the change needs to be done at all: the records touched
    /// are checked in full afterwards.
    Batch,
}

/// What a change touched, for the indexes to catch up and, in a batch,
/// for the records to be put back.
#[derive(Default)]
struct Touched {
    /// Agreements, with how many members each had, and the record before
    /// (in a batch).
    agreements: BTreeMap<AgreementKey, (usize, Option<Agreement>)>,
    parties: BTreeMap<PartyKey, Option<Party>>,
    bodies: BTreeMap<BodyKey, (usize, Option<GovernanceBody>)>,
    /// How many records of each kind there were before.
    counts: (usize, usize, usize),
}

fn agreement_path(key: AgreementKey) -> String {
    format!("agreements[{}]", key.index())
}

fn party_path(key: PartyKey) -> String {
    format!("parties[{}]", key.index())
}

fn body_path(key: BodyKey) -> String {
    format!("bodies[{}]", key.index())
}

impl Registry {
    fn touch_agreement(&self, touched: &mut Touched, key: AgreementKey, mode: Mode) {
        touched.agreements.entry(key).or_insert_with(|| {
            let a = self.agreements.get(key.index());
            (
                a.map_or(0, |a| a.members.len()),
                if mode == Mode::Batch {
                    a.cloned()
                } else {
                    None
                },
            )
        });
    }

    fn touch_party(&self, touched: &mut Touched, key: PartyKey, mode: Mode) {
        touched.parties.entry(key).or_insert_with(|| {
            if mode == Mode::Batch {
                self.parties.get(key.index()).cloned()
            } else {
                None
            }
        });
    }

    fn touch_body(&self, touched: &mut Touched, key: BodyKey, mode: Mode) {
        touched.bodies.entry(key).or_insert_with(|| {
            let b = self.bodies.get(key.index());
            (
                b.map_or(0, |b| b.seats.len()),
                if mode == Mode::Batch {
                    b.cloned()
                } else {
                    None
                },
            )
        });
    }

    /// Brings the indexes up to date with what was touched.
    fn commit(&mut self, touched: &Touched) {
        let (parties, agreements, bodies) = touched.counts;
        for i in parties..self.parties.len() {
            if let Some(p) = self.parties.get(i) {
                self.party_ids.insert(p.id().clone(), PartyKey(key(i)));
            }
            self.index.add_party();
        }
        let records = &self.parties;
        self.index
            .rank_parties(parties, |k| records.get(k.index()).map(|p| p.id().as_str()));
        for i in agreements..self.agreements.len() {
            if let Some(a) = self.agreements.get(i) {
                self.agreement_ids
                    .insert(a.id().clone(), AgreementKey(key(i)));
            }
            self.index.add_agreement();
        }
        let records = &self.agreements;
        self.index.rank_agreements(agreements, |k| {
            records.get(k.index()).map(|a| a.id().as_str())
        });
        for i in bodies..self.bodies.len() {
            if let Some(b) = self.bodies.get(i) {
                self.body_ids.insert(b.id().clone(), BodyKey(key(i)));
            }
            self.index.add_body();
        }
        for i in parties..self.parties.len() {
            self.link_party(PartyKey(key(i)));
        }
        for &k in touched.parties.keys() {
            self.link_party(k);
        }
        for i in agreements..self.agreements.len() {
            self.share_member_ids(AgreementKey(key(i)), 0);
            self.link_agreement(AgreementKey(key(i)), 0);
        }
        for (&k, &(members, _)) in &touched.agreements {
            if k.index() < agreements {
                self.share_member_ids(k, members);
                self.link_agreement(k, members);
            }
        }
        self.index.build_calendar();
        for i in bodies..self.bodies.len() {
            self.link_body(BodyKey(key(i)));
        }
        for &k in touched.bodies.keys() {
            if k.index() < bodies {
                self.link_body(k);
            }
        }
    }

    /// Shares the party ids of memberships from `from` on with the parties' records.
    fn share_member_ids(&mut self, key: AgreementKey, from: usize) {
        let ids = &self.party_ids;
        if let Some(a) = self.agreements.get_mut(key.index()) {
            for m in a.members.iter_mut().skip(from) {
                if let Some((id, _)) = ids.get_key_value(m.party()) {
                    m.share_party(id.clone());
                }
            }
        }
    }

    /// Puts back what a refused batch touched.
    fn roll_back(&mut self, touched: Touched) {
        let (parties, agreements, bodies) = touched.counts;
        self.parties.truncate(parties);
        self.agreements.truncate(agreements);
        self.bodies.truncate(bodies);
        for (k, (_, before)) in touched.agreements {
            if let (Some(before), Some(slot)) = (before, self.agreements.get_mut(k.index())) {
                *slot = before;
            }
        }
        for (k, before) in touched.parties {
            if let (Some(before), Some(slot)) = (before, self.parties.get_mut(k.index())) {
                *slot = before;
            }
        }
        for (k, (_, before)) in touched.bodies {
            if let (Some(before), Some(slot)) = (before, self.bodies.get_mut(k.index())) {
                *slot = before;
            }
        }
    }

    /// Applies one change, checking what it touches.
    fn apply_one(&mut self, change: Change) -> Result<Outcome, Error> {
        let mut touched = Touched {
            counts: (self.parties.len(), self.agreements.len(), self.bodies.len()),
            ..Touched::default()
        };
        let outcome = self.perform(change, Mode::Checked, &mut touched)?;
        self.commit(&touched);
        Ok(outcome)
    }

    /// Applies many changes in order as one: each record they touch is
    /// checked once, in full, after the last, and if any rule breaks (or
    /// any change cannot be made) none of them takes effect. Cheaper than
    /// applying them one by one when they touch few records many times, as
    /// an import does.
    ///
    /// # Errors
    ///
    /// The first change that cannot be made, or
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every rule
    /// the changed records break. Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::{Change, time::When};
    /// use collab_registry::model::{AgreementId, Membership, PartyId, Role};
    /// let mut registry = collab_registry::sample()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let ops = AgreementId::new("em-operational-support")?;
    /// registry.apply([
    ///     Change::Join { agreement: ops.clone(), membership: Membership::new(PartyId::new("derbyshire-police")?, Role::Member, d(2026, 4, 1)) },
    ///     Change::Leave { agreement: ops.clone(), party: PartyId::new("derbyshire-police")?, when: When::on(d(2027, 4, 1)) },
    /// ])?;
    /// assert!(registry.as_of(d(2026, 6, 1)).agreement("em-operational-support")?.is_member("derbyshire-police"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, changes: impl IntoIterator<Item = Change>) -> Result<(), Error> {
        let mut touched = Touched {
            counts: (self.parties.len(), self.agreements.len(), self.bodies.len()),
            ..Touched::default()
        };
        for change in changes {
            if let Err(e) = self.perform(change, Mode::Batch, &mut touched) {
                self.roll_back(touched);
                return Err(e);
            }
        }
        let mut out = Problems::default();
        for &k in touched.agreements.keys() {
            if let Some(a) = self.agreements.get(k.index()) {
                let name = agreement_path(k);
                let at = Path::Named(&name);
                rules::record::agreement(a, &at, &mut out);
                rules::links::agreement(a, &at, self, &mut out);
            }
        }
        for &k in touched.parties.keys() {
            self.check_party_fully(k, &mut out);
        }
        for &k in touched.bodies.keys() {
            if let Some(b) = self.bodies.get(k.index()) {
                let name = body_path(k);
                let at = Path::Named(&name);
                rules::record::body(b, &at, &mut out);
                rules::links::body(b, &at, self, &mut out);
            }
        }
        let (parties, agreements, bodies) = touched.counts;
        for i in parties..self.parties.len() {
            self.check_party_fully(PartyKey(key(i)), &mut out);
        }
        for i in agreements..self.agreements.len() {
            if let Some(a) = self.agreements.get(i) {
                let name = agreement_path(AgreementKey(key(i)));
                let at = Path::Named(&name);
                rules::record::agreement(a, &at, &mut out);
                rules::links::agreement(a, &at, self, &mut out);
            }
        }
        for i in bodies..self.bodies.len() {
            if let Some(b) = self.bodies.get(i) {
                let name = body_path(BodyKey(key(i)));
                let at = Path::Named(&name);
                rules::record::body(b, &at, &mut out);
                rules::links::body(b, &at, self, &mut out);
            }
        }
        self.check_cycles(&mut out);
        if !out.is_empty() {
            self.roll_back(touched);
            return Err(Error::invalid("the changes", out.0));
        }
        self.commit(&touched);
        Ok(())
    }

    fn check_party_fully(&self, k: PartyKey, out: &mut Problems) {
        if let Some(p) = self.parties.get(k.index()) {
            let name = party_path(k);
            let at = Path::Named(&name);
            rules::record::party(p, &at, out);
            rules::links::party(p, &at, self, out);
            self.check_class_costs(k, out);
        }
    }

    /// The links of the agreements with members by class of a kind the
    /// party has held: their costs and assets may name it as a member of
    /// the class, which a change of its kind or region can undo.
    fn check_class_costs(&self, k: PartyKey, out: &mut Problems) {
        let Some(p) = self.parties.get(k.index()) else {
            return;
        };
        let mut kinds = vec![p.terms.kind];
        for am in &p.amendments {
            for c in &am.changes {
                if let PartyChange::Kind(c) = c {
                    kinds.extend([c.before, c.after]);
                }
            }
        }
        kinds.sort_unstable();
        kinds.dedup();
        let mut agreements: Vec<AgreementKey> = kinds
            .iter()
            .flat_map(|kind| self.index.classes_of_kind(*kind).iter().copied())
            .collect();
        agreements.sort_unstable();
        agreements.dedup();
        for key in agreements {
            if let Some(a) = self.agreements.get(key.index()) {
                let name = agreement_path(key);
                rules::links::agreement(a, &Path::Named(&name), self, out);
            }
        }
    }

    /// The part-of and reports-to cycles, over the whole registry: a batch
    /// may have changed any link, and ids not yet indexed are looked up by name.
    fn check_cycles(&self, out: &mut Problems) {
        let ids: Vec<&str> = self.agreements.iter().map(|a| a.id().as_str()).collect();
        for (field, link) in rules::links::AGREEMENT_LINKS {
            let parents: Vec<Vec<&str>> = self
                .agreements
                .iter()
                .map(|a| link(a).map(AgreementId::as_str).into_iter().collect())
                .collect();
            for (i, cycle) in rules::links::cycles(&ids, &parents) {
                out.add(
                    format!("agreements[{i}].{field}"),
                    Code::Cycle,
                    format!("{field} makes a cycle: {}", cycle.join(" -> ")),
                );
            }
        }
        let ids: Vec<&str> = self.bodies.iter().map(|b| b.id().as_str()).collect();
        let parents: Vec<Vec<&str>> = self
            .bodies
            .iter()
            .map(|b| b.reports_to().iter().map(|r| r.body.as_str()).collect())
            .collect();
        for (i, cycle) in rules::links::cycles(&ids, &parents) {
            out.add(
                format!("bodies[{i}].reports_to"),
                Code::Cycle,
                format!("reports_to makes a cycle: {}", cycle.join(" -> ")),
            );
        }
    }

    /// The key of an agreement, looking at records added in this batch too.
    fn find_agreement(&self, id: &str) -> Result<AgreementKey, Error> {
        self.agreement_key(id).or_else(|e| {
            self.agreements
                .iter()
                .rposition(|a| a.id() == id)
                .map(|i| AgreementKey(key(i)))
                .ok_or(e)
        })
    }

    fn find_party(&self, id: &str) -> Result<PartyKey, Error> {
        self.party_key(id).or_else(|e| {
            self.parties
                .iter()
                .rposition(|p| p.id() == id)
                .map(|i| PartyKey(key(i)))
                .ok_or(e)
        })
    }

    fn find_body(&self, id: &str) -> Result<BodyKey, Error> {
        self.body_key(id).or_else(|e| {
            self.bodies
                .iter()
                .rposition(|b| b.id() == id)
                .map(|i| BodyKey(key(i)))
                .ok_or(e)
        })
    }

    fn party_exists(&self, id: &str) -> bool {
        self.find_party(id).is_ok()
    }

    /// The positions of `party`'s memberships in agreement `a`: from the
    /// party's index entries, plus any added since the index last caught up.
    fn positions_of(&self, a: AgreementKey, party: &str, indexed: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .party_ids
            .get(party)
            .and_then(|p| self.index.memberships.get(p.index()))
            .map(|refs| {
                refs.iter()
                    .filter(|r| r.agreement == a)
                    .map(|r| r.position as usize)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(record) = self.agreements.get(a.index()) {
            for (i, m) in record.members.iter().enumerate().skip(indexed) {
                if m.party() == party {
                    out.push(i);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    #[allow(clippy::too_many_lines, reason = "one arm per kind of change")]
    fn perform(
        &mut self,
        change: Change,
        mode: Mode,
        touched: &mut Touched,
    ) -> Result<Outcome, Error> {
        if let Some(when) = change.when() {
            for day in [when.effective(), when.entered_on()] {
                crate::model::check_storable(day)?;
            }
        }
        match change {
            Change::AddParty(party) => self.do_add_party(*party, mode).map(Outcome::Party),
            Change::AddAgreement(a) => self.do_add_agreement(*a, mode).map(Outcome::Agreement),
            Change::AddBody(b) => self.do_add_body(*b, mode).map(Outcome::Body),
            Change::Join {
                agreement,
                membership,
            } => {
                let k = self.find_agreement(agreement.as_str())?;
                self.touch_agreement(touched, k, mode);
                let indexed = touched.agreements.get(&k).map_or(0, |t| t.0);
                self.do_join(k, membership, mode, indexed)
                    .map(|()| Outcome::Done)
            }
            Change::Leave {
                agreement,
                party,
                when,
            } => {
                let k = self.find_agreement(agreement.as_str())?;
                self.touch_agreement(touched, k, mode);
                let indexed = touched.agreements.get(&k).map_or(0, |t| t.0);
                self.do_leave(k, &party, when, mode, indexed)
                    .map(|()| Outcome::Done)
            }
            Change::ServeNotice {
                agreement,
                party,
                when,
            } => {
                let k = self.find_agreement(agreement.as_str())?;
                self.touch_agreement(touched, k, mode);
                let indexed = touched.agreements.get(&k).map_or(0, |t| t.0);
                self.do_notice(k, &party, when, mode, indexed)
                    .map(Outcome::Day)
            }
            Change::SetStatus {
                agreement,
                status,
                when,
                note,
                ended_by,
            } => {
                let k = self.find_agreement(agreement.as_str())?;
                self.touch_agreement(touched, k, mode);
                self.do_status(k, status, when, note, ended_by, mode)
                    .map(|()| Outcome::Done)
            }
            Change::RecordReview { agreement, review } => {
                let k = self.find_agreement(agreement.as_str())?;
                self.touch_agreement(touched, k, mode);
                self.do_review(k, review, mode).map(|()| Outcome::Done)
            }
            Change::Amend {
                agreement,
                when,
                kind,
                summary,
                terms,
            } => {
                let k = self.find_agreement(agreement.as_str())?;
                self.touch_agreement(touched, k, mode);
                self.do_amend(k, when, kind, summary, *terms, mode)
                    .map(|a| Outcome::Amendment(Box::new(a)))
            }
            Change::ChangeRole {
                agreement,
                party,
                role,
                when,
            } => {
                let k = self.find_agreement(agreement.as_str())?;
                self.touch_agreement(touched, k, mode);
                let indexed = touched.agreements.get(&k).map_or(0, |t| t.0);
                self.do_role(k, &party, role, when, mode, indexed)
                    .map(|()| Outcome::Done)
            }
            Change::AmendParty {
                party,
                when,
                kind,
                summary,
                terms,
            } => {
                let k = self.find_party(party.as_str())?;
                self.touch_party(touched, k, mode);
                self.do_amend_party(k, when, kind, summary, *terms, mode)
                    .map(|()| Outcome::Done)
            }
            Change::AddOversight { party, oversight } => {
                let k = self.find_party(party.as_str())?;
                self.touch_party(touched, k, mode);
                self.do_add_oversight(k, oversight, mode)
                    .map(|()| Outcome::Done)
            }
            Change::EndOversight { party, by, when } => {
                let k = self.find_party(party.as_str())?;
                self.touch_party(touched, k, mode);
                self.do_end_oversight(k, &by, when, mode)
                    .map(|()| Outcome::Done)
            }
            Change::AmendBody {
                body,
                when,
                kind,
                summary,
                terms,
            } => {
                let k = self.find_body(body.as_str())?;
                self.touch_body(touched, k, mode);
                self.do_amend_body(k, when, kind, summary, &terms, mode)
                    .map(|()| Outcome::Done)
            }
            Change::AddSeat { body, seat } => {
                let k = self.find_body(body.as_str())?;
                self.touch_body(touched, k, mode);
                self.do_body_link(k, mode, |b| b.seats.push(seat))
                    .map(|()| Outcome::Done)
            }
            Change::EndSeat { body, party, when } => {
                let k = self.find_body(body.as_str())?;
                self.touch_body(touched, k, mode);
                self.do_end_spell(k, when, mode, "seat of", party.as_str(), |b| {
                    b.seats
                        .iter_mut()
                        .filter(|s| s.party == party)
                        .map(|s| &mut s.spell)
                        .collect()
                })
                .map(|()| Outcome::Done)
            }
            Change::Govern { body, governs } => {
                let k = self.find_body(body.as_str())?;
                self.touch_body(touched, k, mode);
                self.do_body_link(k, mode, |b| b.governs.push(governs))
                    .map(|()| Outcome::Done)
            }
            Change::StopGoverning {
                body,
                agreement,
                when,
            } => {
                let k = self.find_body(body.as_str())?;
                self.touch_body(touched, k, mode);
                self.do_end_spell(k, when, mode, "governing of", agreement.as_str(), |b| {
                    b.governs
                        .iter_mut()
                        .filter(|g| g.agreement == agreement)
                        .map(|g| &mut g.spell)
                        .collect()
                })
                .map(|()| Outcome::Done)
            }
            Change::ReportTo { body, reports_to } => {
                let k = self.find_body(body.as_str())?;
                self.touch_body(touched, k, mode);
                self.do_body_link(k, mode, |b| b.reports_to.push(reports_to))
                    .map(|()| Outcome::Done)
            }
            Change::StopReporting { body, to, when } => {
                let k = self.find_body(body.as_str())?;
                self.touch_body(touched, k, mode);
                self.do_end_spell(k, when, mode, "reporting to", to.as_str(), |b| {
                    b.reports_to
                        .iter_mut()
                        .filter(|r| r.body == to)
                        .map(|r| &mut r.spell)
                        .collect()
                })
                .map(|()| Outcome::Done)
            }
        }
    }

    fn do_add_party(&mut self, mut party: Party, mode: Mode) -> Result<PartyKey, Error> {
        if self.party_exists(party.id().as_str()) {
            return Err(Error::duplicate("party", party.id().as_str()).party(party.id()));
        }
        rules::normal::party(&mut party);
        let k = PartyKey(key(self.parties.len()));
        if mode == Mode::Checked {
            let name = party_path(k);
            let at = Path::Named(&name);
            let mut out = Problems::default();
            rules::record::party(&party, &at, &mut out);
            rules::links::party(&party, &at, self, &mut out);
            out.into_result(format!("adding party {}", party.id()))?;
        }
        self.parties.push(party);
        Ok(k)
    }

    fn do_add_agreement(&mut self, mut a: Agreement, mode: Mode) -> Result<AgreementKey, Error> {
        if self.find_agreement(a.id().as_str()).is_ok() {
            return Err(Error::duplicate("agreement", a.id().as_str()).agreement(a.id()));
        }
        if a.terms.legal_basis.is_empty() {
            a.terms
                .legal_basis
                .insert(crate::model::LegalBasis::NotStated);
        }
        rules::normal::agreement(&mut a);
        let k = AgreementKey(key(self.agreements.len()));
        if mode == Mode::Checked {
            // A new agreement can only point up to one that exists, so it
            // cannot close a part-of cycle.
            let name = agreement_path(k);
            let at = Path::Named(&name);
            let mut out = Problems::default();
            rules::record::agreement(&a, &at, &mut out);
            rules::links::agreement(&a, &at, self, &mut out);
            out.into_result(format!("adding agreement {}", a.id()))?;
        }
        self.agreements.push(a);
        Ok(k)
    }

    fn do_add_body(&mut self, b: GovernanceBody, mode: Mode) -> Result<BodyKey, Error> {
        if self.find_body(b.id().as_str()).is_ok() {
            return Err(Error::duplicate("governance body", b.id().as_str()).body(b.id()));
        }
        let k = BodyKey(key(self.bodies.len()));
        if mode == Mode::Checked {
            // A new body can only report to one that exists, so it cannot
            // close a reporting cycle.
            let name = body_path(k);
            let at = Path::Named(&name);
            let mut out = Problems::default();
            rules::record::body(&b, &at, &mut out);
            rules::links::body(&b, &at, self, &mut out);
            out.into_result(format!("adding governance body {}", b.id()))?;
        }
        self.bodies.push(b);
        Ok(k)
    }

    fn agreement_mut(&mut self, k: AgreementKey) -> Result<&mut Agreement, Error> {
        self.agreements
            .get_mut(k.index())
            .ok_or_else(|| Error::new(ErrorKind::UnknownId, "unknown agreement key"))
    }

    fn agreement_ref(&self, k: AgreementKey) -> Result<&Agreement, Error> {
        self.agreements
            .get(k.index())
            .ok_or_else(|| Error::new(ErrorKind::UnknownId, "unknown agreement key"))
    }

    fn do_join(
        &mut self,
        k: AgreementKey,
        m: Membership,
        mode: Mode,
        indexed: usize,
    ) -> Result<(), Error> {
        let a = self.agreement_ref(k)?;
        let joined = m.joined().first_day();
        let target = format!("{} in {}", m.party(), a.id());
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "join", &target, joined, reason)
                .party(m.party())
                .agreement(a.id())
        };
        if let Some(ended) = a.terminated_by(joined) {
            return Err(refuse(
                ErrorKind::Ended,
                format!("{} was terminated on {}", a.id(), ended.from),
            ));
        }
        if let Some(end) = a.terms.end.filter(|end| joined >= *end) {
            return Err(refuse(
                ErrorKind::Ended,
                format!("{} ends on {end}, before the member would join", a.id()),
            ));
        }
        if mode == Mode::Checked {
            let position = a.members.len();
            let name = agreement_path(k);
            let root = Path::Named(&name);
            let list = root.key("members");
            let at = list.index(position);
            let mut out = Problems::default();
            rules::record::membership(a, &m, &at, &mut out);
            if !self.party_exists(m.party().as_str()) {
                out.at(
                    &at.key("party"),
                    Code::UnknownReference,
                    format!("unknown party {:?}", m.party().as_str()),
                );
            }
            // The new spell against the party's other spells in this agreement.
            if let Some(period) = m.period() {
                for i in self.positions_of(k, m.party().as_str(), indexed) {
                    if a.members
                        .get(i)
                        .and_then(Membership::period)
                        .is_some_and(|p| p.overlaps(&period))
                    {
                        out.at(
                            &at.key("party"),
                            Code::OverlappingMembership,
                            format!(
                                "party {:?} is listed twice with overlapping periods (see {})",
                                m.party().as_str(),
                                list.index(i).render()
                            ),
                        );
                    }
                }
            }
            for budget in &a.terms.costs.budgets {
                rules::record::member_in_year(a, &m, position, budget.year, &root, &mut out);
            }
            rules::links::membership(a, &m, &at, self, &mut out);
            out.into_result(format!("joining {target}"))?;
        }
        self.agreement_mut(k)?.members.push(m);
        Ok(())
    }

    /// The membership of `party` that a leaving on `day` would end: one that
    /// began before `day` and is in force on it or the day before.
    fn open_membership(
        &self,
        k: AgreementKey,
        party: &str,
        day: NaiveDate,
        indexed: usize,
    ) -> Option<usize> {
        let a = self.agreements.get(k.index())?;
        let before = day.pred_opt().unwrap_or(day);
        self.positions_of(k, party, indexed).into_iter().find(|&i| {
            a.members.get(i).is_some_and(|m| {
                m.joined().first_day() < day && (m.is_member_on(before) || m.is_member_on(day))
            })
        })
    }

    /// Checks one membership changed in place, with the two-member rule
    /// from `from`; puts the old one back if a rule breaks.
    fn check_member_change(
        &mut self,
        k: AgreementKey,
        position: usize,
        old: Membership,
        from: NaiveDate,
        action: &str,
    ) -> Result<(), Error> {
        let a = self.agreement_ref(k)?;
        let name = agreement_path(k);
        let root = Path::Named(&name);
        let mut out = Problems::default();
        if let Some(m) = a.members.get(position) {
            rules::record::membership(a, m, &root.key("members").index(position), &mut out);
        }
        rules::quorum::from(a, from, &root, &mut out);
        if out.is_empty() {
            return Ok(());
        }
        let target = format!("{action} in {}", a.id());
        if let Some(slot) = self.agreement_mut(k)?.members.get_mut(position) {
            *slot = old;
        }
        Err(Error::invalid(&target, out.0))
    }

    fn do_leave(
        &mut self,
        k: AgreementKey,
        party: &PartyId,
        when: When,
        mode: Mode,
        indexed: usize,
    ) -> Result<(), Error> {
        let day = when.effective();
        let a = self.agreement_ref(k)?;
        let target = format!("{party} in {}", a.id());
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "leave", &target, day, reason)
                .party(party)
                .agreement(a.id())
        };
        let Some(position) = self.open_membership(k, party.as_str(), day, indexed) else {
            return Err(refuse(
                ErrorKind::NotAMember,
                format!("{party} is not a member of {} before that day", a.id()),
            ));
        };
        let old = a
            .members
            .get(position)
            .cloned()
            .ok_or_else(|| refuse(ErrorKind::NotAMember, String::new()))?;
        if let Some(left) = old.left() {
            return Err(refuse(
                ErrorKind::AlreadyLeaving,
                format!("{party} is already due to leave on {left}"),
            ));
        }
        let stamp = when.stamp_for(day);
        if let Some(m) = self.agreement_mut(k)?.members.get_mut(position) {
            m.set_left(Some(PartialDate::day(day)), stamp);
        }
        if mode == Mode::Checked {
            self.check_member_change(k, position, old, day, &format!("{party} leaving"))?;
        }
        Ok(())
    }

    fn do_notice(
        &mut self,
        k: AgreementKey,
        party: &PartyId,
        when: When,
        mode: Mode,
        indexed: usize,
    ) -> Result<NaiveDate, Error> {
        let day = when.effective();
        let a = self.agreement_ref(k)?;
        let target = format!("{party} in {}", a.id());
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "serve notice", &target, day, reason)
                .party(party)
                .agreement(a.id())
        };
        if let Some(ended) = a.terminated_by(day) {
            return Err(refuse(
                ErrorKind::Ended,
                format!("{} was terminated on {}", a.id(), ended.from),
            ));
        }
        let position = self
            .positions_of(k, party.as_str(), indexed)
            .into_iter()
            .find(|&i| a.members.get(i).is_some_and(|m| m.is_member_on(day)))
            .ok_or_else(|| {
                refuse(
                    ErrorKind::NotAMember,
                    format!("{party} is not a member of {} that day", a.id()),
                )
            })?;
        let old = a
            .members
            .get(position)
            .cloned()
            .ok_or_else(|| refuse(ErrorKind::NotAMember, String::new()))?;
        if let Some(served) = old.notice_served() {
            return Err(refuse(
                ErrorKind::NoticeAlreadyServed,
                format!("{party} already served notice on {served}"),
            ));
        }
        if let Some(left) = old.left() {
            return Err(refuse(
                ErrorKind::AlreadyLeaving,
                format!("{party} is already due to leave on {left}"),
            ));
        }
        // The leaving rules of the day notice is served, as the register
        // then stood: a later change of rules does not reach back.
        let rules = AgreementView::new(a, At::on(day).as_recorded_on(when.entered_on()))
            .leaving()
            .clone();
        let out = withdrawal_day(&rules, day).ok_or_else(|| {
            refuse(
                ErrorKind::InvalidDate,
                "the withdrawal day falls outside the calendar".to_string(),
            )
        })?;
        let stamp = when.stamp_for(day);
        let left_stamp = when.stamp_for(out);
        if let Some(m) = self.agreement_mut(k)?.members.get_mut(position) {
            m.set_notice(Some(day), stamp);
            m.set_left(Some(PartialDate::day(out)), left_stamp);
        }
        if mode == Mode::Checked {
            self.check_member_change(k, position, old, out, &format!("{party} serving notice"))?;
        }
        Ok(out)
    }

    fn do_status(
        &mut self,
        k: AgreementKey,
        status: Status,
        when: When,
        note: Option<String>,
        ended_by: Option<Ending>,
        mode: Mode,
    ) -> Result<(), Error> {
        let day = when.effective();
        let a = self.agreement_ref(k)?;
        let target = a.id().to_string();
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "change status", &target, day, reason).agreement(a.id())
        };
        let from = PartialDate::day(day);
        // A late entry takes its place in date order and must fit both the
        // change before it and the change after it.
        let at = a.status.partition_point(|c| c.from <= from);
        if let (0, Some(first)) = (at, a.status.first()) {
            if status != Status::Proposed {
                return Err(refuse(
                    ErrorKind::Lifecycle,
                    format!(
                        "the first status recorded is {} on {}; only a proposal can come before it",
                        first.status, first.from
                    ),
                ));
            }
        }
        if let Some(next) = a.status.get(at) {
            if next.status == status || !status.can_change_to(next.status) {
                return Err(refuse(
                    ErrorKind::Lifecycle,
                    format!(
                        "the next status change, to {} on {}, could not follow {status}",
                        next.status, next.from
                    ),
                ));
            }
        }
        let current = at
            .checked_sub(1)
            .and_then(|i| a.status.get(i))
            .map(|c| c.status);
        if current == Some(status) {
            return Err(refuse(
                ErrorKind::Lifecycle,
                format!("the agreement is already {status}"),
            ));
        }
        if current == Some(Status::Terminated) {
            return Err(refuse(
                ErrorKind::Ended,
                "a terminated agreement cannot change status".to_string(),
            ));
        }
        if let Some(was) = current.filter(|was| !was.can_change_to(status)) {
            let allowed: Vec<&str> = was.next_statuses().iter().map(Status::as_str).collect();
            return Err(refuse(
                ErrorKind::Lifecycle,
                format!(
                    "an agreement that is {was} cannot become {status}; it can become {}",
                    allowed.join(" or ")
                ),
            ));
        }
        let mut change = StatusChange::new(status, from);
        change.recorded = when.stamp_for(day);
        change.note = note;
        change.ended_by = ended_by;
        self.agreement_mut(k)?.status.insert(at, change);
        if mode == Mode::Checked {
            let a = self.agreement_ref(k)?;
            let name = agreement_path(k);
            let root = Path::Named(&name);
            let mut out = Problems::default();
            rules::record::status_history(a, &root, &mut out);
            if let Some(c) = a.status.get(at) {
                crate::rules::record::storable(
                    c.from.first_day(),
                    &root.key("status").index(at).key("from"),
                    &mut out,
                );
            }
            if status.is_in_force() {
                rules::quorum::from(a, day, &root, &mut out);
            }
            if status == Status::Terminated {
                rules::record::reviews_held(a, &root, &mut out);
            }
            if !out.is_empty() {
                let id = a.id().to_string();
                self.agreement_mut(k)?.status.remove(at);
                return Err(Error::invalid(
                    &format!("changing the status of {id}"),
                    out.0,
                ));
            }
        }
        Ok(())
    }

    fn do_review(&mut self, k: AgreementKey, review: Review, mode: Mode) -> Result<(), Error> {
        let a = self.agreement_ref(k)?;
        let target = a.id().to_string();
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "record review", &target, review.date, reason).agreement(a.id())
        };
        if review.date < a.start.first_day() {
            return Err(refuse(
                ErrorKind::OutOfPeriod,
                format!("the agreement starts on {}", a.start),
            ));
        }
        if let Some(ended) = a.terminated_by(review.date) {
            if review.date > ended.from.first_day() {
                return Err(refuse(
                    ErrorKind::Ended,
                    format!("the agreement was terminated on {}", ended.from),
                ));
            }
        }
        let at = a.reviews_held.partition_point(|r| r.date <= review.date);
        if mode == Mode::Checked {
            let name = agreement_path(k);
            let root = Path::Named(&name);
            let here = root.key("review");
            let here = here.key("held");
            let here = here.index(at);
            let mut out = Problems::default();
            crate::rules::record::storable(review.date, &here.key("date"), &mut out);
            if let Some(recorded) = review.recorded {
                crate::rules::record::storable(recorded, &here.key("recorded"), &mut out);
            }
            if let Some(by) = review
                .by
                .as_ref()
                .filter(|by| self.find_body(by.as_str()).is_err())
            {
                out.at(
                    &here.key("by"),
                    Code::UnknownReference,
                    format!("unknown governance body {:?}", by.as_str()),
                );
            }
            rules::record::shadows(
                &review.extra,
                rules::record::fields::REVIEW_HELD,
                &here,
                &mut out,
            );
            out.into_result(format!("recording a review of {target}"))?;
        }
        self.agreement_mut(k)?.reviews_held.insert(at, review);
        Ok(())
    }

    #[allow(
        clippy::too_many_lines,
        reason = "each check an amendment needs, run only when what it changed calls for it"
    )]
    fn do_amend(
        &mut self,
        k: AgreementKey,
        when: When,
        kind: AmendmentKind,
        summary: String,
        mut terms: Terms,
        mode: Mode,
    ) -> Result<Amendment<AgreementChange>, Error> {
        let day = when.effective();
        let a = self.agreement_ref(k)?;
        let id = a.id().clone();
        if let Some(c) = terms.costs.get_mut() {
            rules::normal::costs(c);
        }
        // The terms as they stood on the day, from every amendment so far.
        let base = AgreementView::new(a, At::on(day)).terms().into_owned();
        let changes = AgreementChange::diff(&base, &terms);
        let mut amendment = Amendment::new(day, kind, summary, changes);
        amendment.recorded = when.stamp_for(day);
        let old_terms = a.terms.clone();
        let latest = |field: &crate::model::AgreementField| {
            !a.amendments
                .iter()
                .any(|am| am.date > day && am.changes.iter().any(|c| c.field() == *field))
        };
        let mut now = a.terms.clone();
        for c in &amendment.changes {
            if latest(&c.field()) {
                apply_change(&mut now, c);
            }
        }
        now.costs.shrink();
        let end_changed = now.end != old_terms.end;
        let costs_changed = now.costs != old_terms.costs;
        let part_of_changed = now.part_of != old_terms.part_of;
        let successor_changed = now.replaced_by != old_terms.replaced_by;
        {
            let record = self.agreement_mut(k)?;
            record.terms = now;
            record.amendments.push(amendment.clone());
        }
        if mode == Mode::Checked {
            let a = self.agreement_ref(k)?;
            let name = agreement_path(k);
            let root = Path::Named(&name);
            let mut out = Problems::default();
            rules::record::terms(&a.terms, a.start, &root, &mut out);
            if a.terms.part_of.as_ref() == Some(a.id()) {
                out.at(
                    &root.key("part_of"),
                    Code::Cycle,
                    "an agreement cannot be part of itself",
                );
            }
            if a.terms.replaced_by.as_ref() == Some(a.id()) {
                out.at(
                    &root.key("replaced_by"),
                    Code::Cycle,
                    "an agreement cannot replace itself",
                );
            }
            let newest = a.amendments.len().saturating_sub(1);
            rules::record::amendment_values(a, newest, &root, &mut out);
            rules::chains::agreement(a, &root, &mut out);
            if end_changed {
                let list = root.key("members");
                for (j, m) in a.members.iter().enumerate() {
                    rules::record::membership(a, m, &list.index(j), &mut out);
                }
                rules::quorum::whole(a, &root, &mut out);
            }
            if end_changed || costs_changed {
                rules::record::costs_and_members(a, &root, &mut out);
                let list = root.key("members");
                for (j, m) in a.members.iter().enumerate() {
                    rules::links::membership(a, m, &list.index(j), self, &mut out);
                }
            }
            rules::links::agreement_currency(a, &root, self.info.currency, &mut out);
            for ((field, link), changed) in rules::links::AGREEMENT_LINKS
                .into_iter()
                .zip([part_of_changed, successor_changed])
            {
                let Some(other) = link(a).filter(|_| changed) else {
                    continue;
                };
                if self.find_agreement(other.as_str()).is_err() {
                    out.at(
                        &root.key(field),
                        Code::UnknownReference,
                        format!("unknown agreement {:?}", other.as_str()),
                    );
                } else if let Some(cycle) = self.link_cycle(k, link) {
                    out.at(
                        &root.key(field),
                        Code::Cycle,
                        format!("{field} would make a cycle: {}", cycle.join(" -> ")),
                    );
                }
            }
            let responsibilities = root.key("responsibilities");
            for (field, who) in [
                ("asset_owner", &a.terms.responsibilities.asset_owner),
                ("employer", &a.terms.responsibilities.employer),
            ] {
                if let Some(who) = who {
                    if !self.party_exists(who.as_str()) {
                        out.at(
                            &responsibilities.key(field),
                            Code::UnknownReference,
                            format!("unknown party {:?}", who.as_str()),
                        );
                    }
                }
            }
            if !out.is_empty() {
                let record = self.agreement_mut(k)?;
                record.terms = old_terms;
                record.amendments.pop();
                return Err(Error::invalid(&format!("amending {id}"), out.0));
            }
            // Asset owners and employers must be members or their
            // commissioners: the full link rule, now the rest has passed.
            let mut links = Problems::default();
            let a = self.agreement_ref(k)?;
            if !a.terms.responsibilities.is_empty()
                || !a.terms.costs.assets.is_empty()
                || (!a.classes.is_empty() && costs_changed)
            {
                rules::links::agreement(a, &root, self, &mut links);
            }
            if !links.is_empty() {
                let record = self.agreement_mut(k)?;
                record.terms = old_terms;
                record.amendments.pop();
                return Err(Error::invalid(&format!("amending {id}"), links.0));
            }
        }
        Ok(amendment)
    }

    /// The cycle the link `link` from `k` would make, if any.
    fn link_cycle(
        &self,
        k: AgreementKey,
        link: rules::links::AgreementLink,
    ) -> Option<Vec<String>> {
        let start = self.agreements.get(k.index())?;
        let mut chain = vec![start.id().to_string()];
        let mut next = link(start).cloned();
        while let Some(parent) = next {
            chain.push(parent.to_string());
            if parent == *start.id() {
                return Some(chain);
            }
            if chain.len() > self.agreements.len().saturating_add(1) {
                return None;
            }
            next = self
                .find_agreement(parent.as_str())
                .ok()
                .and_then(|p| self.agreements.get(p.index()))
                .and_then(|a| link(a).cloned());
        }
        None
    }

    fn do_role(
        &mut self,
        k: AgreementKey,
        party: &PartyId,
        role: Role,
        when: When,
        mode: Mode,
        indexed: usize,
    ) -> Result<(), Error> {
        let day = when.effective();
        let a = self.agreement_ref(k)?;
        let target = format!("{party} in {}", a.id());
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "change role", &target, day, reason)
                .party(party)
                .agreement(a.id())
        };
        let position = self
            .positions_of(k, party.as_str(), indexed)
            .into_iter()
            .find(|&i| a.members.get(i).is_some_and(|m| m.is_member_on(day)))
            .ok_or_else(|| {
                refuse(
                    ErrorKind::NotAMember,
                    format!("{party} is not a member of {} that day", a.id()),
                )
            })?;
        let m = a
            .members
            .get(position)
            .ok_or_else(|| refuse(ErrorKind::NotAMember, String::new()))?;
        let view = AgreementView::new(a, At::on(day));
        let was = view.member_view(m).role();
        if was == role {
            return Err(refuse(
                ErrorKind::InvalidValue,
                format!("{party} is already {role}"),
            ));
        }
        let field = crate::model::AgreementField::Role(party.clone(), m.joined());
        let joined = m.joined();
        let latest = !a
            .amendments
            .iter()
            .any(|am| am.date > day && am.changes.iter().any(|c| c.field() == field));
        let mut amendment = Amendment::new(
            day,
            AmendmentKind::Variation,
            format!("{party} becomes {role}"),
            vec![AgreementChange::Role(
                party.clone(),
                joined,
                FieldChange::new(was, role),
            )],
        );
        amendment.recorded = when.stamp_for(day);
        let old_role = m.role();
        {
            let record = self.agreement_mut(k)?;
            record.amendments.push(amendment);
            if latest {
                if let Some(m) = record.members.get_mut(position) {
                    m.set_role(role);
                }
            }
        }
        if mode == Mode::Checked {
            let a = self.agreement_ref(k)?;
            let name = agreement_path(k);
            let root = Path::Named(&name);
            let mut out = Problems::default();
            rules::quorum::whole(a, &root, &mut out);
            if let Some(m) = a.members.get(position) {
                for budget in &a.terms.costs.budgets {
                    rules::record::member_in_year(a, m, position, budget.year, &root, &mut out);
                }
                rules::links::membership(
                    a,
                    m,
                    &root.key("members").index(position),
                    self,
                    &mut out,
                );
            }
            if !out.is_empty() {
                let record = self.agreement_mut(k)?;
                record.amendments.pop();
                if let Some(m) = record.members.get_mut(position) {
                    m.set_role(old_role);
                }
                return Err(Error::invalid(
                    &format!("changing the role of {target}"),
                    out.0,
                ));
            }
        }
        Ok(())
    }

    fn party_mut(&mut self, k: PartyKey) -> Result<&mut Party, Error> {
        self.parties
            .get_mut(k.index())
            .ok_or_else(|| Error::new(ErrorKind::UnknownId, "unknown party key"))
    }

    /// Checks a party after a change, with the agreements whose formulas
    /// read its metrics; `undo` puts it back if a rule breaks.
    fn check_party_change(
        &mut self,
        k: PartyKey,
        metrics: bool,
        undo: impl FnOnce(&mut Party),
    ) -> Result<(), Error> {
        let Some(p) = self.parties.get(k.index()) else {
            return Ok(());
        };
        let name = party_path(k);
        let at = Path::Named(&name);
        let mut out = Problems::default();
        rules::record::party(p, &at, &mut out);
        rules::links::party(p, &at, self, &mut out);
        self.check_class_costs(k, &mut out);
        if metrics {
            for r in self
                .index
                .memberships
                .get(k.index())
                .map_or(&[][..], Vec::as_slice)
            {
                if let Some(a) = self.agreements.get(r.agreement.index()) {
                    if let Some(m) = a.members.get(r.position as usize) {
                        let name = agreement_path(r.agreement);
                        let root = Path::Named(&name);
                        rules::links::membership(
                            a,
                            m,
                            &root.key("members").index(r.position as usize),
                            self,
                            &mut out,
                        );
                    }
                }
            }
        }
        if out.is_empty() {
            return Ok(());
        }
        let id = p.id().to_string();
        undo(self.party_mut(k)?);
        Err(Error::invalid(&format!("changing party {id}"), out.0))
    }

    fn do_amend_party(
        &mut self,
        k: PartyKey,
        when: When,
        kind: AmendmentKind,
        summary: String,
        mut terms: PartyTerms,
        mode: Mode,
    ) -> Result<(), Error> {
        let day = when.effective();
        let p = self
            .parties
            .get(k.index())
            .ok_or_else(|| Error::new(ErrorKind::UnknownId, "unknown party key"))?;
        terms
            .metrics
            .sort_by(|a, b| (&a.metric, a.year).cmp(&(&b.metric, b.year)));
        let base = PartyView::new(p, At::on(day)).terms().into_owned();
        let changes = PartyChange::diff(&base, &terms);
        let mut amendment = Amendment::new(day, kind, summary, changes);
        amendment.recorded = when.stamp_for(day);
        let old = p.terms.clone();
        let mut now = p.terms.clone();
        for c in &amendment.changes {
            let field = c.field();
            let latest = !p
                .amendments
                .iter()
                .any(|am| am.date > day && am.changes.iter().any(|x| x.field() == field));
            if latest {
                apply_party_change(&mut now, c);
            }
        }
        let metrics = now.metrics != old.metrics;
        {
            let record = self.party_mut(k)?;
            record.terms = now;
            record.amendments.push(amendment);
        }
        if mode == Mode::Checked {
            self.check_party_change(k, metrics, |p| {
                p.terms = old;
                p.amendments.pop();
            })?;
        }
        Ok(())
    }

    fn do_add_oversight(
        &mut self,
        k: PartyKey,
        oversight: Oversight,
        mode: Mode,
    ) -> Result<(), Error> {
        self.party_mut(k)?.overseen_by.push(oversight);
        if mode == Mode::Checked {
            self.check_party_change(k, false, |p| {
                p.overseen_by.pop();
            })?;
        }
        Ok(())
    }

    fn do_end_oversight(
        &mut self,
        k: PartyKey,
        by: &PartyId,
        when: When,
        mode: Mode,
    ) -> Result<(), Error> {
        let day = when.effective();
        let p = self
            .parties
            .get(k.index())
            .ok_or_else(|| Error::new(ErrorKind::UnknownId, "unknown party key"))?;
        let target = format!("{by} overseeing {}", p.id());
        let position = p
            .overseen_by
            .iter()
            .position(|o| {
                o.by == *by && o.spell.until.is_none() && o.spell.from.is_none_or(|f| f < day)
            })
            .ok_or_else(|| {
                Error::refused(
                    ErrorKind::NotAMember,
                    "end oversight",
                    &target,
                    day,
                    format!("{by} does not oversee {} then", p.id()),
                )
                .party(p.id())
            })?;
        let stamp = when.stamp_for(day);
        if let Some(o) = self.party_mut(k)?.overseen_by.get_mut(position) {
            o.spell.until = Some(day);
            o.spell.recorded.until = stamp;
        }
        if mode == Mode::Checked {
            self.check_party_change(k, false, |p| {
                if let Some(o) = p.overseen_by.get_mut(position) {
                    o.spell.until = None;
                    o.spell.recorded.until = None;
                }
            })?;
        }
        Ok(())
    }

    fn body_mut(&mut self, k: BodyKey) -> Result<&mut GovernanceBody, Error> {
        self.bodies
            .get_mut(k.index())
            .ok_or_else(|| Error::new(ErrorKind::UnknownId, "unknown body key"))
    }

    /// Checks a body after a change; `undo` puts it back if a rule breaks.
    fn check_body_change(
        &mut self,
        k: BodyKey,
        undo: impl FnOnce(&mut GovernanceBody),
    ) -> Result<(), Error> {
        let Some(b) = self.bodies.get(k.index()) else {
            return Ok(());
        };
        let name = body_path(k);
        let at = Path::Named(&name);
        let mut out = Problems::default();
        rules::record::body(b, &at, &mut out);
        rules::links::body(b, &at, self, &mut out);
        if let Some(cycle) = self.reporting_cycle(k) {
            out.at(
                &at.key("reports_to"),
                Code::Cycle,
                format!("reports_to would make a cycle: {}", cycle.join(" -> ")),
            );
        }
        if out.is_empty() {
            return Ok(());
        }
        let id = b.id().to_string();
        undo(self.body_mut(k)?);
        Err(Error::invalid(
            &format!("changing governance body {id}"),
            out.0,
        ))
    }

    /// A reporting cycle through body `k`, if any: a walk up every line it
    /// or a body above it has ever had.
    fn reporting_cycle(&self, k: BodyKey) -> Option<Vec<String>> {
        let start = self.bodies.get(k.index())?;
        let mut stack: Vec<(BodyKey, Vec<String>)> = vec![(k, vec![start.id().to_string()])];
        let mut seen = std::collections::HashSet::new();
        while let Some((at, chain)) = stack.pop() {
            let b = self.bodies.get(at.index())?;
            for line in b.reports_to() {
                let mut next = chain.clone();
                next.push(line.body.to_string());
                if line.body == *start.id() {
                    return Some(next);
                }
                if let Ok(up) = self.find_body(line.body.as_str()) {
                    if seen.insert(up) {
                        stack.push((up, next));
                    }
                }
            }
        }
        None
    }

    fn do_amend_body(
        &mut self,
        k: BodyKey,
        when: When,
        kind: AmendmentKind,
        summary: String,
        terms: &BodyTerms,
        mode: Mode,
    ) -> Result<(), Error> {
        let day = when.effective();
        let b = self
            .bodies
            .get(k.index())
            .ok_or_else(|| Error::new(ErrorKind::UnknownId, "unknown body key"))?;
        let base = BodyView::new(b, At::on(day)).terms().into_owned();
        let changes = BodyChange::diff(&base, terms);
        let mut amendment = Amendment::new(day, kind, summary, changes);
        amendment.recorded = when.stamp_for(day);
        let old = b.terms.clone();
        let mut now = b.terms.clone();
        for c in &amendment.changes {
            let field = c.field();
            let latest = !b
                .amendments
                .iter()
                .any(|am| am.date > day && am.changes.iter().any(|x| x.field() == field));
            if latest {
                match c {
                    BodyChange::Name(c) => now.name.clone_from(&c.after),
                    BodyChange::Kind(c) => now.kind = c.after,
                    BodyChange::DecisionRule(c) => now.decision_rule = c.after.clone(),
                    BodyChange::DelegatedLimits(c) => now.delegated_limits.clone_from(&c.after),
                }
            }
        }
        {
            let record = self.body_mut(k)?;
            record.terms = now;
            record.amendments.push(amendment);
        }
        if mode == Mode::Checked {
            self.check_body_change(k, |b| {
                b.terms = old;
                b.amendments.pop();
            })?;
        }
        Ok(())
    }

    fn do_body_link(
        &mut self,
        k: BodyKey,
        mode: Mode,
        add: impl FnOnce(&mut GovernanceBody),
    ) -> Result<(), Error> {
        let before = self.bodies.get(k.index()).cloned();
        add(self.body_mut(k)?);
        if mode == Mode::Checked {
            self.check_body_change(k, |b| {
                if let Some(before) = before {
                    *b = before;
                }
            })?;
        }
        Ok(())
    }

    fn do_end_spell(
        &mut self,
        k: BodyKey,
        when: When,
        mode: Mode,
        what: &str,
        id: &str,
        spells: impl FnOnce(&mut GovernanceBody) -> Vec<&mut crate::model::Spell>,
    ) -> Result<(), Error> {
        let day = when.effective();
        let stamp = when.stamp_for(day);
        let body_id = self
            .bodies
            .get(k.index())
            .map(|b| b.id().to_string())
            .unwrap_or_default();
        let b = self.body_mut(k)?;
        let mut ended = None;
        for spell in spells(b) {
            if spell.until.is_none() && spell.from.is_none_or(|f| f < day) {
                spell.until = Some(day);
                spell.recorded.until = stamp;
                ended = Some(());
                break;
            }
        }
        if ended.is_none() {
            return Err(Error::refused(
                ErrorKind::NotAMember,
                &format!("end the {what}"),
                &format!("{id} for {body_id}"),
                day,
                format!("no open {what} {id} on {body_id} before that day"),
            )
            .body(&body_id));
        }
        if mode == Mode::Checked {
            let b = self.bodies.get(k.index());
            let name = body_path(k);
            let at = Path::Named(&name);
            let mut out = Problems::default();
            if let Some(b) = b {
                rules::record::body(b, &at, &mut out);
            }
            if !out.is_empty() {
                // Dates out of order: a spell ending before it began.
                return Err(Error::invalid(
                    &format!("ending the {what} {id} on {body_id}"),
                    out.0,
                ));
            }
        }
        Ok(())
    }

    // ---- the public changes ----

    /// Adds a party.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DuplicateId`] when the id is taken;
    /// [`ErrorKind::Invalid`] listing every rule the record breaks (an
    /// unknown overseer, say), each with its document path. Nothing changes then.
    pub fn add_party(&mut self, party: Party) -> Result<PartyKey, Error> {
        match self.apply_one(Change::AddParty(Box::new(party)))? {
            Outcome::Party(k) => Ok(k),
            _ => Err(Error::new(
                ErrorKind::Invalid,
                "adding a party made no party",
            )),
        }
    }

    /// Adds an agreement.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DuplicateId`] when the id is taken;
    /// [`ErrorKind::Invalid`] listing every rule the record breaks, each
    /// with its document path. Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::*;
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// let dogs = Agreement::builder(AgreementId::new("example-dogs")?, "Shared dog unit", on)
    ///     .legal_basis(LegalBasis::Section22aPoliceAct1996)
    ///     .function(Function::Dogs)
    ///     .active_from(on)
    ///     .member(Membership::new(PartyId::new("derbyshire-police")?, Role::Lead, on))
    ///     .member(Membership::new(PartyId::new("lincolnshire-police")?, Role::Member, on))
    ///     .build()?;
    /// registry.add_agreement(dogs)?;
    /// assert!(registry.as_of(on).agreement("example-dogs")?.is_member("lincolnshire-police"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_agreement(&mut self, agreement: Agreement) -> Result<AgreementKey, Error> {
        match self.apply_one(Change::AddAgreement(Box::new(agreement)))? {
            Outcome::Agreement(k) => Ok(k),
            _ => Err(Error::new(
                ErrorKind::Invalid,
                "adding an agreement made no agreement",
            )),
        }
    }

    /// Adds a governance body.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DuplicateId`] when the id is taken;
    /// [`ErrorKind::Invalid`] listing every rule the record breaks. Nothing
    /// changes then.
    pub fn add_body(&mut self, body: GovernanceBody) -> Result<BodyKey, Error> {
        match self.apply_one(Change::AddBody(Box::new(body)))? {
            Outcome::Body(k) => Ok(k),
            _ => Err(Error::new(ErrorKind::Invalid, "adding a body made no body")),
        }
    }

    fn agreement_id_of(&self, id: &str) -> Result<AgreementId, Error> {
        Ok(self.agreement(id)?.id().clone())
    }

    /// A party joins an agreement with the membership given; its joining
    /// day is when it takes effect (and [`Membership::entered`] says when
    /// that was entered).
    ///
    /// **O(d + b)** for d memberships of the party and b budgeted years,
    /// whatever the size of the agreement.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown agreement;
    /// [`ErrorKind::Ended`] when the agreement is terminated or has reached
    /// its fixed end by then; [`ErrorKind::Invalid`] when the membership
    /// breaks a rule (unknown party, overlapping spells, joining before the
    /// start, no fixed share or metric for a budgeted year), each problem at
    /// the document path the membership would take. Nothing changes then.
    pub fn join(&mut self, agreement: &str, membership: Membership) -> Result<(), Error> {
        let agreement = self.agreement_id_of(agreement)?;
        self.apply_one(Change::Join {
            agreement,
            membership,
        })
        .map(|_| ())
    }

    /// A member leaves on `when.effective()` (the first day it is no longer
    /// a member).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown agreement;
    /// [`ErrorKind::NotAMember`] when the party is not a member the day
    /// before; [`ErrorKind::AlreadyLeaving`] when it is already due to
    /// leave; [`ErrorKind::Invalid`] when the agreement would be left in
    /// force with fewer than two members. Nothing changes then.
    pub fn leave(
        &mut self,
        agreement: &str,
        party: &str,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let agreement = self.agreement_id_of(agreement)?;
        let party = PartyId::new(party).map_err(|_| Error::unknown_party(party))?;
        self.apply_one(Change::Leave {
            agreement,
            party,
            when: when.into(),
        })
        .map(|_| ())
    }

    /// A member serves notice on `when.effective()`. It is out after the
    /// notice period of the leaving rules in force that day (in calendar
    /// months, clamped to the month's end; the next day when none is set),
    /// moved on to the next 1 April when the agreement aligns withdrawals
    /// to the end of a financial year ([`withdrawal_day`]). It stays a
    /// member until then; the day it is out is returned and recorded as its
    /// leaving day.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown agreement;
    /// [`ErrorKind::NotAMember`], [`ErrorKind::NoticeAlreadyServed`],
    /// [`ErrorKind::AlreadyLeaving`] or [`ErrorKind::Ended`] (terminated by
    /// then); [`ErrorKind::Invalid`] when the agreement would be left in
    /// force with fewer than two members. Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let mut registry = collab_registry::sample()?;
    /// let served = NaiveDate::from_ymd_opt(2021, 9, 30).unwrap();
    /// let out = registry.serve_notice("northants-leics-notts-alliance", "leicestershire-police", served)?;
    /// assert_eq!(out, NaiveDate::from_ymd_opt(2022, 9, 30).unwrap()); // twelve months
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serve_notice(
        &mut self,
        agreement: &str,
        party: &str,
        when: impl Into<When>,
    ) -> Result<NaiveDate, Error> {
        let agreement = self.agreement_id_of(agreement)?;
        let party = PartyId::new(party).map_err(|_| Error::unknown_party(party))?;
        match self.apply_one(Change::ServeNotice {
            agreement,
            party,
            when: when.into(),
        })? {
            Outcome::Day(d) => Ok(d),
            _ => Err(Error::new(ErrorKind::Invalid, "serving notice gave no day")),
        }
    }

    /// Records a change of status, kept in the agreement's history. A change
    /// entered late, dated before changes already recorded, takes its place
    /// in date order and must fit both the change before it and the change
    /// after it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Lifecycle`] when the status is
    /// already in force that day or the lifecycle
    /// ([`Status::next_statuses`]) does not allow it; [`ErrorKind::Ended`]
    /// for a terminated agreement; [`ErrorKind::Invalid`] when the result
    /// breaks a rule (going active with fewer than two members). Nothing
    /// changes then.
    pub fn set_status(
        &mut self,
        agreement: &str,
        status: Status,
        when: impl Into<When>,
        note: Option<String>,
    ) -> Result<(), Error> {
        let agreement = self.agreement_id_of(agreement)?;
        self.apply_one(Change::SetStatus {
            agreement,
            status,
            when: when.into(),
            note,
            ended_by: None,
        })
        .map(|_| ())
    }

    /// Terminates an agreement from `when.effective()`.
    ///
    /// # Errors
    ///
    /// As [`Registry::set_status`].
    pub fn terminate(
        &mut self,
        agreement: &str,
        when: impl Into<When>,
        note: Option<String>,
    ) -> Result<(), Error> {
        self.set_status(agreement, Status::Terminated, when, note)
    }

    /// Terminates an agreement from `when.effective()`, recording who ended
    /// it: one member by the notice it served ([`Ending::Notice`], linked
    /// to that notice), all the members together, or its fixed end.
    ///
    /// # Errors
    ///
    /// As [`Registry::set_status`]; [`ErrorKind::Invalid`] when a notice
    /// ending names a party that is not a member or served no notice by
    /// that day, or an expiry is recorded for an agreement with no end.
    /// Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::{Ending, Status};
    /// let mut registry = collab_registry::sample()?;
    /// let day = NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();
    /// registry.terminate_by("northants-leics-notts-alliance", day, Ending::AllMembers, None)?;
    /// let alliance = registry.agreement("northants-leics-notts-alliance")?;
    /// let last = alliance.status_history().last().unwrap();
    /// assert_eq!((last.status, last.ended_by.clone()), (Status::Terminated, Some(Ending::AllMembers)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn terminate_by(
        &mut self,
        agreement: &str,
        when: impl Into<When>,
        ending: Ending,
        note: Option<String>,
    ) -> Result<(), Error> {
        let agreement = self.agreement_id_of(agreement)?;
        self.apply_one(Change::SetStatus {
            agreement,
            status: Status::Terminated,
            when: when.into(),
            note,
            ended_by: Some(ending),
        })
        .map(|_| ())
    }

    /// Renews an agreement with a fixed term for another term on
    /// `when.effective()`: the next end is its end as it stood that day
    /// plus the term (or the day itself plus the term, for one with no end
    /// yet), recorded as an amendment of kind
    /// [`AmendmentKind::Renewal`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::InvalidValue`] for an
    /// agreement with no fixed term; [`ErrorKind::Ended`] when the day is
    /// after its end (a lapsed agreement is not renewed, it is replaced);
    /// [`ErrorKind::InvalidDate`] when the next end is beyond year 9999; as
    /// [`Registry::amend`] otherwise. Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::{Term, TermUnit};
    /// let mut registry = collab_registry::sample()?;
    /// let id = "northants-leics-notts-alliance";
    /// let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// registry.amend(id, day, collab_registry::model::AmendmentKind::Variation, "A five-year term",
    ///     |t| { t.set_term(Some(Term::new(5, TermUnit::Years))); t.set_end(NaiveDate::from_ymd_opt(2028, 4, 1)); })?;
    /// let renewal = registry.renew(id, NaiveDate::from_ymd_opt(2028, 1, 10).unwrap())?;
    /// assert_eq!(registry.agreement(id)?.terms().end(), NaiveDate::from_ymd_opt(2033, 4, 1));
    /// assert_eq!(renewal.summary, "Renewed for 5 years, to 2033-04-01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn renew(
        &mut self,
        agreement: &str,
        when: impl Into<When>,
    ) -> Result<Amendment<AgreementChange>, Error> {
        let when = when.into();
        let day = when.effective();
        let terms = self.terms_on(agreement, day)?;
        let id = self.agreement_id_of(agreement)?;
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "renew", id.as_str(), day, reason).agreement(id.as_str())
        };
        let Some(term) = terms.term() else {
            return Err(refuse(
                ErrorKind::InvalidValue,
                "it has no fixed term to renew for".to_string(),
            ));
        };
        let from = match terms.end() {
            Some(end) if day > end => {
                return Err(refuse(
                    ErrorKind::Ended,
                    format!("it ended on {end}; renew it on or before its end"),
                ));
            }
            Some(end) => end,
            None => day,
        };
        let next = term
            .end_from(from)
            .filter(|next| crate::model::is_storable(*next))
            .ok_or_else(|| {
                refuse(
                    ErrorKind::InvalidDate,
                    format!("{term} from {from} ends beyond year 9999"),
                )
            })?;
        let summary = format!("Renewed for {term}, to {next}");
        self.amend(agreement, when, AmendmentKind::Renewal, &summary, |t| {
            t.set_end(Some(next));
        })
    }

    /// Extends an agreement to a later end `to`, from `when.effective()`,
    /// recorded as an amendment of kind [`AmendmentKind::Extension`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::InvalidValue`] when `to` is
    /// not after its end as it stood that day (an agreement with no end
    /// runs on, and cannot be extended); [`ErrorKind::Ended`] when the day
    /// is after its end; as [`Registry::amend`] otherwise. Nothing changes
    /// then.
    pub fn extend(
        &mut self,
        agreement: &str,
        when: impl Into<When>,
        to: NaiveDate,
    ) -> Result<Amendment<AgreementChange>, Error> {
        let when = when.into();
        let day = when.effective();
        let terms = self.terms_on(agreement, day)?;
        let id = self.agreement_id_of(agreement)?;
        let refuse = |kind: ErrorKind, reason: String| {
            Error::refused(kind, "extend", id.as_str(), day, reason).agreement(id.as_str())
        };
        match terms.end() {
            None => {
                return Err(refuse(
                    ErrorKind::InvalidValue,
                    "it has no end, so it runs on and cannot be extended".to_string(),
                ));
            }
            Some(end) if day > end => {
                return Err(refuse(
                    ErrorKind::Ended,
                    format!("it ended on {end}; extend it on or before its end"),
                ));
            }
            Some(end) if to <= end => {
                return Err(refuse(
                    ErrorKind::InvalidValue,
                    format!("the new end {to} is not after its end {end}"),
                ));
            }
            Some(_) => {}
        }
        let summary = format!("Extended to {to}");
        self.amend(agreement, when, AmendmentKind::Extension, &summary, |t| {
            t.set_end(Some(to));
        })
    }

    /// Records a review held, which moves the next review due.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::OutOfPeriod`] for a review
    /// before the start; [`ErrorKind::Ended`] for one after a termination;
    /// [`ErrorKind::Invalid`] when the reviewing body is unknown. Nothing
    /// changes then.
    pub fn record_review(&mut self, agreement: &str, review: Review) -> Result<(), Error> {
        let agreement = self.agreement_id_of(agreement)?;
        self.apply_one(Change::RecordReview { agreement, review })
            .map(|_| ())
    }

    /// The terms of `agreement` as they stood on `day`, every amendment
    /// entered so far counted: the draft an amendment taking effect that
    /// day edits.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown agreement.
    pub fn terms_on(&self, agreement: &str, day: NaiveDate) -> Result<Terms, Error> {
        Ok(AgreementView::new(self.agreement(agreement)?, At::on(day))
            .terms()
            .into_owned())
    }

    /// Amends an agreement: `edit` changes its terms as they stood on the
    /// day the amendment takes effect, and the amendment is recorded with
    /// every change it made, field by field, each with its value before and
    /// after. The record then holds what the latest change of each field
    /// left, so an amendment entered late, dated before a later one, does
    /// not undo it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Invalid`] when the amended
    /// terms break a rule (an end before a member joined, percentages not
    /// adding to 100, an umbrella that makes a cycle), each problem with its
    /// document path. Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::{AmendmentKind, AgreementChange};
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// let amendment = registry.amend("northants-leics-notts-alliance", on, AmendmentKind::Extension,
    ///     "Extended to 2030", |t| t.set_end(NaiveDate::from_ymd_opt(2030, 4, 1)))?;
    /// assert!(matches!(&amendment.changes[0], AgreementChange::End(c) if c.before.is_none()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn amend(
        &mut self,
        agreement: &str,
        when: impl Into<When>,
        kind: AmendmentKind,
        summary: &str,
        edit: impl FnOnce(&mut Terms),
    ) -> Result<Amendment<AgreementChange>, Error> {
        let when = when.into();
        let id = self.agreement_id_of(agreement)?;
        let mut terms = self.terms_on(agreement, when.effective())?;
        edit(&mut terms);
        match self.apply_one(Change::Amend {
            agreement: id,
            when,
            kind,
            summary: summary.to_string(),
            terms: Box::new(terms),
        })? {
            Outcome::Amendment(a) => Ok(*a),
            _ => Err(Error::new(
                ErrorKind::Invalid,
                "the amendment was not recorded",
            )),
        }
    }

    /// A member's role changes from `when.effective()`, recorded as an
    /// amendment of the membership's role.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::NotAMember`];
    /// [`ErrorKind::InvalidValue`] when it already has that role;
    /// [`ErrorKind::Invalid`] when the result breaks a rule (an observer
    /// leaving fewer than two members taking part). Nothing changes then.
    pub fn change_role(
        &mut self,
        agreement: &str,
        party: &str,
        role: Role,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let agreement = self.agreement_id_of(agreement)?;
        let party = PartyId::new(party).map_err(|_| Error::unknown_party(party))?;
        self.apply_one(Change::ChangeRole {
            agreement,
            party,
            role,
            when: when.into(),
        })
        .map(|_| ())
    }

    /// The terms of `party` as they stood on `day`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown party.
    pub fn party_terms_on(&self, party: &str, day: NaiveDate) -> Result<PartyTerms, Error> {
        Ok(PartyView::new(self.party(party)?, At::on(day))
            .terms()
            .into_owned())
    }

    /// Amends a party's terms (its name, kind, region, signatory or
    /// metrics), as [`Registry::amend`] does an agreement's.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Invalid`] when the result
    /// breaks a rule (an empty name, a metric an agreement's formula needs
    /// removed). Nothing changes then.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::AmendmentKind;
    /// let mut registry = collab_registry::sample()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// registry.amend_party("derbyshire-pcc", d(2026, 5, 9), AmendmentKind::Variation, "Renamed",
    ///     |t| t.name = "Derbyshire Police, Fire and Crime Commissioner".into())?;
    /// assert_eq!(registry.as_of(d(2026, 5, 8)).party("derbyshire-pcc")?.name(), "Derbyshire Police and Crime Commissioner");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn amend_party(
        &mut self,
        party: &str,
        when: impl Into<When>,
        kind: AmendmentKind,
        summary: &str,
        edit: impl FnOnce(&mut PartyTerms),
    ) -> Result<(), Error> {
        let when = when.into();
        let id = self.party(party)?.id().clone();
        let mut terms = self.party_terms_on(party, when.effective())?;
        edit(&mut terms);
        self.apply_one(Change::AmendParty {
            party: id,
            when,
            kind,
            summary: summary.to_string(),
            terms: Box::new(terms),
        })
        .map(|_| ())
    }

    /// Sets a party's metric for a year (next year's net revenue
    /// expenditure, say), recorded as an amendment.
    ///
    /// # Errors
    ///
    /// As [`Registry::amend_party`].
    pub fn set_metric(
        &mut self,
        party: &str,
        metric: Metric,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let summary = format!("{} for {} is {}", metric.metric, metric.year, metric.value);
        self.amend_party(party, when, AmendmentKind::Variation, &summary, |t| {
            t.set_metric(metric);
        })
    }

    /// A new overseer of a party from a day (its
    /// [`Spell`](crate::model::Spell) says when, and when that was entered).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Invalid`] for an unknown
    /// overseer, a party overseeing itself, or dates out of order. Nothing
    /// changes then.
    pub fn add_oversight(&mut self, party: &str, oversight: Oversight) -> Result<(), Error> {
        let id = self.party(party)?.id().clone();
        self.apply_one(Change::AddOversight {
            party: id,
            oversight,
        })
        .map(|_| ())
    }

    /// An oversight ends on `when.effective()`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::NotAMember`] when `by` does
    /// not oversee the party before that day. Nothing changes then.
    pub fn end_oversight(
        &mut self,
        party: &str,
        by: &str,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let id = self.party(party)?.id().clone();
        let by = PartyId::new(by).map_err(|_| Error::unknown_party(by))?;
        self.apply_one(Change::EndOversight {
            party: id,
            by,
            when: when.into(),
        })
        .map(|_| ())
    }

    /// The terms of `body` as they stood on `day`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown body.
    pub fn body_terms_on(&self, body: &str, day: NaiveDate) -> Result<BodyTerms, Error> {
        Ok(BodyView::new(self.body(body)?, At::on(day))
            .terms()
            .into_owned())
    }

    /// Amends a body's terms (its name, kind, decision rule or delegated
    /// limits), as [`Registry::amend`] does an agreement's.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Invalid`] when the result
    /// breaks a rule. Nothing changes then.
    pub fn amend_body(
        &mut self,
        body: &str,
        when: impl Into<When>,
        kind: AmendmentKind,
        summary: &str,
        edit: impl FnOnce(&mut BodyTerms),
    ) -> Result<(), Error> {
        let when = when.into();
        let id = self.body(body)?.id().clone();
        let mut terms = self.body_terms_on(body, when.effective())?;
        edit(&mut terms);
        self.apply_one(Change::AmendBody {
            body: id,
            when,
            kind,
            summary: summary.to_string(),
            terms: Box::new(terms),
        })
        .map(|_| ())
    }

    /// A seat on a body from a day.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Invalid`] for an unknown
    /// party or dates out of order. Nothing changes then.
    pub fn add_seat(&mut self, body: &str, seat: Seat) -> Result<(), Error> {
        let id = self.body(body)?.id().clone();
        self.apply_one(Change::AddSeat { body: id, seat })
            .map(|_| ())
    }

    /// A seat ends on `when.effective()`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::NotAMember`] when the party
    /// holds no open seat begun before that day. Nothing changes then.
    pub fn end_seat(
        &mut self,
        body: &str,
        party: &str,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let id = self.body(body)?.id().clone();
        let party = PartyId::new(party).map_err(|_| Error::unknown_party(party))?;
        self.apply_one(Change::EndSeat {
            body: id,
            party,
            when: when.into(),
        })
        .map(|_| ())
    }

    /// A body starts governing an agreement.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Invalid`] for an unknown
    /// agreement. Nothing changes then.
    pub fn govern(&mut self, body: &str, governs: Governs) -> Result<(), Error> {
        let id = self.body(body)?.id().clone();
        self.apply_one(Change::Govern { body: id, governs })
            .map(|_| ())
    }

    /// A body stops governing an agreement on `when.effective()`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::NotAMember`] when it does not
    /// govern it before that day. Nothing changes then.
    pub fn stop_governing(
        &mut self,
        body: &str,
        agreement: &str,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let id = self.body(body)?.id().clone();
        let agreement =
            AgreementId::new(agreement).map_err(|_| Error::unknown_agreement(agreement))?;
        self.apply_one(Change::StopGoverning {
            body: id,
            agreement,
            when: when.into(),
        })
        .map(|_| ())
    }

    /// A body starts reporting to another.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::Invalid`] for an unknown body
    /// or a line that would make a cycle. Nothing changes then.
    pub fn report_to(&mut self, body: &str, reports_to: ReportsTo) -> Result<(), Error> {
        let id = self.body(body)?.id().clone();
        self.apply_one(Change::ReportTo {
            body: id,
            reports_to,
        })
        .map(|_| ())
    }

    /// A body stops reporting to another on `when.effective()`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`]; [`ErrorKind::NotAMember`] when it does not
    /// report to it before that day. Nothing changes then.
    pub fn stop_reporting(
        &mut self,
        body: &str,
        to: &str,
        when: impl Into<When>,
    ) -> Result<(), Error> {
        let id = self.body(body)?.id().clone();
        let to = BodyId::new(to).map_err(|_| Error::unknown_body(to))?;
        self.apply_one(Change::StopReporting {
            body: id,
            to,
            when: when.into(),
        })
        .map(|_| ())
    }
}

/// Sets the field `c` changes to its value after.
fn apply_change(t: &mut Terms, c: &AgreementChange) {
    match c {
        AgreementChange::Title(c) => t.title.clone_from(&c.after),
        AgreementChange::Purpose(c) => t.purpose.clone_from(&c.after),
        AgreementChange::LegalBasis(c) => t.legal_basis = c.after,
        AgreementChange::Functions(c) => t.functions = c.after,
        AgreementChange::PartOf(c) => t.part_of.clone_from(&c.after),
        AgreementChange::End(c) => t.end = c.after,
        AgreementChange::Review(c) => t.review.clone_from(&c.after),
        AgreementChange::Leaving(c) => t.leaving.clone_from(&c.after),
        AgreementChange::Publication(c) => t.publication.clone_from(&c.after),
        AgreementChange::Responsibilities(c) => t.responsibilities.clone_from(&c.after),
        AgreementChange::Term(c) => t.term.clone_from(&c.after),
        AgreementChange::ReplacedBy(c) => t.replaced_by.clone_from(&c.after),
        AgreementChange::PartYear(c) => t.costs.part_year = c.after,
        AgreementChange::UnitPrice(c) => t.costs.unit_price = c.after,
        AgreementChange::Purchases(c) => t.costs.purchases.clone_from(&c.after),
        AgreementChange::Charges(c) => t.costs.charges.clone_from(&c.after),
        AgreementChange::Grants(c) => t.costs.grants.clone_from(&c.after),
        AgreementChange::Assets(c) => t.costs.assets.clone_from(&c.after),
        AgreementChange::Baseline(c) => t.costs.baseline = c.after,
        AgreementChange::Savings(c) => t.costs.savings.clone_from(&c.after),
        AgreementChange::Budget(year, c) => match &c.after {
            Some(b) => t.costs.set_budget(b.clone()),
            None => t.costs.budgets.retain(|b| b.year != *year),
        },
        AgreementChange::Formula(from, c) => match &c.after {
            Some(f) => {
                let mut dated = crate::model::DatedFormula::new(*from, f.clone());
                if let Some(old) = t.costs.formulas.iter().find(|x| x.from == *from) {
                    dated.extra = old.extra.clone();
                }
                t.costs.set_formula(dated);
            }
            None => t.costs.formulas.retain(|f| f.from != *from),
        },
        AgreementChange::Usage(party, year, c) => match c.after {
            Some(units) => {
                let mut u = t
                    .costs
                    .usage
                    .iter()
                    .find(|u| u.year == *year && u.party == *party)
                    .cloned()
                    .unwrap_or_else(|| crate::model::Usage::new(*year, party.clone(), units));
                u.units = units;
                t.costs.set_usage(u);
            }
            None => t
                .costs
                .usage
                .retain(|u| !(u.year == *year && u.party == *party)),
        },
        AgreementChange::Role(..) => {}
    }
}

fn apply_party_change(t: &mut PartyTerms, c: &PartyChange) {
    match c {
        PartyChange::Name(c) => t.name.clone_from(&c.after),
        PartyChange::Kind(c) => t.kind = c.after,
        PartyChange::Region(c) => t.region.clone_from(&c.after),
        PartyChange::SignsAs(c) => t.signs_as.clone_from(&c.after),
        PartyChange::Metric(metric, year, c) => match c.after {
            Some(value) => {
                let mut m = t
                    .metric(metric, *year)
                    .cloned()
                    .unwrap_or_else(|| Metric::new(metric.clone(), *year, value));
                m.value = value;
                t.set_metric(m);
            }
            None => t
                .metrics
                .retain(|m| !(m.metric == *metric && m.year == *year)),
        },
    }
}
