//! What each record must hold on its own. These checks need nothing from
//! the rest of the registry, so a builder runs them too.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::error::Error;
use crate::model::{
    Agreement, AgreementBuilder, AgreementChange, Amendment, Asset, BodyBuilder, BodyChange,
    Change, ClassMembership, CostArrangement, Ending, ExitCosts, Extra, Formula, GovernanceBody,
    Grant, LegalBasis, MAX_FORMULA_DEPTH, MAX_MONTHS, MemberCharge, Membership, Money, PartialDate,
    Party, PartyBuilder, PartyChange, Period, Provenance, PublicationLevel, Purchase, ReportsTo,
    Spell, Status, StatusChange, Term, Terms, is_storable,
};
use crate::problem::{Path, ProblemCode as Code, Problems};

use super::{chains, normal, quorum};

/// The fields each kind of object in a file knows: an unknown field may not
/// reuse one of these names.
pub(crate) mod fields {
    pub(crate) const PARTY: &[&str] = &[
        "id",
        "name",
        "kind",
        "region",
        "signs_as",
        "identifiers",
        "overseen_by",
        "metrics",
        "amendments",
        "entered",
        "source",
        "illustrative",
    ];
    pub(crate) const AGREEMENT: &[&str] = &[
        "id",
        "title",
        "purpose",
        "legal_basis",
        "functions",
        "part_of",
        "start",
        "end",
        "term",
        "replaced_by",
        "status",
        "members",
        "member_classes",
        "members_published",
        "declined",
        "responsibilities",
        "review",
        "leaving",
        "publication",
        "costs",
        "amendments",
        "entered",
        "source",
        "illustrative",
    ];
    pub(crate) const BODY: &[&str] = &[
        "id",
        "name",
        "kind",
        "governs",
        "seats",
        "decision_rule",
        "reports_to",
        "delegated_limits",
        "amendments",
        "entered",
        "source",
        "illustrative",
    ];
    pub(crate) const MEMBERSHIP: &[&str] = &[
        "party",
        "role",
        "joined",
        "left",
        "notice_served",
        "recorded",
        "illustrative",
    ];
    pub(crate) const MEMBERSHIP_RECORDED: &[&str] = &["joined", "notice_served", "left"];
    pub(crate) const STATUS: &[&str] = &["status", "from", "recorded", "note", "ended_by"];
    pub(crate) const CLASS: &[&str] = &["kind", "region", "role", "from", "until", "recorded"];
    pub(crate) const TERM: &[&str] = &["length", "unit"];
    pub(crate) const EXIT_COSTS: &[&str] = &["terms", "cap"];
    pub(crate) const DECLINED: &[&str] = &["party", "on", "recorded", "note"];
    pub(crate) const REVIEW: &[&str] = &["cadence_months", "anchor", "next_due", "held"];
    pub(crate) const REVIEW_HELD: &[&str] = &["date", "recorded", "by", "outcome"];
    pub(crate) const LEAVING: &[&str] = &[
        "notice_months",
        "align_to_financial_year_end",
        "leaver_pays_exit_costs",
        "exit_costs",
    ];
    pub(crate) const PUBLICATION: &[&str] = &["level", "reason"];
    pub(crate) const RESPONSIBILITIES: &[&str] = &["asset_owner", "employer"];
    pub(crate) const COSTS: &[&str] = &[
        "budgets",
        "formulas",
        "part_year",
        "usage",
        "purchases",
        "unit_price",
        "charges",
        "grants",
        "assets",
        "baseline",
        "savings",
    ];
    pub(crate) const BUDGET: &[&str] = &["year", "amount", "illustrative"];
    pub(crate) const DATED_FORMULA: &[&str] = &["from", "formula"];
    pub(crate) const FORMULA: &[&str] = &["kind", "shares", "metric", "parts"];
    pub(crate) const SHARE: &[&str] = &["party", "percent"];
    pub(crate) const BLEND_PART: &[&str] = &["weight", "formula"];
    pub(crate) const USAGE: &[&str] = &["year", "party", "units"];
    pub(crate) const PURCHASE: &[&str] = &["year", "party", "units"];
    pub(crate) const CHARGE: &[&str] = &["year", "payer", "payee", "what", "amount"];
    pub(crate) const GRANT: &[&str] = &["year", "party", "from", "amount"];
    pub(crate) const ASSET: &[&str] = &["name", "value", "owners"];
    pub(crate) const ASSET_SHARE: &[&str] = &["party", "percent"];
    pub(crate) const SAVINGS: &[&str] = &[
        "target",
        "target_percent",
        "target_by",
        "realised",
        "realised_percent",
    ];
    pub(crate) const REALISED: &[&str] = &["year", "amount", "party"];
    pub(crate) const AMENDMENT: &[&str] = &["date", "recorded", "kind", "summary", "changes"];
    pub(crate) const CHANGE: &[&str] = &["field", "before", "after"];
    pub(crate) const IDENTIFIER: &[&str] = &["scheme", "id"];
    pub(crate) const OVERSIGHT: &[&str] = &["by", "from", "until", "recorded"];
    pub(crate) const METRIC: &[&str] = &["metric", "year", "value", "illustrative"];
    pub(crate) const SPELL_RECORDED: &[&str] = &["from", "until"];
    pub(crate) const SEAT: &[&str] = &["party", "role", "votes", "from", "until", "recorded"];
    pub(crate) const GOVERNS: &[&str] = &["agreement", "from", "until", "recorded"];
    pub(crate) const REPORTS_TO: &[&str] = &["body", "from", "until", "recorded"];
    pub(crate) const DECISION_RULE: &[&str] = &["rule", "at_least"];
    pub(crate) const DELEGATED_LIMIT: &[&str] = &["matter", "limit"];
    pub(crate) const DOCUMENT: &[&str] = &[
        "schema_version",
        "name",
        "currency",
        "parties",
        "agreements",
        "bodies",
    ];
}

/// Each name an `illustrative` list gives is a field of the record: one of
/// `top`, a field of one of the `nested` objects (or of each element of a
/// nested list) written `object.field`, or a path an amendment could name.
fn illustrative(
    provenance: &Provenance,
    top: &[&str],
    nested: &[(&str, &[&str])],
    amendable: impl Fn(&str) -> bool,
    path: &Path<'_>,
    out: &mut Problems,
) {
    let list = path.key("illustrative");
    for (j, name) in provenance.illustrative.iter().enumerate() {
        let known = top.contains(&name.as_str())
            || name.split_once('.').is_some_and(|(object, field)| {
                nested
                    .iter()
                    .any(|(o, fields)| *o == object && fields.contains(&field))
            })
            || amendable(name);
        if !known {
            out.at(
                &list.index(j),
                Code::InvalidPath,
                format!("{name:?} is not a field of this record, so it cannot be illustrative"),
            );
        }
    }
}

