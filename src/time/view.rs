//! Typed views of a record as of a day and a register day.
//!
//! A record holds its terms as they now stand and keeps each amendment's
//! changes with the values they replaced. A view reads each field through
//! those changes: the value after the last change in effect (taken in date
//! order, then the order entered), or, with none in effect, the value
//! before the first. When every amendment is in effect (asked about today,
//! as the register stands) the view reads the record directly, at no cost.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::model::{
    Agreement, AgreementChange, AgreementId, Amendment, Asset, BodyChange, BodyKind, BodyTerms,
    Budget, Change, DatedFormula, DecisionRule, Declined, DelegatedLimit, FinancialYear, Functions,
    GovernanceBody, Grant, LeavingRules, LegalBases, MemberCharge, Membership, Money, PartYear,
    PartialDate, Party, PartyChange, PartyId, PartyKind, PartyTerms, Publication, Purchase,
    Quantity, Responsibilities, Review, ReviewAnchor, ReviewTerms, Role, Savings, Seat, Spell,
    Status, StatusChange, Term, Terms,
};

use super::At;

/// Whether every amendment is in effect and known as of `at`.
fn all_in_effect<C>(amendments: &[Amendment<C>], at: At) -> bool {
    amendments.iter().all(|a| at.sees(a.date, a.entered_on()))
}

/// The value of one field as of `at`, read through the changes `pick`
/// finds: the `after` of the last change in effect, in (date, entry) order,
/// or the `before` of the first when none is; `None` when no change touches
/// the field, so the record's value stands.
fn resolve<'r, C, T: ?Sized>(
    amendments: &'r [Amendment<C>],
    at: At,
    pick: impl Fn(&'r C) -> Option<(&'r T, &'r T)>,
) -> Option<&'r T> {
    let mut first: Option<((NaiveDate, usize, usize), &'r T)> = None;
    let mut last_in_effect: Option<((NaiveDate, usize, usize), &'r T)> = None;
    for (i, amendment) in amendments.iter().enumerate() {
        let in_effect = at.sees(amendment.date, amendment.entered_on());
        for (j, change) in amendment.changes.iter().enumerate() {
            let Some((before, after)) = pick(change) else {
                continue;
            };
            let order = (amendment.date, i, j);
            if first.is_none_or(|(o, _)| order < o) {
                first = Some((order, before));
            }
            if in_effect && last_in_effect.is_none_or(|(o, _)| order > o) {
                last_in_effect = Some((order, after));
            }
        }
    }
    last_in_effect.or(first).map(|(_, value)| value)
}

fn both<T>(c: &Change<T>) -> (&T, &T) {
    (&c.before, &c.after)
}

/// The one rule for being in force as of `at`: entered by the register
/// day, active or under review, started, and not past its fixed end (the
/// first day after it ends).
pub(crate) fn in_force(
    at: At,
    entered: NaiveDate,
    status: Option<Status>,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> bool {
    at.knows(entered)
        && status.is_some_and(|s| s.is_in_force())
        && start <= at.day()
        && end.is_none_or(|end| at.day() < end)
}

/// The one rule for having ended by `at`: terminated, or past the fixed
/// end.
pub(crate) fn has_ended(at: At, status: Option<Status>, end: Option<NaiveDate>) -> bool {
    status == Some(Status::Terminated) || end.is_some_and(|end| end <= at.day())
}

/// Whether a spell holds on the day, as far as the register knows.
pub(crate) fn spell_holds(spell: &Spell, at: At) -> bool {
    let started = spell.from.is_none_or(|from| from <= at.day())
        && spell.start_entered().is_none_or(|e| at.knows(e));
    let ended = spell
        .until
        .is_some_and(|until| until <= at.day() && spell.end_entered().is_none_or(|e| at.knows(e)));
    started && !ended
}

/// A membership as of a day: the record, and its role that day.
#[derive(Debug, Clone, Copy)]
pub struct MemberView<'r> {
    membership: &'r Membership,
    role: Role,
    at: At,
}

impl<'r> MemberView<'r> {
    /// The membership record.
    #[must_use]
    pub fn membership(&self) -> &'r Membership {
        self.membership
    }

    /// The member.
    #[must_use]
    pub fn party(&self) -> &'r PartyId {
        self.membership.party()
    }

    /// Its role on the day.
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }

    /// When it joined, as stated.
    #[must_use]
    pub fn joined(&self) -> PartialDate {
        self.membership.joined()
    }

    /// The day it served notice, if it had by the day and the register knew.
    #[must_use]
    pub fn notice_served(&self) -> Option<NaiveDate> {
        let m = self.membership;
        m.notice_served().filter(|served| {
            self.at
                .sees(*served, m.recorded().notice_served.unwrap_or(*served))
        })
    }

    /// The day it is out, if a leaving day is known to the register. A
    /// leaving day that follows from a notice the register does not yet know
    /// is not known either.
    #[must_use]
    pub fn leaves(&self) -> Option<PartialDate> {
        let m = self.membership;
        let left = m.left()?;
        let known = self.at.knows(m.recorded().left.unwrap_or(left.first_day()));
        let notice_unknown = m.notice_served().is_some() && self.notice_served().is_none();
        (known && !notice_unknown).then_some(left)
    }

    /// Whether a date it depends on is known only to a month or a year.
    #[must_use]
    pub fn is_approximate(&self) -> bool {
        self.membership.is_approximate()
    }
}

