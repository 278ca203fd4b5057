//! Kinesis Video Streams behind the same front door. KVS is a REST-JSON API (`POST
//! /createStream`, `POST /getHLSStreamingSessionURL`, ...), so its calls are named
//! `KinesisVideo_20170930.<Operation>` after the API version both of its clients share; a
//! request handler maps a REST path to that target. Shapes are checked by the shared
//! validator, then the video service answers.

use super::parse;
use super::validate::{check, parse_body, Field, Pattern};
use super::ApiResponse;
use crate::engine::rng::SimRng;
use crate::engine::video::error::VideoError;
use crate::engine::video::session::{ContainerFormat, DiscontinuityMode, HlsRequest, PlaybackMode, TimestampSource};
use crate::engine::video::stream::VideoStream;
use crate::engine::video::{CreateStream, RetentionChange, VideoService};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const TARGET_PREFIX: &str = "KinesisVideo_20170930.";

const API_NAMES: &[&str] = &[
    "PUT_MEDIA",
    "GET_MEDIA",
    "LIST_FRAGMENTS",
    "GET_MEDIA_FOR_FRAGMENT_LIST",
    "GET_HLS_STREAMING_SESSION_URL",
    "GET_DASH_STREAMING_SESSION_URL",
    "GET_CLIP",
    "GET_IMAGES",
];
const RETENTION_OPERATIONS: &[&str] = &["INCREASE_DATA_RETENTION", "DECREASE_DATA_RETENTION"];
const SELECTOR_TYPES: &[&str] = &["PRODUCER_TIMESTAMP", "SERVER_TIMESTAMP"];
const PLAYBACK_MODES: &[&str] = &["LIVE", "LIVE_REPLAY", "ON_DEMAND"];
const CONTAINER_FORMATS: &[&str] = &["FRAGMENTED_MP4", "MPEG_TS"];
const DISCONTINUITY_MODES: &[&str] = &["ALWAYS", "NEVER", "ON_DISCONTINUITY"];
const DISPLAY_MODES: &[&str] = &["ALWAYS", "NEVER"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoOperation {
    CreateStream,
    DescribeStream,
    ListStreams,
    DeleteStream,
    UpdateDataRetention,
    GetDataEndpoint,
    ListFragments,
    GetHLSStreamingSessionURL,
    GetHLSMasterPlaylist,
    GetHLSMediaPlaylist,
}

impl VideoOperation {
    pub const ALL: [VideoOperation; 10] = [
        VideoOperation::CreateStream,
        VideoOperation::DescribeStream,
        VideoOperation::ListStreams,
        VideoOperation::DeleteStream,
        VideoOperation::UpdateDataRetention,
        VideoOperation::GetDataEndpoint,
        VideoOperation::ListFragments,
        VideoOperation::GetHLSStreamingSessionURL,
        VideoOperation::GetHLSMasterPlaylist,
        VideoOperation::GetHLSMediaPlaylist,
    ];

    pub fn name(self) -> &'static str {
        match self {
            VideoOperation::CreateStream => "CreateStream",
            VideoOperation::DescribeStream => "DescribeStream",
            VideoOperation::ListStreams => "ListStreams",
            VideoOperation::DeleteStream => "DeleteStream",
            VideoOperation::UpdateDataRetention => "UpdateDataRetention",
            VideoOperation::GetDataEndpoint => "GetDataEndpoint",
            VideoOperation::ListFragments => "ListFragments",
            VideoOperation::GetHLSStreamingSessionURL => "GetHLSStreamingSessionURL",
            VideoOperation::GetHLSMasterPlaylist => "GetHLSMasterPlaylist",
            VideoOperation::GetHLSMediaPlaylist => "GetHLSMediaPlaylist",
        }
    }

    pub fn from_target(target: &str) -> Option<VideoOperation> {
        let action = target.strip_prefix(TARGET_PREFIX)?;
        VideoOperation::ALL.into_iter().find(|op| op.name() == action)
    }

    /// Request members in the AWS model's order, with its constraints.
    fn rules(self) -> Vec<(&'static str, Field)> {
        let name = || Field::string().regex(Pattern::Name).len(1, 256);
        let arn = || Field::string().regex(Pattern::VideoStreamArn).len(1, 1024);
        let version = || Field::string().regex(Pattern::Version).len(1, 64);
        let range = || {
            Field::structure(vec![
                ("StartTimestamp", Field::timestamp().not_null()),
                ("EndTimestamp", Field::timestamp().not_null()),
            ])
        };
        match self {
            VideoOperation::CreateStream => vec![
                ("DeviceName", name().len(1, 128)),
                ("StreamName", name().not_null()),
                ("MediaType", Field::string().regex(Pattern::MediaType).len(1, 128)),
                ("KmsKeyId", Field::string().len(1, 2048)),
                ("DataRetentionInHours", Field::integer().min(0)),
                ("Tags", Field::map(Field::string()).len(1, 50).key_lengths(1, 128).value_lengths(0, 256)),
            ],
            VideoOperation::DescribeStream => vec![("StreamName", name()), ("StreamARN", arn())],
            VideoOperation::ListStreams => vec![
                ("MaxResults", Field::integer().range(1, 10_000)),
                ("NextToken", Field::string().len(0, 512)),
                (
                    "StreamNameCondition",
                    Field::structure(vec![
                        ("ComparisonOperator", Field::string().one_of(&["BEGINS_WITH"])),
                        ("ComparisonValue", name()),
                    ]),
                ),
            ],
            VideoOperation::DeleteStream => {
                vec![("StreamARN", arn().not_null()), ("CurrentVersion", version())]
            }
            VideoOperation::UpdateDataRetention => vec![
                ("StreamName", name()),
                ("StreamARN", arn()),
                ("CurrentVersion", version().not_null()),
                ("Operation", Field::string().not_null().one_of(RETENTION_OPERATIONS)),
                ("DataRetentionChangeInHours", Field::integer().not_null().min(1)),
            ],
            VideoOperation::GetDataEndpoint => vec![
                ("StreamName", name()),
                ("StreamARN", arn()),
                ("APIName", Field::string().not_null().one_of(API_NAMES)),
            ],
            VideoOperation::ListFragments => vec![
                ("StreamName", name()),
                ("StreamARN", arn()),
                ("MaxResults", Field::integer().range(1, 1_000)),
                ("NextToken", Field::string().len(1, 4096)),
                (
                    "FragmentSelector",
                    Field::structure(vec![
                        ("FragmentSelectorType", Field::string().not_null().one_of(SELECTOR_TYPES)),
                        ("TimestampRange", range().not_null()),
                    ]),
                ),
            ],
            VideoOperation::GetHLSStreamingSessionURL => vec![
                ("StreamName", name()),
                ("StreamARN", arn()),
                ("PlaybackMode", Field::string().one_of(PLAYBACK_MODES)),
                (
                    "HLSFragmentSelector",
                    Field::structure(vec![
                        ("FragmentSelectorType", Field::string().one_of(SELECTOR_TYPES)),
                        (
                            "TimestampRange",
                            Field::structure(vec![
                                ("StartTimestamp", Field::timestamp()),
                                ("EndTimestamp", Field::timestamp()),
                            ]),
                        ),
                    ]),
                ),
                ("ContainerFormat", Field::string().one_of(CONTAINER_FORMATS)),
                ("DiscontinuityMode", Field::string().one_of(DISCONTINUITY_MODES)),
                ("DisplayFragmentTimestamp", Field::string().one_of(DISPLAY_MODES)),
                ("Expires", Field::integer().range(300, 43_200)),
                ("MaxMediaPlaylistFragmentResults", Field::integer().range(1, 5_000)),
            ],
            VideoOperation::GetHLSMasterPlaylist | VideoOperation::GetHLSMediaPlaylist => {
                vec![("SessionToken", Field::string().not_null().len(36, 4096))]
            }
        }
    }

    fn run(self, v: &mut VideoService, now_ms: u64, rng: &mut SimRng, input: Value) -> Result<String, VideoError> {
        match self {
            VideoOperation::CreateStream => create_stream(v, now_ms, rng, input),
            VideoOperation::DescribeStream => {
                let s = v.stream(&target_stream(&input)?)?;
                Ok(json!({ "StreamInfo": stream_info(s, now_ms) }).to_string())
            }
            VideoOperation::ListStreams => list_streams(v, now_ms, input),
            VideoOperation::DeleteStream => {
                let r: DeleteStream = parse(input)?;
                v.delete_stream(&r.stream_arn, r.current_version.as_deref(), now_ms)?;
                Ok("{}".into())
            }
            VideoOperation::UpdateDataRetention => update_data_retention(v, now_ms, rng, input),
            VideoOperation::GetDataEndpoint => {
                let stream = target_stream(&input)?;
                let api = input.get("APIName").and_then(Value::as_str).unwrap_or_default();
                Ok(json!({ "DataEndpoint": v.data_endpoint(&stream, api)? }).to_string())
            }
            VideoOperation::ListFragments => list_fragments(v, input),
            VideoOperation::GetHLSStreamingSessionURL => {
                let stream = target_stream(&input)?;
                let req = hls_request(parse(input)?);
                let url = v.open_hls_session(&stream, &req, now_ms, rng)?;
                Ok(json!({ "HLSStreamingSessionURL": url }).to_string())
            }
            VideoOperation::GetHLSMasterPlaylist | VideoOperation::GetHLSMediaPlaylist => {
                let token = input.get("SessionToken").and_then(Value::as_str).unwrap_or_default();
                let playlists = v.session_playlists(token, now_ms)?;
                Ok(if self == VideoOperation::GetHLSMasterPlaylist { playlists.master } else { playlists.media })
            }
        }
    }
}

