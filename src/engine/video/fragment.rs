//! Fragments: the unit a video stream stores, each a self-contained piece of media.

use serde::{Deserialize, Serialize};

/// Codec ids a fragment's first track may carry (Matroska names, as KVS reports them).
pub const CODEC_H264: &str = "V_MPEG/ISO/AVC";
pub const CODEC_H265: &str = "V_MPEGH/ISO/HEVC";

/// Longest fragment KVS accepts; AWS's limits page gives 20 s (older pages said 10 s).
pub const MAX_FRAGMENT_DURATION_MS: u64 = 20_000;
/// Largest fragment KVS accepts: 50 MB.
pub const MAX_FRAGMENT_BYTES: usize = 50 * 1000 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// AWS-style decimal fragment number; see [`fragment_number`].
    pub number: String,
    /// Position in the stream (0 for the first fragment ever put), used as the HLS media sequence.
    pub index: u64,
    pub producer_ms: u64,
    pub server_ms: u64,
    pub duration_ms: u64,
    pub codec_id: String,
    /// What a browser's Media Source Extensions need to play it, when known.
    pub mse_type: Option<String>,
    /// MD5 of the media stands in for the bytes in the state hash; the bytes themselves are
    /// host input, kept for playback only.
    pub media_md5: String,
    #[serde(skip)]
    pub media: Vec<u8>,
}

impl Fragment {
    pub fn size_bytes(&self) -> usize {
        self.media.len()
    }
}

/// A 47-digit decimal like AWS's (e.g. `91343852333181432392682062607743920146264799617`):
/// a fixed lead, the server time in ms and a per-stream counter, so numbers increase with
/// arrival and compare correctly as strings of equal length.
pub fn fragment_number(server_ms: u64, index: u64) -> String {
    format!("91343852333{server_ms:018}{index:018}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_47_digits_and_increase() {
        let a = fragment_number(1_767_225_600_000, 0);
        let b = fragment_number(1_767_225_600_000, 1);
        let c = fragment_number(1_767_225_602_000, 2);
        assert_eq!(a.len(), 47);
        assert!(a.chars().all(|c| c.is_ascii_digit()));
        assert!(a < b && b < c);
    }
}
