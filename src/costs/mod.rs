//! Costs: exact apportionment of budgets among the members taking part,
//! charges for any period, units bought in advance, contributions (with
//! money between members and grants), what-if, savings, and votes weighted
//! by cost share.
//!
//! Every cost question hangs off [`AsOf`](crate::AsOf) and reads the
//! register through one rule of time: a year is the question's own
//! period, so it counts every fact the register knew on the question's
//! register day, whatever day the question is asked as of (see
//! [`Apportionment`]). [`Registry`](crate::Registry) keeps thin shortcuts
//! that read everything the register now holds.

mod apportion;
mod big;
mod contributions;
mod entitlements;
mod parts;
mod savings;
mod shares;
mod votes;
mod what_if;
mod year;

pub use apportion::{Allocation, ApportionError, Quota, largest_remainder};
pub use contributions::{
    AgreementContribution, ChargeLine, Contributions, FunctionContribution, GrantLine,
};
pub use entitlements::{ChargeBasis, EntitlementRow, Entitlements};
pub use parts::{Share, ShareInput, ShareStretch, Stretch};
pub use savings::{AgreementSavings, MemberSaving, RealisedRow, SavingsReport, YearSaving};
pub use shares::{Apportionment, Charges, MemberCharge, YearCharge};
pub use what_if::{JoinTerms, MembershipChange, WhatIf, WhatIfRow};
