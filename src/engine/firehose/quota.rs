//! Direct PUT throughput quotas per delivery stream [AWS `limits.md`]: in us-east-1, us-west-2
//! and eu-west-1, 500,000 records/s, 2,000 requests/s and 5 MiB/s; elsewhere 100,000
//! records/s, 1,000 requests/s and 1 MiB/s. Token buckets in virtual time, as for shards.

use crate::engine::streams::throughput::{TokenBucket, MIB};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectPutQuota {
    requests: TokenBucket,
    records: TokenBucket,
    bytes: TokenBucket,
}

impl DirectPutQuota {
    pub fn for_region(region: &str, now_ms: u64) -> Self {
        let large = matches!(region, "us-east-1" | "us-west-2" | "eu-west-1");
        let (records, requests, bytes) = if large { (500_000, 2_000, 5 * MIB) } else { (100_000, 1_000, MIB) };
        Self {
            requests: TokenBucket::full(requests, now_ms),
            records: TokenBucket::full(records, now_ms),
            bytes: TokenBucket::full(bytes, now_ms),
        }
    }

    /// Takes one request's worth from every bucket, or nothing if any of them is short.
    pub fn admit(&mut self, now_ms: u64, records: u64, bytes: u64) -> bool {
        let fits = self.requests.available(now_ms) >= 1 && self.records.available(now_ms) >= records && self.bytes.available(now_ms) >= bytes;
        if fits {
            self.requests.try_take(now_ms, 1);
            self.records.try_take(now_ms, records);
            self.bytes.try_take(now_ms, bytes);
        }
        fits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_mib_per_second_in_large_regions_one_elsewhere() {
        let mut q = DirectPutQuota::for_region("us-east-1", 0);
        assert!(q.admit(0, 500, 4 * MIB));
        assert!(!q.admit(0, 1, 2 * MIB), "4 + 2 MiB in the same second is over 5 MiB/s");
        assert!(q.admit(0, 1, MIB));
        assert!(q.admit(1_000, 1, 5 * MIB), "a second later the bucket is full again");
        let mut small = DirectPutQuota::for_region("sa-east-1", 0);
        assert!(!small.admit(0, 1, MIB + 1));
    }
}
