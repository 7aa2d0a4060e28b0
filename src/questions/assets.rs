//! Assets: what an agreement owns and who owns each share of it, on the day
//! asked; and the shares of assets a party owns across its agreements, as a
//! member or as the commissioner (policing body) overseeing a member.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::error::Error;
use crate::model::{Asset, Money, Percent};
use crate::store::AgreementKey;
use crate::time::AgreementView;

use super::answer::opt_money;
use super::{AgreementRef, AsOf, PartyRef};

/// An asset of an agreement on the day, with its owners
/// ([`AsOf::assets`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AssetHolding<'r> {
    /// What it is.
    pub name: &'r str,
    /// What it is worth, where stated.
    #[serde(serialize_with = "opt_money")]
    pub value: Option<Money>,
    /// Its owners on the day with their shares (adding up to 100), by id.
    pub owners: Vec<AssetOwner<'r>>,
}

/// One owner's share of an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AssetOwner<'r> {
    /// The owner, named as on the day.
    pub party: PartyRef<'r>,
    /// Its share.
    pub percent: Percent,
}

/// A share of an asset a party owns on the day ([`AsOf::assets_of`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AssetHeld<'r> {
    /// The agreement the asset belongs to, titled as on the day.
    pub agreement: AgreementRef<'r>,
    /// The asset.
    pub asset: &'r str,
    /// What the whole asset is worth, where stated.
    #[serde(serialize_with = "opt_money")]
    pub value: Option<Money>,
    /// The party's share of it.
    pub percent: Percent,
    /// Whether the party is itself a member of the agreement on the day.
    pub member: bool,
    /// The members of the agreement it oversees on the day, by id: those
    /// it owns its share for as their commissioner.
    pub overseeing: Vec<PartyRef<'r>>,
}

impl<'r> AsOf<'r> {
    /// The assets of `view`'s agreement on the day, by name.
    fn holdings(&self, view: &AgreementView<'r>) -> Vec<AssetHolding<'r>> {
        let mut rows: Vec<AssetHolding<'r>> = view
            .assets()
            .iter()
            .map(|a: &'r Asset| {
                let mut owners: Vec<AssetOwner<'r>> = a
                    .owners
                    .iter()
                    .map(|o| AssetOwner {
                        party: self.party_ref(&o.party),
                        percent: o.percent,
                    })
                    .collect();
                owners.sort_by(|x, y| x.party.id.cmp(y.party.id));
                AssetHolding {
                    name: &a.name,
                    value: a.value,
                    owners,
                }
            })
            .collect();
        // A stable sort keeps two assets of one name in record order.
        rows.sort_by(|x, y| x.name.cmp(y.name));
        rows
    }