/// Runs one Kinesis Video Streams call. Never panics, whatever the bytes.
pub fn dispatch(v: &mut VideoService, now_ms: u64, rng: &mut SimRng, target: &str, body: &[u8]) -> ApiResponse {
    let result = VideoOperation::from_target(target).ok_or(VideoError::UnknownOperation).and_then(|op| {
        let parsed = parse_body(body)?;
        let input = check(&op.rules(), &parsed)?;
        op.run(v, now_ms, rng, input)
    });
    match result {
        Ok(body) => ApiResponse { status: 200, body },
        Err(e) => ApiResponse { status: e.status(), body: e.body() },
    }
}

/// Every stream-scoped call takes StreamName or StreamARN; exactly one is needed.
fn target_stream(input: &Value) -> Result<String, VideoError> {
    let get = |k| input.get(k).and_then(Value::as_str);
    match (get("StreamName"), get("StreamARN")) {
        (Some(name), None) => Ok(name.to_string()),
        (None, Some(arn)) => Ok(arn.to_string()),
        (Some(_), Some(_)) => Err(VideoError::InvalidArgument(
            "Specify either StreamName or StreamARN, not both.".into(),
        )),
        (None, None) => Err(VideoError::InvalidArgument("Specify either StreamName or StreamARN.".into())),
    }
}

