//! Helpers for the plain-text tables the finance answers print.

use crate::money::Money;

/// An amount with thousands separators: `6,000,000.00`, `-1,500.25`.
pub(crate) fn grouped(amount: Money) -> String {
    let text = amount.to_string();
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A difference with its sign always shown: `+1,500,000.00`, `-3.00`, `0.00`.
pub(crate) fn signed(amount: Money) -> String {
    if amount.minor_units() > 0 {
        format!("+{}", grouped(amount))
    } else {
        grouped(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn groups_thousands() {
        let m = |minor| Money::from_minor(minor, Currency::GBP);
        assert_eq!(grouped(m(600_000_000)), "6,000,000.00");
        assert_eq!(grouped(m(99_999)), "999.99");
        assert_eq!(grouped(m(100_000)), "1,000.00");
        assert_eq!(grouped(m(-150_025)), "-1,500.25");
        assert_eq!(grouped(m(0)), "0.00");
        assert_eq!(signed(m(300)), "+3.00");
        assert_eq!(signed(m(-300)), "-3.00");
        assert_eq!(
            grouped(Money::from_minor(
                1_234_567,
                Currency::new("JPY").unwrap_or(Currency::GBP)
            )),
            "1,234,567"
        );
    }
}
