//! The register's records, as data: parties, agreements, memberships,
//! governance bodies, reviews, costs and amendments, with the ids, money
//! and dates they are made of.
//!
//! Nothing here knows about a registry: these are the values a file holds
//! and a caller builds. Records ([`Party`], [`Agreement`],
//! [`GovernanceBody`], [`Membership`]) keep their fields private and are
//! made with builders that check them at the end, so their layout can stay
//! compact and grow without breaking callers; the small values they hold are
//! plain structs with public fields, marked `#[non_exhaustive]` so that new
//! fields are not a breaking change (make them with their `new` functions).
//! Every enum that can grow (kinds, roles, functions, legal bases,
//! statuses, formulas, rules) is `#[non_exhaustive]` too, so a `match` needs
//! a catch-all arm. Where a type is not, its docs say why: values with
//! private fields ([`Money`], [`Period`], [`PartialDate`], the ids), which
//! no caller can build by hand anyway, and closed sets such as
//! [`Precision`] and [`Unknown`].
//!
//! Every enum written in a file reads and writes its file name through
//! `FromStr`, `Display` and serde (`"police_force"`, `"roads_policing"`).

mod agreement;
mod amendment;
mod costs;
mod dates;
mod governance;
mod id;
pub(crate) mod keyword;
mod member_days;
mod membership;
mod money;
mod out_of_line;
mod party;
mod provenance;
mod review;
mod spell;
mod terms;
mod unknown;

pub use agreement::{Agreement, AgreementBuilder, ClassMembership, Ending, Status, StatusChange};
pub use amendment::{Amendment, AmendmentKind, Change, FieldError};
pub use costs::{
    Asset, AssetShare, BlendPart, Budget, CostArrangement, DatedFormula, FixedShare, Formula,
    Grant, MAX_FORMULA_DEPTH, MemberCharge, PartYear, Purchase, RealisedSaving, Savings, Usage,
    formula_segments,
};
pub use dates::{
    DateError, FinancialYear, MAX_MONTHS, PartialDate, Period, Precision, add_months,
    check_storable, is_storable, parse_date,
};
pub use governance::{
    BodyBuilder, BodyChange, BodyField, BodyKind, BodyTerms, DecisionRule, DelegatedLimit,
    Fraction, FractionError, GovernanceBody, Governs, ReportsTo, Seat, SeatRole,
};
pub use id::{AgreementId, BodyId, IdError, MAX_ID_LEN, PartyId};
pub use keyword::KeywordError;
pub use membership::{Declined, Membership, Recorded, Role};
pub(crate) use money::format_scaled;
pub use money::{AmountError, Currency, Money, MoneyError, Percent, Quantity};
pub(crate) use out_of_line::OutOfLine;
pub use party::{
    ExternalId, Metric, Oversight, Party, PartyBuilder, PartyChange, PartyField, PartyKind,
    PartyTerms, Sector,
};
pub use provenance::Provenance;
pub use review::{Review, ReviewAnchor, ReviewTerms};
pub use spell::{Spell, SpellRecorded};
pub use terms::{
    AgreementChange, AgreementField, ExitCosts, Function, Functions, LeavingRules, LegalBases,
    LegalBasis, Publication, PublicationLevel, Responsibilities, Term, TermUnit, Terms,
};
pub use unknown::{Extra, Unknown};
