//! The 128-bit hash key space: partition key -> hash key -> shard.
//!
//! AWS maps a partition key to `MD5(utf8 bytes)` read as an unsigned big-endian 128-bit
//! integer (or takes `ExplicitHashKey` verbatim) and routes to the one open shard whose
//! inclusive range holds it. All arithmetic is `u128`, whose maximum is exactly 2^128-1.

use md5::{Digest, Md5};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An inclusive range of hash keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HashKeyRange {
    pub start: u128,
    pub end: u128,
}

impl HashKeyRange {
    pub const FULL: HashKeyRange = HashKeyRange {
        start: 0,
        end: u128::MAX,
    };

    pub fn contains(&self, hash_key: u128) -> bool {
        self.start <= hash_key && hash_key <= self.end
    }

    /// Midpoint AWS recommends as `NewStartingHashKey` when splitting evenly.
    pub fn midpoint(&self) -> u128 {
        self.start + (self.end - self.start) / 2
    }

    pub fn overlaps(&self, other: &HashKeyRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

impl Serialize for HashKeyRange {
    // Decimal strings, as AWS writes them: JSON numbers cannot hold 128 bits faithfully.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.start.to_string(), self.end.to_string()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for HashKeyRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (start, end) = <(String, String)>::deserialize(d)?;
        let key = |text: &str| text.parse::<u128>().map_err(|_| D::Error::custom(format!("hash key {text} is not a 128-bit decimal number")));
        let (start, end) = (key(&start)?, key(&end)?);
        if start > end {
            return Err(D::Error::custom(format!("hash key range {start}..{end} ends before it starts")));
        }
        Ok(Self { start, end })
    }
}

/// A partition key's identity where keys are compared by the million (a consumer's order
/// check, a KPL aggregate's key table): the top half of its MD5 hash key, an integer that
/// JSON numbers hold exactly. Two keys sharing it (odds about n²/2^65) would pass as one.
pub fn key_id(hash: u128) -> u64 {
    (hash >> 64) as u64
}

/// MD5 of the key's UTF-8 bytes as a big-endian u128.
pub fn hash_key(partition_key: &str) -> u128 {
    KEY_HASHES.with(|memo| memo.borrow_mut().hash(partition_key))
}

/// [`hash_key`] computed afresh, for callers that remember keys their own way.
pub fn md5_hash_key(partition_key: &[u8]) -> u128 {
    u128::from_be_bytes(Md5::digest(partition_key).into())
}

/// Distinct keys remembered before the memo starts over (about 3 MiB at most).
const MEMO_KEYS: usize = 1 << 16;

thread_local! {
    /// Writers, the KPL, the KCL and Lambda hash every record's key, and built-in producers
    /// draw keys from bounded sets (20,000 users, 12 tickers, 5,000 players): remembering each
    /// key's MD5 saves most of them. A pure function's cache, invisible in any output, so it
    /// lives outside the world's state (and its state hash).
    static KEY_HASHES: std::cell::RefCell<KeyHashMemo> = std::cell::RefCell::default();
}

#[derive(Default)]
struct KeyHashMemo {
    hashes: std::collections::HashMap<Box<str>, u128>,
}

impl KeyHashMemo {
    fn hash(&mut self, key: &str) -> u128 {
        if let Some(h) = self.hashes.get(key) {
            return *h;
        }
        let h = md5_hash_key(key.as_bytes());
        // Random keys never repeat: start over rather than grow without bound.
        if self.hashes.len() >= MEMO_KEYS {
            self.hashes.clear();
        }
        self.hashes.insert(key.into(), h);
        h
    }
}

/// Ranges of a new `n`-shard stream: steps of floor(2^128 / n), the remainder going to the last
/// shard, which always ends at 2^128-1. `n` of 0 yields no ranges.
pub fn even_ranges(n: u32) -> Vec<HashKeyRange> {
    if n <= 1 {
        return if n == 1 {
            vec![HashKeyRange::FULL]
        } else {
            Vec::new()
        };
    }
    let n128 = u128::from(n);
    // floor(2^128/n) computed without 2^128: it differs from floor((2^128-1)/n) by one exactly
    // when n divides 2^128 (n a power of two), i.e. when (2^128-1) mod n == n-1.
    let step = u128::MAX / n128 + u128::from(u128::MAX % n128 == n128 - 1);
    (0..n128)
        .map(|i| HashKeyRange {
            start: i * step,
            end: if i == n128 - 1 {
                u128::MAX
            } else {
                (i + 1) * step - 1
            },
        })
        .collect()
}

/// Parses a decimal hash key (the caller has already checked the `0|[1-9]\d{0,38}` syntax);
/// `None` when the value exceeds 2^128-1.
pub fn parse_hash_key(decimal: &str) -> Option<u128> {
    decimal.parse::<u128>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_answers_md5_for_more_keys_than_it_holds() {
        let md5 = |k: &str| u128::from_be_bytes(Md5::digest(k.as_bytes()).into());
        // Twice over, past the memo's capacity, so answers come both fresh and remembered.
        for _ in 0..2 {
            for i in 0..(MEMO_KEYS + 1_000) {
                let key = format!("key-{i}");
                assert_eq!(hash_key(&key), md5(&key), "{key}");
            }
        }
        assert_eq!(hash_key(""), md5(""));
    }

    fn ranges(n: u32) -> Vec<(String, String)> {
        even_ranges(n)
            .iter()
            .map(|r| (r.start.to_string(), r.end.to_string()))
            .collect()
    }

    const MAX: &str = "340282366920938463463374607431768211455";

    #[test]
    fn one_shard_covers_everything() {
        assert_eq!(ranges(1), vec![("0".into(), MAX.into())]);
    }

    #[test]
    fn two_shards_split_at_2_pow_127() {
        assert_eq!(
            ranges(2),
            vec![
                ("0".into(), "170141183460469231731687303715884105727".into()),
                ("170141183460469231731687303715884105728".into(), MAX.into()),
            ]
        );
    }

    #[test]
    fn three_shards_match_the_aws_cli_example() {
        assert_eq!(
            ranges(3),
            vec![
                ("0".into(), "113427455640312821154458202477256070484".into()),
                (
                    "113427455640312821154458202477256070485".into(),
                    "226854911280625642308916404954512140969".into()
                ),
                ("226854911280625642308916404954512140970".into(), MAX.into()),
            ]
        );
    }

    #[test]
    fn four_shards_step_by_2_pow_126() {
        let step = 1u128 << 126;
        let r = even_ranges(4);
        assert_eq!(r.len(), 4);
        for (i, range) in r.iter().enumerate() {
            assert_eq!(range.start, step * i as u128);
        }
        assert_eq!(
            r[0].end.to_string(),
            "85070591730234615865843651857942052863"
        );
        assert_eq!(r[3].end, u128::MAX);
    }

    #[test]
    fn sixteen_shards_match_a_real_stream() {
        let r = even_ranges(16);
        assert_eq!(
            r[7].start.to_string(),
            "148873535527910577765226390751398592512"
        );
        assert_eq!(
            r[7].end.to_string(),
            "170141183460469231731687303715884105727"
        );
        assert_eq!(r[15].end, u128::MAX);
    }

    #[test]
    fn five_shards_give_the_remainder_to_the_last() {
        let r = even_ranges(5);
        assert_eq!(
            (r[1].start - r[0].start).to_string(),
            "68056473384187692692674921486353642291"
        );
        assert_eq!(
            r[4].start.to_string(),
            "272225893536750770770699685945414569164"
        );
    }

    #[test]
    fn ranges_tile_the_space_for_many_sizes() {
        for n in 1..200 {
            let r = even_ranges(n);
            assert_eq!(r[0].start, 0);
            assert_eq!(r.last().map(|x| x.end), Some(u128::MAX));
            for pair in r.windows(2) {
                assert_eq!(pair[0].end + 1, pair[1].start);
            }
        }
    }

    #[test]
    fn worked_md5_examples_route_like_aws() {
        let cases = [
            ("a", "16955237001963240173058271559858726497", 0, 0),
            ("b", "195289424170611159128911017612795795343", 1, 2),
            ("e", "299611584147932843547128611849858313266", 2, 3),
            ("f", "190917122200326810055233066464581373159", 1, 2),
        ];
        let (three, four) = (even_ranges(3), even_ranges(4));
        for (key, decimal, of3, of4) in cases {
            let h = hash_key(key);
            assert_eq!(h.to_string(), decimal, "hash of {key}");
            assert!(three[of3].contains(h), "{key} on shard {of3} of 3");
            assert!(four[of4].contains(h), "{key} on shard {of4} of 4");
        }
        assert_eq!(
            format!("{:032x}", hash_key("a")),
            "0cc175b9c0f1b6a831c399e269772661"
        );
    }

    #[test]
    fn hash_keys_above_the_space_are_rejected() {
        assert_eq!(parse_hash_key(MAX), Some(u128::MAX));
        assert_eq!(
            parse_hash_key("340282366920938463463374607431768211456"),
            None
        );
    }
}
