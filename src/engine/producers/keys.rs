//! Partition key strategies: how a producer spreads its records over shards.

use super::{stock_ticks, tweets};
use crate::engine::config_json::{ConfigError, ConfigObject};
use crate::engine::streams::hashing::md5_hash_key;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

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
    Hot {
        key: String,
        share: f64,
        /// The key's MD5, asked for per record; rebuilt from `key`.
        #[serde(skip)]
        hash: u128,
    },
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
pub enum KeyChoice<'a> {
    /// Use the generated record's natural key; the entity is fixed when Zipf ranked it.
    Natural { entity: Option<u64> },
    Fixed(PartitionKey<'a>),
}

impl KeyStrategy {
    /// Reads `keys` of a producer config; `population` is how many natural entities exist.
    pub fn from_config(keys: Option<ConfigObject>, population: u64) -> Result<Self, ConfigError> {
        let Some(keys) = keys else { return Ok(Self::Natural) };
        Ok(match keys.choice("strategy", &["natural", "random", "few", "hot", "zipf"], Some("natural"))? {
            "random" => Self::Random,
            "few" => Self::Few { count: keys.whole("count", 1, 10_000, 4)? as u32 },
            "hot" => Self::hot(keys.str("hotKey")?.unwrap_or("hot-key").to_string(), keys.number("hotShare", 0.0, 1.0, 0.8)?),
            "zipf" => {
                let s = keys.number("zipfS", 0.0, 10.0, 1.2)?;
                let entities = keys.whole("zipfKeys", 1, population, population.min(1_000))? as u32;
                Self::Zipf { s, entities, cdf: zipf_cdf(s, entities) }
            }
            _ => Self::Natural,
        })
    }

    pub fn hot(key: String, share: f64) -> Self {
        Self::Hot { hash: md5_hash_key(key.as_bytes()), key, share }
    }

    /// Rebuilds what a saved world leaves out: the Zipf weights, within the sizes a
    /// configuration allows (1 to `population` entities), and the hot key's hash.
    pub fn restore_derived(&mut self, population: u64) -> Result<(), String> {
        match self {
            Self::Zipf { s, entities, cdf } => {
                if !(1..=population).contains(&u64::from(*entities)) || !(0.0..=10.0).contains(s) {
                    return Err(format!("keys.zipfKeys must be 1 to {population} and keys.zipfS 0 to 10; got {entities} and {s}"));
                }
                *cdf = zipf_cdf(*s, *entities);
            }
            Self::Hot { key, hash, .. } => *hash = md5_hash_key(key.as_bytes()),
            Self::Natural | Self::Random | Self::Few { .. } => {}
        }
        Ok(())
    }

