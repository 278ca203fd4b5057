//! A producer's configuration as JSON (documented in the README), checked field by field.

use super::agent::KinesisAgent;
use super::generator::RecordKind;
use super::keys::KeyStrategy;
use super::web_server::LogFormat;
use crate::engine::config_json::{ConfigError, ConfigObject};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    PutRecord,
    PutRecords,
    Kpl,
    /// A web server logs each record as a request; the Kinesis Agent tails that log.
    Agent,
}

/// The simulated web server's log file, which the agent tails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebServerLog {
    pub format: LogFormat,
    pub path: String,
}

/// Periodic bursts: for `duration_ms` out of every `every_ms`, the rate is multiplied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bursts {
    pub every_ms: u64,
    pub duration_ms: u64,
    pub multiplier: f64,
}

/// The KPL settings Kinesim models, with the KPL's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KplSettings {
    pub record_max_buffered_time_ms: u64,
    pub aggregation_max_size: usize,
    /// Percent of a shard's write limit the KPL allows itself per shard (`RateLimit`).
    pub rate_limit_percent: u64,
    pub record_ttl_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProducerConfig {
    pub kind: RecordKind,
    pub stream: String,
    pub rate_per_second: f64,
    pub delivery: Delivery,
    pub keys: KeyStrategy,
    /// Key by the other natural field: a tweet's hashtag, a game event's match.
    pub alternate_key: bool,
    /// Records are padded up to this size; 0 keeps their natural size.
    pub record_size_bytes: usize,
    pub batch_size: usize,
    /// How often a `put_record` or `put_records` producer sends: each send creates the
    /// interval's share of the rate at once (the other deliveries act every tick).
    pub send_interval_ms: u64,
    pub bursts: Option<Bursts>,
    pub running: bool,
    pub kpl: KplSettings,
    pub web_server: WebServerLog,
    /// The agent configured by `agent.json`, for the `agent` delivery; its flows also keep
    /// their tailing state (file position, buffer), which belongs to the configuration's
    /// flows one to one.
    pub agent: Option<KinesisAgent>,
}

impl ProducerConfig {
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value = ConfigObject::parse(text)?;
        let root = ConfigObject::root(&value)?;
        let kind = RecordKind::parse(root.choice("kind", &RecordKind::NAMES, None)?).unwrap_or(RecordKind::Tweets);
        let delivery = match root.choice("delivery", &["put_record", "put_records", "kpl", "agent"], Some("put_records"))? {
            "put_record" => Delivery::PutRecord,
            "kpl" => Delivery::Kpl,
            "agent" => Delivery::Agent,
            _ => Delivery::PutRecords,
        };
        let keys = root.object("keys")?;
        let alternate_key = match &keys {
            Some(k) => k.boolean("alternate", false)?,
            None => false,
        };
        let bursts = match root.object("bursts")? {
            Some(b) => Some(Bursts {
                every_ms: b.whole("everyMs", 1, 86_400_000, 60_000)?,
                duration_ms: b.whole("durationMs", 0, 86_400_000, 10_000)?,
                multiplier: b.number("multiplier", 0.0, 20.0, 5.0)?,
            }),
            None => None,
        };
        let kpl = match root.object("kpl")? {
            Some(k) => KplSettings {
                record_max_buffered_time_ms: k.whole("recordMaxBufferedTimeMs", 1, 60_000, 100)?,
                aggregation_max_size: k.whole("aggregationMaxSize", 64, 1_048_576, 51_200)? as usize,
                rate_limit_percent: k.whole("rateLimit", 1, 300, 150)?,
                record_ttl_ms: k.whole("recordTtlMs", 100, 600_000, 30_000)?,
            },
            None => KplSettings { record_max_buffered_time_ms: 100, aggregation_max_size: 51_200, rate_limit_percent: 150, record_ttl_ms: 30_000 },
        };
        let stream = root.required_str("stream")?.to_string();
        let web_server = match root.object("webServer")? {
            Some(w) => {
                let format = LogFormat::parse(w.choice("logFormat", &LogFormat::NAMES, Some("COMBINEDAPACHELOG"))?).unwrap_or(LogFormat::CombinedApache);
                WebServerLog { format, path: w.str("path")?.unwrap_or(format.default_path()).to_string() }
            }
            None => WebServerLog { format: LogFormat::CombinedApache, path: LogFormat::CombinedApache.default_path().to_string() },
        };
        let agent = match delivery {
            Delivery::Agent => Some(KinesisAgent::from_config(root.object("agent")?, &stream, &web_server.path)?),
            _ => None,
        };
        let rate_per_second = root.number("ratePerSecond", 0.0, 100_000.0, 100.0)?;
        let record_size_bytes = root.whole("recordSizeBytes", 0, 1_000_000, 0)? as usize;
        let peak = rate_per_second * bursts.as_ref().map_or(1.0, |b| b.multiplier.max(1.0));
        // A browser tab must survive what a producer generates: 256 MiB/s is 256 shards at full write.
        if peak * record_size_bytes as f64 > 256.0 * 1024.0 * 1024.0 {
            return Err(ConfigError(format!(
                "ratePerSecond × recordSizeBytes (× bursts.multiplier) must stay within 256 MiB/s of generated data; got {peak} × {record_size_bytes}"
            )));
        }
        Ok(Self {
            kind,
            stream,
            rate_per_second,
            delivery,
            keys: KeyStrategy::from_config(keys, kind.population())?,
            alternate_key,
            record_size_bytes,
            batch_size: root.whole("batchSize", 1, 500, 500)? as usize,
            send_interval_ms: send_interval(&root)?,
            bursts,
            running: root.boolean("running", true)?,
            kpl,
            web_server,
            agent,
        })
    }

    /// The rate in force at `elapsed_ms` after the producer started.
    pub fn rate_at(&self, elapsed_ms: u64) -> f64 {
        match &self.bursts {
            Some(b) if elapsed_ms % b.every_ms < b.duration_ms => self.rate_per_second * b.multiplier,
            _ => self.rate_per_second,
        }
    }
}

