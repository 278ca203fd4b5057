//! A throttling storm (an injected fault): a stream's shards, or one of them, run at a fraction
//! of AWS's per-shard limits, so writers get ProvisionedThroughputExceededException and
//! readers are throttled through the ordinary budgets, counted in the ordinary metrics.

use super::KinesisService;

impl KinesisService {
    /// Sets each open or closed shard of `stream` to `percent_of(shard index)` of its limits
    /// (100 is AWS's normal capacity). Unknown streams are ignored: the storm outlived them.
    pub fn set_shard_capacity(&mut self, now_ms: u64, stream: &str, percent_of: impl Fn(u32) -> u32) {
        let Some(s) = self.streams.get_mut(stream) else { return };
        for shard in &mut s.shards {
            let percent = percent_of(shard.index);
            shard.write.set_percent(now_ms, percent);
            shard.read.set_percent(now_ms, percent);
        }
    }
}
