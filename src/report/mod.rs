//! Reports: answers written for people and other programs.
//!
//! Every export is a function of an [`AsOf`](crate::AsOf) (a registry as
//! of a day, under a scope, optionally as the register stood on a register
//! day) that returns the whole file as a `String`. Each reads the register
//! through the questions and the views of the day, never a record's current
//! fields, so an export as of a past day shows that day's names, members
//! and terms; each lists the agreements that count on the day under the
//! scope ([`Scope::AnyStatus`](crate::Scope::AnyStatus) for every
//! agreement with a status); and each is deterministic: the same registry
//! and days give the same bytes.
//!
//! | module | what it writes |
//! | --- | --- |
//! | [`dot`] | Graphviz DOT of the collaboration network and of the governance tree |
//! | [`graphml`] | the same two graphs as `GraphML` |
//! | [`csv`] | CSV of the memberships, of a year's shares and of the review calendar |
//! | [`markdown`] | Markdown tables for a board paper: members, shares, reviews due |
//! | [`publication`] | the section 23E publication register, as an HTML page and as Markdown |
//! | [`timeline`] | an SVG timeline of the agreements and their memberships |
//!
//! The calendar feed ([`AsOf::calendar_feed`](crate::AsOf::calendar_feed))
//! is written here too.

mod common;
pub mod csv;
pub mod dot;
mod graph;
pub mod graphml;
mod ical;
pub mod markdown;
pub mod publication;
pub mod timeline;
