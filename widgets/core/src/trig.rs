//! Sine and cosine for drawing, without libm: Rust's `f64::sin` pulls about 6 KB of argument
//! reduction into every WebAssembly widget, which a picture does not need. Accurate to about
//! 1e-9 over any angle, far below a pixel.

use std::f64::consts::{PI, TAU};

/// `(sin x, cos x)`.
pub fn sin_cos(x: f64) -> (f64, f64) {
    // Reduce to [-π, π], then use the Taylor series (terms to x^23 / x^22).
    let mut r = x % TAU;
    if r > PI {
        r -= TAU;
    } else if r < -PI {
        r += TAU;
    }
    let r2 = r * r;
    let (mut s, mut c) = (r, 1.0);
    let (mut ts, mut tc) = (r, 1.0);
    for n in 1..=11 {
        let k = 2.0 * f64::from(n);
        ts *= -r2 / (k * (k + 1.0));
        tc *= -r2 / ((k - 1.0) * k);
        s += ts;
        c += tc;
    }
    (s, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_library() {
        let mut x = -20.0;
        while x < 20.0 {
            let (s, c) = sin_cos(x);
            assert!((s - x.sin()).abs() < 1e-9, "sin {x}: {s} vs {}", x.sin());
            assert!((c - x.cos()).abs() < 1e-9, "cos {x}: {c} vs {}", x.cos());
            x += 0.0137;
        }
    }
}