/// The element before position `i` of `list`, if there is one.
fn previous<T>(list: &[T], i: usize) -> Option<&T> {
    i.checked_sub(1).and_then(|i| list.get(i))
}

/// Refuses unknown fields that reuse a known name.
pub(crate) fn shadows(extra: &Extra, known: &[&str], path: &Path<'_>, out: &mut Problems) {
    if let Some(key) = extra.shadowing(known) {
        out.at(
            &path.key(key),
            Code::ShadowedKey,
            format!("an unknown field may not reuse the name of the known field {key:?}"),
        );
    }
}

pub(crate) fn storable(day: NaiveDate, path: &Path<'_>, out: &mut Problems) {
    if !is_storable(day) {
        out.at(
            path,
            Code::InvalidDate,
            format!("{day} is outside years 0000 to 9999, which a file can hold"),
        );
    }
}

fn storable_opt(day: Option<NaiveDate>, path: &Path<'_>, out: &mut Problems) {
    if let Some(day) = day {
        storable(day, path, out);
    }
}

fn storable_partial(day: PartialDate, path: &Path<'_>, out: &mut Problems) {
    storable(day.first_day(), path, out);
}

pub(crate) fn non_empty(text: &str, path: &Path<'_>, out: &mut Problems) {
    if text.trim().is_empty() {
        out.at(path, Code::Empty, "may not be empty");
    }
}

fn non_negative(amount: Money, path: &Path<'_>, out: &mut Problems) {
    if amount.is_negative() {
        out.at(path, Code::Negative, format!("{amount} is negative"));
    }
}

fn months(value: Option<u32>, min: u32, path: &Path<'_>, out: &mut Problems) {
    if let Some(n) = value.filter(|n| *n < min || *n > MAX_MONTHS) {
        out.at(
            path,
            Code::OutOfRange,
            format!("{n} is outside {min} to {MAX_MONTHS} months"),
        );
    }
}

pub(crate) fn spell(spell: &Spell, path: &Path<'_>, out: &mut Problems) {
    storable_opt(spell.from, &path.key("from"), out);
    storable_opt(spell.until, &path.key("until"), out);
    let recorded = path.key("recorded");
    storable_opt(spell.recorded.from, &recorded.key("from"), out);
    storable_opt(spell.recorded.until, &recorded.key("until"), out);
    shadows(
        &spell.recorded.extra,
        fields::SPELL_RECORDED,
        &recorded,
        out,
    );
    if let (Some(from), Some(until)) = (spell.from, spell.until) {
        if until <= from {
            out.at(
                &path.key("until"),
                Code::DateOrder,
                format!("until {until} is not after from {from}"),
            );
        }
    }
}

fn amendment_head<C>(a: &Amendment<C>, path: &Path<'_>, out: &mut Problems) {
    storable(a.date, &path.key("date"), out);
    storable_opt(a.recorded, &path.key("recorded"), out);
    non_empty(&a.summary, &path.key("summary"), out);
    shadows(&a.extra, fields::AMENDMENT, path, out);
}

fn change_extra<T>(c: &Change<T>, path: &Path<'_>, out: &mut Problems) {
    shadows(&c.extra, fields::CHANGE, path, out);
}

/// Every rule a party must keep on its own.
pub(crate) fn party(p: &Party, path: &Path<'_>, out: &mut Problems) {
    let t = &p.terms;
    non_empty(&t.name, &path.key("name"), out);
    for (j, id) in p.identifiers.iter().enumerate() {
        let at = path.key("identifiers");
        let at = at.index(j);
        non_empty(&id.scheme, &at.key("scheme"), out);
        non_empty(&id.id, &at.key("id"), out);
        shadows(&id.extra, fields::IDENTIFIER, &at, out);
    }
    let list = path.key("overseen_by");
    for (j, o) in p.overseen_by.iter().enumerate() {
        let at = list.index(j);
        if o.by == p.id {
            out.at(&at.key("by"), Code::Cycle, "a party cannot oversee itself");
        }
        spell(&o.spell, &at, out);
        shadows(&o.extra, fields::OVERSIGHT, &at, out);
    }
    let list = path.key("metrics");
    for (j, m) in t.metrics.iter().enumerate() {
        let at = list.index(j);
        non_empty(&m.metric, &at.key("metric"), out);
        if previous(&t.metrics, j)
            .is_some_and(|prev| prev.metric == m.metric && prev.year == m.year)
        {
            out.at(
                &at,
                Code::Duplicate,
                format!("metric {:?} is given twice for {}", m.metric, m.year),
            );
        }
        shadows(&m.extra, fields::METRIC, &at, out);
    }
    let list = path.key("amendments");
    for (j, a) in p.amendments.iter().enumerate() {
        let at = list.index(j);
        amendment_head(a, &at, out);
        let changes = at.key("changes");
        for (k, c) in a.changes.iter().enumerate() {
            let here = changes.index(k);
            match c {
                PartyChange::Name(c) => {
                    non_empty(&c.before, &here.key("before"), out);
                    non_empty(&c.after, &here.key("after"), out);
                    change_extra(c, &here, out);
                }
                PartyChange::Kind(c) => change_extra(c, &here, out),
                PartyChange::Region(c) | PartyChange::SignsAs(c) => change_extra(c, &here, out),
                PartyChange::Metric(_, _, c) => change_extra(c, &here, out),
            }
        }
    }
    chains::party(p, path, out);
    storable_opt(p.entered, &path.key("entered"), out);
    illustrative(
        &p.provenance,
        fields::PARTY,
        &[
            ("identifiers", fields::IDENTIFIER),
            ("overseen_by", fields::OVERSIGHT),
            ("metrics", fields::METRIC),
            ("amendments", fields::AMENDMENT),
        ],
        |f| f.parse::<crate::model::PartyField>().is_ok(),
        path,
        out,
    );
    shadows(&p.extra, fields::PARTY, path, out);
}

