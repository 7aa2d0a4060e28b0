//! Indexes kept beside the records so a question costs in proportion to its
//! answer, not to the registry: adjacency from each party to its
//! memberships, seats and declines, from each agreement to its parts and
//! governing bodies, from each party kind to the parties that held it and
//! the agreements with members of that class, from each agreement to the
//! agreements it replaced, and ordered maps of agreements by function,
//! legal basis, next review and fixed end.
//!
//! The indexes hold the current values. Each agreement is also filed under
//! its *settled day*: the last day anything an index reads about it took
//! effect or was entered (an amendment, a status change, a review held). A
//! question as of an earlier day (or as the register stood on an earlier
//! day) reads the index for every agreement settled by then and works out
//! only the agreements changed since from their history, through the
//! temporal view.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{
    Agreement, AgreementChange, Function, Functions, LegalBases, LegalBasis, PartyKind, Status,
};
use crate::time::{AgreementView, At};

use super::keys::{AgreementKey, BodyKey, PartyKey};

/// A membership, found from its party: the agreement and the position of
/// the membership in the agreement's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MemberRef {
    pub(crate) agreement: AgreementKey,
    pub(crate) position: u32,
}

/// What the ordered indexes file an agreement under, kept so that a change
/// can take it out of exactly the entries it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Filed {
    pub(crate) functions: Functions,
    pub(crate) bases: LegalBases,
    pub(crate) declined: bool,
    /// The next review as the schedule now stands, whatever the status:
    /// a termination is read per row, on the day asked, so an agreement
    /// ending later keeps its place in the index until then.
    pub(crate) due: Option<NaiveDate>,
    /// The last day anything the next review is worked out from took
    /// effect or was entered: a review held, or an amendment of the review
    /// terms. A question settled by then reads `due` as it stands.
    pub(crate) review_settled: Option<NaiveDate>,
    pub(crate) end: Option<NaiveDate>,
    pub(crate) settled: Option<NaiveDate>,
    pub(crate) notice: bool,
    pub(crate) part_of: Option<AgreementKey>,
    /// The status as the history now stands (its last change): the status
    /// on any day asked once the agreement has settled by then.
    pub(crate) status: Option<Status>,
    /// The last review held as now recorded.
    pub(crate) last_review: Option<NaiveDate>,
    /// Whether `due` is counted from a start known only to a month or a
    /// year.
    pub(crate) due_approximate: bool,
    /// The first day of its start.
    pub(crate) start: NaiveDate,
    /// The day it was entered in the register.
    pub(crate) entered: NaiveDate,
}

impl Filed {
    /// The entries for `a`, with `part_of` its umbrella's key.
    pub(crate) fn of(a: &Agreement, part_of: Option<AgreementKey>) -> Filed {
        let t = a.terms();
        // Every fact in effect and known: the schedule as it now stands.
        let now = AgreementView::new(a, At::on(NaiveDate::MAX));
        let settled = a
            .amendments()
            .iter()
            .map(|am| am.date.max(am.entered_on()))
            .chain(
                a.status_history()
                    .iter()
                    .map(|c| c.from.first_day().max(c.entered_on())),
            )
            .chain(a.reviews_held().iter().map(|r| r.date.max(r.entered_on())))
            .max();
        let review_settled = a
            .amendments()
            .iter()
            .filter(|am| {
                am.changes
                    .iter()
                    .any(|c| matches!(c, AgreementChange::Review(_)))
            })
            .map(|am| am.date.max(am.entered_on()))
            .chain(a.reviews_held().iter().map(|r| r.date.max(r.entered_on())))
            .max();
        Filed {
            functions: t.functions(),
            bases: t.legal_basis(),
            declined: !a.declined().is_empty(),
            due: crate::time::next_review(a.start().first_day(), now.review(), now.last_review()),
            review_settled,
            end: t
                .end()
                .filter(|_| a.terminated_by(NaiveDate::MAX).is_none()),
            settled,
            notice: t.leaving().notice_months.is_some(),
            part_of,
            status: a.status_history().last().map(|c| c.status),
            last_review: now.last_review(),
            due_approximate: !a.start().is_exact() && now.review_counted_from_start(),
            start: a.start().first_day(),
            entered: a.entered_on(),
        }
    }

