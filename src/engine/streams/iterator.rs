//! Shard iterators: opaque base64 tokens naming a stream incarnation, a shard and a position.
//!
//! Like AWS's, a token starts with the bytes `00 00 00 00 00 00 00 01`; the rest is scrambled
//! so it reads as opaque, and it expires 5 minutes of virtual time after it was issued.

use base64::Engine as _;
use md5::{Digest, Md5};
use time::{macros::format_description, OffsetDateTime};

pub const ITERATOR_LIFETIME_MS: u64 = 300_000;
/// The eight bytes real iterators start with, then a zero byte so the base64 text starts
/// `AAAAAAAAAAE` as AWS's do.
const PREFIX: [u8; 9] = [0, 0, 0, 0, 0, 0, 0, 1, 0];
const FIXED_LEN: usize = 8 + 4 + 8 + 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardIterator {
    pub stream_id: u64,
    pub shard_index: u32,
    /// The next record returned is the first with a counter above this.
    pub after_counter: u64,
    pub issued_ms: u64,
    pub stream_name: String,
}

fn scramble(bytes: &mut [u8]) {
    let key = Md5::digest(b"kinesim shard iterator");
    for (i, b) in bytes.iter_mut().enumerate() {
        *b ^= key[i % key.len()];
    }
}

impl ShardIterator {
    pub fn encode(&self) -> String {
        let mut payload = Vec::with_capacity(FIXED_LEN + self.stream_name.len());
        payload.extend_from_slice(&self.stream_id.to_be_bytes());
        payload.extend_from_slice(&self.shard_index.to_be_bytes());
        payload.extend_from_slice(&self.after_counter.to_be_bytes());
        payload.extend_from_slice(&self.issued_ms.to_be_bytes());
        payload.extend_from_slice(self.stream_name.as_bytes());
        scramble(&mut payload);
        let mut bytes = PREFIX.to_vec();
        bytes.extend_from_slice(&payload);
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// `None` for anything this simulator did not issue.
    pub fn decode(token: &str) -> Option<Self> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(token)
            .ok()?;
        let (prefix, payload) = bytes.split_at_checked(PREFIX.len())?;
        if prefix != PREFIX || payload.len() < FIXED_LEN {
            return None;
        }
        let mut p = payload.to_vec();
        scramble(&mut p);
        let u64_at = |at: usize| {
            p.get(at..at + 8)
                .and_then(|s| s.try_into().ok())
                .map(u64::from_be_bytes)
        };
        Some(Self {
            stream_id: u64_at(0)?,
            shard_index: u32::from_be_bytes(p.get(8..12)?.try_into().ok()?),
            after_counter: u64_at(12)?,
            issued_ms: u64_at(20)?,
            stream_name: String::from_utf8(p.get(FIXED_LEN..)?.to_vec()).ok()?,
        })
    }

    pub fn is_expired(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.issued_ms) > ITERATOR_LIFETIME_MS
    }
}

/// Java's `EEE MMM dd HH:mm:ss 'UTC' yyyy`, the format of AWS's expiry message.
pub fn java_utc(ms: u64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
            ))
            .ok()
        })
        .unwrap_or_else(|| ms.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_looks_like_aws() {
        let it = ShardIterator {
            stream_id: 7,
            shard_index: 3,
            after_counter: 99,
            issued_ms: 1_767_225_600_000,
            stream_name: "s".into(),
        };
        let token = it.encode();
        assert!(token.starts_with("AAAAAAAAAAE"));
        assert!(token.len() <= 512);
        assert_eq!(ShardIterator::decode(&token), Some(it));
        assert_eq!(ShardIterator::decode("AAAA"), None);
        assert_eq!(ShardIterator::decode("not base64!"), None);
    }

    #[test]
    fn expires_after_five_minutes() {
        let it = ShardIterator {
            stream_id: 1,
            shard_index: 0,
            after_counter: 0,
            issued_ms: 0,
            stream_name: "s".into(),
        };
        assert!(!it.is_expired(300_000));
        assert!(it.is_expired(300_001));
    }

    #[test]
    fn formats_dates_like_java() {
        // 2021-06-17T12:22:44Z, the instant in AWS's published message.
        assert_eq!(java_utc(1_623_932_564_000), "Thu Jun 17 12:22:44 UTC 2021");
    }
}
