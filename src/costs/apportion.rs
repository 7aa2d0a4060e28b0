//! Exact apportionment: splitting a whole number of minor units among
//! claimants in proportion to integer weights, so that the parts add up to the
//! whole exactly and each part is within one minor unit of its exact quota.
//!
//! The method is described on [`largest_remainder`].

use std::fmt;

use serde::{Serialize, Serializer};
use thiserror::Error;

use super::big::Big;

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
    /// An intermediate product or sum does not fit in the width worked in
    /// (the crate's questions then work it again in integers of any length,
    /// so they never return it).
    #[error("apportionment overflows 128-bit arithmetic")]
    Overflow,
}

/// A claimant's exact quota in minor units: a whole number of minor units
/// and a fraction of one, `whole + remainder / denominator`.
///
/// Displayed and serialised as the reduced fraction, such as `"10000/3"` for
/// a third of £100.00 (`"600000000"` when whole); a quota whose numerator
/// would not fit in 128 bits is written as a whole number and a fraction,
/// `"1234+5/7"`, the fraction's terms as long as they need to be. Two quotas
/// are equal when their values are.
#[derive(Debug, Clone)]
pub struct Quota {
    whole: u128,
    fraction: Fraction,
}

/// The fraction of a minor unit above a quota's whole: in 128 bits where
/// it fits, else in digits of any length.
#[derive(Debug, Clone)]
enum Fraction {
    Small { remainder: u128, denominator: u128 },
    Large { remainder: Big, denominator: Big },
}

impl Fraction {
    fn is_zero(&self) -> bool {
        match self {
            Fraction::Small { remainder, .. } => *remainder == 0,
            Fraction::Large { remainder, .. } => remainder.is_zero(),
        }
    }

    /// The terms, reduced, in digits of any length.
    fn reduced_big(&self) -> (Big, Big) {
        let (r, d) = match self {
            Fraction::Small {
                remainder,
                denominator,
            } => (Big::from_u128(*remainder), Big::from_u128(*denominator)),
            Fraction::Large {
                remainder,
                denominator,
            } => (remainder.clone(), denominator.clone()),
        };
        let g = r.gcd(&d);
        match (r.div_rem(&g), d.div_rem(&g)) {
            (Some((r, _)), Some((d, _))) => (r, d),
            // A zero gcd means a zero denominator, which no quota has.
            _ => (r, d),
        }
    }
}

impl Quota {
    /// The quota as a reduced fraction `(numerator, denominator)` of minor
    /// units, or `None` when either term does not fit in 128 bits.
    #[must_use]
    pub fn reduced(&self) -> Option<(u128, u128)> {
        let (r, d) = self.fraction()?;
        let n = self.whole.checked_mul(d)?.checked_add(r)?;
        Some((n, d))
    }

    /// The whole minor units of the quota, rounded down.
    #[must_use]
    pub fn floor(&self) -> u128 {
        self.whole
    }

    /// The fraction of a minor unit above [`Quota::floor`], reduced, as
    /// `(numerator, denominator)`: `(0, 1)` for a whole quota; `None` when
    /// its reduced terms do not fit in 128 bits.
    #[must_use]
    pub fn fraction(&self) -> Option<(u128, u128)> {
        match &self.fraction {
            Fraction::Small {
                remainder,
                denominator,
            } => {
                let g = gcd(*remainder, *denominator).max(1);
                Some((
                    remainder.checked_div(g)?,
                    denominator.checked_div(g)?.max(1),
                ))
            }
            large @ Fraction::Large { .. } => {
                let (r, d) = large.reduced_big();
                Some((r.to_u128()?, d.to_u128()?.max(1)))
            }
        }
    }

    /// Whether `amount` minor units lie strictly within one minor unit of the
    /// quota: `|amount - quota| < 1`.
    #[must_use]
    pub fn is_within_one_unit(&self, amount: i64) -> bool {
        let Ok(amount) = u128::try_from(amount) else {
            return false;
        };
        amount == self.whole
            || (!self.fraction.is_zero() && Some(amount) == self.whole.checked_add(1))
    }
}

impl PartialEq for Quota {
    fn eq(&self, other: &Quota) -> bool {
        self.whole == other.whole
            && match (&self.fraction, &other.fraction) {
                (Fraction::Small { .. }, Fraction::Small { .. }) => {
                    self.fraction() == other.fraction()
                }
                (a, b) => a.reduced_big() == b.reduced_big(),
            }
    }
}

impl Eq for Quota {}