/// An agreement as of a day, as the register stood on a register day.
///
/// Every question reads agreements through this view, never the record's
/// current fields. Each method costs **O(1)** when every amendment is in
/// effect (the common case: asked about today), else **O(n)** in the
/// amendment changes.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::AmendmentKind;
/// use collab_registry::time::When;
/// let mut registry = collab_registry::sample()?;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// registry.amend("em-operational-support", When::on(d(2027, 1, 1)).entered(d(2026, 5, 1)),
///     AmendmentKind::Variation, "Twelve months' notice from 2027", |t| t.leaving_mut().notice_months = Some(12))?;
/// let before = registry.as_of(d(2026, 5, 1)).agreement("em-operational-support")?;
/// let after = registry.as_of(d(2027, 1, 1)).agreement("em-operational-support")?;
/// assert_eq!((before.leaving().notice_months, after.leaving().notice_months), (Some(6), Some(12)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AgreementView<'r> {
    record: &'r Agreement,
    at: At,
    current: bool,
    /// Whether `status` holds the status on the day, known to the caller
    /// (from the registry's dense index), so reading it does not touch the
    /// history.
    status_known: bool,
    status: Option<Status>,
}

macro_rules! agreement_field {
    ($(#[$doc:meta])* $name:ident -> [$ty:ty], $variant:ident, $current:expr) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(&self) -> &'r [$ty] {
            let current: &'r [$ty] = $current(self.record);
            if self.current {
                return current;
            }
            resolve(&self.record.amendments, self.at, |c| match c {
                AgreementChange::$variant(c) => Some((c.before.as_slice(), c.after.as_slice())),
                _ => None,
            })
            .unwrap_or(current)
        }
    };
    ($(#[$doc:meta])* $name:ident -> $ty:ty, $variant:ident, $current:expr) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(&self) -> &'r $ty {
            let current: &'r $ty = $current(self.record);
            if self.current {
                return current;
            }
            resolve(&self.record.amendments, self.at, |c| match c {
                AgreementChange::$variant(c) => Some(both(c)),
                _ => None,
            })
            .unwrap_or(current)
        }
    };
}

impl<'r> AgreementView<'r> {
    /// The agreement as of `at`.
    #[must_use]
    pub fn new(record: &'r Agreement, at: At) -> Self {
        AgreementView {
            record,
            at,
            current: all_in_effect(&record.amendments, at),
            status_known: false,
            status: None,
        }
    }

