//! Exact apportionment: splitting a whole number of minor units among
//! claimants in proportion to integer weights, so that the parts add up to the
//! whole exactly and each part is within one minor unit of its exact quota.
//!
//! The method is described on [`largest_remainder`].

use std::fmt;

use serde::{Serialize, Serializer};
use thiserror::Error;

/// Why an amount could not be apportioned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ApportionError {
    /// The amount to split is below zero.
    #[error("cannot apportion a negative amount ({0} minor units)")]
    NegativeTotal(i64),
    /// There is something to split but every weight is zero (or there are no
    /// claimants).
    #[error("cannot apportion {total} minor units: the weights add up to zero")]
    NoWeight {
        /// The amount, in minor units.
        total: i64,
    },
    /// An intermediate product or sum does not fit in 128 bits.
    #[error("apportionment overflows 128-bit arithmetic")]
    Overflow,
}

/// A claimant's exact quota in minor units: a whole number of minor units
/// and a fraction of one, `whole + remainder / denominator`.
///
/// Displayed and serialised as the reduced fraction, such as `"10000/3"` for
/// a third of £100.00 (`"600000000"` when whole); a quota whose numerator
/// would not fit in 128 bits is written as a whole number and a fraction,
/// `"1234+5/7"`. Two quotas are equal when their values are.
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    whole: u128,
    remainder: u128,
    denominator: u128,
}

impl Quota {
    /// The quota as a reduced fraction `(numerator, denominator)` of minor
    /// units, or `None` when its numerator does not fit in 128 bits.
    #[must_use]
    pub fn reduced(&self) -> Option<(u128, u128)> {
        let (r, d) = self.fraction();
        let n = self.whole.checked_mul(d)?.checked_add(r)?;
        Some((n, d))
    }

    /// The whole minor units of the quota, rounded down.
    #[must_use]
    pub fn floor(&self) -> u128 {
        self.whole
    }

    /// The fraction of a minor unit above [`Quota::floor`], reduced, as
    /// `(numerator, denominator)`: `(0, 1)` for a whole quota.
    #[must_use]
    pub fn fraction(&self) -> (u128, u128) {
        let g = gcd(self.remainder, self.denominator).max(1);
        (self.remainder / g, (self.denominator / g).max(1))
    }

    /// Whether `amount` minor units lie strictly within one minor unit of the
    /// quota: `|amount - quota| < 1`.
    #[must_use]
    pub fn is_within_one_unit(&self, amount: i64) -> bool {
        let Ok(amount) = u128::try_from(amount) else {
            return false;
        };
        amount == self.whole || (self.remainder > 0 && Some(amount) == self.whole.checked_add(1))
    }
}

impl PartialEq for Quota {
    fn eq(&self, other: &Quota) -> bool {
        self.whole == other.whole && self.fraction() == other.fraction()
    }
}

impl Eq for Quota {}

impl fmt::Display for Quota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reduced() {
            Some((n, 1)) => write!(f, "{n}"),
            Some((n, d)) => write!(f, "{n}/{d}"),
            None => {
                let (r, d) = self.fraction();
                write!(f, "{}+{r}/{d}", self.whole)
            }
        }
    }
}

impl Serialize for Quota {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `a × b` exactly, as its high and low 128-bit halves.
fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const LOW: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & LOW);
    let (b1, b0) = (b >> 64, b & LOW);
    // Each product of two 64-bit halves fits in 128 bits, and so does the
    // middle sum of three values below 2^64 each; the true product is below
    // 2^256, so the high half cannot carry out. None of this wraps.
    let p00 = a0.wrapping_mul(b0);
    let p01 = a0.wrapping_mul(b1);
    let p10 = a1.wrapping_mul(b0);
    let p11 = a1.wrapping_mul(b1);
    let mid = (p00 >> 64).wrapping_add(p01 & LOW).wrapping_add(p10 & LOW);
    let low = (p00 & LOW) | ((mid & LOW) << 64);
    let high = p11
        .wrapping_add(p01 >> 64)
        .wrapping_add(p10 >> 64)
        .wrapping_add(mid >> 64);
    (high, low)
}

/// `(a × b) / d` and `(a × b) % d` exactly, through a 256-bit product when
/// `a × b` does not fit in 128 bits; `None` for `d = 0` or a quotient that
/// does not fit.
pub(crate) fn mul_div(a: u128, b: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 {
        return None;
    }
    if let Some(p) = a.checked_mul(b) {
        return Some((p / d, p % d));
    }
    let (high, low) = wide_mul(a, b);
    if high >= d {
        return None;
    }
    // Long division, a bit at a time: the remainder stays below d, and a
    // shifted remainder that carries out of 128 bits is above d, so
    // subtracting d (wrapping) gives the true value.
    let (mut rem, mut q) = (high, 0u128);
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((low >> i) & 1);
        q <<= 1;
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            q |= 1;
        }
    }
    Some((q, rem))
}

