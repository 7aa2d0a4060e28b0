//! Votes weighted by cost share: a body whose rule is
//! [`DecisionRule::WeightedByCostShare`] weighs each voting seat-holder by
//! what it pays towards the agreements the body governs, and a commissioner
//! by what the parties it oversees pay too. The tally itself is
//! [`AsOf::decide`]'s.

use std::collections::BTreeMap;

use crate::error::{Error, ErrorKind};
use crate::model::{DecisionRule, FinancialYear, Money, PartyId};
use crate::questions::{AsOf, Decision, Vote, Weighing};

use super::year::YearCosts;

impl<'r> AsOf<'r> {
    /// Whether a proposal passes before `body` on the day with these
    /// `votes`, each voting seat-holder weighing its cost share of `year`.
    ///
    /// A party's cost share is the sum of its apportioned shares for `year`
    /// ([`AsOf::apportion`]) of every agreement the body governs on the day
    /// ([`BodyView::governs`](crate::time::BodyView::governs)) that has a
    /// budget for the year; governed agreements without one are left out.
    /// **A seat held by a commissioner** (a party that oversees others)
    /// weighs the shares of the parties it oversees on the day
    /// ([`PartyView::overseers`](crate::time::PartyView::overseers)) as well
    /// as its own: a police and crime commissioner sitting for its force
    /// weighs what the force pays. A seat-holder that neither pays nor
    /// oversees a party that pays is given no share, and [`AsOf::decide`]
    /// lists it as unweighted. The tally is then [`AsOf::decide`]'s, under
    /// [`Weighing::CostShare`]. For a body whose rule on the day is not
    /// weighted by cost share nothing is apportioned and this is
    /// [`AsOf::decide`] counting votes.
    ///
    /// **O(g·(m log m + m·s) + h·o)** for g governed agreements of m
    /// memberships and s stretches each, and h seat-holders overseeing o
    /// parties each.
    ///
    /// # Errors
    ///
    /// As [`AsOf::decide`]; as [`AsOf::apportion`] when a governed
    /// agreement's budget cannot be shared;
    /// [`ErrorKind::MissingCostInput`] when the rule is weighted by cost
    /// share and no agreement the body governs on the day has a budget for
    /// `year`; [`ErrorKind::Money`] when a party's shares overflow.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::questions::Vote;
    /// let registry = collab_registry::sample()?;
    /// let on = registry.as_of(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
    /// // The operational delivery board weighs each force's 2021/22 share of
    /// // major crime, operational support and public order: £56m in all, so
    /// // £28m in favour is needed. Nottinghamshire (£13,846,153.85) and
    /// // Leicestershire (£11,250,000.00) are two of five but short of half.
    /// let votes = [
    ///     ("nottinghamshire-police", Vote::For),
    ///     ("leicestershire-police", Vote::For),
    ///     ("derbyshire-police", Vote::Against),
    /// ];
    /// let decision = on.decide_by_cost_share(
    ///     "em-operational-delivery-board", &votes, "2021/22".parse()?)?;
    /// assert_eq!(decision.in_favour, 2_509_615_385); // minor units
    /// assert_eq!(decision.needed, 2_800_000_000);
    /// assert!(!decision.passes);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_by_cost_share(
        &self,
        body: &str,
        votes: &[(&str, Vote)],
        year: FinancialYear,
    ) -> Result<Decision<'r>, Error> {
        let view = self.body(body)?;
        if !matches!(
            view.decision_rule(),
            DecisionRule::WeightedByCostShare { .. }
        ) {
            return self.decide(body, votes, Weighing::Votes);
        }
        let registry = self.registry();
        let currency = registry.info().currency;
        // What each party pays towards the agreements governed on the day.
        let mut paid: BTreeMap<&'r PartyId, Money> = BTreeMap::new();
        let mut budgeted = false;
        for agreement in view.governs() {
            // An agreement the register did not know of has no budget to share.
            let Ok(key) = self.agreement_key(agreement.as_str()) else {
                continue;
            };
            let costs = YearCosts::new(self, key, year)?;
            if costs.view.budget(year).is_none() {
                continue;
            }
            budgeted = true;
            for share in costs.apportion()?.shares {
                let sum = match paid.get(share.party.id) {
                    Some(sum) => sum.checked_add(share.amount)?,
                    None => share.amount,
                };
                paid.insert(share.party.id, sum);
            }
        }
        if !budgeted {
            return Err(Error::refused(
                ErrorKind::MissingCostInput,
                "decide",
                &format!("shares for {body}"),
                self.date(),
                format!("no agreement {body} governs that day has a budget for {year} to share"),
            )
            .body(body));
        }
        // Each seat-holder's own shares, and those of the parties it oversees.
        let mut holders: Vec<&'r PartyId> = view.seats().map(|s| &s.party).collect();
        holders.sort_unstable();
        holders.dedup();
        let mut shares: Vec<(&'r str, Money)> = Vec::with_capacity(holders.len());
        for holder in holders {
            let mut found = paid.get(holder).copied();
            let overseen = registry
                .party_key(holder.as_str())
                .ok()
                .and_then(|k| registry.index.oversees.get(k.index()))
                .map_or(&[][..], Vec::as_slice);
            for &k in overseen {
                let Some(party) = self.party_view(k) else {
                    continue;
                };
                if !party.overseers().any(|by| by == holder) {
                    continue;
                }
                if let Some(share) = paid.get(party.id()) {
                    let sum = found.unwrap_or(Money::zero(currency)).checked_add(*share)?;
                    found = Some(sum);
                }
            }
            if let Some(share) = found {
                shares.push((holder.as_str(), share));
            }
        }
        self.decide(body, votes, Weighing::CostShare(&shares))
    }
}