/// Every rule a governance body must keep on its own.
pub(crate) fn body(b: &GovernanceBody, path: &Path<'_>, out: &mut Problems) {
    let t = &b.terms;
    non_empty(&t.name, &path.key("name"), out);
    decision_rule_extra(&t.decision_rule, &path.key("decision_rule"), out);
    let list = path.key("governs");
    for (j, g) in b.governs.iter().enumerate() {
        let at = list.index(j);
        spell(&g.spell, &at, out);
        shadows(&g.extra, fields::GOVERNS, &at, out);
    }
    let list = path.key("seats");
    for (j, s) in b.seats.iter().enumerate() {
        let at = list.index(j);
        spell(&s.spell, &at, out);
        shadows(&s.extra, fields::SEAT, &at, out);
    }
    let list = path.key("reports_to");
    for (j, r) in b.reports_to.iter().enumerate() {
        let at = list.index(j);
        if r.body == b.id {
            let at = if ReportsTo::is_plain(&b.reports_to) {
                list
            } else {
                at.key("body")
            };
            out.at(&at, Code::Cycle, "a body cannot report to itself");
        }
        spell(&r.spell, &at, out);
        shadows(&r.extra, fields::REPORTS_TO, &at, out);
    }
    delegated_limits(&t.delegated_limits, &path.key("delegated_limits"), out);
    let list = path.key("amendments");
    for (j, a) in b.amendments.iter().enumerate() {
        let at = list.index(j);
        amendment_head(a, &at, out);
        let changes = at.key("changes");
        for (k, c) in a.changes.iter().enumerate() {
            let here = changes.index(k);
            match c {
                BodyChange::Name(c) => {
                    non_empty(&c.before, &here.key("before"), out);
                    non_empty(&c.after, &here.key("after"), out);
                    change_extra(c, &here, out);
                }
                BodyChange::Kind(c) => change_extra(c, &here, out),
                BodyChange::DecisionRule(c) => {
                    decision_rule_extra(&c.before, &here.key("before"), out);
                    decision_rule_extra(&c.after, &here.key("after"), out);
                    change_extra(c, &here, out);
                }
                BodyChange::DelegatedLimits(c) => {
                    delegated_limits(&c.before, &here.key("before"), out);
                    delegated_limits(&c.after, &here.key("after"), out);
                    change_extra(c, &here, out);
                }
            }
        }
    }
    chains::body(b, path, out);
    storable_opt(b.entered, &path.key("entered"), out);
    illustrative(
        &b.provenance,
        fields::BODY,
        &[
            ("decision_rule", fields::DECISION_RULE),
            ("seats", fields::SEAT),
            ("governs", fields::GOVERNS),
            ("reports_to", fields::REPORTS_TO),
            ("delegated_limits", fields::DELEGATED_LIMIT),
            ("amendments", fields::AMENDMENT),
        ],
        |f| f.parse::<crate::model::BodyField>().is_ok(),
        path,
        out,
    );
    shadows(&b.extra, fields::BODY, path, out);
}

#[allow(
    clippy::match_same_arms,
    reason = "each arm's change is of a different type"
)]
fn decision_rule_extra(rule: &crate::model::DecisionRule, path: &Path<'_>, out: &mut Problems) {
    use crate::model::DecisionRule as R;
    let extra = match rule {
        R::Unanimity { extra } | R::SimpleMajority { extra } => extra,
        R::QualifiedMajority { extra, .. } | R::WeightedByCostShare { extra, .. } => extra,
    };
    shadows(extra, fields::DECISION_RULE, path, out);
}

fn delegated_limits(limits: &[crate::model::DelegatedLimit], path: &Path<'_>, out: &mut Problems) {
    for (j, l) in limits.iter().enumerate() {
        let at = path.index(j);
        non_empty(&l.matter, &at.key("matter"), out);
        non_negative(l.limit, &at.key("limit"), out);
        shadows(&l.extra, fields::DELEGATED_LIMIT, &at, out);
    }
}

/// The rules of an agreement's terms on their own, with `start` the day it
/// starts: applied to its terms as they stand and to every value an
/// amendment records.
pub(crate) fn terms(t: &Terms, start: PartialDate, path: &Path<'_>, out: &mut Problems) {
    non_empty(&t.title, &path.key("title"), out);
    legal_basis(t.legal_basis, &path.key("legal_basis"), out);
    end(t.end, start, &path.key("end"), out);
    let review = path.key("review");
    months(
        t.review.cadence_months,
        1,
        &review.key("cadence_months"),
        out,
    );
    storable_opt(t.review.next_due, &review.key("next_due"), out);
    shadows(&t.review.extra, fields::REVIEW, &review, out);
    let leaving = path.key("leaving");
    months(
        t.leaving.notice_months,
        0,
        &leaving.key("notice_months"),
        out,
    );
    if let Some(e) = &t.leaving.exit_costs {
        exit_costs(e, &leaving.key("exit_costs"), out);
    }
    shadows(&t.leaving.extra, fields::LEAVING, &leaving, out);
    if let Some(t) = &t.term {
        term(t, &path.key("term"), out);
    }
    let publication = path.key("publication");
    if t.publication.level == PublicationLevel::Withheld
        && t.publication
            .reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        out.at(
            &publication.key("reason"),
            Code::Publication,
            "a withheld agreement needs a stated reason",
        );
    }
    shadows(&t.publication.extra, fields::PUBLICATION, &publication, out);
    shadows(
        &t.responsibilities.extra,
        fields::RESPONSIBILITIES,
        &path.key("responsibilities"),
        out,
    );
    costs(&t.costs, &path.key("costs"), out);
}

fn term(t: &Term, path: &Path<'_>, out: &mut Problems) {
    if t.months().is_none_or(|m| m == 0 || m > MAX_MONTHS) {
        out.at(
            &path.key("length"),
            Code::OutOfRange,
            format!(
                "a term of {} {} is outside 1 to {MAX_MONTHS} months",
                t.length, t.unit
            ),
        );
    }
    shadows(&t.extra, fields::TERM, path, out);
}

fn exit_costs(e: &ExitCosts, path: &Path<'_>, out: &mut Problems) {
    non_empty(&e.terms, &path.key("terms"), out);
    if let Some(cap) = e.cap {
        non_negative(cap, &path.key("cap"), out);
    }
    shadows(&e.extra, fields::EXIT_COSTS, path, out);
}

fn legal_basis(bases: crate::model::LegalBases, path: &Path<'_>, out: &mut Problems) {
    if bases.is_empty() {
        out.at(
            path,
            Code::Required,
            "is required: name the basis, or \"not_stated\"",
        );
    } else if bases.contains(LegalBasis::NotStated) && bases.len() > 1 {
        out.at(
            path,
            Code::UnknownKeyword,
            "\"not_stated\" cannot stand beside a stated basis",
        );
    }
}