    /// The agreement as of `at`, for a caller that knows every amendment
    /// and status change took effect and was known by then, and so that its
    /// status on the day is `status`, the last in its history.
    pub(crate) fn settled(record: &'r Agreement, at: At, status: Option<Status>) -> Self {
        AgreementView {
            record,
            at,
            current: true,
            status_known: true,
            status,
        }
    }

    /// The record itself, as it now stands.
    #[must_use]
    pub fn record(&self) -> &'r Agreement {
        self.record
    }

    /// The days asked as of.
    #[must_use]
    pub fn at(&self) -> At {
        self.at
    }

    /// The agreement's id.
    #[must_use]
    pub fn id(&self) -> &'r AgreementId {
        self.record.id()
    }

    /// Its start.
    #[must_use]
    pub fn start(&self) -> PartialDate {
        self.record.start()
    }

    /// Whether the register knew of the agreement on the register day.
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.at.knows(self.record.entered_on())
    }

    agreement_field!(
        /// Its title on the day.
        title_string -> String, Title, |a: &'r Agreement| &a.terms.title
    );

    /// Its title on the day.
    #[must_use]
    pub fn title(&self) -> &'r str {
        self.title_string()
    }

    agreement_field!(
        /// Its purpose on the day.
        purpose_field -> Option<String>, Purpose, |a: &'r Agreement| &a.terms.purpose
    );

    /// Its purpose on the day.
    #[must_use]
    pub fn purpose(&self) -> Option<&'r str> {
        self.purpose_field().as_deref()
    }

    agreement_field!(
        /// The legal bases on the day.
        legal_basis_field -> LegalBases, LegalBasis, |a: &'r Agreement| &a.terms.legal_basis
    );

    /// The legal bases on the day.
    #[must_use]
    pub fn legal_basis(&self) -> LegalBases {
        *self.legal_basis_field()
    }

    agreement_field!(
        /// The functions on the day.
        functions_field -> Functions, Functions, |a: &'r Agreement| &a.terms.functions
    );

    /// The functions on the day.
    #[must_use]
    pub fn functions(&self) -> Functions {
        *self.functions_field()
    }

    agreement_field!(
        /// The umbrella on the day.
        part_of_field -> Option<AgreementId>, PartOf, |a: &'r Agreement| &a.terms.part_of
    );

    /// The umbrella it is part of on the day.
    #[must_use]
    pub fn part_of(&self) -> Option<&'r AgreementId> {
        self.part_of_field().as_ref()
    }

    agreement_field!(
        /// The fixed end on the day.
        end_field -> Option<NaiveDate>, End, |a: &'r Agreement| &a.terms.end
    );

    /// The fixed end as known on the day (the first day after it ends).
    #[must_use]
    pub fn end(&self) -> Option<NaiveDate> {
        *self.end_field()
    }

    agreement_field!(
        /// The fixed term on the day.
        term_field -> Option<Term>, Term, |a: &'r Agreement| &a.terms.term
    );

    /// The fixed term on the day.
    #[must_use]
    pub fn term(&self) -> Option<&'r Term> {
        self.term_field().as_ref()
    }

    agreement_field!(
        /// The successor on the day.
        replaced_by_field -> Option<AgreementId>, ReplacedBy, |a: &'r Agreement| &a.terms.replaced_by
    );

    /// The agreement that replaced it, as known on the day.
    #[must_use]
    pub fn replaced_by(&self) -> Option<&'r AgreementId> {
        self.replaced_by_field().as_ref()
    }

    agreement_field!(
        /// The price of a unit bought in advance, on the day.
        unit_price_field -> Option<Money>, UnitPrice, |a: &'r Agreement| &a.terms.costs.unit_price
    );

    /// The price of a unit bought in advance, on the day.
    #[must_use]
    pub fn unit_price(&self) -> Option<Money> {
        *self.unit_price_field()
    }

    agreement_field!(
        /// The units bought in advance, as known on the day.
        purchases -> [Purchase], Purchases, |a: &'r Agreement| a.terms.costs.purchases.as_slice()
    );

    agreement_field!(
        /// The charges between members, as known on the day.
        charges -> [MemberCharge], Charges, |a: &'r Agreement| a.terms.costs.charges.as_slice()
    );

    agreement_field!(
        /// The grants, as known on the day.
        grants -> [Grant], Grants, |a: &'r Agreement| a.terms.costs.grants.as_slice()
    );

    agreement_field!(
        /// The assets and their owners, as known on the day.
        assets -> [Asset], Assets, |a: &'r Agreement| a.terms.costs.assets.as_slice()
    );

    agreement_field!(
        /// The review terms on the day.
        review -> ReviewTerms, Review, |a: &'r Agreement| &a.terms.review
    );

    agreement_field!(
        /// The leaving rules on the day.
        leaving -> LeavingRules, Leaving, |a: &'r Agreement| &a.terms.leaving
    );

    agreement_field!(
        /// The publication on the day.
        publication -> Publication, Publication, |a: &'r Agreement| &a.terms.publication
    );

    agreement_field!(
        /// Who owns the assets and employs the staff, on the day.
        responsibilities -> Responsibilities, Responsibilities, |a: &'r Agreement| &a.terms.responsibilities
    );

    agreement_field!(
        /// The part-year rule on the day.
        part_year_field -> PartYear, PartYear, |a: &'r Agreement| &a.terms.costs.part_year
    );

    /// The part-year rule on the day.
    #[must_use]
    pub fn part_year(&self) -> PartYear {
        *self.part_year_field()
    }

    agreement_field!(
        /// The baseline on the day.
        baseline_field -> Option<Money>, Baseline, |a: &'r Agreement| &a.terms.costs.baseline
    );

    /// The pre-collaboration baseline on the day.
    #[must_use]
    pub fn baseline(&self) -> Option<Money> {
        *self.baseline_field()
    }

    agreement_field!(
        /// The savings on the day.
        savings -> Savings, Savings, |a: &'r Agreement| &a.terms.costs.savings
    );

    /// The budget for `year`, as known on the day.
    #[must_use]
    pub fn budget(&self, year: FinancialYear) -> Option<&'r Budget> {
        let current = self.record.terms.costs.budget(year);
        if self.current {
            return current;
        }
        resolve(&self.record.amendments, self.at, |c| match c {
            AgreementChange::Budget(y, c) if *y == year => Some(both(c)),
            _ => None,
        })
        .map_or(current, Option::as_ref)
    }

    /// The sharing formulas as known on the day, each with the day it takes
    /// effect, in date order.
    #[must_use]
    pub fn formulas(&self) -> Cow<'r, [DatedFormula]> {
        let current = &self.record.terms.costs.formulas;
        let changed: Vec<NaiveDate> = if self.current {
            Vec::new()
        } else {
            let mut days: Vec<NaiveDate> = self
                .record
                .amendments
                .iter()
                .flat_map(|a| &a.changes)
                .filter_map(|c| match c {
                    AgreementChange::Formula(from, _) => Some(*from),
                    _ => None,
                })
                .collect();
            days.sort_unstable();
            days.dedup();
            days
        };
        if changed.is_empty() {
            return Cow::Borrowed(current);
        }
        let mut out: Vec<DatedFormula> = current
            .iter()
            .filter(|f| changed.binary_search(&f.from).is_err())
            .cloned()
            .collect();
        for from in changed {
            let value = resolve(&self.record.amendments, self.at, |c| match c {
                AgreementChange::Formula(f, c) if *f == from => Some(both(c)),
                _ => None,
            });
            if let Some(Some(formula)) = value {
                out.push(DatedFormula::new(from, formula.clone()));
            }
        }
        out.sort_by_key(|f| f.from);
        Cow::Owned(out)
    }

    /// The units `party` used in `year`, as known on the day.
    #[must_use]
    pub fn usage_of(&self, party: &str, year: FinancialYear) -> Option<Quantity> {
        let current = self.record.terms.costs.usage_of(party, year);
        if self.current {
            return current;
        }
        resolve(&self.record.amendments, self.at, |c| match c {
            AgreementChange::Usage(p, y, c) if p == party && *y == year => Some(both(c)),
            _ => None,
        })
        .map_or(current, |v| *v)
    }

    /// Its terms on the day, whole: borrowed when every amendment is in
    /// effect, else assembled field by field. **O(n + size of the terms)**
    /// in the amendment changes n.
    #[must_use]
    pub fn terms(&self) -> Cow<'r, Terms> {
        if self.current {
            return Cow::Borrowed(&self.record.terms);
        }
        let now = &self.record.terms;
        let mut years: Vec<FinancialYear> = now.costs.budgets.iter().map(|b| b.year).collect();
        let mut usage: Vec<(FinancialYear, PartyId)> = now
            .costs
            .usage
            .iter()
            .map(|u| (u.year, u.party.clone()))
            .collect();
        for c in self.record.amendments.iter().flat_map(|a| &a.changes) {
            match c {
                AgreementChange::Budget(year, _) => years.push(*year),
                AgreementChange::Usage(party, year, _) => usage.push((*year, party.clone())),
                _ => {}
            }
        }
        years.sort_unstable();
        years.dedup();
        usage.sort();
        usage.dedup();
        let mut costs = now.costs.clone();
        costs.budgets = years
            .into_iter()
            .filter_map(|y| self.budget(y).cloned())
            .collect();
        costs.formulas = self.formulas().into_owned();
        costs.part_year = self.part_year();
        costs.usage = usage
            .into_iter()
            .filter_map(|(year, party)| {
                let units = self.usage_of(party.as_str(), year)?;
                let mut u = now
                    .costs
                    .usage
                    .iter()
                    .find(|u| u.year == year && u.party == party)
                    .cloned()
                    .unwrap_or_else(|| crate::model::Usage::new(year, party.clone(), units));
                u.units = units;
                Some(u)
            })
            .collect();
        costs.baseline = self.baseline();
        costs.savings = self.savings().clone();
        costs.unit_price = self.unit_price();
        costs.purchases = self.purchases().to_vec();
        costs.charges = self.charges().to_vec();
        costs.grants = self.grants().to_vec();
        costs.assets = self.assets().to_vec();
        Cow::Owned(Terms {
            title: self.title().to_string(),
            purpose: self.purpose().map(str::to_string),
            legal_basis: self.legal_basis(),
            functions: self.functions(),
            part_of: self.part_of().cloned(),
            end: self.end(),
            review: self.review().clone(),
            leaving: self.leaving().clone(),
            publication: self.publication().clone(),
            responsibilities: self.responsibilities().clone(),
            costs,
            term: self.term().cloned(),
            replaced_by: self.replaced_by().cloned(),
        })
    }

    /// The status change in force on the day, as known.
    #[must_use]
    pub fn status_change(&self) -> Option<&'r StatusChange> {
        self.record
            .status
            .iter()
            .rev()
            .find(|c| self.at.sees(c.from.first_day(), c.entered_on()))
    }

    /// The status on the day, as known, or `None` before the first.
    #[must_use]
    pub fn status(&self) -> Option<Status> {
        if self.status_known {
            return self.status;
        }
        self.status_change().map(|c| c.status)
    }

    /// Whether it is in force on the day: known, active or under review,
    /// started and not past its end.
    #[must_use]
    pub fn in_force(&self) -> bool {
        in_force(
            self.at,
            self.record.entered_on(),
            self.status(),
            self.record.start.first_day(),
            self.end(),
        )
    }

    /// Whether it has ended by the day: terminated, or past its fixed end.
    #[must_use]
    pub fn has_ended(&self) -> bool {
        has_ended(self.at, self.status(), self.end())
    }

    /// The role of `membership` on the day, read through amendments.
    fn role_of(&self, m: &'r Membership) -> Role {
        if self.current {
            return m.role();
        }
        let (party, joined) = (m.party(), m.joined());
        resolve(&self.record.amendments, self.at, |c| match c {
            AgreementChange::Role(p, j, c) if p == party && *j == joined => Some(both(c)),
            _ => None,
        })
        .map_or(m.role(), |r| *r)
    }

    /// A membership as of the day, known to the register or not.
    #[must_use]
    pub fn member_view(&self, m: &'r Membership) -> MemberView<'r> {
        MemberView {
            membership: m,
            role: self.role_of(m),
            at: self.at,
        }
    }

    /// Whether `m` is a membership in force on the day, as the register knew.
    #[must_use]
    pub fn counts_member(&self, m: &Membership) -> bool {
        let joined = m.joined().first_day();
        if joined > self.at.day() || !self.at.knows(m.joined_entered()) {
            return false;
        }
        match m.left() {
            None => true,
            Some(left) => {
                let known = self.at.knows(m.recorded().left.unwrap_or(left.first_day()));
                !(known && left.first_day() <= self.at.day())
            }
        }
    }

    /// The memberships in force on the day, as known, in the order entered.
    /// After the agreement has ended (terminated, or past its fixed end) it
    /// has no members.
    pub fn members(&self) -> impl Iterator<Item = MemberView<'r>> + 'r {
        self.members_placed().map(|(_, m)| m)
    }

    /// [`AgreementView::members`], each with its position in the record's
    /// list of memberships.
    pub(crate) fn members_placed(&self) -> impl Iterator<Item = (usize, MemberView<'r>)> + 'r {
        let this = *self;
        let ended = self.has_ended();
        self.record
            .members
            .iter()
            .enumerate()
            .filter(move |(_, m)| !ended && this.counts_member(m))
            .map(move |(i, m)| (i, this.member_view(m)))
    }

    /// Whether every amendment is in effect and known on the day, so each
    /// field reads as the record now holds it.
    pub(crate) fn is_current(&self) -> bool {
        self.current
    }

    /// Whether `party` is a member on the day.
    #[must_use]
    pub fn is_member(&self, party: &str) -> bool {
        self.members().any(|m| m.party() == party)
    }

    /// The reviews held by the day, as known, in date order.
    pub fn reviews_held(&self) -> impl Iterator<Item = &'r Review> + 'r {
        let at = self.at;
        self.record
            .reviews_held
            .iter()
            .filter(move |r| at.sees(r.date, r.entered_on()))
    }

    /// The last review held by the day, as known.
    #[must_use]
    pub fn last_review(&self) -> Option<NaiveDate> {
        self.reviews_held().map(|r| r.date).max()
    }

    /// The next review due as known on the day ([`next_review`](super::next_review)),
    /// `None` once terminated.
    #[must_use]
    pub fn next_review(&self) -> Option<NaiveDate> {
        if self.status() == Some(Status::Terminated) {
            return None;
        }
        super::next_review(
            self.record.start.first_day(),
            self.review(),
            self.last_review(),
        )
    }

    /// Whether the next review is counted from the start: no date set by
    /// hand still ahead of the last review, and no review held, or the
    /// cadence anchored on the start's anniversaries.
    pub(crate) fn review_counted_from_start(&self) -> bool {
        let terms = self.review();
        let last = self.last_review();
        let by_hand = terms
            .next_due
            .is_some_and(|next| last.is_none_or(|l| next > l));
        !by_hand && (last.is_none() || terms.anchor == ReviewAnchor::Start)
    }

    /// The invitations declined by the day, as known (a decline without a
    /// day shows from the agreement's start).
    pub fn declined(&self) -> impl Iterator<Item = &'r Declined> + 'r {
        let at = self.at;
        let start = self.record.start.first_day();
        self.record.declined.iter().filter(move |d| {
            let on = d.on.map_or(start, |on| on.first_day());
            at.sees(on, d.recorded.unwrap_or(on))
        })
    }

    /// The amendments in effect by the day, as known.
    pub fn amendments(&self) -> impl Iterator<Item = &'r Amendment<AgreementChange>> + 'r {
        let at = self.at;
        self.record
            .amendments
            .iter()
            .filter(move |a| at.sees(a.date, a.entered_on()))
    }
}

/// A party as of a day, as the register stood on a register day.
#[derive(Debug, Clone, Copy)]
pub struct PartyView<'r> {
    record: &'r Party,
    at: At,
    current: bool,
}

