//! Exact amounts: [`Money`] in integer minor units, [`Percent`] and
//! [`Quantity`] as scaled integers, all read from and written as decimal strings.
//!
//! Nothing here passes through floating point. Arithmetic is checked: an
//! overflow or a sum of two currencies is an error, never a wrap.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// A decimal string (an amount, a percentage, a quantity) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid amount {text:?}: it {reason}")]
pub struct AmountError {
    text: String,
    reason: &'static str,
}

impl AmountError {
    pub(crate) fn new(text: &str, reason: &'static str) -> Self {
        AmountError {
            text: text.chars().take(40).collect(),
            reason,
        }
    }

    /// The text given (at most 40 characters of it).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What is wrong with it, as the end of a sentence: `"is more than 100"`.
    #[must_use]
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

/// Money that could not be read or added up.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The amount text is not a valid decimal for the currency.
    #[error(transparent)]
    Amount(#[from] AmountError),
    /// The currency code is not three capital letters.
    #[error("invalid currency {0:?}: expected a three-letter ISO 4217 code such as \"GBP\"")]
    BadCurrency(String),
    /// Two amounts of different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: Currency,
        /// The currency of the right operand.
        right: Currency,
    },
    /// A sum or product does not fit in 64-bit minor units.
    #[error("amount overflows 64-bit minor units")]
    Overflow,
}

/// The most digits before the point an amount may have: anything longer
/// could never fit in the integer it is read into.
const MAX_WHOLE_DIGITS: usize = 30;

/// Parses an unsigned or (when `allow_negative`) signed decimal string with at
/// most `places` digits after the point into an integer scaled by `10^places`.
///
/// Accepts `"12"`, `"12.5"`, `"-0.01"`; refuses exponents, spaces, thousands
/// separators, a bare point and more places than allowed.
pub(crate) fn parse_scaled(
    text: &str,
    places: u32,
    allow_negative: bool,
) -> Result<i128, AmountError> {
    let err = |reason: &'static str| AmountError::new(text, reason);
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) if allow_negative => (true, rest),
        Some(_) => return Err(err("may not be negative")),
        None => (false, text),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("is not a decimal number such as \"1234.50\""));
    }
    if body.contains('.') && (frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit())) {
        return Err(err("is not a decimal number such as \"1234.50\""));
    }
    if frac.len() > places as usize {
        return Err(err("has more decimal places than allowed"));
    }
    if whole.len() > MAX_WHOLE_DIGITS {
        return Err(err("is too large"));
    }
    let mut value: i128 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(char::from(b).to_digit(10)?)))
            .ok_or_else(|| err("is too large"))?;
    }
    for _ in frac.len()..places as usize {
        value = value.checked_mul(10).ok_or_else(|| err("is too large"))?;
    }
    if negative {
        value.checked_neg().ok_or_else(|| err("is too large"))
    } else {
        Ok(value)
    }
}

/// Writes `value / 10^places` as a decimal string with exactly `places`
/// places, or with trailing zeros (and a bare point) trimmed when `trim`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "places is one of the crate's constants (2 or 4), so the scale is small and non-zero"
)]
pub(crate) fn format_scaled(value: i128, places: u32, trim: bool) -> String {
    let scale = 10u128.pow(places);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let whole = abs / scale;
    let frac = abs % scale;
    if places == 0 {
        return format!("{sign}{whole}");
    }
    let mut frac_text = format!("{frac:0width$}", width = places as usize);
    if trim {
        while frac_text.ends_with('0') {
            frac_text.pop();
        }
        if frac_text.is_empty() {
            return format!("{sign}{whole}");
        }
    }
    format!("{sign}{whole}.{frac_text}")
}

/// An ISO 4217 currency code such as `GBP`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Pound sterling, the currency of the sample registry and of a file
    /// that names none.
    pub const GBP: Currency = Currency(*b"GBP");

    /// Validates a three-letter uppercase code.
    ///
    /// # Errors
    ///
    /// [`MoneyError::BadCurrency`] for anything but three ASCII capitals.
    ///
    /// # Example
    ///
    /// ```
    /// use collab_registry::model::Currency;
    /// assert_eq!(Currency::new("EUR")?.minor_digits(), 2);
    /// assert!(Currency::new("euro").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(code: &str) -> Result<Self, MoneyError> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Ok(Currency([*a, *b, *c]))
            }
            _ => Err(MoneyError::BadCurrency(code.chars().take(20).collect())),
        }
    }

    /// The code as text.
    #[must_use]
    pub fn code(&self) -> &str {
        // The bytes are ASCII capitals by construction.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits after the point in this currency's minor unit (2 for GBP, 0 for JPY).
    #[must_use]
    pub fn minor_digits(&self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"ISK" | b"CLP" | b"VND" => 0,
            b"BHD" | b"KWD" | b"OMR" | b"JOD" | b"TND" => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(code: &str) -> Result<Self, MoneyError> {
        Currency::new(code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Currency::new(&text).map_err(serde::de::Error::custom)
    }
}

/// An exact amount of money: integer minor units (pence) of one currency.
///
/// Serialises as a decimal string in major units (`"61100000.00"`); the
/// currency is stated once, beside the amounts, by whatever holds them.
/// Amounts of two currencies are never equal and have no order
/// (`partial_cmp` is `None`), so a comparison cannot silently mix them.
///
/// ```
/// use collab_registry::model::{Currency, Money};
/// let budget = Money::parse("153500000.00", Currency::GBP)?;
/// assert_eq!(budget.minor_units(), 15_350_000_000);
/// let third = Money::parse("33.33", Currency::GBP)?;
/// assert_eq!(third.checked_add(third)?.to_string(), "66.66");
/// assert_eq!(budget.grouped(), "153,500,000.00");
/// let euro = Money::parse("1.00", Currency::new("EUR")?)?;
/// assert_eq!(third.partial_cmp(&euro), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Money) -> Option<Ordering> {
        (self.currency == other.currency).then(|| self.minor.cmp(&other.minor))
    }
}

