//! Unsigned integers of any size, for the rare apportionment whose exact
//! common denominator outgrows 128 bits (blends of formulas revised part-way
//! through a year, with members there for different days, can multiply
//! several large totals together). Only what apportioning needs: adding,
//! multiplying, dividing, comparing, the greatest common divisor and
//! writing in decimal. Digits are 64 bits, least significant first, with no
//! leading zero digits, so equal values have equal digits.

// A 128-bit intermediate is split into 64-bit digits by design: the low
// half taken with `as u64`, the high half shifted down first, so nothing is
// lost.
#![allow(clippy::cast_possible_truncation)]

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct Big(Vec<u64>);

impl Big {
    pub(crate) fn from_u128(x: u128) -> Big {
        // Splitting into the low and high 64 bits.
        Big(vec![x as u64, (x >> 64) as u64]).trimmed()
    }

    /// The value, if it fits in 128 bits.
    pub(crate) fn to_u128(&self) -> Option<u128> {
        match self.0.as_slice() {
            [] => Some(0),
            [low] => Some(u128::from(*low)),
            [low, high] => Some(u128::from(*low) | (u128::from(*high) << 64)),
            _ => None,
        }
    }

    fn trimmed(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn digit(&self, i: usize) -> u64 {
        self.0.get(i).copied().unwrap_or(0)
    }

    fn bits(&self) -> usize {
        self.0.last().map_or(0, |top| {
            let below = self.0.len().saturating_sub(1).saturating_mul(64);
            below.saturating_add(u64::BITS.saturating_sub(top.leading_zeros()) as usize)
        })
    }

    fn bit(&self, i: usize) -> bool {
        (self.digit(i / 64) >> (i % 64)) & 1 == 1
    }

    pub(crate) fn add(&self, o: &Big) -> Big {
        let n = self.0.len().max(o.0.len());
        let mut out = Vec::with_capacity(n.saturating_add(1));
        let mut carry = 0u128;
        for i in 0..n {
            // Two digits and a carry of one are below 2^65: no wrap.
            let t = u128::from(self.digit(i))
                .wrapping_add(u128::from(o.digit(i)))
                .wrapping_add(carry);
            out.push(t as u64);
            carry = t >> 64;
        }
        out.push(carry as u64);
        Big(out).trimmed()
    }

    /// `self - o`, or `None` when `o` is larger.
    pub(crate) fn sub(&self, o: &Big) -> Option<Big> {
        if *self < *o {
            return None;
        }
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = false;
        for (i, a) in self.0.iter().enumerate() {
            let (t, b1) = a.overflowing_sub(o.digit(i));
            let (t, b2) = t.overflowing_sub(u64::from(borrow));
            out.push(t);
            borrow = b1 || b2;
        }
        Some(Big(out).trimmed())
    }

    pub(crate) fn mul(&self, o: &Big) -> Big {
        if self.is_zero() || o.is_zero() {
            return Big::default();
        }
        let mut out = vec![0u64; self.0.len().saturating_add(o.0.len())];
        for (i, a) in self.0.iter().enumerate() {
            let mut carry = 0u128;
            // Row i adds a × o into the digits from i on; one more digit
            // takes its last carry.
            let row = out.get_mut(i..).unwrap_or_default();
            for (slot, b) in row.iter_mut().zip(o.0.iter().copied().chain([0])) {
                // a × b + slot + carry <= (2^64 - 1)^2 + 2 (2^64 - 1) =
                // 2^128 - 1: no wrap.
                let t = u128::from(*a)
                    .wrapping_mul(u128::from(b))
                    .wrapping_add(u128::from(*slot))
                    .wrapping_add(carry);
                *slot = t as u64;
                carry = t >> 64;
            }
        }
        Big(out).trimmed()
    }

    fn shl1_or(&self, low: bool) -> Big {
        let mut out = Vec::with_capacity(self.0.len().saturating_add(1));
        let mut carry = u64::from(low);
        for d in &self.0 {
            out.push((d << 1) | carry);
            carry = d >> 63;
        }
        out.push(carry);
        Big(out).trimmed()
    }

    fn shr(&self, n: usize) -> Big {
        let (digits, bits) = (n / 64, n % 64);
        let rest = self.0.get(digits..).unwrap_or_default();
        let out = rest
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let high = if bits == 0 {
                    0
                } else {
                    rest.get(i.saturating_add(1))
                        .map_or(0, |h| h << 64usize.saturating_sub(bits))
                };
                (d >> bits) | high
            })
            .collect();
        Big(out).trimmed()
    }

    pub(crate) fn shl(&self, n: usize) -> Big {
        let (digits, bits) = (n / 64, n % 64);
        let mut out = vec![0u64; digits];
        let mut carry = 0u64;
        for d in &self.0 {
            out.push((d << bits) | carry);
            carry = if bits == 0 {
                0
            } else {
                d >> 64usize.saturating_sub(bits)
            };
        }
        out.push(carry);
        Big(out).trimmed()
    }

    fn trailing_zeros(&self) -> usize {
        let zeros = self.0.iter().take_while(|d| **d == 0).count();
        let next = self.0.get(zeros).map_or(0, |d| d.trailing_zeros() as usize);
        zeros.saturating_mul(64).saturating_add(next)
    }

    /// `self / d` and `self % d`, by long division a bit at a time; `None`
    /// when `d` is zero.
    pub(crate) fn div_rem(&self, d: &Big) -> Option<(Big, Big)> {
        if d.is_zero() {
            return None;
        }
        if self < d {
            return Some((Big::default(), self.clone()));
        }
        let mut quotient = vec![0u64; self.0.len()];
        let mut rem = Big::default();
        for i in (0..self.bits()).rev() {
            rem = rem.shl1_or(self.bit(i));
            if let Some(less) = rem.sub(d) {
                rem = less;
                if let Some(q) = quotient.get_mut(i / 64) {
                    *q |= 1 << (i % 64);
                }
            }
        }
        Some((Big(quotient).trimmed(), rem))
    }

    /// The greatest common divisor, by the binary method; `gcd(0, x) = x`.
    pub(crate) fn gcd(&self, o: &Big) -> Big {
        if self.is_zero() {
            return o.clone();
        }
        if o.is_zero() {
            return self.clone();
        }
        let (za, zb) = (self.trailing_zeros(), o.trailing_zeros());
        let mut a = self.shr(za);
        let mut b = o.shr(zb);
        loop {
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            b = b.sub(&a).unwrap_or_default();
            if b.is_zero() {
                return a.shl(za.min(zb));
            }
            b = b.shr(b.trailing_zeros());
        }
    }

    /// `self / d` and the remainder for a divisor of one digit.
    fn div_small(&self, d: u64) -> (Big, u64) {
        let d = u128::from(d.max(1));
        let mut out = Vec::with_capacity(self.0.len());
        let mut rem = 0u128;
        for digit in self.0.iter().rev() {
            // rem < d < 2^64, so the quotient digit fits in 64 bits.
            let t = (rem << 64) | u128::from(*digit);
            out.push(t.checked_div(d).unwrap_or(0) as u64);
            rem = t.checked_rem(d).unwrap_or(0);
        }
        out.reverse();
        (Big(out).trimmed(), rem as u64)
    }
}