    pub fn choose<R: Rng + ?Sized>(&self, rng: &mut R) -> KeyChoice<'_> {
        match self {
            Self::Natural => KeyChoice::Natural { entity: None },
            Self::Random => KeyChoice::Fixed(PartitionKey::Random(rng.random::<u128>())),
            Self::Few { count } => KeyChoice::Fixed(PartitionKey::Few(rng.random_range(0..*count))),
            Self::Hot { key, share, hash } => {
                if rng.random::<f64>() < *share {
                    KeyChoice::Fixed(PartitionKey::Hot { text: key, hash: *hash })
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

/// A partition key known by what it names (a user, a match, a random number...): its text,
/// length and MD5 come without building a String, since a stream asks for them per record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionKey<'a> {
    /// A tweet's author: `u00042`.
    User(u64),
    /// A game's player: `p00042`.
    Player(u64),
    /// A game's match in its ten-minute window: `m004711-042`.
    Match { window: u64, number: u64 },
    /// A ticker symbol, by its place in [`stock_ticks::TICKERS`].
    Ticker(usize),
    /// A hashtag, by its place in [`tweets::HASHTAGS`].
    Hashtag(usize),
    /// 32 hex digits.
    Random(u128),
    /// `key-7`.
    Few(u32),
    /// The hot key, hashed once by its strategy.
    Hot { text: &'a str, hash: u128 },
}

/// Length of `n` in decimal, zero-padded to at least `width` digits.
pub(crate) fn decimal_len(n: u64, width: usize) -> usize {
    (n.checked_ilog10().unwrap_or(0) as usize + 1).max(width)
}

/// A generated key's text, built on the stack: room for the longest, a match of two 20-digit numbers.
struct KeyText {
    bytes: [u8; 48],
    len: usize,
}

impl KeyText {
    fn push(&mut self, text: &str) -> &mut Self {
        self.bytes[self.len..self.len + text.len()].copy_from_slice(text.as_bytes());
        self.len += text.len();
        self
    }

    /// `n` in decimal, zero-padded to `width` digits.
    fn decimal(&mut self, mut n: u64, width: usize) -> &mut Self {
        let end = self.len + decimal_len(n, width);
        for at in (self.len..end).rev() {
            self.bytes[at] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        self.len = end;
        self
    }

    fn hex(&mut self, n: u128) -> &mut Self {
        for (i, byte) in self.bytes[self.len..self.len + 32].iter_mut().enumerate() {
            *byte = b"0123456789abcdef"[(n >> (124 - 4 * i) & 0xf) as usize];
        }
        self.len += 32;
        self
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and the generators' own names are pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Which table of [`KEY_HASHES`] remembers a kind of key.
#[derive(Clone, Copy)]
enum Memo {
    Users,
    Players,
    Matches,
    Tickers,
    Hashtags,
    Few,
}

const MEMOS: usize = 6;

/// A remembered hash and the `tag` it is valid for (a match's window; 0 for keys that do not
/// change), [`Memoised::EMPTY`] until known.
#[derive(Clone, Copy)]
struct Memoised {
    tag: u64,
    hash: [u8; 16],
}

impl Memoised {
    const EMPTY: Self = Self { tag: u64::MAX, hash: [0; 16] };
}

/// Entries a table may hold: more than any population, few enough that a key numbered beyond
/// what generators draw is hashed afresh rather than grow a table without bound.
const MEMO_ENTRIES: u64 = 1 << 16;

thread_local! {
    /// Natural keys come from bounded sets (20,000 users, 5,000 players, 500 matches at a time,
    /// 12 tickers, 12 hashtags, at most 10,000 `few` keys): each key's MD5 is remembered by its
    /// number (at most 20,000 x 24 bytes a table). A pure function's cache, invisible in any
    /// output, so it lives outside the world's state.
    static KEY_HASHES: RefCell<[Vec<Memoised>; MEMOS]> = RefCell::new(std::array::from_fn(|_| Vec::new()));
}

impl PartitionKey<'_> {
    /// Where this key's hash is remembered: table, entry and tag.
    fn memo(&self) -> Option<(Memo, u64, u64)> {
        match *self {
            Self::User(user) => Some((Memo::Users, user, 0)),
            Self::Player(player) => Some((Memo::Players, player, 0)),
            Self::Match { window, number } => Some((Memo::Matches, number, window)),
            Self::Ticker(i) => Some((Memo::Tickers, i as u64, 0)),
            Self::Hashtag(i) => Some((Memo::Hashtags, i as u64, 0)),
            Self::Few(n) => Some((Memo::Few, u64::from(n), 0)),
            Self::Random(_) | Self::Hot { .. } => None,
        }
    }

    /// Calls `f` with the key's text.
    pub fn with_text<T>(&self, f: impl FnOnce(&str) -> T) -> T {
        let mut text = KeyText { bytes: [0; 48], len: 0 };
        match *self {
            Self::User(user) => text.push("u").decimal(user, 5),
            Self::Player(player) => text.push("p").decimal(player, 5),
            Self::Match { window, number } => text.push("m").decimal(window, 6).push("-").decimal(number, 3),
            Self::Ticker(i) => text.push(stock_ticks::TICKERS[i].0),
            Self::Hashtag(i) => text.push(tweets::HASHTAGS[i]),
            Self::Random(n) => text.hex(n),
            Self::Few(n) => text.push("key-").decimal(u64::from(n), 0),
            Self::Hot { text, .. } => return f(text),
        };
        f(text.as_str())
    }

    pub fn text(&self) -> String {
        self.with_text(str::to_owned)
    }

    /// The text's length in bytes, counted rather than written.
    pub fn text_len(&self) -> usize {
        match *self {
            Self::User(n) | Self::Player(n) => 1 + decimal_len(n, 5),
            Self::Match { window, number } => 2 + decimal_len(window, 6) + decimal_len(number, 3),
            Self::Ticker(i) => stock_ticks::TICKERS[i].0.len(),
            Self::Hashtag(i) => tweets::HASHTAGS[i].len(),
            Self::Random(_) => 32,
            Self::Few(n) => 4 + decimal_len(u64::from(n), 0),
            Self::Hot { text, .. } => text.len(),
        }
    }

    /// The key's MD5 as a hash key, remembered per key where keys repeat.
    pub fn hash(&self) -> u128 {
        let md5 = || self.with_text(|text| md5_hash_key(text.as_bytes()));
        match (*self, self.memo()) {
            (Self::Hot { hash, .. }, _) => hash,
            (_, Some((memo, entry, tag))) if entry < MEMO_ENTRIES && tag != Memoised::EMPTY.tag => KEY_HASHES.with(|tables| {
                let table = &mut tables.borrow_mut()[memo as usize];
                let entry = entry as usize;
                if let Some(known) = table.get(entry).filter(|m| m.tag == tag) {
                    return u128::from_ne_bytes(known.hash);
                }
                let hash = md5();
                if table.len() <= entry {
                    table.resize(entry + 1, Memoised::EMPTY);
                }
                table[entry] = Memoised { tag, hash: hash.to_ne_bytes() };
                hash
            }),
            _ => md5(),
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

    #[test]
    fn keys_are_counted_and_hashed_as_their_text() {
        use crate::engine::streams::hashing::hash_key;
        let keys = [
            PartitionKey::User(0),
            PartitionKey::User(123_456),
            PartitionKey::Player(u64::MAX),
            PartitionKey::Match { window: 4_711, number: 42 },
            PartitionKey::Match { window: 4_712, number: 42 },
            PartitionKey::Match { window: u64::MAX, number: u64::MAX },
            PartitionKey::Ticker(3),
            PartitionKey::Hashtag(9),
            PartitionKey::Random(0xab),
            PartitionKey::Random(u128::MAX),
            PartitionKey::Few(0),
            PartitionKey::Few(9_999),
            PartitionKey::Hot { text: "héllo", hash: md5_hash_key("héllo".as_bytes()) },
        ];
        // Twice: hashed afresh, then remembered.
        for _ in 0..2 {
            for key in keys {
                let text = key.text();
                assert_eq!(key.text_len(), text.len(), "{text}");
                assert_eq!(key.hash(), hash_key(&text), "{text}");
            }
        }
        let texts: Vec<String> = keys.iter().map(PartitionKey::text).collect();
        assert_eq!(texts[..4], ["u00000", "u123456", "p18446744073709551615", "m004711-042"]);
        assert_eq!(texts[8], "000000000000000000000000000000ab");
        assert_eq!(texts[10..], ["key-0", "key-9999", "héllo"]);
    }
}