    /// Whether its next review as of `at` is the one filed: no review
    /// held nor review terms amended after the day `at` settles by.
    pub(crate) fn is_review_settled(&self, at: At) -> bool {
        self.review_settled.is_none_or(|s| s <= at.settled_by())
    }

    /// Whether every fact the indexes read about the agreement took effect
    /// and was known by the day `at` settles by, so its current values are
    /// its values as of `at`.
    pub(crate) fn is_settled(&self, at: At) -> bool {
        self.settled.is_none_or(|s| s <= at.settled_by())
    }

    /// Whether the agreement is in force as of `at`, for one settled by
    /// then ([`Filed::is_settled`]): the rule of
    /// [`AgreementView::in_force`] on the values filed.
    pub(crate) fn in_force(&self, at: At) -> bool {
        crate::time::in_force(at, self.entered, self.status, self.start, self.end)
    }

    /// Whether the agreement has ended by `at` (terminated, or past its
    /// fixed end), for one settled by then: the rule of
    /// [`AgreementView::has_ended`] on the values filed.
    pub(crate) fn has_ended(&self, at: At) -> bool {
        crate::time::has_ended(at, self.status, self.end)
    }
}

/// Records of one kind in id order, kept as records are added: a sort key
/// precomputed so that answers come out by id without comparing ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdOrder {
    /// Every key, in id order.
    by_id: Vec<u32>,
    /// Each key's place in `by_id`.
    rank: Vec<u32>,
}

impl IdOrder {
    /// Places the keys from `from` to `total` (those added since the last
    /// call), `id` giving each key's id: the new ones are sorted and merged
    /// with those placed before, **O(A + n log n)** for n new and A in all.
    /// The order of the keys placed before is kept, so lists kept in this
    /// order stay sorted. The answer says whether many were new (more than
    /// an eighth as many as were placed before), as in a load.
    fn place<'a>(
        &mut self,
        from: usize,
        total: usize,
        id: impl Fn(u32) -> Option<&'a str>,
    ) -> bool {
        let new = total.saturating_sub(from);
        if new == 0 {
            return false;
        }
        let mut added: Vec<u32> = (from..total).map(super::key).collect();
        added.sort_by(|x, y| id(*x).cmp(&id(*y)));
        let before = std::mem::take(&mut self.by_id);
        self.by_id = Vec::with_capacity(total);
        let (mut old, mut added) = (before.into_iter().peekable(), added.into_iter().peekable());
        loop {
            let next = match (old.peek(), added.peek()) {
                (Some(o), Some(a)) if id(*a) < id(*o) => added.next(),
                (Some(_), _) => old.next(),
                (None, _) => added.next(),
            };
            let Some(k) = next else { break };
            self.by_id.push(k);
        }
        self.rank.resize(total, 0);
        for (place, k) in self.by_id.iter().enumerate() {
            if let Some(slot) = self.rank.get_mut(*k as usize) {
                *slot = super::key(place);
            }
        }
        new > from / 8
    }

    /// The place of key `k` in id order (last for a key never placed).
    fn rank(&self, k: u32) -> u32 {
        self.rank.get(k as usize).copied().unwrap_or(u32::MAX)
    }
}

/// An entry of the review calendar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Due {
    /// The next review as the schedule now stands.
    pub(crate) day: NaiveDate,
    pub(crate) key: AgreementKey,
    /// What the agreement is filed under, as [`Index::filed`] holds it.
    pub(crate) filed: Filed,
}

/// Adds `key` to a list kept in key order, once.
pub(crate) fn add_sorted<K: Ord + Copy>(list: &mut Vec<K>, key: K) {
    if let Err(at) = list.binary_search(&key) {
        list.insert(at, key);
    }
}

/// Removes `key` from a list kept in key order.
pub(crate) fn remove_sorted<K: Ord + Copy>(list: &mut Vec<K>, key: K) {
    if let Ok(at) = list.binary_search(&key) {
        list.remove(at);
    }
}

