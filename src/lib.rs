//! # collab-registry
//!
//! A register of collaboration agreements between public bodies (police
//! forces and their commissioners, fire and rescue services, ambulance
//! trusts, councils and national bodies) that answers who takes part in
//! what, since when, governed by whom, at what cost, and when it is next
//! reviewed, as of any day, as the register stood on any day.
//!
//! ## A registry in twenty lines
//!
//! ```
//! use chrono::NaiveDate;
//! use collab_registry::model::*;
//! use collab_registry::Registry;
//!
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let mut registry = Registry::default();
//! for (force, pcc) in [("force-a", "pcc-a"), ("force-b", "pcc-b"), ("force-c", "pcc-c")] {
//!     registry.add_party(Party::builder(PartyId::new(pcc)?, format!("Commissioner for {force}"), PartyKind::PolicingBody).build()?)?;
//!     registry.add_party(Party::builder(PartyId::new(force)?, force, PartyKind::PoliceForce)
//!         .overseen_by(Oversight::new(PartyId::new(pcc)?, Spell::always())).build()?)?;
//! }
//! let share = |p: &str, pct: &str| -> Result<FixedShare, Box<dyn std::error::Error>> { Ok(FixedShare::new(PartyId::new(p)?, pct.parse()?)) };
//! let mut costs = CostArrangement::default();
//! costs.set_budget(Budget::new("2024/25".parse()?, Money::parse("1000000.00", Currency::GBP)?));
//! costs.set_formula(DatedFormula::new(d(2024, 4, 1), Formula::fixed_percentages(vec![share("force-a", "50")?, share("force-b", "30")?, share("force-c", "20")?])));
//! registry.add_agreement(Agreement::builder(AgreementId::new("air-support")?, "Shared air support", d(2024, 4, 1))
//!     .legal_basis(LegalBasis::Section22aPoliceAct1996).function(Function::AirSupport).active_from(d(2024, 4, 1))
//!     .member(Membership::new(PartyId::new("force-a")?, Role::Lead, d(2024, 4, 1)))
//!     .member(Membership::new(PartyId::new("force-b")?, Role::Member, d(2024, 4, 1)))
//!     .member(Membership::new(PartyId::new("force-c")?, Role::Member, d(2024, 4, 1)))
//!     .costs(costs).build()?)?;
//! let shares = registry.apportion("air-support", "2024/25".parse()?)?;
//! assert_eq!(shares.amount_of("force-b").to_string(), "300000.00");
//! assert_eq!(registry.as_of(d(2024, 6, 1)).signatories("air-support")?.len(), 6); // three chief constables, three commissioners
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The map
//!
//! Data flows one way, from the file to the answers:
//!
//! | layer | what lives there |
//! | --- | --- |
//! | [`model`] | the records as data: [`Party`](model::Party), [`Agreement`](model::Agreement) and its [`Terms`](model::Terms), [`Membership`](model::Membership), [`GovernanceBody`](model::GovernanceBody), costs, reviews, [`Amendment`](model::Amendment)s with typed changes; ids, exact [`Money`](model::Money), dates known to a day, a month or a year ([`PartialDate`](model::PartialDate)), the [`FinancialYear`](model::FinancialYear) |
//! | [`time`] | the two days a question is asked as of ([`At`](time::At)), and the typed views of each record as of them ([`AgreementView`](time::AgreementView), [`PartyView`](time::PartyView), [`BodyView`](time::BodyView)); the rules for the next review and for notice |
//! | rules | the rulebook: every rule, written once, run by the loader and by every change |
//! | [`format`](mod@format) | the JSON file: an exact streaming reader that reports every problem with its path, and a writer that always gives the same bytes |
//! | [`Registry`] | the records under dense keys, indexes beside them, and the changes |
//! | [`questions`] | every question, as of a day ([`Registry::as_of`] → [`AsOf`]) |
//! | [`costs`] | exact apportionment of budgets, contributions, what-if, savings, votes weighted by cost share |
//! | [`report`] | answers for people and other programs: the calendar feed, Graphviz DOT, `GraphML`, CSV, Markdown, the section 23E publication register and the timeline SVG |
//!
//! ## What an agreement holds
//!
//! An [`Agreement`](model::Agreement) of any size is one record: its
//! [`Terms`](model::Terms) (title, purpose, one or more legal bases or
//! "not stated", the functions it covers, the umbrella it is part of, its
//! end, a fixed [`Term`](model::Term) it can be [renewed](Registry::renew)
//! for or [extended](Registry::extend) beyond, the agreement that
//! [replaced it](model::Terms::replaced_by), review terms counted from the
//! last review or from the start's anniversary, leaving rules with the
//! [exit costs](model::ExitCosts) a leaver bears, its publication under
//! section 23E with the reason when withheld, the asset owner and employer,
//! and its [costs](model::CostArrangement)); a dated status history whose
//! termination may say [who ended it](model::Ending); its members, each
//! with a role and the days it joined, served notice and left, or
//! [members by class](model::ClassMembership) (every territorial force, or
//! every force of a region, found on the day asked) for a national
//! agreement, or no list at all when the list [is not
//! published](model::Agreement::members_published); invitations declined;
//! reviews held; and amendments.
//!
//! Its costs hold budgets by financial year, formulas each dated from the
//! day it takes effect (equal, fixed percentages, a metric, usage, units
//! bought in advance, or a blend), the part-year rule (by days, whole
//! months, months begun, or the whole year), usage, units each member
//! [buys in advance](model::Purchase) and their [unit
//! price](model::CostArrangement::unit_price), [charges between
//! members](model::MemberCharge) beside the shared budget,
//! [grants](model::Grant), jointly owned [assets](model::Asset), a
//! baseline and savings targeted and realised, per member where recorded.
//! A date known only to a month or a year is held as a
//! [`PartialDate`](model::PartialDate), and answers that depend on one say
//! they are approximate.
//!
//! ## Time
//!
//! Every fact keeps the day it takes effect and the day it was entered in
//! the register. A record holds its terms as they now stand and its
//! amendments keep what they replaced, each change typed, before and after.
//! [`Registry::as_of`] asks about a day; [`AsOf::as_recorded_on`] asks as the
//! register stood on a register day. Every question reads the records
//! through the views of [`time`], never their current fields, so a fact
//! entered late, or dated later, cannot leak into an earlier answer.
//! Indexes hold the current values; an agreement changed after the day
//! asked is read through its view instead, so questions about today cost
//! what they always did.
//!
//! ## Files
//!
//! A registry is a JSON document with a `schema_version` ([`SCHEMA_VERSION`]),
//! amounts as decimal strings read exactly, and ISO 8601 dates. Loading
//! checks the whole document and reports **every** problem, each with its
//! path (`agreements[3].members[1].party`) and a stable
//! [code](ProblemCode). Fields the crate does not know are kept at every
//! level and written back, numbers to the digit; a key given twice in one
//! object is refused. The same registry always saves to the same bytes.
//! See [`Registry::from_json_str`], [`Registry::load`],
//! [`Registry::to_json_string`] and [`Registry::save`].
//!
//! ## Changes
//!
//! Changes go through methods that check first and change nothing when they
//! fail: adding records, joining, serving notice, leaving, changes of status
//! and role, reviews, amendments of agreements, parties and bodies, new
//! overseers, seats and reporting lines; [`Registry::apply`] applies many as
//! one. A change checks what it touches against the same rules the loader
//! runs, so whatever it accepts saves to a file that loads back to the same
//! bytes.
//!
//! ## Guarantees, and the tests that hold them
//!
//! - The library never panics on input it is given: a bad file, id, date or
//!   change gets an [`Error`] naming what is wrong and where (the hostile
//!   input and change-sequence property tests).
//! - A refused change leaves the registry byte for byte as it was; an
//!   accepted one saves a file that loads back to the same bytes
//!   (`tests/changes.rs`, a property test over random histories).
//! - Nothing is lost on a round trip: unknown fields at every level of the
//!   format come back exactly (`tests/lossless.rs`).
//! - Records are never removed, so [`PartyKey`], [`AgreementKey`] and
//!   [`BodyKey`] stay valid for the life of a registry; a key beyond what
//!   a registry gave out (one from another, larger registry) finds nothing
//!   rather than panicking (`tests/changes.rs`). A key is a position, not
//!   an id: look records up by id across registries.
//! - Loading and changing grow linearly: loading one agreement of 8,000
//!   members takes twice as long as one of 4,000, and a change to one
//!   agreement costs the same whether it has 2,000 members or 4,000
//!   (`benches/growth.rs`; benchmarks measure, no test asserts on time).
//! - The modules import one way only (`tests/layout.rs`).
#![warn(missing_docs)]
// No panics reachable from the public API: no unchecked indexing or
// arithmetic in library code; each exception is allowed where it stands,
// with its reason.
#![deny(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

pub mod costs;
pub mod error;
pub mod format;
pub mod model;
mod problem;
pub mod questions;
pub mod report;
mod rules;
mod store;
pub mod time;

pub use error::{Error, ErrorKind, Result};
pub use format::{RegistryInfo, SCHEMA_VERSION};
pub use problem::{Problem, ProblemCode};
pub use questions::{AsOf, Scope};
pub use store::{AgreementKey, BodyKey, Change, Link, Node, PartyKey, Registry};
#[cfg(feature = "sample")]
pub use store::{SAMPLE_JSON, sample};

/// The README's Rust examples, run as doc tests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
