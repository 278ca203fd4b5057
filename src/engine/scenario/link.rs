//! Scenarios in a URL fragment (`#scenario=...`): raw deflate, then base64url without padding,
//! so a lesson fits a link a teacher can paste. The console's autosave packs snapshots the
//! same way ([`pack`], [`unpack`]), which keeps them several times smaller.

use super::ScenarioError;
use base64::Engine as _;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
pub use flate2::Compression;
use std::io::{Read, Write};

/// A decompressed scenario may be at most this large, so a crafted link cannot inflate into
/// gigabytes (a deflate bomb).
pub const MAX_LINK_SCENARIO_BYTES: u64 = 8 * 1024 * 1024;

/// The fragment text for a scenario document.
pub fn encode(scenario_json: &str) -> String {
    pack(scenario_json, Compression::best())
}

/// The scenario document a fragment holds.
pub fn decode(fragment: &str) -> Result<String, ScenarioError> {
    unpack(fragment, MAX_LINK_SCENARIO_BYTES).map_err(|why| ScenarioError(format!("The link's scenario is damaged: {why}")))
}

/// `text` deflated at `level`, in base64url.
pub fn pack(text: &str, level: Compression) -> String {
    let mut encoder = DeflateEncoder::new(Vec::new(), level);
    // Writing to a Vec cannot fail; an empty result is refused on the way back anyway.
    let compressed = encoder.write_all(text.as_bytes()).and_then(|_| encoder.finish()).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
}

/// The text [`pack`] packed, refusing more than `max_bytes` once inflated.
pub fn unpack(packed: &str, max_bytes: u64) -> Result<String, String> {
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(packed.trim().trim_end_matches('='))
        .map_err(|e| format!("it is not base64url ({e})"))?;
    let mut text = String::new();
    DeflateDecoder::new(compressed.as_slice())
        .take(max_bytes + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("it does not inflate to UTF-8 text ({e})"))?;
    if text.len() as u64 > max_bytes {
        return Err(format!("it inflates past {max_bytes} bytes"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_is_url_safe() {
        let doc = r#"{"version":1,"streams":[{"name":"s","shardCount":2}],"lambdas":[{"name":"f","code":"(e) => e /* ü */"}]}"#;
        let fragment = encode(doc);
        assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{fragment}");
        assert_eq!(decode(&fragment).unwrap(), doc);
    }

    #[test]
    fn damage_and_bombs_are_refused() {
        assert!(decode("!!!").unwrap_err().0.starts_with("The link's scenario is damaged: it is not base64url"));
        assert!(decode("AAAA").is_err());
        let bomb = encode(&" ".repeat(MAX_LINK_SCENARIO_BYTES as usize + 10));
        assert!(decode(&bomb).unwrap_err().0.contains("inflates past"));
    }
}
