//! Dates: ISO 8601 days, dates known only to a month or a year
//! ([`PartialDate`]), the UK public-sector [`FinancialYear`] (1 April to
//! 31 March, written `"2021/22"`), half-open [`Period`]s and month arithmetic
//! that clamps to the end of the month.
//!
//! Every date a register holds has a four-digit year, 0000 to 9999, because
//! that is what a file can write and read back; months of notice and of a
//! review cadence are at most [`MAX_MONTHS`].

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// The longest count of months a register holds (a notice period, a review
/// cadence, a term): one hundred years. Counts that drive a loop are bounded
/// so that no accepted file can make a question run long.
pub const MAX_MONTHS: u32 = 1_200;

/// A date, a financial year or a period that could not be read or made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid {what} {text:?}: expected {expected}")]
pub struct DateError {
    what: &'static str,
    text: String,
    expected: &'static str,
}

impl DateError {
    pub(crate) fn new(text: &str, expected: &'static str) -> Self {
        DateError {
            what: "date",
            text: text.chars().take(40).collect(),
            expected,
        }
    }

    /// A financial year that could not be read or made: reported as a
    /// financial year, not as a date.
    pub(crate) fn year(text: &str, expected: &'static str) -> Self {
        DateError {
            what: "financial year",
            ..DateError::new(text, expected)
        }
    }

    /// The text given (at most 40 characters of it).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What was expected instead.
    #[must_use]
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

const ISO_DAY: &str = "an ISO 8601 date such as \"2021-04-01\"";

/// Whether `date` has a four-digit year, so a file can hold it.
#[must_use]
pub fn is_storable(date: NaiveDate) -> bool {
    (0..=9999).contains(&date.year())
}

/// Checks that `date` has a four-digit year (0000 to 9999), so a file can
/// hold it.
///
/// # Errors
///
/// [`DateError`] naming the date otherwise.
pub fn check_storable(date: NaiveDate) -> Result<NaiveDate, DateError> {
    if is_storable(date) {
        Ok(date)
    } else {
        Err(DateError::new(
            &date.to_string(),
            "a date with a four-digit year, 0000 to 9999",
        ))
    }
}

/// Reads `n` ASCII digits at `at` as a number.
fn digits(text: &[u8], at: usize, n: usize) -> Option<u32> {
    let field = text.get(at..at.checked_add(n)?)?;
    field.iter().try_fold(0u32, |acc, b| {
        acc.checked_mul(10)?
            .checked_add(char::from(*b).to_digit(10)?)
    })
}

/// Parses an ISO 8601 calendar date (`2021-04-01`) with a four-digit year.
///
/// # Errors
///
/// [`DateError`] naming the text when it is not a real `YYYY-MM-DD` date.
///
/// # Example
///
/// ```
/// use collab_registry::model::parse_date;
/// assert_eq!(parse_date("2021-04-01")?.to_string(), "2021-04-01");
/// assert!(parse_date("2021-02-30").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    // Read the checked digits directly: chrono's format parser is several
    // times slower, and loading reads millions of dates.
    let b = text.as_bytes();
    let parsed = if b.len() == 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
        digits(b, 0, 4)
            .zip(digits(b, 5, 2))
            .zip(digits(b, 8, 2))
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
    } else {
        None
    };
    parsed.ok_or_else(|| DateError::new(text, ISO_DAY))
}

/// `date` moved by `months` calendar months, clamped to the last day of the
/// target month: 31 January plus one month is 28 (or 29) February, and
/// 29 February plus twelve months is 28 February.
///
/// Returns `None` only when the result falls outside chrono's date range.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::add_months;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
/// assert_eq!(add_months(d(2024, 1, 31).unwrap(), 1), d(2024, 2, 29));
/// assert_eq!(add_months(d(2024, 2, 29).unwrap(), 12), d(2025, 2, 28));
/// assert_eq!(add_months(d(2024, 5, 31).unwrap(), -3), d(2024, 2, 29));
/// ```
#[must_use]
pub fn add_months(date: NaiveDate, months: i32) -> Option<NaiveDate> {
    let index = i64::from(date.year())
        .checked_mul(12)?
        .checked_add(i64::from(date.month0()))?
        .checked_add(i64::from(months))?;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = u32::try_from(index.rem_euclid(12)).ok()?.checked_add(1)?;
    let last = last_day_of_month(year, month)?;
    NaiveDate::from_ymd_opt(year, month, date.day().min(last))
}

