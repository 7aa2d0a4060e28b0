//! Succession: the agreement that replaced one, the agreement that replaced
//! that, and so on; and, the other way, what an agreement replaced. Each
//! link is an agreement's `replaced_by`, read as known on the day asked, so
//! a link entered after the register day (or taking effect after the day)
//! is not known.

use std::collections::BTreeSet;

use crate::error::Error;
use crate::time::AgreementView;

use super::{AgreementRef, AsOf};

impl<'r> AsOf<'r> {
    /// The agreements that replaced `agreement`, in order: its successor,
    /// that one's successor, and so on, each as known on the day (named as
    /// on the day). Empty when nothing replaced it, as known. The scope does
    /// not apply: a successor is named whatever its status.
    ///
    /// The rules refuse a chain that goes round in a circle; the walk stops
    /// at an agreement it has seen anyway, and after as many steps as there
    /// are agreements, so it always ends. **O(s · (n + log s))** for s
    /// successors of n amendment changes each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an
    /// agreement the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::{Agreement, AgreementId, AmendmentKind, LegalBasis, Membership, PartyId, Role};
    /// let mut registry = collab_registry::sample()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let on = d(2027, 4, 1);
    /// let next = AgreementId::new("em-public-order-2027")?;
    /// registry.add_agreement(
    ///     Agreement::builder(next.clone(), "Public order from 2027", on)
    ///         .legal_basis(LegalBasis::Section22aPoliceAct1996)
    ///         .active_from(on)
    ///         .member(Membership::new(PartyId::new("leicestershire-police")?, Role::Lead, on))
    ///         .member(Membership::new(PartyId::new("nottinghamshire-police")?, Role::Member, on))
    ///         .build()?,
    /// )?;
    /// registry.amend("em-public-order", on, AmendmentKind::Variation, "Replaced from 2027",
    ///     |t| t.set_replaced_by(Some(next)))?;
    /// let chain = registry.as_of(on).successors("em-public-order")?;
    /// assert_eq!(chain[0].id.as_str(), "em-public-order-2027");
    /// // Before the amendment took effect, nothing had replaced it.
    /// assert!(registry.as_of(d(2027, 3, 31)).successors("em-public-order")?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn successors(&self, agreement: &str) -> Result<Vec<AgreementRef<'r>>, Error> {
        let key = self.agreement_key(agreement)?;
        let mut seen = BTreeSet::from([key]);
        let mut out = Vec::new();
        let mut next = self.view(key).and_then(|v| v.replaced_by());
        let limit = self.registry().agreements().len();
        while let Some(id) = next {
            if out.len() >= limit {
                break;
            }
            let Ok(k) = self.registry().agreement_key(id.as_str()) else {
                break;
            };
            let Some(view) = self.view(k).filter(AgreementView::is_known) else {
                break;
            };
            if !seen.insert(k) {
                break;
            }
            out.push(Self::agreement_ref(&view));
            next = view.replaced_by();
        }
        Ok(out)
    }

    /// The agreements `agreement` replaced: those whose successor, as known
    /// on the day, it is; by id, named as on the day. The scope does not
    /// apply.
    ///
    /// Read from the index of predecessors (every agreement that has named
    /// it as successor, now or in an amendment), each checked through its
    /// view: **O(p · n + p log p)** for p such agreements of n amendment
    /// changes each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an
    /// agreement the register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::{Agreement, AgreementId, LegalBasis, Membership, PartyId, Role};
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();
    /// let member = |id: &str, role| Ok::<_, collab_registry::Error>(Membership::new(PartyId::new(id)?, role, on));
    /// let new = |id: &str| {
    ///     Ok::<_, collab_registry::Error>(Agreement::builder(AgreementId::new(id)?, id, on)
    ///         .legal_basis(LegalBasis::Section22aPoliceAct1996)
    ///         .active_from(on)
    ///         .member(member("leicestershire-police", Role::Lead)?)
    ///         .member(member("nottinghamshire-police", Role::Member)?))
    /// };
    /// registry.add_agreement(new("merged")?.build()?)?;
    /// registry.add_agreement(new("old-a")?.replaced_by(AgreementId::new("merged")?).build()?)?;
    /// registry.add_agreement(new("old-b")?.replaced_by(AgreementId::new("merged")?).build()?)?;
    /// let before = registry.as_of(on).replaced("merged")?;
    /// let ids: Vec<&str> = before.iter().map(|a| a.id.as_str()).collect();
    /// assert_eq!(ids, ["old-a", "old-b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replaced(&self, agreement: &str) -> Result<Vec<AgreementRef<'r>>, Error> {
        let key = self.agreement_key(agreement)?;
        let Some(me) = self.view(key) else {
            return Err(Error::unknown_agreement(agreement));
        };
        let mut out: Vec<AgreementRef<'r>> = self
            .registry()
            .index
            .predecessors
            .get(key.index())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|k| self.view(*k))
            .filter(|v| v.is_known() && v.replaced_by() == Some(me.id()))
            .map(|v| Self::agreement_ref(&v))
            .collect();
        out.sort_unstable_by(|x, y| x.id.cmp(y.id));
        Ok(out)
    }
}
