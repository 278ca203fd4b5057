//! What a fragment holds, read from its own bytes: KVS decides from the codec id of track 1
//! whether a stream can be played over HLS, so Kinesim reads the media instead of trusting a label.

use super::fragment::{CODEC_H264, CODEC_H265};

/// Codec id used when the bytes are neither fragmented MP4 nor WebM that Kinesim can read.
pub const CODEC_UNKNOWN: &str = "UNKNOWN";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInfo {
    /// Matroska-style codec id of the video track, as KVS reports it.
    pub codec_id: &'static str,
    /// The type a browser's Media Source Extensions need to play it, e.g.
    /// `video/mp4; codecs="avc1.42C01F"`; `None` when the browser cannot be told.
    pub mse_type: Option<String>,
}

/// Matroska codec ids a browser records, with the codec names MSE expects for them.
const WEBM_CODECS: [(&str, &str); 3] = [("V_VP8", "vp8"), ("V_VP9", "vp9"), ("V_AV1", "av01.0.04M.08")];

/// Reads the container and the video codec from the start of a fragment.
pub fn detect(bytes: &[u8]) -> MediaInfo {
    if bytes.get(4..8) == Some(b"ftyp") {
        return detect_mp4(bytes);
    }
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        // WebM/Matroska: the CodecID element holds the id as text.
        for (codec_id, codecs) in WEBM_CODECS {
            if find(bytes, codec_id.as_bytes()).is_some() {
                return MediaInfo { codec_id, mse_type: Some(format!("video/webm; codecs=\"{codecs}\"")) };
            }
        }
    }
    MediaInfo { codec_id: CODEC_UNKNOWN, mse_type: None }
}

fn detect_mp4(bytes: &[u8]) -> MediaInfo {
    // avcC starts with version, profile, compatibility and level: RFC 6381's `avc1.PPCCLL`.
    if let Some(at) = find(bytes, b"avcC") {
        if let Some(&[profile, compat, level]) = bytes.get(at + 5..at + 8) {
            return MediaInfo {
                codec_id: CODEC_H264,
                mse_type: Some(format!("video/mp4; codecs=\"avc1.{profile:02X}{compat:02X}{level:02X}\"")),
            };
        }
    }
    if find(bytes, b"hvcC").is_some() {
        return MediaInfo { codec_id: CODEC_H265, mse_type: Some("video/mp4; codecs=\"hvc1.1.6.L93.B0\"".into()) };
    }
    MediaInfo { codec_id: CODEC_UNKNOWN, mse_type: None }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp4_with(box_tail: &[u8]) -> Vec<u8> {
        let mut v = vec![0, 0, 0, 24];
        v.extend_from_slice(b"ftypisom");
        v.extend_from_slice(&[0; 12]);
        v.extend_from_slice(box_tail);
        v
    }

    #[test]
    fn reads_h264_profile_and_level_from_avcc() {
        let info = detect(&mp4_with(b"\0\0\0\x10avcC\x01\x42\xC0\x1F"));
        assert_eq!(info.codec_id, CODEC_H264);
        assert_eq!(info.mse_type.as_deref(), Some("video/mp4; codecs=\"avc1.42C01F\""));
    }

    #[test]
    fn knows_hevc_webm_and_unknown_bytes() {
        assert_eq!(detect(&mp4_with(b"\0\0\0\x10hvcC")).codec_id, CODEC_H265);
        let mut webm = vec![0x1A, 0x45, 0xDF, 0xA3, 0x86];
        webm.extend_from_slice(b"....V_VP8....");
        let info = detect(&webm);
        assert_eq!(info.codec_id, "V_VP8");
        assert_eq!(info.mse_type.as_deref(), Some("video/webm; codecs=\"vp8\""));
        assert_eq!(detect(b"hello").codec_id, CODEC_UNKNOWN);
        assert_eq!(detect(&[]).codec_id, CODEC_UNKNOWN);
        assert_eq!(detect(&mp4_with(b"avcC")).codec_id, CODEC_UNKNOWN, "truncated avcC");
    }
}
