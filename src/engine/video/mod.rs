//! Kinesis Video Streams: streams that store media fragments within their retention, and
//! HLS sessions that play them back. Media bytes come from the host (the browser's
//! MediaRecorder); the engine stores, selects and expires them.

pub mod codec;
pub mod error;
pub mod fragment;
pub mod playlist;
pub mod session;
pub mod stream;

use crate::engine::rng::SimRng;
use error::VideoError;
use fragment::{fragment_number, Fragment, MAX_FRAGMENT_BYTES, MAX_FRAGMENT_DURATION_MS};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use session::{HlsRequest, HlsSession, PlaylistEntry, TimestampSource};
use std::collections::{BTreeMap, VecDeque};
use stream::{StreamStatus, VideoStream, MAX_RETENTION_HOURS};

/// A stream keeps at most five live HLS sessions; opening a sixth closes the oldest.
const MAX_SESSIONS_PER_STREAM: usize = 5;
/// An expired session is remembered this long, so its token gets "expired", not "unknown".
const EXPIRED_SESSION_MEMORY_MS: u64 = 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateStream {
    pub name: String,
    pub media_type: Option<String>,
    pub device_name: Option<String>,
    pub kms_key_id: Option<String>,
    pub retention_hours: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionChange {
    Increase,
    Decrease,
}

/// What PutMedia acknowledges for a fragment: PERSISTED once stored, or RECEIVED only
/// when the stream keeps no data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FragmentAck {
    pub event_type: &'static str,
    pub fragment_number: String,
    pub fragment_timecode: u64,
}

/// The two playlists of a session and the fragment numbers they list, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlaylists {
    pub master: String,
    pub media: String,
    pub fragment_numbers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoService {
    account: String,
    region: String,
    streams: BTreeMap<String, VideoStream>,
    sessions: BTreeMap<String, HlsSession>,
    sessions_opened: u64,
}

