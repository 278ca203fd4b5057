//! Video Streams behaviour over a fixed set of fragments: numbering, retention, session
//! checks and expiry, and the playlist of each playback mode.

use super::session::{ContainerFormat, DiscontinuityMode, HlsRequest, PlaybackMode, TimestampSource};
use super::stream::ACTIVATION_DELAY_MS;
use super::*;

const T0: u64 = 1_767_225_600_000;
const HOUR: u64 = 3_600_000;

struct World {
    video: VideoService,
    rng: SimRng,
    now: u64,
}

impl World {
    /// A stream `cam` with 1 h retention and twenty 1-second fragments, one per second of
    /// virtual time, starting once the stream is ACTIVE.
    fn with_twenty_fragments() -> World {
        let mut w = World { video: VideoService::new("123456789012", "us-east-1"), rng: SimRng::from_seed(1), now: T0 };
        w.create("cam", 1);
        w.now += ACTIVATION_DELAY_MS;
        for _ in 0..20 {
            w.put("cam", h264());
            w.now += 1_000;
        }
        w
    }

    fn create(&mut self, name: &str, retention_hours: u32) {
        let req = CreateStream {
            name: name.into(),
            media_type: Some("video/h264".into()),
            device_name: None,
            kms_key_id: None,
            retention_hours,
        };
        self.video.create_stream(req, self.now, &mut self.rng).unwrap();
    }

    fn put(&mut self, name: &str, media: Vec<u8>) -> FragmentAck {
        self.video.put_fragment(name, self.now - 40, 1_000, media, self.now).unwrap()
    }

    fn session(&mut self, req: &HlsRequest) -> Result<String, VideoError> {
        self.video.open_hls_session("cam", req, self.now, &mut self.rng)
    }

    fn start(&self) -> u64 {
        T0 + ACTIVATION_DELAY_MS
    }
}

/// The start of a fragmented MP4 holding H.264 (an `avcC` box), as Chromium records it.
fn h264() -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypisom\0\0\0\0isomavc1".to_vec();
    v.extend_from_slice(b"\0\0\0\x10avcC\x01\x42\xC0\x1F");
    v
}

fn request(mode: PlaybackMode, range: Option<(u64, u64)>) -> HlsRequest {
    HlsRequest {
        mode,
        source: TimestampSource::Server,
        start_ms: range.map(|r| r.0),
        end_ms: range.map(|r| r.1),
        container: ContainerFormat::FragmentedMp4,
        discontinuity: None,
        display_timestamps: false,
        expires_s: 300,
        max_results: None,
    }
}

fn token(url: &str) -> &str {
    url.split("SessionToken=").nth(1).unwrap()
}

#[test]
fn fragments_are_numbered_in_arrival_order_and_acknowledged() {
    let mut w = World::with_twenty_fragments();
    let ack = w.put("cam", h264());
    assert_eq!(ack.event_type, "PERSISTED");
    let all = w.video.list_fragments("cam", None).unwrap();
    assert_eq!(all.len(), 21);
    assert!(all.windows(2).all(|p| p[0].number < p[1].number && p[0].server_ms < p[1].server_ms));
    assert_eq!(all[20].number, ack.fragment_number);
}

#[test]
fn puts_need_an_active_stream_and_sane_fragments() {
    let mut w = World { video: VideoService::new("1", "us-east-1"), rng: SimRng::from_seed(1), now: T0 };
    w.create("cam", 1);
    let put = |w: &mut World, ms, bytes: usize| {
        w.video.put_fragment("cam", w.now, ms, vec![1; bytes], w.now)
    };
    assert_eq!(put(&mut w, 1_000, 10).unwrap_err().aws_type(), "ResourceNotFoundException");
    w.now += ACTIVATION_DELAY_MS;
    assert!(put(&mut w, 1_000, 10).is_ok());
    assert_eq!(put(&mut w, 20_001, 10).unwrap_err().to_string(), "A fragment must last 1 to 20000 ms; got 20001 ms.");
    assert!(put(&mut w, 0, 10).is_err());
    assert!(put(&mut w, 1_000, 0).is_err());
}

#[test]
fn retention_expires_fragments_and_zero_keeps_nothing() {
    let mut w = World::with_twenty_fragments();
    w.now = w.start() + HOUR + 4_500;
    w.video.expire(w.now);
    // Fragments put at start+0..=start+4 s are now older than one hour.
    assert_eq!(w.video.list_fragments("cam", None).unwrap().len(), 15);

    w.create("nothing-kept", 0);
    w.now += ACTIVATION_DELAY_MS;
    assert_eq!(w.put("nothing-kept", h264()).event_type, "RECEIVED");
    assert!(w.video.list_fragments("nothing-kept", None).unwrap().is_empty());
    let err = w.video.open_hls_session("nothing-kept", &request(PlaybackMode::Live, None), w.now, &mut w.rng);
    assert_eq!(err.unwrap_err().aws_type(), "NoDataRetentionException");
}

