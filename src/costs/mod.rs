//! Costs: exact apportionment of budgets among the members taking part,
//! contributions, what-if, savings, and votes weighted by cost share.

mod apportion;
mod contributions;
mod decision;
mod savings;
mod shares;
mod votes;
mod what_if;
mod year;