/// The number of days in `month` of `year`.
fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month.checked_add(1)?, 1)?
    };
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

/// How precisely a [`PartialDate`] is known.
///
/// Not `#[non_exhaustive]`: a published date is known to a day, a month or a
/// year, and a `match` that covers the three should not need a catch-all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// The day is known.
    Day,
    /// Only the month is known (`"2013-10"`).
    Month,
    /// Only the year is known (`"2015"`).
    Year,
}

/// A date known to the day, or only to a month or a year, as published
/// sources often give them ("October 2013", "in 2015").
///
/// Written `"2015-04-01"`, `"2013-10"` or `"2015"`. A question that needs a
/// day counts a partial date from its [first day](PartialDate::first_day)
/// and says in its answer that the date is approximate; rules check what can
/// be checked (a member known to have joined in 2015 cannot have left in
/// 2014, but may have left in 2015).
///
/// ```
/// use collab_registry::model::PartialDate;
/// let joined: PartialDate = "2015".parse()?;
/// let left: PartialDate = "2014-11".parse()?;
/// assert!(!joined.is_exact());
/// assert_eq!(joined.first_day().to_string(), "2015-01-01");
/// assert_eq!(joined.last_day().to_string(), "2015-12-31");
/// assert!(left.last_day() < joined.first_day()); // impossible: left before it joined
/// assert_eq!(joined.to_string(), "2015");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    first: NaiveDate,
    precision: Precision,
}

impl PartialDate {
    /// A date known to the day.
    #[must_use]
    pub const fn day(date: NaiveDate) -> Self {
        PartialDate {
            first: date,
            precision: Precision::Day,
        }
    }

    /// A date known only to `month` (1 to 12) of `year`.
    ///
    /// # Errors
    ///
    /// [`DateError`] for a month outside 1 to 12 or a year outside 0000 to 9999.
    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)
            .filter(|d| is_storable(*d))
            .ok_or_else(|| {
                DateError::new(&format!("{year}-{month}"), "a month such as \"2013-10\"")
            })?;
        Ok(PartialDate {
            first,
            precision: Precision::Month,
        })
    }

    /// A date known only to `year`.
    ///
    /// # Errors
    ///
    /// [`DateError`] for a year outside 0000 to 9999.
    pub fn year(year: i32) -> Result<Self, DateError> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)
            .filter(|d| is_storable(*d))
            .ok_or_else(|| DateError::new(&year.to_string(), "a year such as \"2015\""))?;
        Ok(PartialDate {
            first,
            precision: Precision::Year,
        })
    }

    /// The first day it can be: the day itself when known to the day. This
    /// is the day questions count.
    #[must_use]
    pub const fn first_day(&self) -> NaiveDate {
        self.first
    }

    /// The last day it can be.
    #[must_use]
    pub fn last_day(&self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => add_months(self.first, 1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(self.first),
            Precision::Year => {
                NaiveDate::from_ymd_opt(self.first.year(), 12, 31).unwrap_or(self.first)
            }
        }
    }

    /// How precisely it is known.
    #[must_use]
    pub const fn precision(&self) -> Precision {
        self.precision
    }

    /// Whether it is known to the day.
    #[must_use]
    pub const fn is_exact(&self) -> bool {
        matches!(self.precision, Precision::Day)
    }

    /// Whether it can fall on `day`.
    #[must_use]
    pub fn may_be(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last_day()
    }
}

impl From<NaiveDate> for PartialDate {
    fn from(date: NaiveDate) -> Self {
        PartialDate::day(date)
    }
}

impl PartialEq<NaiveDate> for PartialDate {
    fn eq(&self, other: &NaiveDate) -> bool {
        self.is_exact() && self.first == *other
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// By first day, then the more precise first.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.first, self.precision).cmp(&(other.first, other.precision))
    }
}