/// `sendIntervalMs`: whole ticks of virtual time, 100 ms to 60 s.
fn send_interval(root: &ConfigObject) -> Result<u64, ConfigError> {
    let ms = root.whole("sendIntervalMs", super::TICK_MS, 60_000, super::TICK_MS)?;
    if ms % super::TICK_MS != 0 {
        return Err(ConfigError(format!("sendIntervalMs must be a multiple of {}; got {ms}", super::TICK_MS)));
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_fields_parse_and_bad_values_are_named() {
        let c = ProducerConfig::from_json(
            r#"{"kind":"game_events","stream":"s","ratePerSecond":1500,"delivery":"kpl","keys":{"strategy":"zipf","zipfS":1.5}}"#,
        )
        .unwrap();
        assert_eq!((c.kind, c.delivery, c.rate_per_second), (RecordKind::GameEvents, Delivery::Kpl, 1500.0));
        assert!(matches!(c.keys, KeyStrategy::Zipf { s, .. } if s == 1.5));
        let err = |json: &str| ProducerConfig::from_json(json).unwrap_err().0;
        assert_eq!(err(r#"{"kind":"cats","stream":"s"}"#), "kind must be one of tweets, stock_ticks, game_events; got \"cats\"");
        assert_eq!(err(r#"{"kind":"tweets"}"#), "stream is required");
        assert_eq!(err(r#"{"kind":"tweets","stream":"s","ratePerSecond":-3}"#), "ratePerSecond must be a number from 0 to 100000; got -3");
        assert_eq!(
            err(r#"{"kind":"tweets","stream":"s","keys":{"strategy":"zipf","zipfS":"big"}}"#),
            "keys.zipfS must be a number from 0 to 10; got \"big\""
        );
        assert_eq!(
            err(r#"{"kind":"tweets","stream":"s","delivery":"fax"}"#),
            "delivery must be one of put_record, put_records, kpl, agent; got \"fax\""
        );
        assert!(err("[1,2]").starts_with("The configuration must be a JSON object"));
        assert_eq!(
            err(r#"{"kind":"tweets","stream":"s","ratePerSecond":1000,"recordSizeBytes":1000000}"#),
            "ratePerSecond × recordSizeBytes (× bursts.multiplier) must stay within 256 MiB/s of generated data; got 1000 × 1000000"
        );
    }
}