impl fmt::Display for Quota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reduced() {
            Some((n, 1)) => write!(f, "{n}"),
            Some((n, d)) => write!(f, "{n}/{d}"),
            None => {
                let (r, d) = self.fraction.reduced_big();
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

/// Exact unsigned arithmetic for apportioning, so one method serves two
/// widths: `u128`, checked (`None` on overflow), which is fast and holds
/// nearly every real case, and [`Big`], which never overflows, for the rest.
pub(crate) trait Exact: Clone + Ord {
    fn of(x: u128) -> Self;
    fn is_zero(&self) -> bool;
    fn plus(&self, o: &Self) -> Option<Self>;
    fn times(&self, o: &Self) -> Option<Self>;
    /// The exact quotient and remainder; `None` for a zero divisor.
    fn div_rem(&self, d: &Self) -> Option<(Self, Self)>;
    fn gcd(&self, o: &Self) -> Self;
    /// `a × self / d` as whole units (which fit in 128 bits when `self <=
    /// d`) and the remainder over `d`.
    fn scaled(&self, a: u128, d: &Self) -> Option<(u128, Self)>;
    fn quota(whole: u128, remainder: Self, denominator: Self) -> Quota;

    /// One, when zero; else itself: a divisor that divides nothing away.
    fn or_one(self) -> Self {
        if self.is_zero() { Self::of(1) } else { self }
    }
}

impl Exact for u128 {
    fn of(x: u128) -> Self {
        x
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn plus(&self, o: &Self) -> Option<Self> {
        self.checked_add(*o)
    }
    fn times(&self, o: &Self) -> Option<Self> {
        self.checked_mul(*o)
    }
    fn div_rem(&self, d: &Self) -> Option<(Self, Self)> {
        Some((self.checked_div(*d)?, self.checked_rem(*d)?))
    }
    fn gcd(&self, o: &Self) -> Self {
        gcd(*self, *o)
    }
    fn scaled(&self, a: u128, d: &Self) -> Option<(u128, Self)> {
        mul_div(a, *self, *d)
    }
    fn quota(whole: u128, remainder: Self, denominator: Self) -> Quota {
        Quota {
            whole,
            fraction: Fraction::Small {
                remainder,
                denominator,
            },
        }
    }
}

impl Exact for Big {
    fn of(x: u128) -> Self {
        Big::from_u128(x)
    }
    fn is_zero(&self) -> bool {
        Big::is_zero(self)
    }
    fn plus(&self, o: &Self) -> Option<Self> {
        Some(self.add(o))
    }
    fn times(&self, o: &Self) -> Option<Self> {
        Some(self.mul(o))
    }
    fn div_rem(&self, d: &Self) -> Option<(Self, Self)> {
        Big::div_rem(self, d)
    }
    fn gcd(&self, o: &Self) -> Self {
        Big::gcd(self, o)
    }
    fn scaled(&self, a: u128, d: &Self) -> Option<(u128, Self)> {
        let product = Big::from_u128(a).mul(self);
        if self > d || d.is_zero() {
            let (q, r) = product.div_rem(d)?;
            return Some((q.to_u128()?, r));
        }
        // A quotient of at most `a` has 128 bits at most: that many steps of
        // shift and subtract, not one per bit of the product.
        let mut rem = product;
        let mut q = 0u128;
        for bit in (0..u128::BITS).rev() {
            if let Some(less) = rem.sub(&d.shl(bit as usize)) {
                rem = less;
                q |= 1 << bit;
            }
        }
        Some((q, rem))
    }
    fn quota(whole: u128, remainder: Self, denominator: Self) -> Quota {
        // Kept in 128 bits when it fits, so equal quotas look alike.
        match (remainder.to_u128(), denominator.to_u128()) {
            (Some(remainder), Some(denominator)) => u128::quota(whole, remainder, denominator),
            _ => Quota {
                whole,
                fraction: Fraction::Large {
                    remainder,
                    denominator,
                },
            },
        }
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
        return Some((p.checked_div(d)?, p.checked_rem(d)?));
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
///    `total × weight` worked out in 256 bits; a sum that does not fit is
///    worked again in integers of any length, so nothing overflows);
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
/// Computes in **O(n log n)** for `n` claimants (times the length of the
/// numbers, in the rare case they outgrow 128 bits).
///
/// # Errors
///
/// [`ApportionError::NegativeTotal`] for a negative total;
/// [`ApportionError::NoWeight`] when `total` is not zero but the weights add
/// up to zero.
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
    match split(total, weights) {
        Err(ApportionError::Overflow) => {
            let wide: Vec<Big> = weights.iter().map(|w| Big::from_u128(*w)).collect();
            split(total, &wide)
        }
        other => other,
    }
}

/// [`largest_remainder`] in the width `N`: [`ApportionError::Overflow`]
/// when a value outgrows it.
pub(crate) fn split<N: Exact>(
    total: i64,
    weights: &[N],
) -> Result<Vec<Allocation>, ApportionError> {
    let whole = u128::try_from(total).map_err(|_| ApportionError::NegativeTotal(total))?;
    let divisor = gcd_all(weights.iter().cloned()).or_one();
    let reduced: Vec<N> = weights
        .iter()
        .map(|w| w.div_rem(&divisor).map(|(q, _)| q))
        .collect::<Option<_>>()
        .ok_or(ApportionError::Overflow)?;
    let denominator = reduced
        .iter()
        .try_fold(N::of(0), |sum, w| sum.plus(w))
        .ok_or(ApportionError::Overflow)?;
    if denominator.is_zero() {
        return if total == 0 {
            Ok(weights
                .iter()
                .map(|_| Allocation {
                    amount: 0,
                    quota: u128::quota(0, 0, 1),
                })
                .collect())
        } else {
            Err(ApportionError::NoWeight { total })
        };
    }
    let mut parts = Vec::with_capacity(weights.len());
    let mut given: u128 = 0;
    for w in &reduced {
        let (floor, remainder) = w
            .scaled(whole, &denominator)
            .ok_or(ApportionError::Overflow)?;
        given = given.checked_add(floor).ok_or(ApportionError::Overflow)?;
        parts.push((floor, remainder));
    }
    // Fewer units are left over than there are claimants, since each floor
    // loses less than one.
    let left_over = whole
        .checked_sub(given)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(ApportionError::Overflow)?;
    let mut extra = vec![false; parts.len()];
    if left_over > 0 {
        // Largest remainder first; equal remainders in claimant order.
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by(|&a, &b| {
            let rem = |i: usize| parts.get(i).map(|p| &p.1);
            rem(b).cmp(&rem(a)).then(a.cmp(&b))
        });
        for i in order.into_iter().take(left_over) {
            if let Some(e) = extra.get_mut(i) {
                *e = true;
            }
        }
    }
    parts
        .into_iter()
        .zip(extra)
        .map(|((floor, remainder), extra)| {
            // floor <= total, which is an i64.
            let amount = i64::try_from(floor).map_err(|_| ApportionError::Overflow)?;
            Ok(Allocation {
                amount: amount.saturating_add(i64::from(extra)),
                quota: N::quota(floor, remainder, denominator.clone()),
            })
        })
        .collect()
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
/// [`ApportionError::Overflow`] when a value outgrows the width `N`.
pub(crate) fn blend<N: Exact>(
    parts: &[(N, Vec<N>)],
    claimants: usize,
) -> Result<Vec<N>, ApportionError> {
    let overflow = ApportionError::Overflow;
    let divide = |a: &N, b: &N| a.div_rem(b).map(|(q, _)| q).ok_or(overflow.clone());
    let mut reduced: Vec<(N, Vec<N>, N)> = Vec::with_capacity(parts.len());
    let part_gcd = gcd_all(parts.iter().map(|(p, _)| p.clone())).or_one();
    for (weight, ws) in parts {
        if weight.is_zero() {
            continue;
        }
        let g = gcd_all(ws.iter().cloned()).or_one();
        let ws = ws
            .iter()
            .map(|w| divide(w, &g))
            .collect::<Result<Vec<N>, _>>()?;
        let total = ws
            .iter()
            .try_fold(N::of(0), |s, w| s.plus(w))
            .ok_or(overflow.clone())?;
        if total.is_zero() {
            return Err(ApportionError::NoWeight { total: 0 });
        }
        reduced.push((divide(weight, &part_gcd)?, ws, total));
    }
    let mut lcm = N::of(1);
    for (_, _, total) in &reduced {
        lcm = divide(&lcm, &lcm.gcd(total))?
            .times(total)
            .ok_or(overflow.clone())?;
    }
    let mut combined = vec![N::of(0); claimants];
    for (weight, ws, total) in &reduced {
        let scale = weight
            .times(&divide(&lcm, total)?)
            .ok_or(overflow.clone())?;
        for (c, w) in combined.iter_mut().zip(ws) {
            *c = w
                .times(&scale)
                .and_then(|x| c.plus(&x))
                .ok_or(overflow.clone())?;
        }
    }
    Ok(combined)
}

/// The greatest common divisor of all `values` (0 for none or all zero),
/// stopping as soon as it reaches 1.
pub(crate) fn gcd_all<N: Exact>(values: impl IntoIterator<Item = N>) -> N {
    let one = N::of(1);
    let mut g = N::of(0);
    for v in values {
        g = g.gcd(&v);
        if g == one {
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
    // a is not zero here: a zero returned above.
    b = b.checked_rem(a).unwrap_or(0);
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
        // a <= b after the swap, so this does not go below zero.
        b = b.saturating_sub(a);
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
    let q = numerator.checked_div(denominator)?;
    let r = numerator.checked_rem(denominator)?;
    // r >= denominator - r is r*2 >= denominator without overflow (r is
    // below the denominator).
    if r >= denominator.saturating_sub(r) {
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
    fn both_widths_split_alike() {
        // The long integers give what 128 bits give wherever both can.
        let cases: [(i64, &[u128]); 4] = [
            (10_000, &[1, 1, 1]),
            (100, &[2, 3, 7]),
            (i64::MAX, &[u128::MAX / 2, u128::MAX / 3]),
            (987_654_321, &[365 * 1_000_000, 182 * 2_000_000, 0, 17]),
        ];
        for (total, weights) in cases {
            let wide: Vec<Big> = weights.iter().map(|w| Big::from_u128(*w)).collect();
            assert_eq!(
                split(total, weights),
                split(total, &wide),
                "{total} {weights:?}"
            );
        }
    }

    #[test]
    fn halves_round_up() {
        assert_eq!(round_half_up(5, 2), Some(3));
        assert_eq!(round_half_up(4, 3), Some(1));
        assert_eq!(round_half_up(5, 3), Some(2));
        assert_eq!(round_half_up(1, 0), None);
    }
}
