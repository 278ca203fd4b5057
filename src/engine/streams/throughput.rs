//! Shard throughput limits as token buckets in virtual time.
//!
//! The model: every limit is a bucket holding at most one second's worth of tokens (AWS's
//! documented per-second rates, with a one-second burst), refilled continuously from the
//! virtual clock. Levels are kept in thousandths of a token so refills are exact integers and
//! identical on every platform.
//! - Write, per shard: 1 MiB/s of data + partition key bytes and 1,000 records/s. A record is
//!   admitted only if both buckets hold enough; otherwise it is throttled and takes nothing.
//! - Read, per shard, shared by every polling reader: 5 GetRecords calls/s and 2 MiB/s. A call
//!   is admitted while the byte bucket is not in debt; what it returns is then charged, even
//!   past zero, so one large read blocks the shard until the debt refills. A call that returns
//!   the 10 MiB maximum also blocks every call for the next 5 s, as AWS documents.
//! - GetShardIterator, per shard: 5 calls/s.
//! - Enhanced fan-out: 2 MiB/s per consumer per shard, a separate bucket per subscription.

use serde::{Deserialize, Serialize};

pub const MIB: u64 = 1024 * 1024;
pub const WRITE_BYTES_PER_S: u64 = MIB;
pub const WRITE_RECORDS_PER_S: u64 = 1_000;
pub const READ_BYTES_PER_S: u64 = 2 * MIB;
pub const READ_CALLS_PER_S: u64 = 5;
pub const ITERATOR_CALLS_PER_S: u64 = 5;
pub const FANOUT_BYTES_PER_S: u64 = 2 * MIB;
pub const GET_RECORDS_MAX_BYTES: u64 = 10 * MIB;
pub const GET_RECORDS_MAX_RECORDS: u64 = 10_000;
pub const LARGE_READ_PENALTY_MS: u64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenBucket {
    rate_per_s: u64,
    /// Thousandths of a token; negative while in debt. 64 bits hold a year of refill at any
    /// documented rate, and saturate beyond; wasm32 has no native 128-bit arithmetic, and this
    /// runs for every record written.
    level_milli: i64,
    updated_ms: u64,
}

/// Thousandths of `tokens`, saturating.
fn milli(tokens: u64) -> i64 {
    i64::try_from(tokens).unwrap_or(i64::MAX).saturating_mul(1000)
}

impl TokenBucket {
    /// A full bucket refilling at `rate_per_s`, holding at most one second's worth.
    pub fn full(rate_per_s: u64, now_ms: u64) -> Self {
        Self {
            rate_per_s,
            level_milli: milli(rate_per_s),
            updated_ms: now_ms,
        }
    }

    fn refill(&mut self, now_ms: u64) {
        if now_ms > self.updated_ms {
            // rate tokens per second == rate thousandths per millisecond.
            let gained = i64::try_from(now_ms - self.updated_ms).unwrap_or(i64::MAX).saturating_mul(i64::try_from(self.rate_per_s).unwrap_or(i64::MAX));
            self.level_milli = self.level_milli.saturating_add(gained).min(milli(self.rate_per_s));
            self.updated_ms = now_ms;
        }
    }

    /// Whole tokens available now (0 while in debt).
    pub fn available(&mut self, now_ms: u64) -> u64 {
        self.refill(now_ms);
        u64::try_from(self.level_milli / 1000).unwrap_or(0)
    }

    pub fn try_take(&mut self, now_ms: u64, tokens: u64) -> bool {
        self.refill(now_ms);
        let want = milli(tokens);
        if self.level_milli >= want {
            self.level_milli -= want;
            true
        } else {
            false
        }
    }

    /// Charges `tokens` even past zero; the bucket then refuses work until the debt refills.
    pub fn charge(&mut self, now_ms: u64, tokens: u64) {
        self.refill(now_ms);
        self.level_milli = self.level_milli.saturating_sub(milli(tokens));
    }

    pub fn in_debt(&mut self, now_ms: u64) -> bool {
        self.refill(now_ms);
        self.level_milli < 0
    }

    pub fn rate_per_s(&self) -> u64 {
        self.rate_per_s
    }

    /// Changes the rate (on-demand capacity); the level keeps what it has, capped to the new size.
    pub fn set_rate(&mut self, now_ms: u64, rate_per_s: u64) {
        self.refill(now_ms);
        self.rate_per_s = rate_per_s;
        self.level_milli = self.level_milli.min(milli(rate_per_s));
    }
}

/// Per-shard write budget: bytes and records, both must admit a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBudget {
    bytes: TokenBucket,
    records: TokenBucket,
}

impl WriteBudget {
    pub fn new(now_ms: u64) -> Self {
        Self {
            bytes: TokenBucket::full(WRITE_BYTES_PER_S, now_ms),
            records: TokenBucket::full(WRITE_RECORDS_PER_S, now_ms),
        }
    }

