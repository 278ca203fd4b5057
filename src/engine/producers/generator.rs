//! The three built-in record generators. A record is a pure function of (producer seed,
//! record index, time): its own SplitMix draws, so any record can be regenerated alone.
//!
//! A record is made twice over its life, by the same code: when sent (and when a stream finds
//! it again), only its partition key's hash and length and its size are wanted, so the JSON is
//! counted through [`Json`] by arithmetic, never formatted; when read, its bytes are rendered.
//! Stores keep a [`Source`] reference instead of the bytes.

use super::keys::{decimal_len, KeyChoice, KeyStrategy, PartitionKey};
use super::stock_ticks::Price;
use super::{game_events, stock_ticks, tweets};
use crate::engine::clock::format_iso8601_ms;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Tweets,
    StockTicks,
    GameEvents,
}

/// The keys a generator found for the record it wrote.
pub struct Generated {
    pub natural_key: PartitionKey<'static>,
    /// The other natural key: a tweet's hashtag, a game event's match.
    pub alternate_key: PartitionKey<'static>,
}

/// Where a generator writes a record's JSON: into text, or only its length counted. Each
/// generator writes its record once, through this, so a record's size is known by arithmetic
/// and always matches its bytes.
pub trait Json {
    /// Text as is: the template's punctuation, phrases and names, none of which JSON escapes.
    fn text(&mut self, text: &str) -> &mut Self;
    /// A whole number, zero-padded to `width` digits.
    fn number(&mut self, n: u64, width: usize) -> &mut Self;
    fn key(&mut self, key: &PartitionKey) -> &mut Self;
    /// A price in cents, as `dollars.cents`.
    fn price(&mut self, price: &Price) -> &mut Self;
    /// The record's creation time in ISO 8601.
    fn timestamp(&mut self) -> &mut Self;
}

/// Writes a record's JSON text.
struct Render<'a> {
    json: String,
    iso: &'a str,
}

impl Json for Render<'_> {
    fn text(&mut self, text: &str) -> &mut Self {
        self.json.push_str(text);
        self
    }

    fn number(&mut self, n: u64, width: usize) -> &mut Self {
        let _ = write!(self.json, "{n:0width$}");
        self
    }

    fn key(&mut self, key: &PartitionKey) -> &mut Self {
        key.with_text(|text| self.json.push_str(text));
        self
    }

    fn price(&mut self, price: &Price) -> &mut Self {
        let cents = price.cents();
        self.number(cents / 100, 0).text(".").number(cents % 100, 2)
    }

    fn timestamp(&mut self) -> &mut Self {
        self.json.push_str(self.iso);
        self
    }
}

/// Counts a record's JSON bytes without writing them.
struct Length {
    bytes: usize,
    iso_len: usize,
}

impl Json for Length {
    fn text(&mut self, text: &str) -> &mut Self {
        self.bytes += text.len();
        self
    }

    fn number(&mut self, n: u64, width: usize) -> &mut Self {
        self.bytes += decimal_len(n, width);
        self
    }

    fn key(&mut self, key: &PartitionKey) -> &mut Self {
        self.bytes += key.text_len();
        self
    }

    fn price(&mut self, price: &Price) -> &mut Self {
        self.bytes += price.dollar_digits() + ".00".len();
        self
    }

    fn timestamp(&mut self) -> &mut Self {
        self.bytes += self.iso_len;
        self
    }
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

/// 10000-01-01T00:00:00Z: until then every timestamp is `YYYY-MM-DDTHH:MM:SS.mmmZ`.
const FIXED_WIDTH_ISO_UNTIL_MS: u64 = 253_402_300_800_000;

/// Length of `format_iso8601_ms(ms)`, formatted only past year 9999.
fn iso_len(ms: u64) -> usize {
    if ms < FIXED_WIDTH_ISO_UNTIL_MS {
        "2026-01-01T00:00:00.000Z".len()
    } else {
        format_iso8601_ms(ms).len()
    }
}

/// One record ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub partition_key: String,
    pub data: Vec<u8>,
}

/// A record's partition key and payload size, known without keeping its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub partition_key: String,
    pub size: usize,
}

/// What a stream needs to route and admit record `index` without its bytes or key text: the
/// key's MD5 as a hash key, the key's length and the data's size (both count against a shard's
/// write budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub hash: u128,
    pub key_len: u32,
    pub size: u32,
}

/// A record's random draws: SplitMix64 keyed by (seed, index). Cheap to start per record,
/// unlike a ChaCha stream, and the same on every platform.
pub struct Draws(u64);

pub(crate) fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Draws {
    pub fn new(seed: u64, index: u64) -> Self {
        Self(splitmix(seed ^ splitmix(index)))
    }
}

impl RngCore for Draws {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix(self.0)
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// `,"pad":""` is 9 bytes on top of the padding itself; records this much under the requested
/// size are left as they are.
const PAD_OVERHEAD: usize = 10;

/// A built-in producer's records: everything needed to regenerate record `index` alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub kind: RecordKind,
    pub seed: u64,
    pub keys: KeyStrategy,
    pub use_alternate: bool,
    /// Records are padded with a `pad` field up to this many bytes when that is larger.
    pub min_size: usize,
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
}