/// One claimant's part: the whole minor units it gets and its exact quota.
///
/// Not `#[non_exhaustive]`: an allocation is exactly an amount and the quota
/// it rounds, and callers build them to compare with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    /// The minor units allocated.
    pub amount: i64,
    /// The exact quota the amount rounds.
    pub quota: Quota,
}

/// Splits `total` minor units among claimants in proportion to `weights`, so
/// that the amounts add up to `total` exactly, each lies within one minor unit
/// of its exact quota, and ties between equal remainders go to the claimant
/// that comes first.
///
/// The method is the largest-remainder (Hamilton) method:
///
/// 1. each claimant's exact quota is `total × weight / Σ weights`, a rational
///    number held as whole minor units and a remainder over the common
///    denominator `Σ weights` (in `u128`, checked, the product
///    `total × weight` worked out in 256 bits: an overflow is an error);
/// 2. each claimant first gets the whole part of its quota (rounded down);
/// 3. the minor units left over (fewer than the number of claimants) go one
///    each to the claimants with the largest remainders;
/// 4. **tie-break**: between equal remainders, the claimant that comes first in
///    the slice wins. Callers put claimants in a canonical order so that the
///    answer does not depend on how they were stored; the registry's cost
///    queries use ascending party id.
///
/// Nothing passes through floating point. Weights are first divided by their
/// greatest common divisor, which changes no quota and keeps the products small.
///
/// Computes in **O(n log n)** for `n` claimants.
///
/// # Errors
///
/// [`ApportionError::NegativeTotal`] for a negative total;
/// [`ApportionError::NoWeight`] when `total` is not zero but the weights add
/// up to zero; [`ApportionError::Overflow`] when `Σ weights` does not fit in
/// 128 bits (after dividing the weights by their greatest common divisor).
///
/// # Example
///
/// ```
/// use collab_registry::costs::largest_remainder;
/// // £100.00 among three equal claimants: the first in order gets the odd penny.
/// let parts = largest_remainder(10_000, &[1, 1, 1])?;
/// let pennies: Vec<i64> = parts.iter().map(|p| p.amount).collect();
/// assert_eq!(pennies, [3334, 3333, 3333]);
/// assert_eq!(parts[0].quota.to_string(), "10000/3");
/// // Co-prime weights 2 : 3 : 7 of £1.00.
/// let parts = largest_remainder(100, &[2, 3, 7])?;
/// let pennies: Vec<i64> = parts.iter().map(|p| p.amount).collect();
/// assert_eq!(pennies, [17, 25, 58]); // quotas 16.67, 25, 58.33
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn largest_remainder(total: i64, weights: &[u128]) -> Result<Vec<Allocation>, ApportionError> {
    let whole = u128::try_from(total).map_err(|_| ApportionError::NegativeTotal(total))?;
    let divisor = gcd_all(weights.iter().copied()).max(1);
    let denominator = weights
        .iter()
        .try_fold(0u128, |sum, &w| sum.checked_add(w / divisor))
        .ok_or(ApportionError::Overflow)?;
    if denominator == 0 {
        return if total == 0 {
            Ok(weights
                .iter()
                .map(|_| Allocation {
                    amount: 0,
                    quota: Quota {
                        whole: 0,
                        remainder: 0,
                        denominator: 1,
                    },
                })
                .collect())
        } else {
            Err(ApportionError::NoWeight { total })
        };
    }
    let mut allocations = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: u128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let (floor, remainder) =
            mul_div(whole, w / divisor, denominator).ok_or(ApportionError::Overflow)?;
        given = given.checked_add(floor).ok_or(ApportionError::Overflow)?;
        remainders.push((remainder, i));
        allocations.push(Allocation {
            // floor <= total, which is an i64.
            amount: i64::try_from(floor).map_err(|_| ApportionError::Overflow)?,
            quota: Quota {
                whole: floor,
                remainder,
                denominator,
            },
        });
    }
    // Fewer units are left over than there are claimants, since each floor
    // loses less than one.
    let left_over = whole
        .checked_sub(given)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(ApportionError::Overflow)?;
    if left_over > 0 {
        // Largest remainder first; equal remainders in claimant order.
        remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take(left_over) {
            if let Some(a) = allocations.get_mut(i) {
                a.amount = a.amount.saturating_add(1);
            }
        }
    }
    Ok(allocations)
}