/// Adds `key` to the list for `kind` of a table with one list per party
/// kind, making the table on its first entry.
fn add_by_kind<K: Ord + Copy>(table: &mut Vec<Vec<K>>, kind: PartyKind, key: K) {
    if table.is_empty() {
        table.resize_with(PartyKind::ALL.len(), Vec::new);
    }
    if let Some(list) = table.get_mut(kind as usize) {
        add_sorted(list, key);
    }
}

/// Files `key` under `day`, each day's list kept in the order `order`
/// gives.
fn add_dated<O: Ord>(
    map: &mut BTreeMap<NaiveDate, Vec<AgreementKey>>,
    day: Option<NaiveDate>,
    key: AgreementKey,
    order: impl Fn(AgreementKey) -> O,
) {
    if let Some(day) = day {
        let list = map.entry(day).or_default();
        if let Err(at) = list.binary_search_by_key(&order(key), |k| order(*k)) {
            list.insert(at, key);
        }
    }
}

/// Takes `key` out of `day`'s list, kept in the order `order` gives.
fn remove_dated<O: Ord>(
    map: &mut BTreeMap<NaiveDate, Vec<AgreementKey>>,
    day: Option<NaiveDate>,
    key: AgreementKey,
    order: impl Fn(AgreementKey) -> O,
) {
    let Some(day) = day else { return };
    if let Some(list) = map.get_mut(&day) {
        if let Ok(at) = list.binary_search_by_key(&order(key), |k| order(*k)) {
            list.remove(at);
        }
        if list.is_empty() {
            map.remove(&day);
        }
    }
}

/// The registry's indexes.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Index {
    /// Each party's memberships, in the order they were added.
    pub(crate) memberships: Vec<Vec<MemberRef>>,
    /// The dense key of each agreement's members, in membership order.
    pub(crate) member_keys: Vec<Vec<Option<PartyKey>>>,
    /// Each agreement's title as it now stands, kept dense so that rows
    /// naming many agreements do not each open a record to read it.
    pub(crate) titles: Vec<Box<str>>,
    /// Each party's seats: the body and the seat's position.
    pub(crate) seats: Vec<Vec<(BodyKey, u32)>>,
    /// The agreements each party declined to join, in key order.
    pub(crate) declined: Vec<Vec<AgreementKey>>,
    /// The parties each party oversees at some time, in key order.
    pub(crate) oversees: Vec<Vec<PartyKey>>,
    /// Each agreement's parts (the agreements whose umbrella it now is), in key order.
    pub(crate) parts: Vec<Vec<AgreementKey>>,
    /// The bodies governing each agreement at some time, in key order.
    pub(crate) governed_by: Vec<Vec<BodyKey>>,
    /// The bodies reporting to each body at some time, in key order.
    pub(crate) reporting: Vec<Vec<BodyKey>>,
    /// What each agreement is filed under.
    pub(crate) filed: Vec<Filed>,
    /// Agreements covering each function, in key order.
    pub(crate) by_function: Vec<Vec<AgreementKey>>,
    /// Agreements made under each legal basis, in key order.
    pub(crate) by_basis: Vec<Vec<AgreementKey>>,
    /// Agreements that record a declined invitation, in key order.
    pub(crate) with_declined: Vec<AgreementKey>,
    /// Agreements setting a notice period, in key order.
    pub(crate) with_notice: Vec<AgreementKey>,
    /// The review calendar: every agreement with a next review as the
    /// schedule now stands, by that day then in id order
    /// ([`Index::id_rank`]), each with a copy of what it is filed under, so
    /// a question reads a range in one sequential pass and opens only the
    /// records of its rows.
    pub(crate) calendar: Vec<Due>,
    /// Set while many agreements are filed at once (a load, a large
    /// batch): the calendar is then built once, sorted, at the end
    /// ([`Index::build_calendar`]) rather than kept entry by entry.
    calendar_deferred: bool,
    /// Agreements by their fixed end, not terminated ones, each day's in
    /// id order.
    pub(crate) ends: BTreeMap<NaiveDate, Vec<AgreementKey>>,
    /// The agreements in id order: a sort key precomputed so that answers
    /// come out by id without comparing ids.
    pub(crate) agreement_order: IdOrder,
    /// The parties in id order.
    pub(crate) party_order: IdOrder,
    /// Agreements by their settled day.
    pub(crate) settled: BTreeMap<NaiveDate, Vec<AgreementKey>>,
    /// Agreements by the day their review schedule settled
    /// ([`Filed::review_settled`]).
    pub(crate) review_settled: BTreeMap<NaiveDate, Vec<AgreementKey>>,
    /// The parties of each kind ([`PartyKind`] as index), in key order: every
    /// party that held the kind at some time, now or before or after one of
    /// its amendments, so a question as of any day finds it and checks its
    /// kind that day. Empty before the first party.
    pub(crate) by_kind: Vec<Vec<PartyKey>>,
    /// The agreements with members by class of each kind ([`PartyKind`] as
    /// index), in key order. Empty before the first class.
    pub(crate) with_class: Vec<Vec<AgreementKey>>,
    /// Each agreement's predecessors: the agreements that name it as their
    /// successor, now or before or after one of their amendments, in key
    /// order.
    pub(crate) predecessors: Vec<Vec<AgreementKey>>,
}

