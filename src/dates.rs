//! Dates: the UK public-sector [`FinancialYear`] (1 April to 31 March,
//! written `"2021/22"`), half-open [`Period`]s and month arithmetic that
//! clamps to the end of the month.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

use crate::error::DateError;

/// Parses an ISO 8601 calendar date (`2021-04-01`).
///
/// # Errors
///
/// [`DateError`] naming the text when it is not a real `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    // Read the checked digits directly: chrono's format parser is several
    // times slower, and loading reads hundreds of thousands of dates.
    let field = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let parsed = if well_formed {
        field(0..4)
            .zip(field(5..7))
            .zip(field(8..10))
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
    } else {
        None
    };
    parsed.ok_or_else(|| DateError {
        text: text.chars().take(40).collect(),
        expected: "an ISO 8601 date such as \"2021-04-01\"",
    })
}

/// `date` moved by `months` calendar months, clamped to the last day of the
/// target month: 31 January plus one month is 28 (or 29) February, and
/// 29 February plus twelve months is 28 February.
///
/// Returns `None` only when the result falls outside chrono's date range.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::add_months;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
/// assert_eq!(add_months(d(2024, 1, 31).unwrap(), 1), d(2024, 2, 29));
/// assert_eq!(add_months(d(2024, 2, 29).unwrap(), 12), d(2025, 2, 28));
/// assert_eq!(add_months(d(2024, 5, 31).unwrap(), -3), d(2024, 2, 29));
/// ```
pub fn add_months(date: NaiveDate, months: i32) -> Option<NaiveDate> {
    let index = i64::from(date.year()) * 12 + i64::from(date.month0()) + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
    let last = last_day_of_month(year, month)?;
    NaiveDate::from_ymd_opt(year, month, date.day().min(last))
}

/// The number of days in `month` of `year`.
fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from((next - first).num_days()).ok()
}

/// A UK public-sector financial year, 1 April to 31 March, named by the
/// calendar year it starts in and written `"2021/22"`.
///
/// ```
/// use chrono::NaiveDate;
/// use collab_registry::FinancialYear;
/// let year: FinancialYear = "2021/22".parse()?;
/// assert_eq!(year.first_day(), NaiveDate::from_ymd_opt(2021, 4, 1).unwrap());
/// assert_eq!(year.last_day(), NaiveDate::from_ymd_opt(2022, 3, 31).unwrap());
/// assert_eq!(FinancialYear::containing(NaiveDate::from_ymd_opt(2022, 3, 31).unwrap()), year);
/// assert_eq!(year.days(), 365);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(i32);

impl FinancialYear {
    /// The financial year that starts on 1 April of `start_year`.
    ///
    /// # Errors
    ///
    /// [`DateError`] when the year lies outside 1000 to 9998.
    pub fn starting(start_year: i32) -> Result<Self, DateError> {
        if (1000..=9998).contains(&start_year) {
            Ok(FinancialYear(start_year))
        } else {
            Err(DateError {
                text: start_year.to_string(),
                expected: "a financial year starting between 1000 and 9998",
            })
        }
    }

    /// The financial year `date` falls in.
    pub fn containing(date: NaiveDate) -> Self {
        if date.month() >= 4 {
            FinancialYear(date.year())
        } else {
            FinancialYear(date.year() - 1)
        }
    }

    /// The calendar year it starts in.
    pub const fn start_year(&self) -> i32 {
        self.0
    }

    /// 1 April.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 March of the next calendar year.
    pub fn last_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// The year as a half-open period, 1 April to the next 1 April.
    pub fn period(&self) -> Period {
        Period {
            start: self.first_day(),
            end: Some(self.first_day_of_next()),
        }
    }

    fn first_day_of_next(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 4, 1).unwrap_or(NaiveDate::MAX)
    }

    /// Days in the year: 365, or 366 when it holds a 29 February.
    pub fn days(&self) -> i64 {
        (self.first_day_of_next() - self.first_day()).num_days()
    }

    /// The year after.
    pub fn next(&self) -> FinancialYear {
        FinancialYear(self.0 + 1)
    }

    /// Whether `date` falls in this year.
    pub fn contains(&self, date: NaiveDate) -> bool {
        Self::containing(date) == *self
    }
}

impl FromStr for FinancialYear {
    type Err = DateError;
    fn from_str(text: &str) -> Result<Self, DateError> {
        let bad = || DateError {
            text: text.chars().take(40).collect(),
            expected: "a financial year such as \"2021/22\"",
        };
        let (first, second) = text.split_once('/').ok_or_else(bad)?;
        if first.len() != 4
            || second.len() != 2
            || !first
                .bytes()
                .chain(second.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let start: i32 = first.parse().map_err(|_| bad())?;
        let end: i32 = second.parse().map_err(|_| bad())?;
        if (start + 1) % 100 != end {
            return Err(bad());
        }
        FinancialYear::starting(start).map_err(|_| bad())
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
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

/// A half-open span of days, `[start, end)`; an open end runs on for ever.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    /// The first day in the period.
    pub start: NaiveDate,
    /// The first day after the period, if it ends.
    pub end: Option<NaiveDate>,
}

impl Period {
    /// Whether `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|end| date < end)
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.end.is_none_or(|end| other.start < end) && other.end.is_none_or(|end| self.start < end)
    }

    /// Days the period shares with `other`, or `None` when it is unbounded.
    pub fn days_within(&self, other: &Period) -> Option<i64> {
        let start = self.start.max(other.start);
        let end = match (self.end, other.end) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => return None,
        };
        Some((end - start).num_days().max(0))
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
        for bad in ["2021/23", "2021-22", "21/22", "2021/2022", "", "abcd/ef"] {
            assert!(bad.parse::<FinancialYear>().is_err(), "{bad}");
        }
        let y = FinancialYear::containing(d(2021, 4, 1));
        assert_eq!(y.to_string(), "2021/22");
        assert_eq!(
            FinancialYear::containing(d(2021, 3, 31)).to_string(),
            "2020/21"
        );
        assert_eq!(FinancialYear::containing(d(2023, 6, 1)).days(), 366);
    }

    #[test]
    fn periods_are_half_open() {
        let p = Period {
            start: d(2020, 1, 1),
            end: Some(d(2020, 2, 1)),
        };
        assert!(p.contains(d(2020, 1, 31)));
        assert!(!p.contains(d(2020, 2, 1)));
        let q = Period {
            start: d(2020, 2, 1),
            end: None,
        };
        assert!(!p.overlaps(&q));
        assert_eq!(
            p.days_within(&FinancialYear::containing(d(2020, 1, 1)).period()),
            Some(31)
        );
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2021-04-01").ok(), Some(d(2021, 4, 1)));
        for bad in [
            "2021-02-30",
            "2021-4-1",
            "01/04/2021",
            "2021-04-01T00:00",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