impl FromStr for PartialDate {
    type Err = DateError;
    fn from_str(text: &str) -> Result<Self, DateError> {
        const EXPECTED: &str = "an ISO 8601 date such as \"2021-04-01\", a month such as \"2013-10\" or a year such as \"2015\"";
        let b = text.as_bytes();
        let bad = || DateError::new(text, EXPECTED);
        match b.len() {
            4 => {
                let y = digits(b, 0, 4).ok_or_else(bad)?;
                PartialDate::year(i32::try_from(y).map_err(|_| bad())?).map_err(|_| bad())
            }
            7 if b.get(4) == Some(&b'-') => {
                let y = digits(b, 0, 4).ok_or_else(bad)?;
                let m = digits(b, 5, 2).ok_or_else(bad)?;
                PartialDate::month(i32::try_from(y).map_err(|_| bad())?, m).map_err(|_| bad())
            }
            _ => parse_date(text).map(PartialDate::day).map_err(|_| bad()),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Day => write!(f, "{}", self.first),
            Precision::Month => write!(f, "{:04}-{:02}", self.first.year(), self.first.month()),
            Precision::Year => write!(f, "{:04}", self.first.year()),
        }
    }
}

impl fmt::Debug for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartialDate({self})")
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A UK public-sector financial year, 1 April to 31 March, named by the
/// calendar year it starts in and written `"2021/22"`.
///
/// Years start from 0000 to 9998, so that every year written reads back and
/// every day of it has a four-digit year.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::FinancialYear;
/// let year: FinancialYear = "2021/22".parse()?;
/// assert_eq!(year.first_day(), NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// assert_eq!(year.last_day(), NaiveDate::from_ymd_opt(2022, 3, 31).unwrap());
/// assert_eq!(FinancialYear::containing(NaiveDate::from_ymd_opt(2022, 3, 31).unwrap()), Some(year));
/// assert_eq!(year.days(), 365);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(i32);

impl FinancialYear {
    /// The first year: 0000/01.
    pub const FIRST: FinancialYear = FinancialYear(0);
    /// The last year: 9998/99.
    pub const LAST: FinancialYear = FinancialYear(9998);

    /// The financial year that starts on 1 April of `start_year`.
    ///
    /// # Errors
    ///
    /// [`DateError`] when the year lies outside 0000 to 9998.
    pub fn starting(start_year: i32) -> Result<Self, DateError> {
        if (Self::FIRST.0..=Self::LAST.0).contains(&start_year) {
            Ok(FinancialYear(start_year))
        } else {
            Err(DateError::year(
                &start_year.to_string(),
                "a financial year starting between 0000 and 9998",
            ))
        }
    }

    /// The financial year `date` falls in, or `None` for a day before
    /// 1 April 0000 or after 31 March 9999.
    #[must_use]
    pub fn containing(date: NaiveDate) -> Option<Self> {
        let start = if date.month() >= 4 {
            date.year()
        } else {
            date.year().checked_sub(1)?
        };
        FinancialYear::starting(start).ok()
    }

    /// The calendar year it starts in.
    #[must_use]
    pub const fn start_year(&self) -> i32 {
        self.0
    }

    /// 1 April.
    #[must_use]
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 March of the next calendar year.
    #[must_use]
    pub fn last_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0.saturating_add(1), 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// The first day after the year: the next 1 April.
    #[must_use]
    pub fn end(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0.saturating_add(1), 4, 1).unwrap_or(NaiveDate::MAX)
    }

    /// The year as a half-open period, 1 April to the next 1 April.
    #[must_use]
    pub fn period(&self) -> Period {
        Period {
            start: self.first_day(),
            end: Some(self.end()),
        }
    }

    /// Days in the year: 365, or 366 when it holds a 29 February.
    #[must_use]
    pub fn days(&self) -> u32 {
        u32::try_from(
            self.end()
                .signed_duration_since(self.first_day())
                .num_days(),
        )
        .unwrap_or(366)
    }

    /// The year after, or `None` after 9998/99.
    #[must_use]
    pub fn next(&self) -> Option<FinancialYear> {
        FinancialYear::starting(self.0.checked_add(1)?).ok()
    }

    /// The year before, or `None` before 0000/01.
    #[must_use]
    pub fn previous(&self) -> Option<FinancialYear> {
        FinancialYear::starting(self.0.checked_sub(1)?).ok()
    }

    /// Whether `date` falls in this year.
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        Self::containing(date) == Some(*self)
    }
}