impl Index {
    /// Makes room for a new party.
    pub(crate) fn add_party(&mut self) {
        self.memberships.push(Vec::new());
        self.seats.push(Vec::new());
        self.declined.push(Vec::new());
        self.oversees.push(Vec::new());
    }

    /// Makes room for a new agreement.
    pub(crate) fn add_agreement(&mut self) {
        self.parts.push(Vec::new());
        self.governed_by.push(Vec::new());
        self.predecessors.push(Vec::new());
        self.member_keys.push(Vec::new());
        self.titles.push(Box::default());
        self.filed.push(Filed::default());
    }

    /// Files party `key` under each kind it has held. A kind once held stays
    /// in its amendments, so entries are only ever added.
    pub(crate) fn file_kinds(&mut self, key: PartyKey, kinds: impl IntoIterator<Item = PartyKind>) {
        for kind in kinds {
            add_by_kind(&mut self.by_kind, kind, key);
        }
    }

    /// Files agreement `key` under the kind of each of its classes.
    pub(crate) fn file_classes(
        &mut self,
        key: AgreementKey,
        kinds: impl IntoIterator<Item = PartyKind>,
    ) {
        for kind in kinds {
            add_by_kind(&mut self.with_class, kind, key);
        }
    }

    /// Files agreement `key` as a predecessor of each successor it has
    /// named. A successor once named stays in its amendments, so entries are
    /// only ever added.
    pub(crate) fn file_successors(
        &mut self,
        key: AgreementKey,
        successors: impl IntoIterator<Item = AgreementKey>,
    ) {
        for successor in successors {
            if let Some(list) = self.predecessors.get_mut(successor.index()) {
                add_sorted(list, key);
            }
        }
    }

    /// Keeps agreement `key`'s title as it now stands.
    pub(crate) fn set_title(&mut self, key: AgreementKey, title: &str) {
        if let Some(slot) = self.titles.get_mut(key.index()) {
            if **slot != *title {
                *slot = title.into();
            }
        }
    }

    /// Agreement `key`'s title as it now stands (empty for a key the
    /// registry never gave out).
    pub(crate) fn title(&self, key: AgreementKey) -> &str {
        self.titles.get(key.index()).map_or("", |t| t)
    }

    /// The dense keys of agreement `key`'s members, in membership order
    /// (`None` for a member the register does not hold).
    pub(crate) fn member_keys(&self, key: AgreementKey) -> &[Option<PartyKey>] {
        self.member_keys
            .get(key.index())
            .map_or(&[][..], Vec::as_slice)
    }

