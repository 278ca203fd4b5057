//! The world's only source of randomness: ChaCha8 seeded from a `u64`.
//!
//! ChaCha8 gives the same stream on every platform (unlike `SmallRng`), and callers draw
//! fixed-width integers only, never `usize`, so wasm32 and native runs agree bit for bit.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimRng {
    seed: u64,
    inner: ChaCha8Rng,
}

impl SimRng {
    pub fn from_seed(seed: u64) -> Self {
        Self {
            seed,
            inner: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in `[0, bound)`; `bound` of 0 yields 0.
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            0
        } else {
            self.inner.random_range(0..bound)
        }
    }

    /// `len` characters drawn from `[A-Za-z0-9]`, for tokens and version ids.
    pub fn alphanumeric(&mut self, len: u32) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len).map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char).collect()
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.inner.random::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (SimRng::from_seed(7), SimRng::from_seed(7));
        let xs: Vec<u64> = (0..16).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..16).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn stream_is_fixed_across_platforms() {
        // Pinned value: if this changes, every saved scenario would replay differently.
        let first = SimRng::from_seed(0).next_u64();
        assert_eq!(first, EXPECTED_FIRST_DRAW_SEED_0, "ChaCha8 stream changed");
    }

    const EXPECTED_FIRST_DRAW_SEED_0: u64 = 13_080_132_717_333_068_652;

    #[test]
    fn below_and_unit_stay_in_range() {
        let mut r = SimRng::from_seed(3);
        for _ in 0..1000 {
            assert!(r.below(10) < 10);
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(r.below(0), 0);
        let token = r.alphanumeric(64);
        assert_eq!(token.len(), 64);
        assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
