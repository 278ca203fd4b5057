//! Partition key strategies: how a producer spreads its records over shards.

use crate::engine::config_json::{ConfigError, ConfigObject};
use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "strategy", rename_all = "snake_case")]
pub enum KeyStrategy {
    /// The record's own key: user id, ticker or player id.
    Natural,
    /// A fresh random key per record: even spread, no per-key order.
    Random,
    /// One of `count` fixed keys: fewer keys than shards leaves shards idle.
    Few { count: u32 },
    /// `share` of the records carry one hot key, the rest their natural key.
    Hot { key: String, share: f64 },
    /// Entities ranked by popularity: rank r is chosen with weight 1/r^s.
    Zipf {
        s: f64,
        entities: u32,
        /// Cumulative weights, normalised to end at 1; rebuilt from `s` and `entities`.
        #[serde(skip)]
        cdf: Vec<f64>,
    },
}

/// What a strategy decided for one record before the record was generated.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyChoice {
    /// Use the generated record's natural key; the entity is fixed when Zipf ranked it.
    Natural { entity: Option<u64> },
    Fixed(String),
}

impl KeyStrategy {
    /// Reads `keys` of a producer config; `population` is how many natural entities exist.
    pub fn from_config(keys: Option<ConfigObject>, population: u64) -> Result<Self, ConfigError> {
        let Some(keys) = keys else { return Ok(Self::Natural) };
        Ok(match keys.choice("strategy", &["natural", "random", "few", "hot", "zipf"], Some("natural"))? {
            "random" => Self::Random,
            "few" => Self::Few { count: keys.whole("count", 1, 10_000, 4)? as u32 },
            "hot" => Self::Hot {
                key: keys.str("hotKey")?.unwrap_or("hot-key").to_string(),
                share: keys.number("hotShare", 0.0, 1.0, 0.8)?,
            },
            "zipf" => {
                let s = keys.number("zipfS", 0.0, 10.0, 1.2)?;
                let entities = keys.whole("zipfKeys", 1, population, population.min(1_000))? as u32;
                Self::Zipf { s, entities, cdf: zipf_cdf(s, entities) }
            }
            _ => Self::Natural,
        })
    }

    /// Rebuilds the Zipf weights a saved world leaves out, within the sizes a configuration
    /// allows (1 to `population` entities).
    pub fn restore_derived(&mut self, population: u64) -> Result<(), String> {
        if let Self::Zipf { s, entities, cdf } = self {
            if !(1..=population).contains(&u64::from(*entities)) || !(0.0..=10.0).contains(s) {
                return Err(format!("keys.zipfKeys must be 1 to {population} and keys.zipfS 0 to 10; got {entities} and {s}"));
            }
            *cdf = zipf_cdf(*s, *entities);
        }
        Ok(())
    }

    pub fn choose<R: Rng + ?Sized>(&self, rng: &mut R) -> KeyChoice {
        match self {
            Self::Natural => KeyChoice::Natural { entity: None },
            Self::Random => KeyChoice::Fixed(format!("{:032x}", rng.random::<u128>())),
            Self::Few { count } => KeyChoice::Fixed(format!("key-{}", rng.random_range(0..*count))),
            Self::Hot { key, share } => {
                if rng.random::<f64>() < *share {
                    KeyChoice::Fixed(key.clone())
                } else {
                    KeyChoice::Natural { entity: None }
                }
            }
            Self::Zipf { cdf, .. } => {
                let u = rng.random::<f64>();
                KeyChoice::Natural { entity: Some(cdf.partition_point(|c| *c <= u).min(cdf.len().saturating_sub(1)) as u64) }
            }
        }
    }
}

/// libm's `pow` is the same Rust code on every target, unlike the platform libm behind
/// `f64::powf`, so the weights (and every key drawn from them) match on native and wasm32.
fn zipf_cdf(s: f64, entities: u32) -> Vec<f64> {
    let mut total = 0.0;
    let mut cdf: Vec<f64> = (1..=entities)
        .map(|rank| {
            total += 1.0 / libm::pow(f64::from(rank), s);
            total
        })
        .collect();
    for c in &mut cdf {
        *c /= total;
    }
    cdf
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn zipf_ranks_follow_their_weights() {
        let keys = KeyStrategy::Zipf { s: 1.0, entities: 100, cdf: zipf_cdf(1.0, 100) };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0u32; 100];
        for _ in 0..100_000 {
            if let KeyChoice::Natural { entity: Some(e) } = keys.choose(&mut rng) {
                counts[e as usize] += 1;
            }
        }
        // Rank 1 is twice rank 2 and ten times rank 10 under s = 1.
        let ratio = f64::from(counts[0]) / f64::from(counts[1]);
        assert!((1.8..2.2).contains(&ratio), "rank1/rank2 = {ratio}");
        assert!(counts[0] > 8 * counts[9]);
        assert_eq!(counts.iter().sum::<u32>(), 100_000);
    }
}