#[test]
fn retention_updates_check_the_version_and_bounds() {
    let mut w = World::with_twenty_fragments();
    let version = w.video.stream("cam").unwrap().version.clone();
    let mismatch = w.video.update_data_retention("cam", "stale", RetentionChange::Increase, 1, w.now, &mut w.rng);
    assert_eq!(mismatch.unwrap_err().aws_type(), "VersionMismatchException");
    let below_zero = w.video.update_data_retention("cam", &version, RetentionChange::Decrease, 2, w.now, &mut w.rng);
    assert_eq!(below_zero.unwrap_err().aws_type(), "InvalidArgumentException");
    w.video.update_data_retention("cam", &version, RetentionChange::Increase, 23, w.now, &mut w.rng).unwrap();
    let stream = w.video.stream("cam").unwrap();
    assert_eq!(stream.retention_hours, 24);
    assert_ne!(stream.version, version, "every update issues a new version");
}

#[test]
fn on_demand_lists_the_range_oldest_first_and_ends() {
    let mut w = World::with_twenty_fragments();
    let s = w.start();
    let url = w.session(&request(PlaybackMode::OnDemand, Some((s + 5_000, s + 15_000)))).unwrap();
    assert!(url.starts_with("https://b-"), "{url}");
    assert!(url.contains(".kinesisvideo.us-east-1.amazonaws.com/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken="));
    let p = w.video.session_playlists(token(&url), w.now).unwrap();
    // Start and end are inclusive on the fragment start: seconds 5..=15 are 11 fragments.
    assert_eq!(p.fragment_numbers.len(), 11);
    let all = w.video.list_fragments("cam", None).unwrap();
    assert_eq!(p.fragment_numbers[0], all[5].number);
    assert!(p.media.starts_with("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:5\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"getMP4InitFragment.mp4?SessionToken="));
    assert_eq!(p.media.matches("#EXTINF:1.000,\ngetMP4MediaFragment.mp4?FragmentNumber=").count(), 11);
    assert_eq!(p.media.matches("#EXT-X-DISCONTINUITY\n").count(), 10, "ALWAYS is the SERVER_TIMESTAMP default");
    assert!(p.media.ends_with("#EXT-X-ENDLIST\n"));
    assert!(p.master.contains("getHLSMediaPlaylist.m3u8?SessionToken="));
}

#[test]
fn live_lists_the_newest_five_and_follows_the_edge() {
    let mut w = World::with_twenty_fragments();
    let url = w.session(&request(PlaybackMode::Live, None)).unwrap();
    let all: Vec<String> = w.video.list_fragments("cam", None).unwrap().iter().map(|f| f.number.clone()).collect();
    let p = w.video.session_playlists(token(&url), w.now).unwrap();
    assert_eq!(p.fragment_numbers, all[15..]);
    assert!(!p.media.contains("#EXT-X-ENDLIST"));
    assert!(!p.media.contains("PLAYLIST-TYPE"));
    let newest = w.put("cam", h264());
    let p = w.video.session_playlists(token(&url), w.now).unwrap();
    assert_eq!(p.fragment_numbers.last(), Some(&newest.fragment_number));
    assert_eq!(p.fragment_numbers.len(), 5);
}

#[test]
fn live_replay_starts_at_the_start_and_moves_at_real_speed() {
    let mut w = World::with_twenty_fragments();
    let s = w.start();
    let mut req = request(PlaybackMode::LiveReplay, Some((s + 2_000, s + 30_000)));
    req.end_ms = None;
    let url = w.session(&req).unwrap();
    let first = w.video.session_playlists(token(&url), w.now).unwrap();
    assert_eq!(first.fragment_numbers.len(), 1, "at creation only the start fragment is replayed");
    let later = w.video.session_playlists(token(&url), w.now + 3_000).unwrap();
    assert_eq!(later.fragment_numbers.len(), 4);
    assert_eq!(later.fragment_numbers[0], first.fragment_numbers[0]);
}

#[test]
fn session_requests_are_checked_as_aws_does() {
    let mut w = World::with_twenty_fragments();
    let s = w.start();
    let kind = |w: &mut World, req: HlsRequest| w.session(&req).unwrap_err().aws_type();
    assert_eq!(kind(&mut w, request(PlaybackMode::Live, Some((s, s + 1_000)))), "InvalidArgumentException");
    assert_eq!(kind(&mut w, request(PlaybackMode::OnDemand, None)), "InvalidArgumentException");
    assert_eq!(kind(&mut w, request(PlaybackMode::LiveReplay, None)), "InvalidArgumentException");
    assert_eq!(kind(&mut w, request(PlaybackMode::OnDemand, Some((s + 5_000, s + 5_000)))), "InvalidArgumentException");
    assert_eq!(kind(&mut w, request(PlaybackMode::OnDemand, Some((s, s + 24 * HOUR + 1)))), "InvalidArgumentException");
    let future = request(PlaybackMode::OnDemand, Some((s, w.now + 1)));
    assert_eq!(w.session(&future).unwrap_err().to_string(), "EndTimestamp must be in the past when FragmentSelectorType is SERVER_TIMESTAMP.");
    assert_eq!(kind(&mut w, request(PlaybackMode::OnDemand, Some((T0 - HOUR, T0 - 1)))), "ResourceNotFoundException");

    w.now += 31_000;
    assert_eq!(kind(&mut w, request(PlaybackMode::Live, None)), "ResourceNotFoundException", "nothing in the last 30 s");
}

#[test]
fn sessions_expire_in_virtual_time() {
    let mut w = World::with_twenty_fragments();
    let url = w.session(&request(PlaybackMode::Live, None)).unwrap();
    let t = token(&url).to_string();
    assert!(w.video.session_playlists(&t, w.now + 299_999).is_ok());
    let err = w.video.session_playlists(&t, w.now + 300_000).unwrap_err();
    assert_eq!((err.aws_type(), err.status()), ("NotAuthorizedException", 401));
    w.video.expire(w.now + 300_000);
    assert_eq!(w.video.session_playlists(&t, w.now + 300_000).unwrap_err().aws_type(), "NotAuthorizedException");
}

#[test]
fn a_sixth_session_closes_the_oldest() {
    let mut w = World::with_twenty_fragments();
    let urls: Vec<String> = (0..6).map(|_| w.session(&request(PlaybackMode::Live, None)).unwrap()).collect();
    assert!(w.video.session_playlists(token(&urls[0]), w.now).is_err());
    assert!(urls[1..].iter().all(|u| w.video.session_playlists(token(u), w.now).is_ok()));
}

#[test]
fn hls_needs_h264_or_h265_in_track_one() {
    let mut w = World { video: VideoService::new("1", "us-east-1"), rng: SimRng::from_seed(1), now: T0 };
    w.create("cam", 1);
    w.now += ACTIVATION_DELAY_MS;
    w.put("cam", b"\x1A\x45\xDF\xA3....V_VP8....".to_vec());
    let err = w.session(&request(PlaybackMode::Live, None)).unwrap_err();
    assert_eq!(err.aws_type(), "UnsupportedStreamMediaTypeException");
}

#[test]
fn producer_timestamps_keep_the_newest_of_equal_starts_and_mark_real_gaps() {
    let mut w = World::with_twenty_fragments();
    let s = w.start();
    // Two more fragments claiming the producer time of the last one, and one after a 3 s gap.
    let last_producer = w.video.list_fragments("cam", None).unwrap()[19].producer_ms;
    let dup = w.video.put_fragment("cam", last_producer, 1_000, h264(), w.now).unwrap();
    w.video.put_fragment("cam", last_producer + 4_000, 1_000, h264(), w.now).unwrap();
    let mut req = request(PlaybackMode::OnDemand, Some((s - 1_000, w.now + 10_000)));
    req.source = TimestampSource::Producer;
    req.discontinuity = Some(DiscontinuityMode::OnDiscontinuity);
    req.display_timestamps = true;
    let url = w.session(&req).unwrap();
    let p = w.video.session_playlists(token(&url), w.now).unwrap();
    assert_eq!(p.fragment_numbers.len(), 21);
    assert_eq!(p.fragment_numbers[19], dup.fragment_number, "the newer duplicate wins");
    assert_eq!(p.media.matches("#EXT-X-DISCONTINUITY").count(), 1);
    assert!(p.media.contains("#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:01.960Z\n"));
}

#[test]
fn deleted_streams_close_sessions_and_vanish() {
    let mut w = World::with_twenty_fragments();
    let url = w.session(&request(PlaybackMode::Live, None)).unwrap();
    w.video.delete_stream("cam", None, w.now).unwrap();
    assert_eq!(w.video.stream("cam").unwrap().status(w.now), StreamStatus::Deleting);
    assert!(w.video.session_playlists(token(&url), w.now).is_err());
    w.video.expire(w.now + stream::DELETION_DELAY_MS);
    assert_eq!(w.video.stream("cam").unwrap_err().aws_type(), "ResourceNotFoundException");
}
