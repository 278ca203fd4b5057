//! The three built-in record generators. A record is a pure function of (producer seed,
//! record index, time): its own ChaCha stream, so any record can be regenerated alone.

use super::keys::{KeyChoice, KeyStrategy};
use super::{game_events, stock_ticks, tweets};
use crate::engine::clock::format_iso8601_ms;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Tweets,
    StockTicks,
    GameEvents,
}

pub struct Generated {
    pub natural_key: String,
    /// The other natural key: a tweet's hashtag, a game event's match.
    pub alternate_key: String,
    pub json: String,
}

/// When records are created: the virtual time and its ISO 8601 form, formatted once per tick
/// for all the tick's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub ms: u64,
    pub iso: String,
}

impl Moment {
    pub fn at(ms: u64) -> Self {
        Self { ms, iso: format_iso8601_ms(ms) }
    }
}

/// One record ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub partition_key: String,
    pub data: Vec<u8>,
}

impl RecordKind {
    pub const NAMES: [&'static str; 3] = ["tweets", "stock_ticks", "game_events"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "tweets" => Some(Self::Tweets),
            "stock_ticks" => Some(Self::StockTicks),
            "game_events" => Some(Self::GameEvents),
            _ => None,
        }
    }

    /// How many distinct natural keys the generator draws from.
    pub fn population(self) -> u64 {
        match self {
            Self::Tweets => tweets::USERS,
            Self::StockTicks => stock_ticks::TICKERS.len() as u64,
            Self::GameEvents => game_events::PLAYERS,
        }
    }

    /// Record `index` of the producer seeded `seed`, created `at`, padded with a `pad` field
    /// up to `min_size` bytes when that is larger.
    pub fn record(self, seed: u64, index: u64, at: &Moment, keys: &KeyStrategy, use_alternate: bool, min_size: usize) -> UserRecord {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index);
        let choice = keys.choose(&mut rng);
        let entity = match &choice {
            KeyChoice::Natural { entity } => *entity,
            KeyChoice::Fixed(_) => None,
        };
        let generated = match self {
            Self::Tweets => tweets::generate(&mut rng, index, at, entity),
            Self::StockTicks => stock_ticks::generate(&mut rng, seed, index, at, entity),
            Self::GameEvents => game_events::generate(&mut rng, index, at, entity),
        };
        let partition_key = match choice {
            KeyChoice::Fixed(key) => key,
            KeyChoice::Natural { .. } if use_alternate => generated.alternate_key,
            KeyChoice::Natural { .. } => generated.natural_key,
        };
        let mut json = generated.json;
        if json.len() + 10 < min_size {
            // `,"pad":""` is 9 bytes on top of the padding itself.
            json.pop();
            json.push_str(",\"pad\":\"");
            json.push_str(&"x".repeat(min_size - json.len() - 2));
            json.push_str("\"}");
        }
        UserRecord { partition_key, data: json.into_bytes() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn batch(kind: RecordKind, seed: u64) -> Vec<UserRecord> {
        (0..200).map(|i| kind.record(seed, i, &Moment::at(1_767_225_600_000 + i * 10), &KeyStrategy::Natural, false, 0)).collect()
    }

    #[test]
    fn each_generator_is_deterministic_for_a_seed_and_produces_valid_varied_json() {
        for kind in [RecordKind::Tweets, RecordKind::StockTicks, RecordKind::GameEvents] {
            let a = batch(kind, 42);
            assert_eq!(a, batch(kind, 42), "{kind:?} repeats for one seed");
            assert_ne!(a, batch(kind, 43), "{kind:?} differs for another seed");
            let docs: Vec<Value> = a.iter().map(|r| serde_json::from_slice(&r.data).expect("valid JSON")).collect();
            let distinct_payloads: BTreeSet<&[u8]> = a.iter().map(|r| r.data.as_slice()).collect();
            let distinct_keys: BTreeSet<&str> = a.iter().map(|r| r.partition_key.as_str()).collect();
            assert_eq!(distinct_payloads.len(), a.len(), "{kind:?} payloads vary");
            assert!(distinct_keys.len() >= 10, "{kind:?} keys vary: {}", distinct_keys.len());
            let field = match kind {
                RecordKind::Tweets => "lang",
                RecordKind::StockTicks => "ticker",
                RecordKind::GameEvents => "type",
            };
            let values: BTreeSet<String> = docs.iter().map(|d| d[field].to_string()).collect();
            assert!(values.len() >= 3, "{kind:?} {field} varies: {values:?}");
            assert!(docs.iter().all(|d| d.get("timestamp").or(d.get("created_at")).is_some()));
        }
    }

    #[test]
    fn tweets_speak_spanish_portuguese_and_english_and_keys_match_content() {
        let docs: Vec<(String, Value)> =
            batch(RecordKind::Tweets, 1).into_iter().map(|r| (r.partition_key, serde_json::from_slice(&r.data).unwrap())).collect();
        let langs: BTreeSet<&str> = docs.iter().map(|(_, d)| d["lang"].as_str().unwrap()).collect();
        assert_eq!(langs, BTreeSet::from(["en", "es", "pt"]));
        assert!(docs.iter().all(|(k, d)| d["user"]["id"] == k.as_str()));
        assert!(docs.iter().all(|(_, d)| d["text"].as_str().unwrap().contains('#')));
    }

    #[test]
    fn records_are_padded_to_the_requested_size() {
        let r = RecordKind::GameEvents.record(1, 0, &Moment::at(0), &KeyStrategy::Natural, false, 1_000);
        assert_eq!(r.data.len(), 1_000);
        assert!(serde_json::from_slice::<Value>(&r.data).is_ok());
    }
}