impl<'r> PartyView<'r> {
    /// The party as of `at`.
    #[must_use]
    pub fn new(record: &'r Party, at: At) -> Self {
        PartyView {
            record,
            at,
            current: all_in_effect(&record.amendments, at),
        }
    }

    /// The record itself, as it now stands.
    #[must_use]
    pub fn record(&self) -> &'r Party {
        self.record
    }

    /// The days asked as of.
    #[must_use]
    pub fn at(&self) -> At {
        self.at
    }

    /// The party's id.
    #[must_use]
    pub fn id(&self) -> &'r PartyId {
        self.record.id()
    }

    /// Whether the register knew of the party on the register day.
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.record.entered.is_none_or(|e| self.at.knows(e))
    }

    fn field<T: ?Sized>(
        &self,
        current: &'r T,
        pick: impl Fn(&'r PartyChange) -> Option<(&'r T, &'r T)>,
    ) -> &'r T {
        if self.current {
            current
        } else {
            resolve(&self.record.amendments, self.at, pick).unwrap_or(current)
        }
    }

    /// Its name on the day.
    #[must_use]
    pub fn name(&self) -> &'r str {
        self.field(&self.record.terms.name, |c| match c {
            PartyChange::Name(c) => Some(both(c)),
            _ => None,
        })
        .as_str()
    }

    /// Its kind on the day.
    #[must_use]
    pub fn kind(&self) -> PartyKind {
        *self.field(&self.record.terms.kind, |c| match c {
            PartyChange::Kind(c) => Some(both(c)),
            _ => None,
        })
    }

    /// Its region on the day.
    #[must_use]
    pub fn region(&self) -> Option<&'r str> {
        self.field(&self.record.terms.region, |c| match c {
            PartyChange::Region(c) => Some(both(c)),
            _ => None,
        })
        .as_deref()
    }

    /// Who signs for it, on the day.
    #[must_use]
    pub fn signs_as(&self) -> Option<&'r str> {
        self.field(&self.record.terms.signs_as, |c| match c {
            PartyChange::SignsAs(c) => Some(both(c)),
            _ => None,
        })
        .as_deref()
    }

    /// The value of `metric` for `year`, as known on the day.
    #[must_use]
    pub fn metric(&self, metric: &str, year: FinancialYear) -> Option<Quantity> {
        let current = self.record.metric(metric, year);
        if self.current {
            return current;
        }
        resolve(&self.record.amendments, self.at, |c| match c {
            PartyChange::Metric(m, y, c) if m == metric && *y == year => Some(both(c)),
            _ => None,
        })
        .map_or(current, |v| *v)
    }

    /// Its terms on the day, whole.
    #[must_use]
    pub fn terms(&self) -> Cow<'r, PartyTerms> {
        if self.current {
            return Cow::Borrowed(&self.record.terms);
        }
        let now = &self.record.terms;
        let mut keys: Vec<(String, FinancialYear)> = now
            .metrics
            .iter()
            .map(|m| (m.metric.clone(), m.year))
            .collect();
        for c in self.record.amendments.iter().flat_map(|a| &a.changes) {
            if let PartyChange::Metric(metric, year, _) = c {
                keys.push((metric.clone(), *year));
            }
        }
        keys.sort();
        keys.dedup();
        let metrics = keys
            .into_iter()
            .filter_map(|(metric, year)| {
                let value = self.metric(&metric, year)?;
                let mut m = now
                    .metric(&metric, year)
                    .cloned()
                    .unwrap_or_else(|| crate::model::Metric::new(metric.clone(), year, value));
                m.value = value;
                Some(m)
            })
            .collect();
        Cow::Owned(PartyTerms {
            name: self.name().to_string(),
            kind: self.kind(),
            region: self.region().map(str::to_string),
            signs_as: self.signs_as().map(str::to_string),
            metrics,
        })
    }

    /// The parties overseeing it on the day, as known.
    pub fn overseers(&self) -> impl Iterator<Item = &'r PartyId> + 'r {
        let at = self.at;
        self.record
            .overseen_by
            .iter()
            .filter(move |o| spell_holds(&o.spell, at))
            .map(|o| &o.by)
    }
}