impl FromStr for FinancialYear {
    type Err = DateError;
    fn from_str(text: &str) -> Result<Self, DateError> {
        let bad = || DateError::year(text, "a financial year such as \"2021/22\"");
        let b = text.as_bytes();
        if b.len() != 7 || b.get(4) != Some(&b'/') {
            return Err(bad());
        }
        let start = digits(b, 0, 4).ok_or_else(bad)?;
        let end = digits(b, 5, 2).ok_or_else(bad)?;
        if start.checked_add(1).map(|s| s % 100) != Some(end) {
            return Err(bad());
        }
        FinancialYear::starting(i32::try_from(start).map_err(|_| bad())?).map_err(|_| bad())
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}/{:02}", self.0, self.0.saturating_add(1) % 100)
    }
}

impl fmt::Debug for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FinancialYear({self})")
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A half-open span of days, `[start, end)`; an open end runs on for ever.
///
/// The end, when there is one, is after the start, so a period always holds
/// at least one day. Periods order by start, then by end, an open end last.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::model::Period;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let spring = Period::new(d(2021, 4, 1), Some(d(2021, 7, 1)))?;
/// assert!(spring.contains(d(2021, 6, 30)) && !spring.contains(d(2021, 7, 1)));
/// assert!(Period::new(d(2021, 4, 1), Some(d(2021, 4, 1))).is_err());
/// assert!(spring < Period::from(d(2021, 4, 1))); // an open end sorts last
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    start: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<NaiveDate>,
}

impl Period {
    /// The period from `start` up to (not including) `end`.
    ///
    /// # Errors
    ///
    /// [`DateError`] when `end` is not after `start`.
    pub fn new(start: NaiveDate, end: Option<NaiveDate>) -> Result<Self, DateError> {
        if end.is_some_and(|end| end <= start) {
            return Err(DateError::new(
                &format!("{start}..{}", end.unwrap_or(start)),
                "a period whose end is after its start",
            ));
        }
        Ok(Period { start, end })
    }

    /// The first day in the period.
    #[must_use]
    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// The first day after the period, if it ends.
    #[must_use]
    pub const fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    /// Whether `date` falls in the period.
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|end| date < end)
    }

    /// Whether the two periods share at least one day.
    #[must_use]
    pub fn overlaps(&self, other: &Period) -> bool {
        self.end.is_none_or(|end| other.start < end) && other.end.is_none_or(|end| self.start < end)
    }

    /// The days the two periods share, if any.
    #[must_use]
    pub fn intersection(&self, other: &Period) -> Option<Period> {
        let start = self.start.max(other.start);
        let end = match (self.end, other.end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Period::new(start, end).ok()
    }

    /// Days the period shares with `other`, or `None` when both run on for ever.
    #[must_use]
    pub fn days_within(&self, other: &Period) -> Option<u32> {
        match self.intersection(other) {
            None => Some(0),
            Some(Period { end: None, .. }) => None,
            Some(Period {
                start,
                end: Some(end),
            }) => u32::try_from(end.signed_duration_since(start).num_days()).ok(),
        }
    }
}