impl Source {
    /// Writes record `index`'s unpadded JSON, created at `ms`, into `json`; returns its
    /// partition key.
    fn write<J: Json>(&self, index: u64, ms: u64, json: &mut J) -> PartitionKey<'_> {
        let mut rng = Draws::new(self.seed, index);
        let choice = self.keys.choose(&mut rng);
        let entity = match &choice {
            KeyChoice::Natural { entity } => *entity,
            KeyChoice::Fixed(_) => None,
        };
        let generated = match self.kind {
            RecordKind::Tweets => tweets::generate(&mut rng, index, entity, json),
            RecordKind::StockTicks => stock_ticks::generate(&mut rng, self.seed, index, entity, json),
            RecordKind::GameEvents => game_events::generate(&mut rng, index, ms, entity, json),
        };
        match choice {
            KeyChoice::Fixed(key) => key,
            KeyChoice::Natural { .. } if self.use_alternate => generated.alternate_key,
            KeyChoice::Natural { .. } => generated.natural_key,
        }
    }

    /// Record `index`'s key and unpadded size, counted, created at `ms` (`iso_len` the length
    /// of its timestamp).
    fn measure(&self, index: u64, ms: u64, iso_len: usize) -> (PartitionKey<'_>, usize) {
        let mut length = Length { bytes: 0, iso_len };
        let key = self.write(index, ms, &mut length);
        (key, length.bytes)
    }

    /// The size a record of `natural` bytes is sent at.
    fn padded(&self, natural: usize) -> usize {
        if natural + PAD_OVERHEAD < self.min_size {
            self.min_size
        } else {
            natural
        }
    }

    /// Record `index`'s key and size, created `at`, without its bytes.
    pub fn plan(&self, index: u64, at: &Moment) -> Planned {
        let (key, natural) = self.measure(index, at.ms, at.iso.len());
        Planned { partition_key: key.text(), size: self.padded(natural) }
    }

    /// Record `index`'s route, created at `created_ms`: counted, not written, and the key
    /// hashed without building its text where keys repeat.
    pub fn route(&self, index: u64, created_ms: u64) -> Route {
        self.keyed_route(index, created_ms, |_| ()).1
    }

    /// Record `index`'s partition key, created at `created_ms`: counted, not written, and its
    /// instant never formatted.
    pub fn partition_key(&self, index: u64, created_ms: u64) -> String {
        self.measure(index, created_ms, iso_len(created_ms)).0.text()
    }

    /// As [`Self::route`], with what `text` makes of the key (its text, for readers that hand
    /// keys out), from the same single count.
    pub fn keyed_route<T>(&self, index: u64, created_ms: u64, text: impl FnOnce(&PartitionKey<'_>) -> T) -> (T, Route) {
        let (key, natural) = self.measure(index, created_ms, iso_len(created_ms));
        (text(&key), Route { hash: key.hash(), key_len: key.text_len() as u32, size: self.padded(natural) as u32 })
    }

    /// Record `index`'s bytes, created `at`: exactly [`Self::plan`]'s size.
    pub fn render(&self, index: u64, at: &Moment) -> Vec<u8> {
        self.record(index, at).data
    }

    /// Record `index` whole, created `at`.
    pub fn record(&self, index: u64, at: &Moment) -> UserRecord {
        let mut render = Render { json: String::with_capacity(256), iso: &at.iso };
        let partition_key = self.write(index, at.ms, &mut render).text();
        let mut json = render.json;
        let size = self.padded(json.len());
        if size > json.len() {
            json.pop();
            json.push_str(",\"pad\":\"");
            json.push_str(&"x".repeat(size - json.len() - 2));
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

    fn source(kind: RecordKind, seed: u64, min_size: usize) -> Source {
        Source { kind, seed, keys: KeyStrategy::Natural, use_alternate: false, min_size }
    }

    fn batch(kind: RecordKind, seed: u64) -> Vec<UserRecord> {
        (0..200).map(|i| source(kind, seed, 0).record(i, &Moment::at(1_767_225_600_000 + i * 10))).collect()
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
        let r = source(RecordKind::GameEvents, 1, 1_000).record(0, &Moment::at(0));
        assert_eq!(r.data.len(), 1_000);
        assert!(serde_json::from_slice::<Value>(&r.data).is_ok());
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// What a stream stores (the plan, the route) is exactly what a reader later gets (the
        /// render): the same key and its hash, and bytes of exactly the planned size, valid
        /// JSON, for every kind, key strategy and padding, at any time.
        #[test]
        fn a_planned_record_renders_to_its_key_and_size(seed: u64, index in proptest::prop_oneof![0u64..1_000_000_000, 0..u64::MAX / 2], ms in proptest::prop_oneof![0u64..4_000_000_000_000, 253_402_300_700_000u64..253_402_300_900_000, (u64::MAX - 100_000)..=u64::MAX],
                                                        kind in 0usize..3, strategy in 0usize..5, alternate: bool, min_size in 0usize..2_000) {
            let keys = match strategy {
                0 => KeyStrategy::Natural,
                1 => KeyStrategy::Random,
                2 => KeyStrategy::Few { count: 7 },
                3 => KeyStrategy::hot("hot".into(), 0.5),
                _ => {
                    let config = serde_json::json!({"strategy": "zipf"});
                    KeyStrategy::from_config(crate::engine::config_json::ConfigObject::root(&config).ok(), 1_000).unwrap()
                }
            };
            let kind = [RecordKind::Tweets, RecordKind::StockTicks, RecordKind::GameEvents][kind];
            let source = Source { kind, seed, keys, use_alternate: alternate, min_size };
            let at = Moment::at(ms);
            let planned = source.plan(index, &at);
            let record = source.record(index, &at);
            proptest::prop_assert_eq!(&planned.partition_key, &record.partition_key);
            proptest::prop_assert_eq!(planned.size, record.data.len());
            proptest::prop_assert_eq!(source.render(index, &at), record.data.clone());
            let route = Route { hash: crate::engine::streams::hashing::hash_key(&record.partition_key), key_len: record.partition_key.len() as u32, size: record.data.len() as u32 };
            proptest::prop_assert_eq!(source.route(index, ms), route);
            proptest::prop_assert!(serde_json::from_slice::<Value>(&record.data).is_ok());
        }
    }
}