fn end(end: Option<NaiveDate>, start: PartialDate, path: &Path<'_>, out: &mut Problems) {
    if let Some(end) = end {
        storable(end, path, out);
        if end <= start.first_day() {
            out.at(
                path,
                Code::DateOrder,
                format!("end {end} is not after start {start}"),
            );
        }
    }
}

fn costs(c: &CostArrangement, path: &Path<'_>, out: &mut Problems) {
    let list = path.key("budgets");
    for (j, b) in c.budgets.iter().enumerate() {
        let at = list.index(j);
        non_negative(b.amount, &at.key("amount"), out);
        if previous(&c.budgets, j).is_some_and(|prev| prev.year >= b.year) {
            out.at(
                &at.key("year"),
                Code::Duplicate,
                format!(
                    "a budget for {} is given twice (or budgets are out of year order)",
                    b.year
                ),
            );
        }
        shadows(&b.extra, fields::BUDGET, &at, out);
    }
    let list = path.key("formulas");
    for (j, f) in c.formulas.iter().enumerate() {
        let at = list.index(j);
        storable(f.from, &at.key("from"), out);
        if previous(&c.formulas, j).is_some_and(|prev| prev.from >= f.from) {
            out.at(
                &at.key("from"),
                Code::DateOrder,
                format!("formulas must be in date order, each from a later day: {} follows an earlier one from the same day or later", f.from),
            );
        }
        formula(&f.formula, &at.key("formula"), 0, out);
        shadows(&f.extra, fields::DATED_FORMULA, &at, out);
    }
    let list = path.key("usage");
    for (j, u) in c.usage.iter().enumerate() {
        let at = list.index(j);
        if previous(&c.usage, j).is_some_and(|prev| (prev.year, &prev.party) >= (u.year, &u.party))
        {
            out.at(
                &at,
                Code::Duplicate,
                format!(
                    "usage of {} in {} is given twice (or usage is out of order)",
                    u.party, u.year
                ),
            );
        }
        shadows(&u.extra, fields::USAGE, &at, out);
    }
    purchases(&c.purchases, &path.key("purchases"), out);
    if let Some(price) = c.unit_price {
        non_negative(price, &path.key("unit_price"), out);
    }
    charges(&c.charges, &path.key("charges"), out);
    grants(&c.grants, &path.key("grants"), out);
    assets(&c.assets, &path.key("assets"), out);
    if let Some(baseline) = c.baseline {
        non_negative(baseline, &path.key("baseline"), out);
    }
    let savings = path.key("savings");
    if let Some(target) = c.savings.target {
        non_negative(target, &savings.key("target"), out);
    }
    for (j, r) in c.savings.realised.iter().enumerate() {
        let realised = savings.key("realised");
        shadows(&r.extra, fields::REALISED, &realised.index(j), out);
    }
    shadows(&c.savings.extra, fields::SAVINGS, &savings, out);
    shadows(&c.extra, fields::COSTS, path, out);
}

fn purchases(list: &[Purchase], path: &Path<'_>, out: &mut Problems) {
    for (j, p) in list.iter().enumerate() {
        let at = path.index(j);
        if previous(list, j).is_some_and(|prev| (prev.year, &prev.party) >= (p.year, &p.party)) {
            out.at(
                &at,
                Code::Duplicate,
                format!(
                    "units bought by {} for {} are given twice (or purchases are out of order)",
                    p.party, p.year
                ),
            );
        }
        shadows(&p.extra, fields::PURCHASE, &at, out);
    }
}

fn charges(list: &[MemberCharge], path: &Path<'_>, out: &mut Problems) {
    for (j, c) in list.iter().enumerate() {
        let at = path.index(j);
        if c.payer == c.payee {
            out.at(
                &at.key("payee"),
                Code::SelfReference,
                format!("{} cannot charge itself", c.payer),
            );
        }
        non_empty(&c.what, &at.key("what"), out);
        non_negative(c.amount, &at.key("amount"), out);
        shadows(&c.extra, fields::CHARGE, &at, out);
    }
}

fn grants(list: &[Grant], path: &Path<'_>, out: &mut Problems) {
    for (j, g) in list.iter().enumerate() {
        let at = path.index(j);
        non_negative(g.amount, &at.key("amount"), out);
        if let Some(from) = &g.from {
            non_empty(from, &at.key("from"), out);
        }
        shadows(&g.extra, fields::GRANT, &at, out);
    }
}

fn assets(list: &[Asset], path: &Path<'_>, out: &mut Problems) {
    let hundred = u64::from(crate::model::Percent::HUNDRED.ten_thousandths());
    for (j, a) in list.iter().enumerate() {
        let at = path.index(j);
        non_empty(&a.name, &at.key("name"), out);
        if let Some(value) = a.value {
            non_negative(value, &at.key("value"), out);
        }
        let owners = at.key("owners");
        let total: u64 = a
            .owners
            .iter()
            .map(|o| u64::from(o.percent.ten_thousandths()))
            .sum();
        if total != hundred {
            out.at(
                &owners,
                Code::SharesTotal,
                format!(
                    "the owners' shares of {:?} add up to {}, not exactly 100",
                    a.name,
                    crate::model::format_scaled(
                        i128::from(total),
                        crate::model::Percent::PLACES,
                        true
                    )
                ),
            );
        }
        for (k, o) in a.owners.iter().enumerate() {
            let here = owners.index(k);
            if a.owners.iter().take(k).any(|prev| prev.party == o.party) {
                out.at(
                    &here.key("party"),
                    Code::Duplicate,
                    format!("{} owns two shares of {:?}", o.party, a.name),
                );
            }
            shadows(&o.extra, fields::ASSET_SHARE, &here, out);
        }
        shadows(&a.extra, fields::ASSET, &at, out);
    }
}