impl Money {
    /// An amount of `minor` minor units (pence for GBP).
    #[must_use]
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Zero in `currency`.
    #[must_use]
    pub const fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// Reads a decimal string in major units (`"61100000.00"`, `"-12.5"`).
    ///
    /// # Errors
    ///
    /// [`MoneyError::Amount`] for text that is not a decimal, has more places
    /// than the currency's minor unit, or does not fit in 64-bit minor units.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let scaled = parse_scaled(text, currency.minor_digits(), true)?;
        let minor = i64::try_from(scaled).map_err(|_| AmountError::new(text, "is too large"))?;
        Ok(Money { minor, currency })
    }

    /// The amount in minor units.
    #[must_use]
    pub const fn minor_units(&self) -> i64 {
        self.minor
    }

    /// The currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub const fn is_negative(&self) -> bool {
        self.minor < 0
    }

    /// Whether the amount is zero.
    #[must_use]
    pub const fn is_zero(&self) -> bool {
        self.minor == 0
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// `self - other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// Compares two amounts of one currency.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] for amounts of two currencies.
    pub fn checked_cmp(&self, other: &Money) -> Result<Ordering, MoneyError> {
        self.same_currency(*other)?;
        Ok(self.minor.cmp(&other.minor))
    }

    /// Sums amounts of one currency; the sum of none is zero in `currency`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_sum<I: IntoIterator<Item = Money>>(
        currency: Currency,
        amounts: I,
    ) -> Result<Money, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// The amount with thousands separators, for tables people read:
    /// `"8,585,011.19"`. Files and JSON answers use the plain form.
    #[must_use]
    pub fn grouped(&self) -> String {
        let plain = self.to_string();
        let (sign, body) = plain
            .strip_prefix('-')
            .map_or(("", plain.as_str()), |rest| ("-", rest));
        let (whole, frac) = body
            .split_once('.')
            .map_or((body, None), |(w, f)| (w, Some(f)));
        let mut out = String::with_capacity(plain.len().saturating_add(whole.len() / 3));
        out.push_str(sign);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && whole.len().saturating_sub(i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if let Some(frac) = frac {
            out.push('.');
            out.push_str(frac);
        }
        out
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(
            i128::from(self.minor),
            self.currency.minor_digits(),
            false,
        ))
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self, self.currency)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Reads an amount in pounds sterling: a record read on its own has no
/// registry to name its currency, and a registry file that names none is in
/// GBP. The loader reads amounts in the currency the file names.
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Money::parse(&text, Currency::GBP).map_err(serde::de::Error::custom)
    }
}

/// A percentage from 0 to 100, exact to four decimal places (`"33.3333"`),
/// stored as an integer count of ten-thousandths of a percent.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(u32);

impl Percent {
    /// Decimal places kept.
    pub const PLACES: u32 = 4;
    /// One hundred percent.
    pub const HUNDRED: Percent = Percent(1_000_000);
    /// Zero percent.
    pub const ZERO: Percent = Percent(0);

    /// A percentage from its count of ten-thousandths of a percent
    /// (`1_000_000` is 100%).
    ///
    /// # Errors
    ///
    /// [`AmountError`] when `units` is more than 100%.
    pub fn from_ten_thousandths(units: u32) -> Result<Self, AmountError> {
        if units > Self::HUNDRED.0 {
            Err(AmountError::new(
                &format_scaled(i128::from(units), Self::PLACES, true),
                "is more than 100",
            ))
        } else {
            Ok(Percent(units))
        }
    }

    /// The count of ten-thousandths of a percent.
    #[must_use]
    pub const fn ten_thousandths(&self) -> u32 {
        self.0
    }
}