/// The weights of a weighted mixture of proportional splits, combined exactly
/// so that the mixture can be rounded once.
///
/// Part `p` has weight `P_p` and splits in proportion to its claimant weights
/// `w_ip` (summing to `W_p`); claimant `i`'s exact fraction of the whole is
/// `Σ_p (P_p / ΣP) × (w_ip / W_p)`. With `L = lcm(W_p)`, the combined weight
/// `c_i = Σ_p P_p × w_ip × (L / W_p)` is proportional to that fraction, so
/// [`largest_remainder`] over `c` rounds the mixture once and each amount lies
/// within one minor unit of its exact blended quota.
///
/// # Errors
///
/// [`ApportionError::NoWeight`] (with a total of 0) when a part with a
/// non-zero weight has claimant weights adding up to zero;
/// [`ApportionError::Overflow`] when a product does not fit in 128 bits.
pub(crate) fn blend(
    parts: &[(u128, Vec<u128>)],
    claimants: usize,
) -> Result<Vec<u128>, ApportionError> {
    let mut reduced: Vec<(u128, Vec<u128>, u128)> = Vec::with_capacity(parts.len());
    let part_gcd = gcd_all(parts.iter().map(|(p, _)| *p)).max(1);
    for (weight, ws) in parts {
        if *weight == 0 {
            continue;
        }
        let g = gcd_all(ws.iter().copied()).max(1);
        let ws: Vec<u128> = ws.iter().map(|w| w / g).collect();
        let total = ws
            .iter()
            .try_fold(0u128, |s, &w| s.checked_add(w))
            .ok_or(ApportionError::Overflow)?;
        if total == 0 {
            return Err(ApportionError::NoWeight { total: 0 });
        }
        reduced.push((weight / part_gcd, ws, total));
    }
    let lcm = reduced.iter().try_fold(1u128, |l, (_, _, total)| {
        (l / gcd(l, *total)).checked_mul(*total)
    });
    let lcm = lcm.ok_or(ApportionError::Overflow)?;
    let mut combined = vec![0u128; claimants];
    for (weight, ws, total) in &reduced {
        let scale = weight
            .checked_mul(lcm / total)
            .ok_or(ApportionError::Overflow)?;
        for (c, w) in combined.iter_mut().zip(ws) {
            *c = w
                .checked_mul(scale)
                .and_then(|x| c.checked_add(x))
                .ok_or(ApportionError::Overflow)?;
        }
    }
    Ok(combined)
}

/// The greatest common divisor of all `values` (0 for none or all zero),
/// stopping as soon as it reaches 1.
pub(crate) fn gcd_all(values: impl IntoIterator<Item = u128>) -> u128 {
    let mut g = 0;
    for v in values {
        g = gcd(g, v);
        if g == 1 {
            break;
        }
    }
    g
}

/// The greatest common divisor; `gcd(0, x) = x`. One division brings a large
/// value below a small one, then the binary method (shifts and subtractions)
/// finishes.
pub(crate) fn gcd(mut a: u128, mut b: u128) -> u128 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    b %= a;
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// `numerator / denominator` rounded to the nearest integer, halves away from
/// zero; `None` when the denominator is zero or the value does not fit.
pub(crate) fn round_half_up(numerator: u128, denominator: u128) -> Option<u128> {
    if denominator == 0 {
        return None;
    }
    let q = numerator / denominator;
    let r = numerator % denominator;
    // r >= denominator - r is r*2 >= denominator without overflow.
    if r >= denominator - r {
        q.checked_add(1)
    } else {
        Some(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcd_matches_euclid() {
        for (a, b) in [
            (0, 0),
            (0, 7),
            (12, 18),
            (365, 182),
            (1 << 100, 3 << 90),
            (17, 13),
        ] {
            let (mut x, mut y) = (a, b);
            while y != 0 {
                (x, y) = (y, x % y);
            }
            assert_eq!(gcd(a, b), x, "gcd({a}, {b})");
        }
    }

    #[test]
    fn blend_of_equal_and_proportional_is_exact() -> Result<(), ApportionError> {
        // 50% equal between two, 50% in 1800 : 2100: fractions 1/4 + 18/78 and 1/4 + 21/78.
        let c = blend(&[(500_000, vec![1, 1]), (500_000, vec![1800, 2100])], 2)?;
        // lcm(2, 13) = 26: c = 1*13 + 6*2 = 25 and 13 + 7*2 = 27.
        assert_eq!(c, vec![25, 27]);
        Ok(())
    }

    #[test]
    fn wide_products_divide_exactly() {
        let cases = [
            (u128::MAX, u128::MAX, u128::MAX),
            (u128::MAX, 3, 7),
            (1 << 100, 1 << 100, (1 << 90) + 1),
            (12345, 678, 9),
        ];
        for (a, b, d) in cases {
            let (q, r) = mul_div(a, b, d).unwrap_or((0, 0));
            // q × d + r = a × b, checked in 256 bits.
            let (qh, ql) = wide_mul(q, d);
            let (low, carry) = ql.overflowing_add(r);
            assert_eq!(
                (qh + u128::from(carry), low),
                wide_mul(a, b),
                "{a} × {b} / {d}"
            );
            assert!(r < d);
        }
        assert_eq!(mul_div(u128::MAX, 2, 1), None);
        assert_eq!(mul_div(1, 1, 0), None);
    }

    #[test]
    fn halves_round_up() {
        assert_eq!(round_half_up(5, 2), Some(3));
        assert_eq!(round_half_up(4, 3), Some(1));
        assert_eq!(round_half_up(5, 3), Some(2));
        assert_eq!(round_half_up(1, 0), None);
    }
}
