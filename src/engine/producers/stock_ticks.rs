//! Stock ticks: each ticker's price walks randomly around its opening price.
//!
//! The walk is a pure function of (seed, ticker, tick number): a sum of octaves of hashed
//! noise, each twice as long and sqrt(2) times as tall as the one before, which wanders like a
//! random walk yet lets any tick be regenerated on its own. Only `+ * / sqrt` on f64 are used,
//! which IEEE 754 defines exactly, so native and wasm32 agree.

use super::generator::{splitmix, Draws, Generated, Json};
use super::keys::{decimal_len, PartitionKey};
use rand::Rng;

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

const OCTAVES: usize = 16;
/// Size of one step of the shortest octave, relative to the opening price.
const STEP: f64 = 0.0004;

/// Each octave's height: STEP, then sqrt(2) times the one before.
const AMPLITUDES: [f64; OCTAVES] = {
    let mut amplitudes = [STEP; OCTAVES];
    let mut octave = 1;
    while octave < OCTAVES {
        amplitudes[octave] = amplitudes[octave - 1] * std::f64::consts::SQRT_2;
        octave += 1;
    }
    amplitudes
};

/// The most all octaves together can move the drift.
const TOTAL_AMPLITUDE: f64 = {
    let (mut total, mut octave) = (0.0, 0);
    while octave < OCTAVES {
        total += AMPLITUDES[octave];
        octave += 1;
    }
    total
};

/// Noise in [-1, 1] at one lattice point of one octave.
fn lattice(seed: u64, ticker: u64, octave: usize, cell: u64) -> f64 {
    let h = splitmix(seed ^ splitmix(ticker << 8 | octave as u64) ^ splitmix(cell));
    (h >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// One octave's noise in [-1, 1] at `tick`: its lattice points either side, joined by a line.
fn octave_noise(seed: u64, ticker: usize, octave: usize, tick: u64) -> f64 {
    let span = 1u64 << octave;
    let (cell, offset) = (tick / span, tick % span);
    let t = offset as f64 / span as f64;
    let (a, b) = (lattice(seed, ticker as u64, octave, cell), lattice(seed, ticker as u64, octave, cell + 1));
    a + (b - a) * t
}

fn opening(ticker: usize) -> f64 {
    TICKERS[ticker % TICKERS.len()].1 as f64
}

/// Price in cents of `ticker` at its `tick`-th quote.
pub fn price_cents(seed: u64, ticker: usize, tick: u64) -> u64 {
    let drift = (0..OCTAVES).fold(0.0, |drift, octave| drift + AMPLITUDES[octave] * octave_noise(seed, ticker, octave, tick));
    (opening(ticker) * (1.0 + drift)).round().max(1.0) as u64
}

/// A quote's price, written as `dollars.cents`.
pub struct Price {
    pub seed: u64,
    pub ticker: usize,
    pub tick: u64,
}

impl Price {
    pub fn cents(&self) -> u64 {
        price_cents(self.seed, self.ticker, self.tick)
    }

    /// How many digits the dollars take. The walk's octaves are summed tallest first until
    /// every price the rest of them could still reach has as many digits: the noise is within
    /// [-1, 1], so the rest can move the drift by at most the sum of their heights. Most
    /// tickers never leave one decade and need no octave at all.
    pub fn dollar_digits(&self) -> usize {
        let open = opening(self.ticker);
        let (mut drift, mut rest) = (0.0, TOTAL_AMPLITUDE);
        for octave in (0..OCTAVES).rev() {
            // A cent either side covers rounding, to the cent and in the floating point sums.
            let low = (open * (1.0 + drift - rest) - 1.0).floor().max(1.0) as u64;
            let high = (open * (1.0 + drift + rest) + 1.0).ceil().max(1.0) as u64;
            if decimal_len(low / 100, 0) == decimal_len(high / 100, 0) {
                return decimal_len(low / 100, 0);
            }
            drift += AMPLITUDES[octave] * octave_noise(self.seed, self.ticker, octave, self.tick);
            rest -= AMPLITUDES[octave];
        }
        decimal_len(self.cents() / 100, 0)
    }
}

/// Writes a quote into `json`. Key: the ticker (a quote has no other natural key). `ticker` is
/// the ranked ticker when a key strategy chose one.
pub fn generate<J: Json>(rng: &mut Draws, seed: u64, index: u64, ticker: Option<u64>, json: &mut J) -> Generated {
    let ticker = ticker.map_or_else(|| rng.random_range(0..TICKERS.len() as u32) as usize, |t| (t % TICKERS.len() as u64) as usize);
    // Ticks of one ticker are spread over the producer's indexes; index itself orders them.
    let price = Price { seed, ticker, tick: index };
    let volume = rng.random_range(1..=50u32) * 100;
    let symbol = PartitionKey::Ticker(ticker);
    json.text(r#"{"ticker":""#).key(&symbol).text(r#"","price":"#).price(&price);
    json.text(r#","volume":"#).number(u64::from(volume), 0).text(r#","timestamp":""#).timestamp().text(r#""}"#);
    Generated { natural_key: symbol, alternate_key: symbol }
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

    #[test]
    fn dollar_digits_are_counted_without_the_price_and_agree_with_it() {
        for seed in [0, 7, u64::MAX] {
            for ticker in 0..TICKERS.len() {
                for tick in (0..200_000).step_by(37) {
                    let price = Price { seed, ticker, tick };
                    assert_eq!(price.dollar_digits(), decimal_len(price.cents() / 100, 0), "{seed} {ticker} {tick}");
                }
            }
        }
    }
}