impl FromStr for Percent {
    type Err = AmountError;
    fn from_str(text: &str) -> Result<Self, AmountError> {
        let scaled = parse_scaled(text, Self::PLACES, false)?;
        if scaled > i128::from(Self::HUNDRED.0) {
            return Err(AmountError::new(text, "is more than 100"));
        }
        u32::try_from(scaled)
            .map(Percent)
            .map_err(|_| AmountError::new(text, "is too large"))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(i128::from(self.0), Self::PLACES, true))
    }
}

impl fmt::Debug for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}%")
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A non-negative quantity exact to four decimal places, such as a population,
/// a net revenue expenditure, a count of officers or of flying hours
/// (`"1512.5"`), stored as an integer count of ten-thousandths.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(u64);

impl Quantity {
    /// Decimal places kept.
    pub const PLACES: u32 = 4;
    /// Nothing.
    pub const ZERO: Quantity = Quantity(0);

    /// A quantity from its count of ten-thousandths.
    #[must_use]
    pub const fn from_ten_thousandths(units: u64) -> Self {
        Quantity(units)
    }

    /// A whole quantity.
    #[must_use]
    pub const fn from_whole(units: u32) -> Self {
        Quantity((units as u64).saturating_mul(10_000))
    }

    /// The count of ten-thousandths.
    #[must_use]
    pub const fn ten_thousandths(&self) -> u64 {
        self.0
    }

    /// `self - other`, or `None` below zero.
    #[must_use]
    pub const fn checked_sub(self, other: Quantity) -> Option<Quantity> {
        match self.0.checked_sub(other.0) {
            Some(q) => Some(Quantity(q)),
            None => None,
        }
    }
}

impl FromStr for Quantity {
    type Err = AmountError;
    fn from_str(text: &str) -> Result<Self, AmountError> {
        let scaled = parse_scaled(text, Self::PLACES, false)?;
        u64::try_from(scaled)
            .map(Quantity)
            .map_err(|_| AmountError::new(text, "is too large"))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(i128::from(self.0), Self::PLACES, true))
    }
}

impl fmt::Debug for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quantity({self})")
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_amounts_exactly() -> Result<(), MoneyError> {
        let m = Money::parse("61100000.00", Currency::GBP)?;
        assert_eq!(m.minor_units(), 6_110_000_000);
        assert_eq!(m.to_string(), "61100000.00");
        assert_eq!(Money::parse("-0.5", Currency::GBP)?.to_string(), "-0.50");
        assert_eq!(Money::parse("7", Currency::GBP)?.minor_units(), 700);
        for bad in [
            "",
            ".5",
            "5.",
            "1e5",
            "1,000",
            "1.234",
            " 1",
            "--1",
            "99999999999999999999",
        ] {
            assert!(
                Money::parse(bad, Currency::GBP).is_err(),
                "{bad:?} should fail"
            );
        }
        Ok(())
    }

    #[test]
    fn checked_arithmetic_refuses_overflow_and_mixed_currency() -> Result<(), MoneyError> {
        let max = Money::from_minor(i64::MAX, Currency::GBP);
        assert_eq!(
            max.checked_add(Money::from_minor(1, Currency::GBP)),
            Err(MoneyError::Overflow)
        );
        let eur = Money::from_minor(1, Currency::new("EUR")?);
        assert!(matches!(
            Money::zero(Currency::GBP).checked_add(eur),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
        assert!(Money::zero(Currency::GBP).checked_cmp(&eur).is_err());
        assert!(Money::zero(Currency::GBP) < Money::from_minor(1, Currency::GBP));
        assert_eq!(Money::zero(Currency::GBP).partial_cmp(&eur), None);
        Ok(())
    }

    #[test]
    fn grouping_separates_thousands() {
        let gbp = |minor| Money::from_minor(minor, Currency::GBP).grouped();
        assert_eq!(gbp(858_501_119), "8,585,011.19");
        assert_eq!(gbp(-100_000), "-1,000.00");
        assert_eq!(gbp(99_999), "999.99");
        assert_eq!(gbp(0), "0.00");
    }

    #[test]
    fn percents_and_quantities_round_trip() -> Result<(), AmountError> {
        let p: Percent = "33.3333".parse()?;
        assert_eq!(p.ten_thousandths(), 333_333);
        assert_eq!(p.to_string(), "33.3333");
        assert_eq!("100".parse::<Percent>()?, Percent::HUNDRED);
        assert_eq!(Percent::HUNDRED.to_string(), "100");
        assert!("100.0001".parse::<Percent>().is_err());
        assert!(Percent::from_ten_thousandths(1_000_001).is_err());
        assert!("-1".parse::<Percent>().is_err());
        let q: Quantity = "1512.5".parse()?;
        assert_eq!(q.to_string(), "1512.5");
        assert_eq!(q.ten_thousandths(), 15_125_000);
        Ok(())
    }
}
