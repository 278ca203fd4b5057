//! HLS streaming sessions: what GetHLSStreamingSessionURL accepts, and which fragments a
//! session's media playlist lists at a given virtual time.

use super::error::VideoError;
use super::fragment::{Fragment, CODEC_H264, CODEC_H265};
use super::stream::VideoStream;
use serde::{Deserialize, Serialize};

/// ON_DEMAND and LIVE_REPLAY ranges may span at most 24 hours.
const MAX_RANGE_MS: u64 = 24 * 3_600_000;
/// LIVE needs a fragment this recent, or there is nothing live to play.
const LIVE_WINDOW_MS: u64 = 30_000;
/// A gap or overlap larger than this between fragments is a discontinuity.
const DISCONTINUITY_TOLERANCE_MS: u64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaybackMode {
    Live,
    LiveReplay,
    OnDemand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimestampSource {
    Server,
    Producer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContainerFormat {
    FragmentedMp4,
    MpegTs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiscontinuityMode {
    Always,
    Never,
    OnDiscontinuity,
}

/// A GetHLSStreamingSessionURL request after its fields passed shape validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HlsRequest {
    pub mode: PlaybackMode,
    pub source: TimestampSource,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    pub container: ContainerFormat,
    pub discontinuity: Option<DiscontinuityMode>,
    pub display_timestamps: bool,
    pub expires_s: u32,
    pub max_results: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HlsSession {
    pub token: String,
    /// Opening order within the service; the oldest session is closed first.
    pub serial: u64,
    pub stream_name: String,
    pub created_ms: u64,
    pub expires_at_ms: u64,
    pub mode: PlaybackMode,
    pub source: TimestampSource,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    pub container: ContainerFormat,
    pub discontinuity: DiscontinuityMode,
    pub display_timestamps: bool,
    pub max_results: u32,
}

/// One playlist entry: the fragment and whether a discontinuity tag precedes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaylistEntry<'a> {
    pub fragment: &'a Fragment,
    pub discontinuity: bool,
}

impl HlsSession {
    /// Checks the request against the stream as AWS does, and opens the session.
    pub fn open(
        req: &HlsRequest,
        stream: &VideoStream,
        now_ms: u64,
        token: String,
        serial: u64,
    ) -> Result<HlsSession, VideoError> {
        let invalid = |m: &str| Err(VideoError::InvalidArgument(m.to_string()));
        match (req.mode, req.start_ms, req.end_ms) {
            (PlaybackMode::Live, Some(_), _) | (PlaybackMode::Live, _, Some(_)) => {
                return invalid("TimestampRange must not be set when PlaybackMode is LIVE.")
            }
            (PlaybackMode::OnDemand, None, _) | (PlaybackMode::OnDemand, _, None) => {
                return invalid("HLSFragmentSelector with a TimestampRange holding both StartTimestamp and EndTimestamp is required when PlaybackMode is ON_DEMAND.")
            }
            (PlaybackMode::LiveReplay, None, _) => {
                return invalid("HLSFragmentSelector with a TimestampRange StartTimestamp is required when PlaybackMode is LIVE_REPLAY.")
            }
            _ => {}
        }
        if let (Some(start), Some(end)) = (req.start_ms, req.end_ms) {
            if end <= start {
                return invalid("EndTimestamp must be later than StartTimestamp.");
            }
            if end - start > MAX_RANGE_MS {
                return invalid("EndTimestamp must be within 24 hours of StartTimestamp.");
            }
        }
        if req.source == TimestampSource::Server && req.end_ms.is_some_and(|end| end > now_ms) {
            return invalid("EndTimestamp must be in the past when FragmentSelectorType is SERVER_TIMESTAMP.");
        }
        if stream.retention_hours == 0 {
            return Err(VideoError::NoDataRetention(format!(
                "The stream {} does not retain data (DataRetentionInHours is 0), so there is nothing to play back.",
                stream.name
            )));
        }
        let default_max = if req.mode == PlaybackMode::OnDemand { 1_000 } else { 5 };
        let session = HlsSession {
            token,
            serial,
            stream_name: stream.name.clone(),
            created_ms: now_ms,
            expires_at_ms: now_ms + u64::from(req.expires_s) * 1_000,
            mode: req.mode,
            source: req.source,
            start_ms: req.start_ms,
            end_ms: req.end_ms,
            container: req.container,
            discontinuity: req.discontinuity.unwrap_or(match req.source {
                TimestampSource::Server => DiscontinuityMode::Always,
                TimestampSource::Producer => DiscontinuityMode::Never,
            }),
            display_timestamps: req.display_timestamps,
            max_results: req.max_results.unwrap_or(default_max),
        };
        let first = session.playlist(stream, now_ms)?.into_iter().next();
        match first {
            None if session.mode == PlaybackMode::Live => Err(VideoError::ResourceNotFound(format!(
                "No fragments found in stream {} within the last 30 seconds.",
                stream.name
            ))),
            None => Err(VideoError::ResourceNotFound(format!(
                "No fragments found in stream {} for the requested time range.",
                stream.name
            ))),
            Some(entry) if ![CODEC_H264, CODEC_H265].contains(&entry.fragment.codec_id.as_str()) => {
                Err(VideoError::UnsupportedStreamMediaType(format!(
                    "The codec ID of track 1 is {}; HLS needs V_MPEG/ISO/AVC (H.264) or V_MPEGH/ISO/HEVC (H.265).",
                    entry.fragment.codec_id
                )))
            }
            Some(_) => Ok(session),
        }
    }

    pub fn is_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.expires_at_ms
    }

    /// The fragment's start time on the session's clock (server or producer).
    pub fn timestamp(&self, f: &Fragment) -> u64 {
        match self.source {
            TimestampSource::Server => f.server_ms,
            TimestampSource::Producer => f.producer_ms,
        }
    }

    /// The fragments the media playlist lists now, oldest first. LIVE keeps the newest ones;
    /// LIVE_REPLAY replays from StartTimestamp at real speed; ON_DEMAND keeps the oldest.
    pub fn playlist<'a>(
        &self,
        stream: &'a VideoStream,
        now_ms: u64,
    ) -> Result<Vec<PlaylistEntry<'a>>, VideoError> {
        if self.is_expired(now_ms) {
            return Err(VideoError::NotAuthorized(format!(
                "The HLS streaming session for stream {} expired at {} ms; request a new session URL.",
                self.stream_name, self.expires_at_ms
            )));
        }
        let (low, high) = match self.mode {
            PlaybackMode::Live => (0, u64::MAX),
            PlaybackMode::LiveReplay => {
                let start = self.start_ms.unwrap_or(0);
                let replayed = start.saturating_add(now_ms.saturating_sub(self.created_ms));
                (start, self.end_ms.map_or(replayed, |end| end.min(replayed)))
            }
            PlaybackMode::OnDemand => (self.start_ms.unwrap_or(0), self.end_ms.unwrap_or(u64::MAX)),
        };
        let mut picked: Vec<&Fragment> = stream
            .fragments
            .iter()
            .filter(|f| (low..=high).contains(&self.timestamp(f)))
            .collect();
        picked.sort_by_key(|f| (self.timestamp(f), f.index));
        if self.source == TimestampSource::Producer {
            // Several fragments with one producer start time: only the newest one is listed.
            picked.reverse();
            picked.dedup_by_key(|f| f.producer_ms);
            picked.reverse();
        }
        if self.mode == PlaybackMode::Live
            && picked.last().is_none_or(|f| self.timestamp(f) + LIVE_WINDOW_MS < now_ms)
        {
            picked.clear();
        }
        let max = self.max_results as usize;
        let picked = match self.mode {
            PlaybackMode::OnDemand => picked.into_iter().take(max).collect::<Vec<_>>(),
            _ => {
                let skip = picked.len().saturating_sub(max);
                picked.into_iter().skip(skip).collect()
            }
        };
        let mut previous_end: Option<u64> = None;
        Ok(picked
            .into_iter()
            .map(|f| {
                let start = self.timestamp(f);
                let discontinuity = match self.discontinuity {
                    DiscontinuityMode::Always => true,
                    DiscontinuityMode::Never => false,
                    DiscontinuityMode::OnDiscontinuity => {
                        previous_end.is_some_and(|end| end.abs_diff(start) > DISCONTINUITY_TOLERANCE_MS)
                    }
                };
                previous_end = Some(start + f.duration_ms);
                PlaylistEntry { fragment: f, discontinuity }
            })
            .collect())
    }
}