fn seconds(ms: u64) -> f64 {
    ms as f64 / 1_000.0
}

/// Epoch seconds (possibly fractional, as the SDKs send them) to whole milliseconds.
fn millis(seconds: f64) -> u64 {
    (seconds * 1_000.0).round().max(0.0) as u64
}

fn stream_info(s: &VideoStream, now_ms: u64) -> Value {
    let mut info = json!({
        "StreamName": s.name,
        "StreamARN": s.arn,
        "KmsKeyId": s.kms_key_id,
        "Version": s.version,
        "Status": s.status(now_ms).as_str(),
        "CreationTime": seconds(s.creation_ms),
        "DataRetentionInHours": s.retention_hours,
    });
    if let Some(m) = &s.media_type {
        info["MediaType"] = json!(m);
    }
    if let Some(d) = &s.device_name {
        info["DeviceName"] = json!(d);
    }
    info
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateStreamIn {
    stream_name: String,
    device_name: Option<String>,
    media_type: Option<String>,
    kms_key_id: Option<String>,
    data_retention_in_hours: Option<u32>,
    #[serde(default)]
    #[allow(dead_code)] // accepted as AWS does; tags are not modelled for video streams
    tags: BTreeMap<String, String>,
}

fn create_stream(v: &mut VideoService, now_ms: u64, rng: &mut SimRng, input: Value) -> Result<String, VideoError> {
    let r: CreateStreamIn = parse(input)?;
    let arn = v.create_stream(
        CreateStream {
            name: r.stream_name,
            media_type: r.media_type,
            device_name: r.device_name,
            kms_key_id: r.kms_key_id,
            retention_hours: r.data_retention_in_hours.unwrap_or(0),
        },
        now_ms,
        rng,
    )?;
    Ok(json!({ "StreamARN": arn }).to_string())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListStreamsIn {
    max_results: Option<usize>,
    next_token: Option<String>,
    stream_name_condition: Option<NameCondition>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NameCondition {
    comparison_value: Option<String>,
}

/// NextToken is the name to continue after; names are listed in order.
fn list_streams(v: &VideoService, now_ms: u64, input: Value) -> Result<String, VideoError> {
    let r: ListStreamsIn = parse(input)?;
    let prefix = r.stream_name_condition.and_then(|c| c.comparison_value).unwrap_or_default();
    let after = r.next_token.unwrap_or_default();
    let limit = r.max_results.unwrap_or(10_000);
    let matching: Vec<&VideoStream> = v
        .streams()
        .filter(|s| s.name.starts_with(&prefix) && s.name.as_str() > after.as_str())
        .collect();
    let page: Vec<Value> = matching.iter().take(limit).map(|s| stream_info(s, now_ms)).collect();
    let mut out = json!({ "StreamInfoList": page });
    if matching.len() > limit {
        out["NextToken"] = json!(matching[limit - 1].name);
    }
    Ok(out.to_string())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteStream {
    #[serde(rename = "StreamARN")]
    stream_arn: String,
    current_version: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateRetentionIn {
    current_version: String,
    operation: String,
    data_retention_change_in_hours: u32,
}

fn update_data_retention(v: &mut VideoService, now_ms: u64, rng: &mut SimRng, input: Value) -> Result<String, VideoError> {
    let stream = target_stream(&input)?;
    let r: UpdateRetentionIn = parse(input)?;
    let change = if r.operation == "INCREASE_DATA_RETENTION" { RetentionChange::Increase } else { RetentionChange::Decrease };
    v.update_data_retention(&stream, &r.current_version, change, r.data_retention_change_in_hours, now_ms, rng)?;
    Ok("{}".into())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Range {
    start_timestamp: Option<f64>,
    end_timestamp: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Selector {
    fragment_selector_type: Option<String>,
    timestamp_range: Option<Range>,
}

fn source_of(selector_type: Option<&str>) -> TimestampSource {
    if selector_type == Some("PRODUCER_TIMESTAMP") { TimestampSource::Producer } else { TimestampSource::Server }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListFragmentsIn {
    max_results: Option<usize>,
    next_token: Option<String>,
    fragment_selector: Option<Selector>,
}

/// NextToken is the fragment number to continue after.
fn list_fragments(v: &VideoService, input: Value) -> Result<String, VideoError> {
    let stream = target_stream(&input)?;
    let r: ListFragmentsIn = parse(input)?;
    let range = r.fragment_selector.map(|sel| {
        let source = source_of(sel.fragment_selector_type.as_deref());
        let (start, end) = sel.timestamp_range.map_or((None, None), |t| (t.start_timestamp, t.end_timestamp));
        (source, start.map_or(0, millis), end.map_or(u64::MAX, millis))
    });
    let after = r.next_token.unwrap_or_default();
    let limit = r.max_results.unwrap_or(1_000);
    let matching: Vec<_> = v
        .list_fragments(&stream, range)?
        .into_iter()
        .filter(|f| f.number.as_str() > after.as_str())
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .take(limit)
        .map(|f| {
            json!({
                "FragmentNumber": f.number,
                "FragmentSizeInBytes": f.size_bytes(),
                "ProducerTimestamp": seconds(f.producer_ms),
                "ServerTimestamp": seconds(f.server_ms),
                "FragmentLengthInMilliseconds": f.duration_ms,
            })
        })
        .collect();
    let mut out = json!({ "Fragments": page });
    if matching.len() > limit {
        out["NextToken"] = json!(matching[limit - 1].number);
    }
    Ok(out.to_string())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct HlsIn {
    playback_mode: Option<String>,
    #[serde(rename = "HLSFragmentSelector")]
    hls_fragment_selector: Option<Selector>,
    container_format: Option<String>,
    discontinuity_mode: Option<String>,
    display_fragment_timestamp: Option<String>,
    expires: Option<u32>,
    max_media_playlist_fragment_results: Option<u32>,
}

/// The enum members were checked against their value sets already; defaults are AWS's.
fn hls_request(r: HlsIn) -> HlsRequest {
    let mode = match r.playback_mode.as_deref() {
        Some("ON_DEMAND") => PlaybackMode::OnDemand,
        Some("LIVE_REPLAY") => PlaybackMode::LiveReplay,
        _ => PlaybackMode::Live,
    };
    let selector = r.hls_fragment_selector;
    let source = source_of(selector.as_ref().and_then(|s| s.fragment_selector_type.as_deref()));
    let range = selector.and_then(|s| s.timestamp_range);
    HlsRequest {
        mode,
        source,
        start_ms: range.as_ref().and_then(|t| t.start_timestamp).map(millis),
        end_ms: range.as_ref().and_then(|t| t.end_timestamp).map(millis),
        container: if r.container_format.as_deref() == Some("MPEG_TS") {
            ContainerFormat::MpegTs
        } else {
            ContainerFormat::FragmentedMp4
        },
        discontinuity: r.discontinuity_mode.as_deref().map(|m| match m {
            "NEVER" => DiscontinuityMode::Never,
            "ON_DISCONTINUITY" => DiscontinuityMode::OnDiscontinuity,
            _ => DiscontinuityMode::Always,
        }),
        display_timestamps: r.display_fragment_timestamp.as_deref() == Some("ALWAYS"),
        expires_s: r.expires.unwrap_or(300),
        max_results: r.max_media_playlist_fragment_results,
    }
}
