//! HLS playlists (RFC 8216) as a KVS session serves them: a master playlist pointing at one
//! media playlist, which lists the session's fragments.

use super::session::{ContainerFormat, HlsSession, PlaybackMode, PlaylistEntry};
use crate::engine::clock::format_iso8601_ms;
use std::fmt::Write;

/// The master playlist the session URL points at.
pub fn master_playlist(session: &HlsSession, entries: &[PlaylistEntry]) -> String {
    let bytes: u64 = entries.iter().map(|e| e.fragment.size_bytes() as u64).sum();
    let millis: u64 = entries.iter().map(|e| e.fragment.duration_ms).sum::<u64>().max(1);
    let bandwidth = bytes * 8 * 1_000 / millis;
    format!(
        "#EXTM3U\n#EXT-X-VERSION:{}\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH={bandwidth}\ngetHLSMediaPlaylist.m3u8?SessionToken={}&TrackNumber=1\n",
        version(session),
        session.token
    )
}

/// The media playlist: one `#EXTINF` per fragment, with the tags the session's options ask for.
pub fn media_playlist(session: &HlsSession, entries: &[PlaylistEntry]) -> String {
    let target = entries.iter().map(|e| e.fragment.duration_ms.div_ceil(1_000)).max().unwrap_or(1);
    let sequence = entries.first().map_or(0, |e| e.fragment.index);
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "#EXTM3U\n#EXT-X-VERSION:{}\n#EXT-X-TARGETDURATION:{target}\n#EXT-X-MEDIA-SEQUENCE:{sequence}\n",
        version(session)
    );
    if session.mode == PlaybackMode::OnDemand {
        out.push_str("#EXT-X-PLAYLIST-TYPE:VOD\n");
    }
    if session.container == ContainerFormat::FragmentedMp4 {
        let _ = writeln!(out, "#EXT-X-MAP:URI=\"getMP4InitFragment.mp4?SessionToken={}\"", session.token);
    }
    for (i, e) in entries.iter().enumerate() {
        let f = e.fragment;
        if e.discontinuity && i > 0 {
            out.push_str("#EXT-X-DISCONTINUITY\n");
        }
        if session.display_timestamps {
            let _ = writeln!(out, "#EXT-X-PROGRAM-DATE-TIME:{}", format_iso8601_ms(session.timestamp(f)));
        }
        let uri = match session.container {
            ContainerFormat::FragmentedMp4 => "getMP4MediaFragment.mp4",
            ContainerFormat::MpegTs => "getTSFragment.ts",
        };
        let _ = write!(
            out,
            "#EXTINF:{}.{:03},\n{uri}?FragmentNumber={}&SessionToken={}\n",
            f.duration_ms / 1_000,
            f.duration_ms % 1_000,
            f.number,
            session.token
        );
    }
    if session.mode == PlaybackMode::OnDemand {
        out.push_str("#EXT-X-ENDLIST\n");
    }
    out
}

/// fMP4 segments need HLS version 7 (EXT-X-MAP with media initialisation); TS plays at 3.
fn version(session: &HlsSession) -> u8 {
    match session.container {
        ContainerFormat::FragmentedMp4 => 7,
        ContainerFormat::MpegTs => 3,
    }
}