    /// The parties that held `kind` at some time, in key order.
    pub(crate) fn parties_of_kind(&self, kind: PartyKind) -> &[PartyKey] {
        self.by_kind
            .get(kind as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// The agreements with a class of members of `kind`, in key order.
    pub(crate) fn classes_of_kind(&self, kind: PartyKind) -> &[AgreementKey] {
        self.with_class
            .get(kind as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Makes room for a new body.
    pub(crate) fn add_body(&mut self) {
        self.reporting.push(Vec::new());
    }

    /// Places the agreements from key `from` on in id order
    /// ([`IdOrder::place`]), `id` giving each key's id. When many are new,
    /// the calendar is built once they have been filed
    /// ([`Index::build_calendar`]).
    pub(crate) fn rank_agreements<'a>(
        &mut self,
        from: usize,
        id: impl Fn(AgreementKey) -> Option<&'a str>,
    ) {
        let total = self.filed.len();
        if self
            .agreement_order
            .place(from, total, |i| id(AgreementKey(i)))
        {
            self.calendar_deferred = true;
            self.calendar.clear();
        }
    }

    /// Places the parties from key `from` on in id order
    /// ([`IdOrder::place`]).
    pub(crate) fn rank_parties<'a>(
        &mut self,
        from: usize,
        id: impl Fn(PartyKey) -> Option<&'a str>,
    ) {
        let total = self.memberships.len();
        self.party_order.place(from, total, |i| id(PartyKey(i)));
    }

    /// The place of agreement `key` in id order.
    pub(crate) fn id_rank(&self, key: AgreementKey) -> u32 {
        self.agreement_order.rank(key.0)
    }

    /// The place of party `key` in id order.
    pub(crate) fn party_rank(&self, key: PartyKey) -> u32 {
        self.party_order.rank(key.0)
    }

    /// Builds the calendar from what each agreement is filed under, when
    /// filing many at once deferred it: **O(A log A)**.
    pub(crate) fn build_calendar(&mut self) {
        if !self.calendar_deferred {
            return;
        }
        self.calendar_deferred = false;
        let mut calendar: Vec<Due> = self
            .filed
            .iter()
            .enumerate()
            .filter_map(|(i, filed)| {
                Some(Due {
                    day: filed.due?,
                    key: AgreementKey(super::key(i)),
                    filed: *filed,
                })
            })
            .collect();
        calendar.sort_unstable_by_key(|e| (e.day, self.agreement_order.rank(e.key.0)));
        self.calendar = calendar;
    }

    /// Files `key` under `filed`, taking it out of what it was filed under.
    pub(crate) fn refile(&mut self, key: AgreementKey, filed: Filed) {
        let Some(old) = self.filed.get(key.index()).copied() else {
            return;
        };
        if old == filed {
            return;
        }
        if self.by_function.is_empty() {
            self.by_function = vec![Vec::new(); Function::ALL.len()];
            self.by_basis = vec![Vec::new(); LegalBasis::ALL.len()];
        }
        for f in old.functions.iter() {
            if let Some(list) = self.by_function.get_mut(f as usize) {
                remove_sorted(list, key);
            }
        }
        for f in filed.functions.iter() {
            if let Some(list) = self.by_function.get_mut(f as usize) {
                add_sorted(list, key);
            }
        }
        for b in old.bases.iter() {
            if let Some(list) = self.by_basis.get_mut(b as usize) {
                remove_sorted(list, key);
            }
        }
        for b in filed.bases.iter() {
            if let Some(list) = self.by_basis.get_mut(b as usize) {
                add_sorted(list, key);
            }
        }
        for (was, is, list) in [
            (old.declined, filed.declined, &mut self.with_declined),
            (old.notice, filed.notice, &mut self.with_notice),
        ] {
            if was && !is {
                remove_sorted(list, key);
            } else if is && !was {
                add_sorted(list, key);
            }
        }
        let order = &self.agreement_order;
        let by_rank = |k: AgreementKey| order.rank(k.0);
        if old.end != filed.end {
            remove_dated(&mut self.ends, old.end, key, by_rank);
            add_dated(&mut self.ends, filed.end, key, by_rank);
        }
        // The calendar copies the whole entry, so any change refiles it;
        // filing many at once, it is built at the end instead.
        if !self.calendar_deferred {
            let place = |day: NaiveDate, entries: &[Due]| {
                entries.partition_point(|e| (e.day, by_rank(e.key)) < (day, by_rank(key)))
            };
            let old_at = old
                .due
                .map(|day| place(day, &self.calendar))
                .filter(|at| self.calendar.get(*at).is_some_and(|e| e.key == key));
            match (old_at, filed.due) {
                // The same day: the entry keeps its place.
                (Some(at), Some(day)) if old.due == Some(day) => {
                    if let Some(entry) = self.calendar.get_mut(at) {
                        entry.filed = filed;
                    }
                }
                (old_at, due) => {
                    if let Some(at) = old_at {
                        self.calendar.remove(at);
                    }
                    if let Some(day) = due {
                        let at = place(day, &self.calendar);
                        self.calendar.insert(at, Due { day, key, filed });
                    }
                }
            }
        }
        for (was, is, map) in [
            (old.settled, filed.settled, &mut self.settled),
            (
                old.review_settled,
                filed.review_settled,
                &mut self.review_settled,
            ),
        ] {
            if was != is {
                remove_dated(map, was, key, |k| k);
                add_dated(map, is, key, |k| k);
            }
        }
        if old.part_of != filed.part_of {
            if let Some(list) = old.part_of.and_then(|p| self.parts.get_mut(p.index())) {
                remove_sorted(list, key);
            }
            if let Some(list) = filed.part_of.and_then(|p| self.parts.get_mut(p.index())) {
                add_sorted(list, key);
            }
        }
        if let Some(slot) = self.filed.get_mut(key.index()) {
            *slot = filed;
        }
    }

    /// The agreements whose settled day is after `at` allows: those a
    /// question as of `at` must work out from their history.
    pub(crate) fn unsettled(&self, at: At) -> Vec<AgreementKey> {
        filed_after(&self.settled, at)
    }

    /// The agreements whose review schedule settled after `at` allows:
    /// those whose next review as of `at` must be worked out from their
    /// history, in key order.
    pub(crate) fn reviews_unsettled(&self, at: At) -> Vec<AgreementKey> {
        filed_after(&self.review_settled, at)
    }

    /// The calendar's entries due from `from` to `to`, both included:
    /// **O(log A)** to find, by day then in id order.
    pub(crate) fn due_between(&self, from: NaiveDate, to: NaiveDate) -> &[Due] {
        let lo = self.calendar.partition_point(|e| e.day < from);
        let hi = self.calendar.partition_point(|e| e.day <= to);
        self.calendar.get(lo..hi).unwrap_or_default()
    }

    /// What agreement `key` is filed under, when it has settled by `at`
    /// ([`Filed::is_settled`]): then its current values are its values as
    /// of `at`.
    pub(crate) fn settled(&self, key: AgreementKey, at: At) -> Option<&Filed> {
        self.filed.get(key.index()).filter(|f| f.is_settled(at))
    }
}

/// The agreements filed in `by_day` under a day after the one `at` has
/// settled by, in key order, each once.
fn filed_after(by_day: &BTreeMap<NaiveDate, Vec<AgreementKey>>, at: At) -> Vec<AgreementKey> {
    let Some(after) = at.settled_by().succ_opt() else {
        return Vec::new();
    };
    let mut keys: Vec<AgreementKey> = by_day
        .range(after..)
        .flat_map(|(_, keys)| keys.iter().copied())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(all(test, feature = "sample"))]
mod tests {
    use chrono::NaiveDate;

    use super::Index;
    use crate::model::{
        Agreement, AgreementId, AmendmentKind, ClassMembership, LegalBasis, Membership, Party,
        PartyId, PartyKind, Role, Spell,
    };
    use crate::{Change, Registry};

    type Result = std::result::Result<(), Box<dyn std::error::Error>>;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// The index with the lists kept in order of addition sorted: a
    /// membership added later is filed last, where a reload files it in
    /// record order.
    fn normalised(index: &Index) -> Index {
        let mut out = index.clone();
        out.memberships.iter_mut().for_each(|l| l.sort_unstable());
        out.seats.iter_mut().for_each(|l| l.sort_unstable());
        out
    }

    fn force(id: &str, region: &str) -> std::result::Result<Party, crate::Error> {
        Party::builder(PartyId::new(id)?, id, PartyKind::PoliceForce)
            .region(region)
            .build()
    }

    /// Indexes kept change by change equal those built from the saved file.
    #[test]
    #[allow(
        clippy::too_many_lines,
        reason = "one comparison per index, so a failure names the index"
    )]
    fn kept_indexes_equal_rebuilt_ones() -> Result {
        let mut registry = crate::sample()?;
        let on = day(2026, 4, 1);
        registry.add_party(force("north-yorkshire-police", "Yorkshire and the Humber")?)?;
        let national = Agreement::builder(AgreementId::new("national")?, "National", on)
            .legal_basis(LegalBasis::Section22aPoliceAct1996)
            .active_from(on)
            .member_class(ClassMembership::new(
                PartyKind::PoliceForce,
                Role::Member,
                Spell::from_day(on),
            ))
            .member_class(
                ClassMembership::new(PartyKind::PolicingBody, Role::Member, Spell::from_day(on))
                    .in_region("East Midlands"),
            )
            .build()?;
        registry.add_agreement(national)?;
        registry.amend_party(
            "northamptonshire-lcjb",
            day(2026, 5, 1),
            AmendmentKind::Variation,
            "Now counted as other",
            |t| t.kind = PartyKind::Other,
        )?;
        let next = Agreement::builder(AgreementId::new("public-order-2026")?, "Public order", on)
            .legal_basis(LegalBasis::Section22aPoliceAct1996)
            .active_from(on)
            .member(Membership::new(
                PartyId::new("derbyshire-police")?,
                Role::Lead,
                on,
            ))
            .member(Membership::new(
                PartyId::new("lincolnshire-police")?,
                Role::Member,
                on,
            ))
            .build()?;
        registry.add_agreement(next)?;
        for successor in [Some("public-order-2026"), None, Some("national")] {
            let successor = successor.map(AgreementId::new).transpose()?;
            registry.amend(
                "em-public-order",
                day(2026, 6, 1),
                AmendmentKind::Variation,
                "Successor",
                |t| t.set_replaced_by(successor),
            )?;
        }
        // A batch adding an agreement that names another, and a member.
        let later = Agreement::builder(AgreementId::new("later")?, "Later", on)
            .legal_basis(LegalBasis::Section22aPoliceAct1996)
            .active_from(on)
            .member(Membership::new(
                PartyId::new("derbyshire-police")?,
                Role::Lead,
                on,
            ))
            .member(Membership::new(
                PartyId::new("north-yorkshire-police")?,
                Role::Member,
                on,
            ))
            .build()?;
        let earlier = Agreement::builder(AgreementId::new("earlier")?, "Earlier", on)
            .legal_basis(LegalBasis::Section22aPoliceAct1996)
            .active_from(on)
            .replaced_by(AgreementId::new("later")?)
            .member(Membership::new(
                PartyId::new("derbyshire-police")?,
                Role::Lead,
                on,
            ))
            .member(Membership::new(
                PartyId::new("north-yorkshire-police")?,
                Role::Member,
                on,
            ))
            .build()?;
        registry.add_agreement(later)?;
        registry.apply([
            Change::AddAgreement(Box::new(earlier)),
            Change::Join {
                agreement: AgreementId::new("later")?,
                membership: Membership::new(
                    PartyId::new("leicestershire-police")?,
                    Role::Member,
                    on,
                ),
            },
        ])?;
        let reloaded = Registry::from_json_str(&registry.to_json_string())?;
        assert_eq!(normalised(&registry.index), normalised(&reloaded.index));
        let key = |id: &str| registry.agreement_key(id);
        assert_eq!(
            registry.index.predecessors.get(key("national")?.index()),
            Some(&vec![key("em-public-order")?])
        );
        assert_eq!(
            registry.index.predecessors.get(key("later")?.index()),
            Some(&vec![key("earlier")?])
        );
        let lcjb = registry.party_key("northamptonshire-lcjb")?;
        assert!(
            registry
                .index
                .parties_of_kind(PartyKind::Other)
                .contains(&lcjb)
        );
        assert!(
            registry
                .index
                .parties_of_kind(PartyKind::CriminalJustice)
                .contains(&lcjb)
        );
        assert_eq!(
            registry.index.classes_of_kind(PartyKind::PolicingBody),
            [key("national")?]
        );
        Ok(())
    }
}