    /// The assets of `agreement` on the day, by name, each with its owners
    /// and their shares, as the cost arrangement stood that day (read
    /// through its amendments, so a change of owners shows from its day).
    /// The scope does not apply: the agreement is named, so it answers
    /// whatever its status.
    ///
    /// **O(n + a · o log o)** for n amendment changes and a assets of o
    /// owners each.
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
    /// use collab_registry::model::{AmendmentKind, Asset, AssetShare, PartyId};
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// let half = |id: &str| Ok::<_, Box<dyn std::error::Error>>(AssetShare::new(PartyId::new(id)?, "50".parse()?));
    /// let vehicles = Asset::new("Public order vehicles", vec![half("derbyshire-police")?, half("nottinghamshire-police")?]);
    /// registry.amend("em-public-order", on, AmendmentKind::Variation, "Vehicles owned jointly",
    ///     |t| t.costs_mut().assets = vec![vehicles])?;
    /// let assets = registry.as_of(on).assets("em-public-order")?;
    /// assert_eq!(assets[0].owners.len(), 2);
    /// assert_eq!(assets[0].owners[0].percent.to_string(), "50");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assets(&self, agreement: &str) -> Result<Vec<AssetHolding<'r>>, Error> {
        let view = self.agreement(agreement)?;
        Ok(self.holdings(&view))
    }

    /// The shares of assets `party` owns on the day, in agreements that
    /// count on the day, by agreement id then asset name: as a member, or as
    /// the commissioner (policing body) overseeing a member. Each says
    /// whether the party is a member that day and which members it
    /// oversees.
    ///
    /// The agreements looked at are the party's own (listed at some time,
    /// or with a class of its kind on the day) and those of the parties it
    /// oversees at some time, from the indexes; each is read through its
    /// view: **O(d + Σ d' + k · (a + m · o))** for the party's d
    /// memberships, the d' of each party it oversees, and k agreements of a
    /// assets and m members of o overseers each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for a party the
    /// register did not know.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use collab_registry::model::{AmendmentKind, Asset, AssetShare, PartyId};
    /// let mut registry = collab_registry::sample()?;
    /// let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// // A hub of the joint response: the PFCC owns a quarter as commissioner of both members.
    /// let share = |id: &str, p: &str| Ok::<_, Box<dyn std::error::Error>>(AssetShare::new(PartyId::new(id)?, p.parse()?));
    /// let hub = Asset::new("Joint hub", vec![share("northamptonshire-pfcc", "25")?, share("northamptonshire-fire", "75")?]);
    /// registry.amend("northamptonshire-police-fire-response", on, AmendmentKind::Variation, "Hub",
    ///     |t| t.costs_mut().assets = vec![hub])?;
    /// let held = registry.as_of(on).assets_of("northamptonshire-pfcc")?;
    /// assert_eq!((held[0].asset, held[0].member), ("Joint hub", false));
    /// let overseen: Vec<&str> = held[0].overseeing.iter().map(|p| p.id.as_str()).collect();
    /// assert_eq!(overseen, ["northamptonshire-fire", "northamptonshire-police"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assets_of(&self, party: &str) -> Result<Vec<AssetHeld<'r>>, Error> {
        let key = self.party_key(party)?;
        let Some(me) = self.party_view(key) else {
            return Err(Error::unknown_party(party));
        };
        let index = &self.registry().index;
        let mut parties = vec![key];
        parties.extend(
            index
                .oversees
                .get(key.index())
                .map_or(&[][..], Vec::as_slice),
        );
        let mut candidates: BTreeSet<AgreementKey> = BTreeSet::new();
        for p in parties {
            candidates.extend(self.registry().memberships_of(p).map(|(k, _)| k));
            if let Some(view) = self.party_view(p) {
                candidates.extend(index.classes_of_kind(view.kind()));
            }
        }
        let id = me.id();
        let mut rows: Vec<AssetHeld<'r>> = Vec::new();
        for k in candidates {
            let Some(view) = self.view(k).filter(|v| self.counts(v)) else {
                continue;
            };
            let mut shares = view
                .assets()
                .iter()
                .flat_map(|a| a.owners.iter().map(move |o| (a, o)))
                .filter(|(_, o)| o.party == *id)
                .peekable();
            if shares.peek().is_none() {
                continue;
            }
            let members = self.members_on(&view);
            let member = members.iter().any(|m| m.party() == id);
            let mut overseeing: Vec<PartyRef<'r>> = members
                .iter()
                .filter(|m| {
                    self.registry()
                        .party_key(m.party().as_str())
                        .ok()
                        .and_then(|p| self.party_view(p))
                        .is_some_and(|p| p.overseers().any(|by| by == id))
                })
                .map(|m| self.party_ref(m.party()))
                .collect();
            overseeing.sort_unstable_by(|x, y| x.id.cmp(y.id));
            overseeing.dedup_by(|x, y| x.id == y.id);
            let agreement = Self::agreement_ref(&view);
            for (asset, owner) in shares {
                rows.push(AssetHeld {
                    agreement,
                    asset: &asset.name,
                    value: asset.value,
                    percent: owner.percent,
                    member,
                    overseeing: overseeing.clone(),
                });
            }
        }
        // A stable sort keeps two assets of one name in record order.
        rows.sort_by(|x, y| (x.agreement.id, x.asset).cmp(&(y.agreement.id, y.asset)));
        Ok(rows)
    }
}
