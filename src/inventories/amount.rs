//! Quantities and prices summed as the CRM holds them: each number taken as the decimal it was sent as, so a total of
//! `0.1` and `0.2` is `0.3`, not `0.30000000000000004`.

/// A running sum of decimals. Each number counts as its shortest decimal form (what the CRM sent: `0.125`, `1.999`),
/// added exactly; past 38 digits (or on a number that is not finite) it falls back to float addition.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExactSum {
    /// The sum in units of `10^-scale`, while it is exact.
    units: Option<i128>,
    scale: u32,
    /// The same sum in float arithmetic: the answer once the exact one no longer fits.
    float: f64,
    /// Whether a number did not fit (then `float` is the answer).
    inexact: bool,
}

/// A number as its decimal digits: `units × 10^-scale`.
fn decimal(value: f64) -> Option<(i128, u32)> {
    if !value.is_finite() {
        return None;
    }
    // `Display` of f64 is the shortest form that reads back as the same number, and never has an exponent.
    let text = value.to_string();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let scale = u32::try_from(fraction.len()).ok()?;
    let mut units: i128 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        units = units
            .checked_mul(10)?
            .checked_add(i128::from(b.checked_sub(b'0')?))?;
    }
    Some((if negative { -units } else { units }, scale))
}

fn scaled(units: i128, from: u32, to: u32) -> Option<i128> {
    units.checked_mul(10i128.checked_pow(to.checked_sub(from)?)?)
}

impl ExactSum {
    /// Adds `value`.
    pub fn add(&mut self, value: f64) {
        self.float += value;
        if self.inexact {
            return;
        }
        let sum = decimal(value).and_then(|(units, scale)| {
            let to = scale.max(self.scale);
            let total = scaled(self.units.unwrap_or(0), self.scale, to)?;
            Some((total.checked_add(scaled(units, scale, to)?)?, to))
        });
        match sum {
            Some((units, scale)) => {
                self.units = Some(units);
                self.scale = scale;
            }
            None => self.inexact = true,
        }
    }

    /// The sum: the float nearest the exact decimal (whose shortest form is that decimal), 0 for nothing.
    pub fn value(&self) -> f64 {
        let Some(units) = self.units.filter(|_| !self.inexact) else {
            return self.float;
        };
        let digits = units.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        let sign = if units < 0 { "-" } else { "" };
        crate::decimal::parse(&format!("{sign}{whole}.{fraction}0")).unwrap_or(self.float)
    }
}

/// The exact sum of `values` (see [`ExactSum`]).
pub fn exact_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut sum = ExactSum::default();
    for value in values {
        sum.add(value);
    }
    sum.value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_add_up_without_float_noise() {
        assert_ne!(0.1 + 0.2, 0.3, "the float noise this avoids");
        assert_eq!(exact_sum([0.1, 0.2]), 0.3);
        assert_eq!(exact_sum([0.125, 1.999]), 2.124);
        assert_eq!(exact_sum([0.1; 10]), 1.0);
        assert_eq!(exact_sum([5.0, 2.5, 120.0]), 127.5);
        assert_eq!(exact_sum([1.005, -0.005]), 1.0);
        assert_eq!(exact_sum([-0.3, 0.1]), -0.2);
        assert_eq!(exact_sum([]), 0.0);
        assert_eq!(exact_sum([272.64, 0.36]).to_string(), "273");
        assert_eq!(exact_sum([0.0001, 0.0002]).to_string(), "0.0003");
    }

    #[test]
    fn beyond_i128_or_not_finite_it_adds_floats() {
        assert_eq!(exact_sum([1e300, 1.0]), 1e300);
        assert!(exact_sum([f64::NAN, 1.0]).is_nan());
        assert_eq!(exact_sum([f64::INFINITY, 1.0]), f64::INFINITY);
        // A huge and a tiny number: the exact form would need more than 38 digits.
        assert_eq!(exact_sum([1e30, 1e-10]), 1e30 + 1e-10);
        // Big whole numbers stay exact.
        assert_eq!(exact_sum([999_999_999_999.0, 1.0]), 1_000_000_000_000.0);
    }

    #[test]
    fn a_running_sum_gives_the_same() {
        let mut sum = ExactSum::default();
        for v in [0.7, 0.1, 0.2] {
            sum.add(v);
        }
        assert_eq!(sum.value(), 1.0);
        assert_eq!(ExactSum::default().value(), 0.0);
    }
}
