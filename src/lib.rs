//! # collab-registry
//!
//! A register of collaboration agreements between public bodies — police
//! forces and their commissioners, fire and rescue services, ambulance
//! trusts, councils and national bodies — that answers questions about who
//! takes part in what, since when, governed by whom, at what cost, and when
//! it is next reviewed.
//!
//! ## The model
//!
//! - A [`Party`] is an organisation that can sign or take part. A police
//!   force stands for its chief constable; its policing body (a commissioner)
//!   is a party of its own that [oversees](Party::overseen_by) it, with dates.
//!   Both sign a police collaboration agreement, as the law requires
//!   ([`Registry::signatories`]).
//! - An [`Agreement`] is a collaboration of any size with a [`LegalBasis`],
//!   the [`Function`]s it covers, a dated [`Status`] history, an umbrella it is
//!   [part of](Agreement::part_of), [`Membership`]s with a [`Role`] and a
//!   period, invitations [`Declined`], a [`ReviewPolicy`], [`LeavingRules`],
//!   its [`Publication`], a [`CostArrangement`] (budgets by
//!   [`FinancialYear`], dated [`Formula`]s, a baseline and [`Savings`]) and
//!   its [`Amendment`]s, each recording what changed before and after.
//! - A [`GovernanceBody`] governs agreements, has [`Seat`]s held by parties,
//!   a [`DecisionRule`], a body it reports to and [delegated
//!   limits](DelegatedLimit).
//! - The [`Registry`] owns them all as nodes of a `petgraph` graph, with
//!   memberships, seats, oversight, "part of", "governs" and "reports to" as
//!   edges ([`Link`]). An agreement of any size is one node with one edge
//!   per member, so membership size is unbounded and nothing grows
//!   quadratically. Indexes beside the graph answer the hot questions
//!   without scanning every agreement.
//!
//! Money is exact ([`Money`]: integer minor units with a [`Currency`],
//! checked arithmetic); dates are [`chrono::NaiveDate`]; periods are
//! half-open ([`Period`]); every time-dependent question takes the date it
//! is asked "as of". Nothing is overwritten: members leave and agreements
//! end with dates, and each dated fact also records when it was entered in
//! the register ([`When`]), so an audit can ask what the register said on a
//! given day.
//!
//! ## Files
//!
//! A registry is a JSON document with a `schema_version` ([`SCHEMA_VERSION`]),
//! amounts as decimal strings read exactly, and ISO 8601 dates. Loading
//! checks the whole document and reports **every** problem, each with its
//! path (`agreements[3].members[1].party`); fields the crate does not know
//! are kept and written back, and the same registry always saves to the same
//! bytes. See [`Registry::from_json_str`], [`Registry::load`],
//! [`Registry::to_json_string`] and [`Registry::save`].
//!
//! ## Changes
//!
//! Changes go through methods that check first and change nothing when they
//! fail: [`Registry::add_party`], [`Registry::add_agreement`],
//! [`Registry::add_body`], [`Registry::join`], [`Registry::serve_notice`],
//! [`Registry::leave`], [`Registry::record_review`], [`Registry::amend`],
//! [`Registry::set_status`] and [`Registry::terminate`].
//!
//! ## Questions
//!
//! Every question is asked as of a day: [`Registry::as_of`] gives an
//! [`AsOf`] view, counting agreements in force that day or, with
//! [`Scope::AnyStatus`], every agreement whatever its status. It answers who
//! takes part in what ([`AsOf::agreements_of`], [`AsOf::members_of`],
//! [`AsOf::partners_of`], [`AsOf::shared_by`], [`AsOf::leads_and_hosts`]),
//! by function, legal basis, status, umbrella, size and sector, who declined,
//! who governs and sits where ([`AsOf::governing_bodies`],
//! [`AsOf::seats_of`], [`AsOf::reporting_chain`]), whether a proposal passes
//! ([`AsOf::decide`]), and how the parties form a network ([`AsOf::network`]:
//! groups, hubs, articulation points). Answers are small serialisable
//! structs that borrow from the registry; [`AsOf`] lists each question's
//! cost and what answers it.
//!
//! ## Costs
//!
//! [`Registry::apportion`] shares an agreement's budget for a
//! [`FinancialYear`] among the members taking part, by its formula, to the
//! penny (the formulas, part-year rules, rounding and tie-break are on
//! [`Apportionment`]). [`Registry::contributions`] totals what a party pays,
//! by agreement and by function; [`Registry::what_if_withdrawal`] and
//! [`Registry::what_if_join`] show the shares under a supposed membership
//! change beside the current ones, changing nothing; [`Registry::savings`]
//! measures savings against the pre-collaboration baseline, per agreement and
//! per umbrella, in money and as a percentage; and
//! [`AsOf::decide_by_cost_share`] tallies a body whose votes are weighted by
//! cost share from those shares.
//!
//! ## Reviews, notice and history
//!
//! The same view answers when each agreement is next reviewed
//! ([`AsOf::next_review`]), what is due or overdue ([`AsOf::reviews_due`],
//! [`AsOf::overdue_reviews`], [`AsOf::reviews_by_body`]), what expires
//! ([`AsOf::expiring`]) and the last day to serve notice
//! ([`AsOf::notice_deadline`], [`AsOf::notice_deadlines`]), read from indexes
//! in date order; [`AsOf::calendar_feed`] writes them as an iCalendar file.
//! Status changes follow a lifecycle ([`Status::next_statuses`]).
//! [`Registry::history`] lists everything kept about an agreement in date
//! order, and [`AsOf::as_recorded_on`] asks what the register said on a
//! given day.
//!
//! ## Example
//!
//! ```
//! use chrono::NaiveDate;
//! use collab_registry::{Registry, Role, Status};
//!
//! // The embedded sample, drawn from public documents on East Midlands and
//! // Eastern region police collaboration.
//! let mut registry = collab_registry::sample()?;
//! let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//!
//! // Who is in the 2015 strategic alliance, and who declined?
//! let alliance = registry.agreement("northants-leics-notts-alliance")?;
//! let members: Vec<&str> = alliance.members_on(day(2016, 1, 1)).map(|m| m.party.as_str()).collect();
//! assert_eq!(members, ["northamptonshire-police", "leicestershire-police", "nottinghamshire-police"]);
//! let declined: Vec<&str> = alliance.declined.iter().map(|d| d.party.as_str()).collect();
//! assert_eq!(declined, ["derbyshire-police", "lincolnshire-police"]);
//!
//! // Three forces make six signatories: each chief constable and each commissioner.
//! assert_eq!(registry.signatories("northants-leics-notts-alliance", day(2016, 1, 1))?.len(), 6);
//!
//! // Derbyshire left the operational support collaboration on 1 April 2016.
//! let ops = registry.agreement("em-operational-support")?;
//! assert!(ops.is_member("derbyshire-police", day(2016, 3, 31)));
//! assert!(!ops.is_member("derbyshire-police", day(2016, 4, 1)));
//!
//! // A change that breaks a rule is refused and changes nothing.
//! let before = registry.to_json_string();
//! assert!(registry.leave("em-public-order", "lincolnshire-police", day(2026, 4, 1)).is_err());
//! assert_eq!(registry.to_json_string(), before);
//!
//! // A file round trip gives the same bytes.
//! let again = Registry::from_json_str(&before)?;
//! assert_eq!(again.to_json_string(), before);
//! # let _ = (Role::Lead, Status::Active);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Guarantees
//!
//! - The library never panics on input it is given: a bad file, id, date or
//!   change gets an [`Error`] or [`LoadError`] naming what is wrong and where.
//! - Records are never removed, so [`PartyKey`], [`AgreementKey`],
//!   [`BodyKey`] and graph indices stay valid for the life of a registry.
#![warn(missing_docs)]
// The library never panics on input it is given; tests and examples may.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod agreement;
mod amendment;
mod apportion;
mod boards;
mod calendar;
mod changes;
mod contributions;
mod costs;
mod dates;
mod decision;
mod diff;
mod error;
mod file;
mod governance;
mod history;
mod ical;
mod id;
mod index;
mod lifecycle;
mod membership;
mod money;
mod network;
mod notice;
mod party;
mod provenance;
mod query;
mod registry;
mod review;
mod sample;
mod savings;
mod shares;
mod tables;
mod validate;
mod what_if;