/// A governance body as of a day, as the register stood on a register day.
#[derive(Debug, Clone, Copy)]
pub struct BodyView<'r> {
    record: &'r GovernanceBody,
    at: At,
    current: bool,
}

impl<'r> BodyView<'r> {
    /// The body as of `at`.
    #[must_use]
    pub fn new(record: &'r GovernanceBody, at: At) -> Self {
        BodyView {
            record,
            at,
            current: all_in_effect(&record.amendments, at),
        }
    }

    /// The record itself, as it now stands.
    #[must_use]
    pub fn record(&self) -> &'r GovernanceBody {
        self.record
    }

    /// Whether the register knew of the body on the register day.
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.record.entered.is_none_or(|e| self.at.knows(e))
    }

    fn field<T: ?Sized>(
        &self,
        current: &'r T,
        pick: impl Fn(&'r BodyChange) -> Option<(&'r T, &'r T)>,
    ) -> &'r T {
        if self.current {
            current
        } else {
            resolve(&self.record.amendments, self.at, pick).unwrap_or(current)
        }
    }

    /// Its name on the day.
    #[must_use]
    pub fn name(&self) -> &'r str {
        self.field(&self.record.terms.name, |c| match c {
            BodyChange::Name(c) => Some(both(c)),
            _ => None,
        })
        .as_str()
    }

    /// Its kind on the day.
    #[must_use]
    pub fn kind(&self) -> BodyKind {
        *self.field(&self.record.terms.kind, |c| match c {
            BodyChange::Kind(c) => Some(both(c)),
            _ => None,
        })
    }

    /// Its decision rule on the day.
    #[must_use]
    pub fn decision_rule(&self) -> &'r DecisionRule {
        self.field(&self.record.terms.decision_rule, |c| match c {
            BodyChange::DecisionRule(c) => Some(both(c)),
            _ => None,
        })
    }

    /// What it may decide alone, on the day.
    #[must_use]
    pub fn delegated_limits(&self) -> &'r [DelegatedLimit] {
        self.field(&self.record.terms.delegated_limits, |c| match c {
            BodyChange::DelegatedLimits(c) => Some(both(c)),
            _ => None,
        })
        .as_slice()
    }

    /// Its terms on the day, whole.
    #[must_use]
    pub fn terms(&self) -> Cow<'r, BodyTerms> {
        if self.current {
            return Cow::Borrowed(&self.record.terms);
        }
        Cow::Owned(BodyTerms {
            name: self.name().to_string(),
            kind: self.kind(),
            decision_rule: self.decision_rule().clone(),
            delegated_limits: self.delegated_limits().to_vec(),
        })
    }

    /// Its seats held on the day, as known, in the order entered.
    pub fn seats(&self) -> impl Iterator<Item = &'r Seat> + 'r {
        let at = self.at;
        self.record
            .seats
            .iter()
            .filter(move |s| spell_holds(&s.spell, at))
    }

    /// The agreements it governs on the day, as known.
    pub fn governs(&self) -> impl Iterator<Item = &'r AgreementId> + 'r {
        let at = self.at;
        self.record
            .governs
            .iter()
            .filter(move |g| spell_holds(&g.spell, at))
            .map(|g| &g.agreement)
    }

    /// The bodies it reports to on the day, as known.
    pub fn reports_to(&self) -> impl Iterator<Item = &'r crate::model::BodyId> + 'r {
        let at = self.at;
        self.record
            .reports_to
            .iter()
            .filter(move |r| spell_holds(&r.spell, at))
            .map(|r| &r.body)
    }
}