impl Ord for Big {
    fn cmp(&self, o: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, o: &Big) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for Big {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Groups of 19 decimal digits, the most that fit in one digit.
        const TEN19: u64 = 10_000_000_000_000_000_000;
        let mut groups = Vec::new();
        let mut rest = self.clone();
        while !rest.is_zero() {
            let (q, r) = rest.div_small(TEN19);
            groups.push(r);
            rest = q;
        }
        match groups.split_last() {
            None => f.write_str("0"),
            Some((top, lower)) => {
                write!(f, "{top}")?;
                for g in lower.iter().rev() {
                    write!(f, "{g:019}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Big {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Big({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic stream of values of every size up to 128 bits.
    fn values() -> Vec<u128> {
        let mut out = vec![
            0,
            1,
            2,
            3,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            u128::MAX,
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u128;
        for i in 0..200 {
            state = state
                .wrapping_mul(0x2545_f491_4f6c_dd1d_2545_f491_4f6c_dd1d)
                .wrapping_add(1_442_695_040_888_963_407);
            out.push(state >> (i % 127));
        }
        out
    }

    #[test]
    fn arithmetic_agrees_with_u128_where_it_fits() {
        let vs = values();
        for &a in &vs {
            for &b in vs.iter().step_by(7) {
                let (x, y) = (Big::from_u128(a), Big::from_u128(b));
                assert_eq!(x.cmp(&y), a.cmp(&b));
                if let Some(s) = a.checked_add(b) {
                    assert_eq!(x.add(&y).to_u128(), Some(s));
                }
                if let Some(p) = a.checked_mul(b) {
                    assert_eq!(x.mul(&y).to_u128(), Some(p));
                }
                assert_eq!(x.sub(&y).map(|d| d.to_u128()), a.checked_sub(b).map(Some));
                let expected = a.checked_div(b).zip(a.checked_rem(b));
                let got = x
                    .div_rem(&y)
                    .map(|(q, r)| (q.to_u128().unwrap_or(0), r.to_u128().unwrap_or(0)));
                assert_eq!(got, expected, "{a} / {b}");
                assert_eq!(
                    x.gcd(&y).to_u128(),
                    Some(super::super::apportion::gcd(a, b))
                );
                assert_eq!(x.to_string(), a.to_string());
            }
        }
    }

    #[test]
    #[allow(
        clippy::many_single_char_names,
        reason = "the names of the algebra: a·b = p, p ÷ b = q rem r"
    )]
    fn products_beyond_128_bits_divide_back() {
        let vs = values();
        for &a in vs.iter().step_by(3) {
            for &b in vs.iter().step_by(11) {
                let (x, y) = (Big::from_u128(a), Big::from_u128(b));
                let p = x.mul(&y).mul(&x);
                if b > 0 && a > 0 {
                    let (q, r) = p.div_rem(&y).unwrap_or_default();
                    assert_eq!((q, r), (x.mul(&x), Big::default()));
                    assert_eq!(p.gcd(&x.mul(&x)), x.mul(&x));
                }
            }
        }
        // 2^192 in decimal.
        let two192 = Big::from_u128(1 << 96).mul(&Big::from_u128(1 << 96));
        assert_eq!(
            two192.to_string(),
            "6277101735386680763835789423207666416102355444464034512896"
        );
    }
}