fn formula(f: &Formula, path: &Path<'_>, depth: usize, out: &mut Problems) {
    let hundred = u64::from(crate::model::Percent::HUNDRED.ten_thousandths());
    match f {
        Formula::FixedPercentages { shares, extra } => {
            let total: u64 = shares
                .iter()
                .map(|s| u64::from(s.percent.ten_thousandths()))
                .sum();
            if total != hundred {
                out.at(
                    &path.key("shares"),
                    Code::SharesTotal,
                    format!(
                        "fixed percentages add up to {}, not exactly 100",
                        crate::model::format_scaled(
                            i128::from(total),
                            crate::model::Percent::PLACES,
                            true
                        )
                    ),
                );
            }
            let list = path.key("shares");
            for (k, s) in shares.iter().enumerate() {
                let at = list.index(k);
                if previous(shares, k).is_some_and(|prev| prev.party >= s.party) {
                    out.at(
                        &at.key("party"),
                        Code::Duplicate,
                        format!(
                            "{:?} has two shares (or shares are out of party order)",
                            s.party.as_str()
                        ),
                    );
                }
                shadows(&s.extra, fields::SHARE, &at, out);
            }
            shadows(extra, fields::FORMULA, path, out);
        }
        Formula::Blend { parts, extra } => {
            if depth >= MAX_FORMULA_DEPTH {
                out.at(
                    path,
                    Code::TooLarge,
                    format!("blends may nest at most {MAX_FORMULA_DEPTH} deep"),
                );
                return;
            }
            let total: u64 = parts
                .iter()
                .map(|p| u64::from(p.weight.ten_thousandths()))
                .sum();
            if total != hundred {
                out.at(
                    &path.key("parts"),
                    Code::SharesTotal,
                    format!(
                        "blend weights add up to {}, not exactly 100",
                        crate::model::format_scaled(
                            i128::from(total),
                            crate::model::Percent::PLACES,
                            true
                        )
                    ),
                );
            }
            let list = path.key("parts");
            for (k, p) in parts.iter().enumerate() {
                let at = list.index(k);
                formula(&p.formula, &at.key("formula"), depth.saturating_add(1), out);
                shadows(&p.extra, fields::BLEND_PART, &at, out);
            }
            shadows(extra, fields::FORMULA, path, out);
        }
        Formula::Metric { metric, extra } => {
            non_empty(metric, &path.key("metric"), out);
            shadows(extra, fields::FORMULA, path, out);
        }
        Formula::Equal { extra } | Formula::Usage { extra } | Formula::Entitlement { extra } => {
            shadows(extra, fields::FORMULA, path, out);
        }
    }
}

/// The rules of one membership on its own and against the agreement's
/// start and end; `m` sits at `path`.
pub(crate) fn membership(a: &Agreement, m: &Membership, path: &Path<'_>, out: &mut Problems) {
    let joined = m.joined();
    storable_partial(joined, &path.key("joined"), out);
    let start = a.start;
    if joined.last_day() < start.first_day() {
        out.at(
            &path.key("joined"),
            Code::DateOrder,
            format!("joined {joined} is before the agreement starts on {start}"),
        );
    }
    // An end before the start is reported at the end alone, not again at
    // every member.
    let end = a.terms.end.filter(|end| *end > start.first_day());
    if let Some(end) = end.filter(|end| joined.first_day() >= *end) {
        out.at(
            &path.key("joined"),
            Code::DateOrder,
            format!("joined {joined} is not before the agreement ends on {end}"),
        );
    }
    if let Some(left) = m.left() {
        storable_partial(left, &path.key("left"), out);
        if left.last_day() <= joined.first_day() {
            out.at(
                &path.key("left"),
                Code::DateOrder,
                format!("left {left} is not after joined {joined}"),
            );
        }
    }
    if let Some(notice) = m.notice_served() {
        storable(notice, &path.key("notice_served"), out);
        if notice < joined.first_day() {
            out.at(
                &path.key("notice_served"),
                Code::DateOrder,
                format!("notice served {notice} is before joined {joined}"),
            );
        }
        if let Some(left) = m.left().filter(|left| notice >= left.last_day()) {
            out.at(
                &path.key("notice_served"),
                Code::DateOrder,
                format!("notice served {notice} is not before left {left}"),
            );
        }
    }
    let recorded = m.recorded();
    let at = path.key("recorded");
    storable_opt(recorded.joined, &at.key("joined"), out);
    storable_opt(recorded.notice_served, &at.key("notice_served"), out);
    storable_opt(recorded.left, &at.key("left"), out);
    shadows(m.recorded_extra(), fields::MEMBERSHIP_RECORDED, &at, out);
    shadows(m.extra(), fields::MEMBERSHIP, path, out);
}

/// A party may hold several memberships of one agreement, but not at once.
/// Sorting by party and joining day makes this **O(m log m)**: only
/// neighbours in that order can overlap first.
pub(crate) fn overlaps(a: &Agreement, path: &Path<'_>, out: &mut Problems) {
    let members = &a.members;
    let mut order: Vec<(&str, NaiveDate, usize)> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.party().as_str(), m.joined().first_day(), i))
        .collect();
    order.sort_unstable();
    let mut found: Vec<(usize, usize)> = Vec::new();
    // Within one party's spells in joining order, the furthest-reaching
    // spell so far: a later spell that starts before it ends overlaps it.
    let mut reach: Option<(&str, Option<NaiveDate>, usize)> = None;
    for &(party, joined, i) in &order {
        let end = members
            .get(i)
            .and_then(Membership::left)
            .map(|l| l.first_day());
        match reach {
            Some((p, furthest, holder)) if p == party => {
                if furthest.is_none_or(|f| joined < f) {
                    found.push((i.max(holder), i.min(holder)));
                }
                let further = match (furthest, end) {
                    (None, _) | (_, None) => end.is_none() && furthest.is_some(),
                    (Some(f), Some(e)) => e > f,
                };
                if further {
                    reach = Some((party, end, i));
                }
            }
            _ => reach = Some((party, end, i)),
        }
    }
    found.sort_unstable();
    found.dedup_by_key(|f| f.0);
    let list = path.key("members");
    for (later, earlier) in found {
        let party = members.get(later).map_or("", |m| m.party().as_str());
        out.at(
            &list.index(later).key("party"),
            Code::OverlappingMembership,
            format!(
                "party {party:?} is listed twice with overlapping periods (see {})",
                list.index(earlier).render()
            ),
        );
    }
}

/// The rules of the status history: at least one status, in date order,
/// each change one the lifecycle allows.
pub(crate) fn status_history(a: &Agreement, path: &Path<'_>, out: &mut Problems) {
    let list = path.key("status");
    if a.status.is_empty() {
        out.at(&list, Code::Required, "needs at least one dated status");
    }
    for (j, c) in a.status.iter().enumerate() {
        let at = list.index(j);
        storable_partial(c.from, &at.key("from"), out);
        storable_opt(c.recorded, &at.key("recorded"), out);
        if let Some(ending) = &c.ended_by {
            ended_by(a, c, ending, &at.key("ended_by"), out);
        }
        shadows(&c.extra, fields::STATUS, &at, out);
        let Some(prev) = j.checked_sub(1).and_then(|i| a.status.get(i)) else {
            continue;
        };
        if c.from < prev.from {
            out.at(
                &at.key("from"),
                Code::DateOrder,
                format!(
                    "status changes must be in date order: {} comes after {}",
                    c.from, prev.from
                ),
            );
        } else if !prev.status.can_change_to(c.status) {
            let allowed: Vec<&str> = prev
                .status
                .next_statuses()
                .iter()
                .map(Status::as_str)
                .collect();
            out.at(
                &at.key("status"),
                Code::Lifecycle,
                format!(
                    "an agreement cannot go from {} to {} (from {} it may go to: {})",
                    prev.status,
                    c.status,
                    prev.status,
                    if allowed.is_empty() {
                        "nothing, it is final".to_string()
                    } else {
                        allowed.join(", ")
                    }
                ),
            );
        }
    }
}