    pub fn admits(&mut self, now_ms: u64, bytes: u64) -> bool {
        self.bytes.available(now_ms) >= bytes && self.records.available(now_ms) >= 1
    }

    pub fn try_admit(&mut self, now_ms: u64, bytes: u64) -> bool {
        if !self.admits(now_ms, bytes) {
            return false;
        }
        self.bytes.try_take(now_ms, bytes) && self.records.try_take(now_ms, 1)
    }

    /// Scales the shard's write limits to `percent` of AWS's (a throttling storm; 100 restores).
    pub fn set_percent(&mut self, now_ms: u64, percent: u32) {
        self.bytes.set_rate(now_ms, scaled(WRITE_BYTES_PER_S, percent));
        self.records.set_rate(now_ms, scaled(WRITE_RECORDS_PER_S, percent));
    }
}

fn scaled(rate_per_s: u64, percent: u32) -> u64 {
    rate_per_s * u64::from(percent.min(100)) / 100
}

/// Per-shard polling read budget, shared by all GetRecords callers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadBudget {
    calls: TokenBucket,
    bytes: TokenBucket,
    blocked_until_ms: u64,
}

impl ReadBudget {
    pub fn new(now_ms: u64) -> Self {
        Self {
            calls: TokenBucket::full(READ_CALLS_PER_S, now_ms),
            bytes: TokenBucket::full(READ_BYTES_PER_S, now_ms),
            blocked_until_ms: 0,
        }
    }

    /// Takes one call token if the shard may be read now.
    pub fn admit_call(&mut self, now_ms: u64) -> bool {
        now_ms >= self.blocked_until_ms
            && !self.bytes.in_debt(now_ms)
            && self.calls.try_take(now_ms, 1)
    }

    /// Scales the shard's read limits to `percent` of AWS's (a throttling storm; 100 restores).
    pub fn set_percent(&mut self, now_ms: u64, percent: u32) {
        self.calls.set_rate(now_ms, scaled(READ_CALLS_PER_S, percent));
        self.bytes.set_rate(now_ms, scaled(READ_BYTES_PER_S, percent));
    }

    /// Charges what a call returned.
    pub fn charge(&mut self, now_ms: u64, bytes: u64) {
        self.bytes.charge(now_ms, bytes);
        if bytes >= GET_RECORDS_MAX_BYTES {
            self.blocked_until_ms = now_ms.saturating_add(LARGE_READ_PENALTY_MS);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refills_continuously_up_to_one_second() {
        let mut b = TokenBucket::full(1000, 0);
        assert!(b.try_take(0, 1000));
        assert!(!b.try_take(0, 1));
        assert_eq!(b.available(1), 1);
        assert_eq!(b.available(500), 500);
        assert_eq!(b.available(10_000), 1000);
    }

    #[test]
    fn write_budget_caps_records_and_bytes() {
        let mut w = WriteBudget::new(0);
        for _ in 0..1000 {
            assert!(w.try_admit(0, 10));
        }
        assert!(!w.try_admit(0, 10), "1,001st record in the same instant");
        let mut w = WriteBudget::new(0);
        assert!(w.try_admit(0, MIB));
        assert!(!w.try_admit(0, 1), "1 MiB already spent");
        assert!(w.try_admit(1, 1_000));
    }

    #[test]
    fn read_budget_allows_five_calls_per_second() {
        let mut r = ReadBudget::new(0);
        for _ in 0..5 {
            assert!(r.admit_call(0));
        }
        assert!(!r.admit_call(0));
        assert!(r.admit_call(200));
    }

    #[test]
    fn a_ten_mib_read_blocks_the_shard_for_five_seconds() {
        let mut r = ReadBudget::new(0);
        assert!(r.admit_call(0));
        r.charge(0, GET_RECORDS_MAX_BYTES);
        assert!(!r.admit_call(1_000));
        assert!(!r.admit_call(4_999));
        assert!(r.admit_call(5_000));
    }

    #[test]
    fn a_storm_scales_the_limits_until_restored() {
        let mut w = WriteBudget::new(0);
        w.set_percent(0, 10);
        for _ in 0..100 {
            assert!(w.try_admit(0, 10));
        }
        assert!(!w.try_admit(0, 10), "10 % of 1,000 records/s");
        w.set_percent(0, 100);
        assert!(w.try_admit(1_000, 10));
        let mut r = ReadBudget::new(0);
        r.set_percent(0, 0);
        assert!(!r.admit_call(10_000), "0 %: every call throttled");
        r.set_percent(10_000, 100);
        assert!(r.admit_call(11_000));
    }

    #[test]
    fn reading_more_than_two_mib_puts_the_shard_in_debt() {
        let mut r = ReadBudget::new(0);
        assert!(r.admit_call(0));
        r.charge(0, 3 * MIB);
        assert!(!r.admit_call(400));
        assert!(r.admit_call(600));
    }
}
