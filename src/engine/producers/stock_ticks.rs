//! Stock ticks: each ticker's price walks randomly around its opening price.
//!
//! The walk is a pure function of (seed, ticker, tick number): a sum of octaves of hashed
//! noise, each twice as long and sqrt(2) times as tall as the one before, which wanders like a
//! random walk yet lets any tick be regenerated on its own. Only `+ * / sqrt` on f64 are used,
//! which IEEE 754 defines exactly, so native and wasm32 agree.

use super::generator::{splitmix, Draws, Generated, Moment};
use rand::Rng;
use std::fmt::Write;

/// Ticker and opening price in cents, from the exchanges the course's audience follows.
pub const TICKERS: [(&str, u64); 12] = [
    ("AMZN", 18_500),
    ("AAPL", 19_000),
    ("MSFT", 41_000),
    ("GOOGL", 17_000),
    ("TSLA", 24_000),
    ("NVDA", 12_000),
    ("PETR4", 3_800),
    ("VALE3", 6_100),
    ("ITUB4", 3_300),
    ("SAN", 420),
    ("TEF", 410),
    ("ITX", 4_700),
];

const OCTAVES: u32 = 16;
/// Size of one step of the shortest octave, relative to the opening price.
const STEP: f64 = 0.0004;

/// Noise in [-1, 1] at one lattice point of one octave.
fn lattice(seed: u64, ticker: u64, octave: u32, cell: u64) -> f64 {
    let h = splitmix(seed ^ splitmix(ticker << 8 | u64::from(octave)) ^ splitmix(cell));
    (h >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Price in cents of `ticker` at its `tick`-th quote.
pub fn price_cents(seed: u64, ticker: usize, tick: u64) -> u64 {
    let open = TICKERS[ticker % TICKERS.len()].1 as f64;
    let mut drift = 0.0;
    let mut amplitude = STEP;
    for octave in 0..OCTAVES {
        let span = 1u64 << octave;
        let (cell, offset) = (tick / span, tick % span);
        let t = offset as f64 / span as f64;
        let (a, b) = (lattice(seed, ticker as u64, octave, cell), lattice(seed, ticker as u64, octave, cell + 1));
        drift += amplitude * (a + (b - a) * t);
        amplitude *= std::f64::consts::SQRT_2;
    }
    (open * (1.0 + drift)).round().max(1.0) as u64
}

/// Writes a quote into `json`. Key: the ticker (a quote has no other natural key). `ticker` is
/// the ranked ticker when a key strategy chose one.
pub fn generate<W: Write>(rng: &mut Draws, seed: u64, index: u64, at: &Moment, ticker: Option<u64>, json: &mut W) -> Generated {
    let ticker = ticker.map_or_else(|| rng.random_range(0..TICKERS.len() as u32) as usize, |t| (t % TICKERS.len() as u64) as usize);
    // Ticks of one ticker are spread over the producer's indexes; index itself orders them.
    let cents = price_cents(seed, ticker, index);
    let volume = rng.random_range(1..=50u32) * 100;
    let symbol = TICKERS[ticker].0;
    // Written directly rather than through serde_json::Value: this runs for every record.
    let _ = write!(json, r#"{{"ticker":"{symbol}","price":{}.{:02},"volume":{volume},"timestamp":"{}"}}"#, cents / 100, cents % 100, at.iso);
    Generated { natural_key: symbol.to_string(), alternate_key: symbol.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_wander_but_move_little_between_ticks() {
        let prices: Vec<u64> = (0..5_000).map(|t| price_cents(7, 0, t)).collect();
        let steps = prices.windows(2).map(|w| w[0].abs_diff(w[1])).max().unwrap();
        assert!(steps <= 100, "a tick moves AMZN by at most a dollar, moved {steps} cents");
        let (lo, hi) = (prices.iter().min().unwrap(), prices.iter().max().unwrap());
        assert!(hi - lo > 100, "the walk wanders: {lo}..{hi}");
        assert_eq!(price_cents(7, 0, 1234), prices[1234], "any tick can be regenerated alone");
    }
}
