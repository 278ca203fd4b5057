//! One Kinesis video stream: its description, lifecycle and retained fragments.

use super::error::VideoError;
use super::fragment::Fragment;
// Video streams go through the same four states as data streams; one enum serves both.
pub use crate::engine::streams::stream::StreamStatus;
use crate::engine::streams::stream::HOUR_MS;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// AWS does not document how long CREATING lasts for a video stream; in practice it is a few
/// seconds, so Kinesim uses 2 s of virtual time.
pub const ACTIVATION_DELAY_MS: u64 = 2_000;
/// DELETING lasts this long before the stream is gone (also undocumented by AWS).
pub const DELETION_DELAY_MS: u64 = 2_000;
/// Largest DataRetentionInHours: 87,600 h (10 years).
pub const MAX_RETENTION_HOURS: u32 = 87_600;
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoStream {
    pub name: String,
    pub arn: String,
    pub media_type: Option<String>,
    pub device_name: Option<String>,
    pub kms_key_id: String,
    /// Changes on every update; UpdateDataRetention must quote the current one.
    pub version: String,
    pub creation_ms: u64,
    pub retention_hours: u32,
    pub deleted_at_ms: Option<u64>,
    pub fragments: VecDeque<Fragment>,
    pub next_index: u64,
}

impl VideoStream {
    /// Status is a function of virtual time, so no timer is needed to move it on.
    pub fn status(&self, now_ms: u64) -> StreamStatus {
        if self.deleted_at_ms.is_some() {
            StreamStatus::Deleting
        } else if now_ms < self.creation_ms + ACTIVATION_DELAY_MS {
            StreamStatus::Creating
        } else {
            StreamStatus::Active
        }
    }

    pub fn is_gone(&self, now_ms: u64) -> bool {
        self.deleted_at_ms.is_some_and(|t| now_ms >= t + DELETION_DELAY_MS)
    }

    /// Drops fragments whose server time is past retention; with 0 h nothing is ever kept.
    pub fn expire(&mut self, now_ms: u64) {
        let keep_ms = u64::from(self.retention_hours) * HOUR_MS;
        while self.fragments.front().is_some_and(|f| f.server_ms + keep_ms <= now_ms) {
            self.fragments.pop_front();
        }
        if self.fragments.is_empty() {
            self.fragments.shrink_to_fit();
        }
    }

    pub fn retained_bytes(&self) -> usize {
        self.fragments.iter().map(Fragment::size_bytes).sum()
    }

    pub fn require_active(&self, now_ms: u64) -> Result<(), VideoError> {
        let status = self.status(now_ms);
        if status.serves_data() {
            return Ok(());
        }
        Err(VideoError::ResourceInUse(format!(
            "The stream {} is {}; it must be ACTIVE for this operation.",
            self.name,
            status.as_str()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::video::fragment::{fragment_number, CODEC_H264};

    fn stream(retention_hours: u32) -> VideoStream {
        VideoStream {
            name: "cam".into(),
            arn: "arn".into(),
            media_type: None,
            device_name: None,
            kms_key_id: String::new(),
            version: "v1".into(),
            creation_ms: 0,
            retention_hours,
            deleted_at_ms: None,
            fragments: VecDeque::new(),
            next_index: 0,
        }
    }

    fn fragment(server_ms: u64, index: u64) -> Fragment {
        Fragment {
            number: fragment_number(server_ms, index),
            index,
            producer_ms: server_ms,
            server_ms,
            duration_ms: 1_000,
            codec_id: CODEC_H264.into(),
            mse_type: None,
            media_md5: String::new(),
            media: vec![0; 10],
        }
    }

    #[test]
    fn lifecycle_follows_virtual_time() {
        let mut s = stream(1);
        assert_eq!(s.status(0), StreamStatus::Creating);
        assert_eq!(s.status(ACTIVATION_DELAY_MS - 1), StreamStatus::Creating);
        assert_eq!(s.status(ACTIVATION_DELAY_MS), StreamStatus::Active);
        s.deleted_at_ms = Some(10_000);
        assert_eq!(s.status(10_000), StreamStatus::Deleting);
        assert!(!s.is_gone(10_000 + DELETION_DELAY_MS - 1));
        assert!(s.is_gone(10_000 + DELETION_DELAY_MS));
    }

    #[test]
    fn fragments_expire_exactly_at_retention() {
        let mut s = stream(1);
        s.fragments.push_back(fragment(0, 0));
        s.fragments.push_back(fragment(1_000, 1));
        s.expire(HOUR_MS - 1);
        assert_eq!(s.fragments.len(), 2);
        s.expire(HOUR_MS);
        assert_eq!(s.fragments.len(), 1);
        s.expire(HOUR_MS + 1_000);
        assert!(s.fragments.is_empty());
    }
}