/// Who ended an agreement is said only of its termination; a member's
/// notice names a member that served notice by then, and an expiry needs an
/// end.
fn ended_by(a: &Agreement, c: &StatusChange, ending: &Ending, path: &Path<'_>, out: &mut Problems) {
    if c.status != Status::Terminated {
        out.at(
            path,
            Code::Lifecycle,
            format!(
                "only a termination says who ended the agreement, not a change to {}",
                c.status
            ),
        );
        return;
    }
    match ending {
        Ending::Notice(party) => {
            let mut memberships = a.members.iter().filter(|m| m.party() == party).peekable();
            if memberships.peek().is_none() {
                out.at(
                    &path.key("notice"),
                    Code::NotAMember,
                    format!("{party} ended it by notice but is not a member of {}", a.id),
                );
            } else if !memberships.any(|m| {
                m.notice_served()
                    .is_some_and(|served| served <= c.from.last_day())
            }) {
                out.at(
                    &path.key("notice"),
                    Code::Required,
                    format!(
                        "{party} ended it by notice, but no notice of {party}'s is recorded by {}",
                        c.from
                    ),
                );
            }
        }
        Ending::Expiry => {
            if a.terms.end.is_none() {
                out.at(
                    path,
                    Code::Required,
                    "an agreement ended by expiry needs an end",
                );
            }
        }
        Ending::AllMembers => {}
    }
}

/// The rules of the reviews held: in date order, none before the start or
/// after a termination.
pub(crate) fn reviews_held(a: &Agreement, path: &Path<'_>, out: &mut Problems) {
    let review = path.key("review");
    let list = review.key("held");
    let terminated = a
        .status
        .last()
        .filter(|c| c.status == Status::Terminated)
        .map(|c| c.from.first_day());
    for (j, r) in a.reviews_held.iter().enumerate() {
        let at = list.index(j);
        storable(r.date, &at.key("date"), out);
        storable_opt(r.recorded, &at.key("recorded"), out);
        if r.date < a.start.first_day() {
            out.at(
                &at.key("date"),
                Code::DateOrder,
                format!(
                    "review held {} is before the agreement starts on {}",
                    r.date, a.start
                ),
            );
        }
        if let Some(ended) = terminated.filter(|ended| r.date > *ended) {
            out.at(
                &at.key("date"),
                Code::DateOrder,
                format!(
                    "review held {} is after the agreement was terminated on {ended}",
                    r.date
                ),
            );
        }
        if previous(&a.reviews_held, j).is_some_and(|prev| prev.date > r.date) {
            out.at(
                &at.key("date"),
                Code::DateOrder,
                "reviews held must be in date order",
            );
        }
        shadows(&r.extra, fields::REVIEW_HELD, &at, out);
    }
}