fn not_found() -> VideoError {
    VideoError::ResourceNotFound("The requested stream is not found or not active.".into())
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl VideoService {
    pub fn new(account: &str, region: &str) -> Self {
        Self {
            account: account.into(),
            region: region.into(),
            streams: BTreeMap::new(),
            sessions: BTreeMap::new(),
            sessions_opened: 0,
        }
    }

    pub fn create_stream(
        &mut self,
        req: CreateStream,
        now_ms: u64,
        rng: &mut SimRng,
    ) -> Result<String, VideoError> {
        if self.streams.contains_key(&req.name) {
            return Err(VideoError::ResourceInUse(format!(
                "The stream {} already exists.",
                req.name
            )));
        }
        if req.retention_hours > MAX_RETENTION_HOURS {
            return Err(VideoError::InvalidArgument(format!(
                "DataRetentionInHours must be 0 to {MAX_RETENTION_HOURS}; got {}.",
                req.retention_hours
            )));
        }
        let arn = format!(
            "arn:aws:kinesisvideo:{}:{}:stream/{}/{}",
            self.region, self.account, req.name, now_ms
        );
        let kms_key_id = req.kms_key_id.unwrap_or_else(|| {
            format!("arn:aws:kms:{}:{}:alias/aws/kinesisvideo", self.region, self.account)
        });
        let stream = VideoStream {
            name: req.name.clone(),
            arn: arn.clone(),
            media_type: req.media_type,
            device_name: req.device_name,
            kms_key_id,
            version: rng.alphanumeric(20),
            creation_ms: now_ms,
            retention_hours: req.retention_hours,
            deleted_at_ms: None,
            fragments: VecDeque::new(),
            next_index: 0,
        };
        self.streams.insert(req.name, stream);
        Ok(arn)
    }

    /// A stream that exists (in any state but gone), by name or ARN.
    pub fn stream(&self, name_or_arn: &str) -> Result<&VideoStream, VideoError> {
        self.streams
            .get(name_or_arn)
            .or_else(|| self.streams.values().find(|s| s.arn == name_or_arn))
            .ok_or_else(not_found)
    }

    fn stream_mut(&mut self, name_or_arn: &str) -> Result<&mut VideoStream, VideoError> {
        let name = self.stream(name_or_arn)?.name.clone();
        self.streams.get_mut(&name).ok_or_else(not_found)
    }

    /// All streams, in name order, as ListStreams returns them.
    pub fn streams(&self) -> impl Iterator<Item = &VideoStream> {
        self.streams.values()
    }

    /// Every fragment's recorded media, per stream in fragment order: host input that the
    /// state hash leaves out (it keeps each fragment's MD5), saved beside the state instead.
    pub fn media(&self) -> BTreeMap<&str, Vec<&[u8]>> {
        self.streams.iter().map(|(name, s)| (name.as_str(), s.fragments.iter().map(|f| f.media.as_slice()).collect())).collect()
    }

    /// Puts saved media back into the fragments [`VideoService::media`] listed; each must
    /// match its fragment's MD5. Returns the first stream whose media does not fit.
    pub fn put_back_media(&mut self, mut media: BTreeMap<String, Vec<Vec<u8>>>) -> Result<(), String> {
        for (name, stream) in &mut self.streams {
            let saved = media.remove(name).unwrap_or_default();
            let fits = saved.len() == stream.fragments.len()
                && stream.fragments.iter().zip(&saved).all(|(f, m)| md5_hex(m) == f.media_md5);
            if !fits {
                return Err(name.clone());
            }
            for (f, m) in stream.fragments.iter_mut().zip(saved) {
                f.media = m;
            }
        }
        Ok(())
    }

    fn check_version(stream: &VideoStream, current_version: Option<&str>) -> Result<(), VideoError> {
        match current_version {
            Some(v) if v != stream.version => Err(VideoError::VersionMismatch(format!(
                "The stream version {v} does not match the current version {} of stream {}.",
                stream.version, stream.name
            ))),
            _ => Ok(()),
        }
    }

    pub fn delete_stream(
        &mut self,
        name_or_arn: &str,
        current_version: Option<&str>,
        now_ms: u64,
    ) -> Result<(), VideoError> {
        let stream = self.stream_mut(name_or_arn)?;
        Self::check_version(stream, current_version)?;
        if stream.deleted_at_ms.is_none() {
            stream.deleted_at_ms = Some(now_ms);
        }
        let name = stream.name.clone();
        self.sessions.retain(|_, s| s.stream_name != name);
        Ok(())
    }

    pub fn update_data_retention(
        &mut self,
        name_or_arn: &str,
        current_version: &str,
        change: RetentionChange,
        hours: u32,
        now_ms: u64,
        rng: &mut SimRng,
    ) -> Result<(), VideoError> {
        let stream = self.stream_mut(name_or_arn)?;
        stream.require_active(now_ms)?;
        Self::check_version(stream, Some(current_version))?;
        let current = stream.retention_hours;
        let target = match change {
            RetentionChange::Increase => current.checked_add(hours).filter(|t| *t <= MAX_RETENTION_HOURS),
            RetentionChange::Decrease => current.checked_sub(hours),
        };
        let Some(target) = target else {
            return Err(VideoError::InvalidArgument(format!(
                "DataRetentionChangeInHours {hours} would take retention from {current} h outside 0 to {MAX_RETENTION_HOURS} h."
            )));
        };
        stream.retention_hours = target;
        stream.version = rng.alphanumeric(20);
        stream.expire(now_ms);
        Ok(())
    }

    /// GetDataEndpoint: a stable per-stream host; PUT_MEDIA goes to an `s-` host, readers to `b-`.
    pub fn data_endpoint(&self, name_or_arn: &str, api_name: &str) -> Result<String, VideoError> {
        let stream = self.stream(name_or_arn)?;
        let host = if api_name == "PUT_MEDIA" { "s" } else { "b" };
        let id = &md5_hex(stream.arn.as_bytes())[..8];
        Ok(format!("https://{host}-{id}.kinesisvideo.{}.amazonaws.com", self.region))
    }

    /// PutMedia for one fragment: stores it (within retention) and acknowledges it.
    pub fn put_fragment(
        &mut self,
        name_or_arn: &str,
        producer_ms: u64,
        duration_ms: u64,
        media: Vec<u8>,
        now_ms: u64,
    ) -> Result<FragmentAck, VideoError> {
        if !(1..=MAX_FRAGMENT_DURATION_MS).contains(&duration_ms) {
            return Err(VideoError::InvalidArgument(format!(
                "A fragment must last 1 to {MAX_FRAGMENT_DURATION_MS} ms; got {duration_ms} ms."
            )));
        }
        if media.is_empty() || media.len() > MAX_FRAGMENT_BYTES {
            return Err(VideoError::InvalidArgument(format!(
                "A fragment must hold 1 to {MAX_FRAGMENT_BYTES} bytes; got {}.",
                media.len()
            )));
        }
        let stream = self.stream_mut(name_or_arn)?;
        if stream.status(now_ms) != StreamStatus::Active {
            return Err(not_found());
        }
        let index = stream.next_index;
        stream.next_index += 1;
        let number = fragment_number(now_ms, index);
        let ack = FragmentAck {
            event_type: if stream.retention_hours == 0 { "RECEIVED" } else { "PERSISTED" },
            fragment_number: number.clone(),
            fragment_timecode: producer_ms,
        };
        if stream.retention_hours > 0 {
            let info = codec::detect(&media);
            stream.fragments.push_back(Fragment {
                number,
                index,
                producer_ms,
                server_ms: now_ms,
                duration_ms,
                codec_id: info.codec_id.into(),
                mse_type: info.mse_type,
                media_md5: md5_hex(&media),
                media,
            });
        }
        Ok(ack)
    }

    /// ListFragments: retained fragments whose timestamp lies in `range` (inclusive), oldest first.
    pub fn list_fragments(
        &self,
        name_or_arn: &str,
        range: Option<(TimestampSource, u64, u64)>,
    ) -> Result<Vec<&Fragment>, VideoError> {
        let stream = self.stream(name_or_arn)?;
        let mut out: Vec<&Fragment> = stream
            .fragments
            .iter()
            .filter(|f| match range {
                None => true,
                Some((TimestampSource::Server, lo, hi)) => (lo..=hi).contains(&f.server_ms),
                Some((TimestampSource::Producer, lo, hi)) => (lo..=hi).contains(&f.producer_ms),
            })
            .collect();
        out.sort_by_key(|f| f.index);
        Ok(out)
    }

    /// GetMediaForFragmentList: the fragments asked for, in the order asked.
    pub fn fragments_by_number(
        &self,
        name_or_arn: &str,
        numbers: &[String],
    ) -> Result<Vec<&Fragment>, VideoError> {
        let stream = self.stream(name_or_arn)?;
        numbers
            .iter()
            .map(|n| {
                stream.fragments.iter().find(|f| &f.number == n).ok_or_else(|| {
                    VideoError::ResourceNotFound(format!(
                        "Fragment {n} is not in stream {}: it never existed or is past retention.",
                        stream.name
                    ))
                })
            })
            .collect()
    }

    /// GetHLSStreamingSessionURL: opens a session and returns its URL.
    pub fn open_hls_session(
        &mut self,
        name_or_arn: &str,
        req: &HlsRequest,
        now_ms: u64,
        rng: &mut SimRng,
    ) -> Result<String, VideoError> {
        let stream = self.stream(name_or_arn)?;
        if stream.status(now_ms) != StreamStatus::Active {
            return Err(not_found());
        }
        let endpoint = self.data_endpoint(name_or_arn, "GET_HLS_STREAMING_SESSION_URL")?;
        let session =
            HlsSession::open(req, stream, now_ms, rng.alphanumeric(64), self.sessions_opened)?;
        self.sessions_opened += 1;
        let open: Vec<(u64, String)> = self
            .sessions
            .values()
            .filter(|s| s.stream_name == session.stream_name && !s.is_expired(now_ms))
            .map(|s| (s.serial, s.token.clone()))
            .collect();
        if open.len() >= MAX_SESSIONS_PER_STREAM {
            if let Some((_, oldest)) = open.iter().min() {
                self.sessions.remove(oldest);
            }
        }
        let url = format!(
            "{endpoint}/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken={}",
            session.token
        );
        self.sessions.insert(session.token.clone(), session);
        Ok(url)
    }

    /// The playlists a player fetches with a session token, as they stand at `now_ms`.
    pub fn session_playlists(&self, token: &str, now_ms: u64) -> Result<SessionPlaylists, VideoError> {
        let session = self.sessions.get(token).ok_or_else(|| {
            VideoError::NotAuthorized(
                "The session token is not valid: it was never issued, or its stream closed it.".into(),
            )
        })?;
        let stream = self.stream(&session.stream_name)?;
        let entries: Vec<PlaylistEntry> = session.playlist(stream, now_ms)?;
        Ok(SessionPlaylists {
            master: playlist::master_playlist(session, &entries),
            media: playlist::media_playlist(session, &entries),
            fragment_numbers: entries.iter().map(|e| e.fragment.number.clone()).collect(),
        })
    }

    /// Runs retention: expired fragments and sessions go, deleted streams vanish.
    pub fn expire(&mut self, now_ms: u64) {
        self.streams.retain(|_, s| !s.is_gone(now_ms));
        for stream in self.streams.values_mut() {
            stream.expire(now_ms);
        }
        self.sessions.retain(|_, s| !s.is_expired(now_ms.saturating_sub(EXPIRED_SESSION_MEMORY_MS)));
    }
}

#[cfg(test)]
mod tests;