pub use agreement::{
    Agreement, Function, LeavingRules, LegalBasis, PartYear, Publication, PublicationLevel,
    Responsibilities, Status, StatusChange,
};
pub use amendment::{Amendment, AmendmentKind, FieldChange};
pub use apportion::{Allocation, ApportionError, Quota, largest_remainder};
pub use boards::{ChainLink, GoverningBody, SeatHeld};
pub use calendar::{BodyReviews, Expiry, ReviewDue};
pub use contributions::{AgreementContribution, Contributions, FunctionContribution};
pub use costs::{
    BlendPart, Budget, CostArrangement, DatedFormula, FixedShare, Formula, RealisedSaving, Savings,
    Usage,
};
pub use dates::{FinancialYear, Period, add_months, parse_date};
pub use decision::{Decision, Vote, Weighing};
pub use error::{
    AmountError, DateError, Entity, Error, IdError, LoadError, MoneyError, Problem, Problems,
};
pub use file::{RegistryInfo, SCHEMA_VERSION};
pub use governance::{
    BodyKind, DecisionRule, DelegatedLimit, Fraction, GovernanceBody, Seat, SeatRole,
};
pub use history::{Event, HistoryEntry};
pub use id::{AgreementId, BodyId, MAX_ID_LEN, PartyId};
pub use membership::{Declined, Membership, Recorded, Role};
pub use money::{Currency, Money, Percent, Quantity};
pub use network::{Betweenness, CutParty, Degree, Group, Network, NetworkLink};
pub use notice::{NoticeDeadline, OutBy};
pub use party::{ExternalId, Metric, Oversight, Party, PartyKind};
pub use provenance::{Extra, Provenance};
pub use query::{
    AgreementSummary, AsOf, CrossSector, DeclinedInvitation, Lead, Member, Members, Participation,
    Partner, Scope, SizeCount, SizeDistribution, UmbrellaEntry,
};
pub use registry::{AgreementKey, BodyKey, Link, Node, PartyKey, Registry, When};
pub use review::{Review, ReviewPolicy};
pub use sample::{SAMPLE_JSON, sample};
pub use savings::{AgreementSavings, RealisedRow, SavingsReport, YearSaving};
pub use shares::{Apportionment, Share, ShareInput};
pub use what_if::{JoinTerms, MembershipChange, WhatIf, WhatIfRow};

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