impl From<NaiveDate> for Period {
    /// The period from `start` on, for ever.
    fn from(start: NaiveDate) -> Self {
        Period { start, end: None }
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        let end = |p: &Period| (p.end.is_none(), p.end);
        (self.start, end(self)).cmp(&(other.start, end(other)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(add_months(d(2023, 1, 31), 1), Some(d(2023, 2, 28)));
        assert_eq!(add_months(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(add_months(d(2024, 2, 29), 12), Some(d(2025, 2, 28)));
        assert_eq!(add_months(d(2024, 2, 29), 48), Some(d(2028, 2, 29)));
        assert_eq!(add_months(d(2021, 3, 31), 6), Some(d(2021, 9, 30)));
        assert_eq!(add_months(d(2021, 12, 15), 1), Some(d(2022, 1, 15)));
        assert_eq!(add_months(d(2021, 1, 15), -1), Some(d(2020, 12, 15)));
        assert_eq!(add_months(NaiveDate::MAX, 1), None);
    }

    #[test]
    fn financial_years_parse_and_bound() {
        let y: Result<FinancialYear, _> = "1999/00".parse();
        assert_eq!(y.map(|y| y.start_year()).ok(), Some(1999));
        for bad in [
            "2021/23",
            "2021-22",
            "21/22",
            "2021/2022",
            "",
            "abcd/ef",
            "9999/00",
        ] {
            assert!(bad.parse::<FinancialYear>().is_err(), "{bad}");
        }
        let y = FinancialYear::containing(d(2021, 4, 1));
        assert_eq!(y.map(|y| y.to_string()).as_deref(), Some("2021/22"));
        assert_eq!(
            FinancialYear::containing(d(2021, 3, 31))
                .map(|y| y.to_string())
                .as_deref(),
            Some("2020/21")
        );
        assert_eq!(
            FinancialYear::containing(d(2023, 6, 1)).map(|y| y.days()),
            Some(366)
        );
        // Every year `containing` makes reads back from what it writes.
        for date in [d(0, 4, 1), d(9999, 3, 31), d(2024, 2, 29)] {
            let year = FinancialYear::containing(date);
            assert_eq!(
                year.and_then(|y| y.to_string().parse().ok()),
                year,
                "{date}"
            );
        }
        assert_eq!(FinancialYear::containing(d(0, 3, 31)), None);
        assert_eq!(FinancialYear::containing(d(9999, 4, 1)), None);
    }

    #[test]
    fn periods_are_half_open_and_open_ends_sort_last() -> Result<(), DateError> {
        let p = Period::new(d(2020, 1, 1), Some(d(2020, 2, 1)))?;
        assert!(p.contains(d(2020, 1, 31)));
        assert!(!p.contains(d(2020, 2, 1)));
        let q = Period::from(d(2020, 2, 1));
        assert!(!p.overlaps(&q));
        let year = FinancialYear::starting(2019)?.period();
        assert_eq!(p.days_within(&year), Some(31));
        assert_eq!(q.days_within(&Period::from(d(2021, 1, 1))), None);
        assert!(Period::new(d(2020, 1, 2), Some(d(2020, 1, 1))).is_err());
        assert!(Period::from(d(2020, 1, 1)) > Period::new(d(2020, 1, 1), Some(d(2030, 1, 1)))?);
        Ok(())
    }

    #[test]
    fn dates_parse_strictly_with_four_digit_years() {
        assert_eq!(parse_date("2021-04-01").ok(), Some(d(2021, 4, 1)));
        assert_eq!(parse_date("0000-01-01").ok(), Some(d(0, 1, 1)));
        for bad in [
            "2021-02-30",
            "2021-4-1",
            "01/04/2021",
            "2021-04-01T00:00",
            "+10000-01-01",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert!(check_storable(d(10_000, 1, 1)).is_err());
        assert!(check_storable(d(9999, 12, 31)).is_ok());
    }

    #[test]
    fn partial_dates_keep_their_precision() -> Result<(), DateError> {
        for text in ["2015", "2013-10", "2021-04-01"] {
            let date: PartialDate = text.parse()?;
            assert_eq!(date.to_string(), text);
        }
        let october: PartialDate = "2013-10".parse()?;
        assert_eq!(october.last_day(), d(2013, 10, 31));
        assert!(october.may_be(d(2013, 10, 17)) && !october.may_be(d(2013, 11, 1)));
        assert_eq!(PartialDate::day(d(2015, 1, 1)), d(2015, 1, 1));
        assert_ne!(PartialDate::year(2015)?, d(2015, 1, 1));
        for bad in ["2013-13", "201", "2013-1", "15", "2015-10-32"] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        Ok(())
    }
}