/// Each value the amendments from position `from` on record, checked as
/// the terms are.
#[allow(
    clippy::match_same_arms,
    clippy::too_many_lines,
    reason = "one arm per field an amendment may change, each change of a different type"
)]
pub(crate) fn amendment_values(a: &Agreement, from: usize, path: &Path<'_>, out: &mut Problems) {
    let list = path.key("amendments");
    for (j, am) in a.amendments.iter().enumerate().skip(from) {
        let at = list.index(j);
        amendment_head(am, &at, out);
        let changes = at.key("changes");
        for (k, c) in am.changes.iter().enumerate() {
            let here = changes.index(k);
            let (before, after) = (here.key("before"), here.key("after"));
            match c {
                AgreementChange::Title(c) => {
                    non_empty(&c.before, &before, out);
                    non_empty(&c.after, &after, out);
                    change_extra(c, &here, out);
                }
                AgreementChange::LegalBasis(c) => {
                    legal_basis(c.before, &before, out);
                    legal_basis(c.after, &after, out);
                    change_extra(c, &here, out);
                }
                AgreementChange::End(c) => {
                    end(c.before, a.start, &before, out);
                    end(c.after, a.start, &after, out);
                    change_extra(c, &here, out);
                }
                AgreementChange::Review(c) => {
                    for (v, p) in [(&c.before, &before), (&c.after, &after)] {
                        months(v.cadence_months, 1, &p.key("cadence_months"), out);
                        storable_opt(v.next_due, &p.key("next_due"), out);
                        shadows(&v.extra, fields::REVIEW, p, out);
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::Leaving(c) => {
                    for (v, p) in [(&c.before, &before), (&c.after, &after)] {
                        months(v.notice_months, 0, &p.key("notice_months"), out);
                        if let Some(e) = &v.exit_costs {
                            exit_costs(e, &p.key("exit_costs"), out);
                        }
                        shadows(&v.extra, fields::LEAVING, p, out);
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::Budget(_, c) => {
                    for (v, p) in [(&c.before, &before), (&c.after, &after)] {
                        if let Some(b) = v {
                            non_negative(b.amount, &p.key("amount"), out);
                            shadows(&b.extra, fields::BUDGET, p, out);
                        }
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::Formula(from, c) => {
                    storable(*from, &here.key("field"), out);
                    for (v, p) in [(&c.before, &before), (&c.after, &after)] {
                        if let Some(f) = v {
                            formula(f, p, 0, out);
                        }
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::Baseline(c) => {
                    for (v, p) in [(c.before, &before), (c.after, &after)] {
                        if let Some(m) = v {
                            non_negative(m, p, out);
                        }
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::Term(c) => {
                    for (v, p) in [(&c.before, &before), (&c.after, &after)] {
                        if let Some(t) = v {
                            term(t, p, out);
                        }
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::ReplacedBy(c) => {
                    if c.after.as_ref() == Some(&a.id) {
                        out.at(&after, Code::Cycle, "an agreement cannot replace itself");
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::UnitPrice(c) => {
                    for (v, p) in [(c.before, &before), (c.after, &after)] {
                        if let Some(m) = v {
                            non_negative(m, p, out);
                        }
                    }
                    change_extra(c, &here, out);
                }
                AgreementChange::Purchases(c) => {
                    purchases(&c.before, &before, out);
                    purchases(&c.after, &after, out);
                    change_extra(c, &here, out);
                }
                AgreementChange::Charges(c) => {
                    charges(&c.before, &before, out);
                    charges(&c.after, &after, out);
                    change_extra(c, &here, out);
                }
                AgreementChange::Grants(c) => {
                    grants(&c.before, &before, out);
                    grants(&c.after, &after, out);
                    change_extra(c, &here, out);
                }
                AgreementChange::Assets(c) => {
                    assets(&c.before, &before, out);
                    assets(&c.after, &after, out);
                    change_extra(c, &here, out);
                }
                AgreementChange::Role(_, joined, c) => {
                    storable_partial(*joined, &here.key("field"), out);
                    change_extra(c, &here, out);
                }
                AgreementChange::Purpose(c) => change_extra(c, &here, out),
                AgreementChange::Functions(c) => change_extra(c, &here, out),
                AgreementChange::PartOf(c) => change_extra(c, &here, out),
                AgreementChange::Publication(c) => change_extra(c, &here, out),
                AgreementChange::Responsibilities(c) => change_extra(c, &here, out),
                AgreementChange::PartYear(c) => change_extra(c, &here, out),
                AgreementChange::Savings(c) => change_extra(c, &here, out),
                AgreementChange::Usage(_, _, c) => change_extra(c, &here, out),
            }
        }
    }
}

/// The parties that are ever members of `a`, sorted, for lookups.
pub(crate) fn member_ids(a: &Agreement) -> Vec<&str> {
    let mut ids: Vec<&str> = a.members.iter().map(|m| m.party().as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The rules that tie the costs to the members: shares and usage name
/// members; every day a member shares a budgeted year has a formula; every
/// member sharing a stretch of fixed percentages has its share.
pub(crate) fn costs_and_members(a: &Agreement, path: &Path<'_>, out: &mut Problems) {
    let c = &a.terms.costs;
    let ids = member_ids(a);
    // With members by class, who is a member depends on the parties' kinds:
    // the link rules check those names against the registry.
    let is_member = |id: &str| !a.classes.is_empty() || ids.binary_search(&id).is_ok();
    let costs = path.key("costs");
    let formulas = costs.key("formulas");
    for (j, f) in c.formulas.iter().enumerate() {
        let here = formulas.index(j);
        shares_are_members(&f.formula, &here.key("formula"), &is_member, a, out);
    }
    let usage = costs.key("usage");
    for (j, u) in c.usage.iter().enumerate() {
        if !is_member(u.party.as_str()) {
            out.at(
                &usage.index(j).key("party"),
                Code::NotAMember,
                format!("{:?} is not a member of {}", u.party.as_str(), a.id),
            );
        }
    }
    let purchases = costs.key("purchases");
    for (j, p) in c.purchases.iter().enumerate() {
        if !is_member(p.party.as_str()) {
            out.at(
                &purchases.index(j).key("party"),
                Code::NotAMember,
                format!(
                    "{:?} bought units but is not a member of {}",
                    p.party.as_str(),
                    a.id
                ),
            );
        }
    }
    let charges = costs.key("charges");
    for (j, ch) in c.charges.iter().enumerate() {
        for (who, key) in [(&ch.payer, "payer"), (&ch.payee, "payee")] {
            if !is_member(who.as_str()) {
                out.at(
                    &charges.index(j).key(key),
                    Code::NotAMember,
                    format!(
                        "{:?} is charged or paid but is not a member of {}",
                        who.as_str(),
                        a.id
                    ),
                );
            }
        }
    }
    let grants = costs.key("grants");
    for (j, g) in c.grants.iter().enumerate() {
        if let Some(party) = g.party.as_ref().filter(|p| !is_member(p.as_str())) {
            out.at(
                &grants.index(j).key("party"),
                Code::NotAMember,
                format!(
                    "{:?} received a grant but is not a member of {}",
                    party.as_str(),
                    a.id
                ),
            );
        }
    }
    for budget in &c.budgets {
        for (j, m) in a.members.iter().enumerate() {
            member_in_year(a, m, j, budget.year, path, out);
        }
    }
}

fn shares_are_members(
    f: &Formula,
    path: &Path<'_>,
    is_member: &dyn Fn(&str) -> bool,
    a: &Agreement,
    out: &mut Problems,
) {
    match f {
        Formula::FixedPercentages { shares, .. } => {
            let list = path.key("shares");
            for (k, s) in shares.iter().enumerate() {
                if !is_member(s.party.as_str()) {
                    out.at(
                        &list.index(k).key("party"),
                        Code::NotAMember,
                        format!(
                            "{:?} has a share but is not a member of {}",
                            s.party.as_str(),
                            a.id
                        ),
                    );
                }
            }
        }
        Formula::Blend { parts, .. } => {
            let list = path.key("parts");
            for (k, p) in parts.iter().enumerate() {
                shares_are_members(&p.formula, &list.index(k).key("formula"), is_member, a, out);
            }
        }
        _ => {}
    }
}

/// The days of `year` that the agreement runs, or `None` when it does not
/// run in that year at all: from its start to its fixed end or its
/// termination, whichever comes first, as the planner of a year's costs
/// counts them.
pub(crate) fn span_in_year(a: &Agreement, year: crate::model::FinancialYear) -> Option<Period> {
    let terminated = a
        .status
        .last()
        .filter(|c| c.status == Status::Terminated)
        .map(|c| c.from.first_day());
    let end = match (a.terms.end, terminated) {
        (Some(end), Some(day)) => Some(end.min(day)),
        (end, day) => end.or(day),
    };
    let span = Period::new(a.start.first_day(), end).ok()?;
    span.intersection(&year.period())
}

/// The rules a budgeted year puts on one member `m` (at position `j`): a
/// formula is in force on every day its share reads, and every fixed
/// percentages among those formulas (a blend's parts each) give it a share.
/// The days read are the planner's, under the agreement's part-year rule
/// and the member's role on each day (see `Agreement::formulas_read`).
/// Used on load for every member and by a change for the one it adds.
pub(crate) fn member_in_year(
    a: &Agreement,
    m: &Membership,
    j: usize,
    year: crate::model::FinancialYear,
    path: &Path<'_>,
    out: &mut Problems,
) {
    let Some(span) = span_in_year(a, year) else {
        return;
    };
    let costs = path.key("costs");
    match a.formulas_read(m, year, span) {
        Err(day) => out.at(
            &costs.key("formulas"),
            Code::MissingShare,
            format!(
                "member {:?} shares the {year} budget from {day}, but no sharing formula is in force that day",
                m.party().as_str()
            ),
        ),
        Ok(formulas) => {
            for dated in formulas {
                let party = m.party().as_str();
                let lacks = dated.formula.walk().any(|f| {
                    matches!(f, Formula::FixedPercentages { .. }) && f.share_of(party).is_none()
                });
                if lacks {
                    let at = costs.key("formulas");
                    let index = a.terms.costs.formulas.iter().position(|f| f.from == dated.from).unwrap_or(0);
                    out.at(
                        &at.index(index).key("formula").key("shares"),
                        Code::MissingShare,
                        format!(
                            "member {party:?} (members[{j}]) takes part in {year} but has no fixed share in the formula in force from {}",
                            dated.from
                        ),
                    );
                }
            }
        }
    }
}

/// Every rule an agreement must keep on its own. **O(m log m + b·m)** for m
/// memberships and b budgeted years.
pub(crate) fn agreement(a: &Agreement, path: &Path<'_>, out: &mut Problems) {
    storable_partial(a.start, &path.key("start"), out);
    terms(&a.terms, a.start, path, out);
    if a.terms.part_of.as_ref() == Some(&a.id) {
        out.at(
            &path.key("part_of"),
            Code::Cycle,
            "an agreement cannot be part of itself",
        );
    }
    if a.terms.replaced_by.as_ref() == Some(&a.id) {
        out.at(
            &path.key("replaced_by"),
            Code::Cycle,
            "an agreement cannot replace itself",
        );
    }
    status_history(a, path, out);
    let list = path.key("member_classes");
    for (j, c) in a.classes.iter().enumerate() {
        class(a, c, &list.index(j), out);
    }
    let before = out.len();
    let list = path.key("members");
    for (j, m) in a.members.iter().enumerate() {
        membership(a, m, &list.index(j), out);
    }
    // A member with impossible dates is reported on its own; counting it
    // for the overlap and quorum rules too would report one fault thrice.
    if out.len() == before {
        overlaps(a, path, out);
        quorum::whole(a, path, out);
    }
    let list = path.key("declined");
    for (j, d) in a.declined.iter().enumerate() {
        let at = list.index(j);
        if let Some(on) = d.on {
            storable_partial(on, &at.key("on"), out);
        }
        storable_opt(d.recorded, &at.key("recorded"), out);
        shadows(&d.extra, fields::DECLINED, &at, out);
    }
    reviews_held(a, path, out);
    amendment_values(a, 0, path, out);
    chains::agreement(a, path, out);
    costs_and_members(a, path, out);
    storable_opt(a.entered, &path.key("entered"), out);
    illustrative(
        &a.provenance,
        fields::AGREEMENT,
        &[
            ("review", fields::REVIEW),
            ("leaving", fields::LEAVING),
            ("publication", fields::PUBLICATION),
            ("responsibilities", fields::RESPONSIBILITIES),
            ("costs", fields::COSTS),
            ("term", fields::TERM),
            ("status", fields::STATUS),
            ("members", fields::MEMBERSHIP),
            ("member_classes", fields::CLASS),
            ("declined", fields::DECLINED),
            ("amendments", fields::AMENDMENT),
        ],
        |f| f.parse::<crate::model::AgreementField>().is_ok(),
        path,
        out,
    );
    shadows(&a.extra, fields::AGREEMENT, path, out);
}

/// A membership by class: its spell within the agreement, a named region
/// not empty.
fn class(a: &Agreement, c: &ClassMembership, path: &Path<'_>, out: &mut Problems) {
    spell(&c.spell, path, out);
    if let Some(region) = &c.region {
        non_empty(region, &path.key("region"), out);
    }
    if c.spell.from.is_some_and(|from| from < a.start.first_day()) {
        out.at(
            &path.key("from"),
            Code::DateOrder,
            format!(
                "the class is a member before the agreement starts on {}",
                a.start
            ),
        );
    }
    shadows(&c.extra, fields::CLASS, path, out);
}

/// Ids seen twice among `ids`, reported at the later one.
pub(crate) fn duplicate_ids<'a>(
    ids: impl Iterator<Item = (usize, &'a str)>,
    list: &str,
    what: &str,
    out: &mut Problems,
) {
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (i, id) in ids {
        if seen.insert(id) {
            first.insert(id, i);
        } else {
            let at = first.get(id).copied().unwrap_or(i);
            out.add(
                format!("{list}[{i}].id"),
                Code::DuplicateId,
                format!("duplicate {what} id {id:?} (first at {list}[{at}])"),
            );
        }
    }
}

impl PartyBuilder {
    /// The party, put in canonical order and checked against every rule
    /// that concerns it alone (the registry checks its links when it is
    /// added).
    ///
    /// # Errors
    ///
    /// [`Error`] of kind [`ErrorKind::Invalid`](crate::ErrorKind::Invalid)
    /// listing each problem with its path.
    pub fn build(self) -> Result<Party, Error> {
        let mut p = self.party;
        normal::party(&mut p);
        let mut out = Problems::default();
        party(&p, &Path::Named("party"), &mut out);
        out.into_result(format!("party {}", p.id))?;
        Ok(p)
    }
}

impl AgreementBuilder {
    /// The agreement, put in canonical order and checked against every rule
    /// that concerns it alone (the registry checks its links when it is
    /// added).
    ///
    /// # Errors
    ///
    /// [`Error`] of kind [`ErrorKind::Invalid`](crate::ErrorKind::Invalid)
    /// listing each problem with its path.
    pub fn build(self) -> Result<Agreement, Error> {
        let mut a = self.agreement;
        if a.terms.legal_basis.is_empty() {
            a.terms.legal_basis.insert(LegalBasis::NotStated);
        }
        normal::agreement(&mut a);
        let mut out = Problems::default();
        agreement(&a, &Path::Named("agreement"), &mut out);
        out.into_result(format!("agreement {}", a.id))?;
        Ok(a)
    }
}

impl BodyBuilder {
    /// The body, checked against every rule that concerns it alone (the
    /// registry checks its links when it is added).
    ///
    /// # Errors
    ///
    /// [`Error`] of kind [`ErrorKind::Invalid`](crate::ErrorKind::Invalid)
    /// listing each problem with its path.
    pub fn build(self) -> Result<GovernanceBody, Error> {
        let b = self.body;
        let mut out = Problems::default();
        body(&b, &Path::Named("body"), &mut out);
        out.into_result(format!("governance body {}", b.id))?;
        Ok(b)
    }
}
