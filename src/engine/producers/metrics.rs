//! What a producer saw, counted in user records (the records its application handed over).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProducerMetrics {
    /// User records generated and handed to the delivery.
    pub attempted: u64,
    /// User records Kinesis acknowledged with a sequence number.
    pub succeeded: u64,
    /// Throttling answers (ProvisionedThroughputExceededException), per record sent.
    pub throttled: u64,
    /// Records sent again after a throttle (KPL only; plain producers drop them).
    pub retried: u64,
    /// User records given up: throttled without retry, past the KPL's RecordTtl, or refused.
    pub failed: u64,
    /// User records buffered or awaiting a retry right now.
    pub in_flight: u64,
    /// PutRecord or PutRecords calls made.
    pub put_calls: u64,
    /// Sum and maximum of virtual milliseconds from creation to acknowledgement.
    pub latency_ms_total: u64,
    pub latency_ms_max: u64,
    pub last_error: Option<String>,
}

impl ProducerMetrics {
    pub fn acknowledged(&mut self, records: u64, created_ms: u64, now_ms: u64) {
        let latency = now_ms.saturating_sub(created_ms);
        self.succeeded += records;
        self.latency_ms_total += latency * records;
        self.latency_ms_max = self.latency_ms_max.max(latency);
    }

    pub fn refused(&mut self, records: u64, message: String) {
        self.failed += records;
        self.last_error = Some(message);
    }

    /// Mean virtual milliseconds from creation to acknowledgement.
    pub fn average_latency_ms(&self) -> f64 {
        if self.succeeded == 0 {
            0.0
        } else {
            self.latency_ms_total as f64 / self.succeeded as f64
        }
    }
}
