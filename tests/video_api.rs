//! Kinesis Video Streams through `Sim::dispatch`: AWS's shapes, validation and errors, and an
//! HLS session over fragments put with PutMedia.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::sim::Sim;
use serde_json::{json, Value};

fn call(sim: &mut Sim, op: &str, body: Value) -> (u16, Value) {
    let r = sim.dispatch(&format!("KinesisVideo_20170930.{op}"), body.to_string().as_bytes());
    let parsed = serde_json::from_str(&r.body).unwrap_or(Value::String(r.body));
    (r.status, parsed)
}

/// The start of a fragmented MP4 with H.264, as Chromium's MediaRecorder writes it.
fn h264_fragment() -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypisom\0\0\0\0isomavc1".to_vec();
    v.extend_from_slice(b"\0\0\0\x10avcC\x01\x42\xC0\x1F");
    v
}

fn active_camera(sim: &mut Sim) -> String {
    let (status, out) = call(sim, "CreateStream", json!({"StreamName": "cam", "DataRetentionInHours": 24, "MediaType": "video/h264"}));
    assert_eq!(status, 200, "{out}");
    sim.advance(5_000);
    out["StreamARN"].as_str().unwrap().to_string()
}

#[test]
fn create_describe_list_and_delete() {
    let mut sim = Sim::new(1);
    let arn = active_camera(&mut sim);
    assert!(arn.starts_with("arn:aws:kinesisvideo:us-east-1:123456789012:stream/cam/"), "{arn}");
    let (_, d) = call(&mut sim, "DescribeStream", json!({"StreamName": "cam"}));
    let info = &d["StreamInfo"];
    assert_eq!(info["Status"], "ACTIVE");
    assert_eq!(info["DataRetentionInHours"], 24);
    assert_eq!(info["MediaType"], "video/h264");
    assert_eq!(info["StreamARN"], arn.as_str());
    let (_, by_arn) = call(&mut sim, "DescribeStream", json!({"StreamARN": arn}));
    assert_eq!(by_arn, d);

    let (_, list) = call(&mut sim, "ListStreams", json!({}));
    assert_eq!(list["StreamInfoList"].as_array().unwrap().len(), 1);

    let (status, _) = call(&mut sim, "DeleteStream", json!({"StreamARN": arn}));
    assert_eq!(status, 200);
    sim.advance(10_000);
    let (status, err) = call(&mut sim, "DescribeStream", json!({"StreamName": "cam"}));
    assert_eq!((status, err["__type"].as_str()), (404, Some("ResourceNotFoundException")));
}

#[test]
fn shapes_are_validated_with_aws_texts() {
    let mut sim = Sim::new(1);
    let (status, err) = call(&mut sim, "CreateStream", json!({"StreamName": "bad name", "DataRetentionInHours": -1}));
    assert_eq!(status, 400);
    assert_eq!(err["__type"], "ValidationException");
    assert_eq!(
        err["message"],
        "2 validation errors detected: Value 'bad name' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '-1' at 'dataRetentionInHours' failed to satisfy constraint: Member must have value greater than or equal to 0"
    );
    let (_, err) = call(&mut sim, "CreateStream", json!({"StreamName": 5}));
    assert_eq!(err["__type"], "SerializationException");
    let r = sim.dispatch("KinesisVideo_20170930.Nope", b"{}");
    assert_eq!(r.body, r#"{"__type":"UnknownOperationException"}"#);
    let r = sim.dispatch("KinesisVideo_20170930.ListStreams", b"not json");
    assert_eq!((r.status, r.body.as_str()), (400, r#"{"__type":"SerializationException"}"#));

    active_camera(&mut sim);
    let (_, err) = call(&mut sim, "GetHLSStreamingSessionURL", json!({"StreamName": "cam", "Expires": 299}));
    assert_eq!(
        err["message"],
        "1 validation error detected: Value '299' at 'expires' failed to satisfy constraint: Member must have value greater than or equal to 300"
    );
    let (_, err) = call(&mut sim, "GetHLSStreamingSessionURL", json!({"StreamName": "cam", "PlaybackMode": "REPLAY"}));
    assert_eq!(
        err["message"],
        "1 validation error detected: Value 'REPLAY' at 'playbackMode' failed to satisfy constraint: Member must satisfy enum value set: [LIVE, LIVE_REPLAY, ON_DEMAND]"
    );
    let (status, err) = call(&mut sim, "GetDataEndpoint", json!({"APIName": "PUT_MEDIA"}));
    assert_eq!((status, err["__type"].as_str()), (400, Some("InvalidArgumentException")));
}

#[test]
fn retention_updates_need_the_current_version() {
    let mut sim = Sim::new(1);
    active_camera(&mut sim);
    let body = |v: &str| json!({"StreamName": "cam", "CurrentVersion": v, "Operation": "INCREASE_DATA_RETENTION", "DataRetentionChangeInHours": 24});
    let (status, err) = call(&mut sim, "UpdateDataRetention", body("stale"));
    assert_eq!((status, err["__type"].as_str()), (400, Some("VersionMismatchException")));
    let (_, d) = call(&mut sim, "DescribeStream", json!({"StreamName": "cam"}));
    let version = d["StreamInfo"]["Version"].as_str().unwrap().to_string();
    assert_eq!(call(&mut sim, "UpdateDataRetention", body(&version)).0, 200);
    let (_, d) = call(&mut sim, "DescribeStream", json!({"StreamName": "cam"}));
    assert_eq!(d["StreamInfo"]["DataRetentionInHours"], 48);
}

#[test]
fn an_on_demand_session_plays_seconds_five_to_fifteen() {
    let mut sim = Sim::new(7);
    active_camera(&mut sim);
    let start = sim.now_ms();
    for _ in 0..20 {
        sim.advance(1_000);
        let producer = sim.now_ms() - 1_000;
        sim.put_media("cam", producer, 1_000, h264_fragment()).unwrap();
    }
    let (_, endpoint) = call(&mut sim, "GetDataEndpoint", json!({"StreamName": "cam", "APIName": "GET_HLS_STREAMING_SESSION_URL"}));
    let endpoint = endpoint["DataEndpoint"].as_str().unwrap().to_string();
    assert!(endpoint.starts_with("https://b-") && endpoint.ends_with(".kinesisvideo.us-east-1.amazonaws.com"));

    let secs = |ms: u64| ms as f64 / 1_000.0;
    let (status, out) = call(&mut sim, "GetHLSStreamingSessionURL", json!({
        "StreamName": "cam",
        "PlaybackMode": "ON_DEMAND",
        "HLSFragmentSelector": {"FragmentSelectorType": "PRODUCER_TIMESTAMP",
            "TimestampRange": {"StartTimestamp": secs(start + 5_000), "EndTimestamp": secs(start + 15_000)}},
        "Expires": 300
    }));
    assert_eq!(status, 200, "{out}");
    let url = out["HLSStreamingSessionURL"].as_str().unwrap();
    assert!(url.starts_with(&format!("{endpoint}/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken=")));
    let token = url.split("SessionToken=").nth(1).unwrap();

    let (status, media) = call(&mut sim, "GetHLSMediaPlaylist", json!({"SessionToken": token}));
    assert_eq!(status, 200);
    let media = media.as_str().unwrap();
    assert_eq!(media.matches("#EXTINF:1.000,").count(), 11);
    assert!(media.ends_with("#EXT-X-ENDLIST\n"));

    let (_, list) = call(&mut sim, "ListFragments", json!({"StreamName": "cam", "MaxResults": 5}));
    assert_eq!(list["Fragments"].as_array().unwrap().len(), 5);
    assert_eq!(list["Fragments"][0]["FragmentLengthInMilliseconds"], 1_000);
    let next = list["NextToken"].as_str().unwrap();
    let (_, rest) = call(&mut sim, "ListFragments", json!({"StreamName": "cam", "NextToken": next}));
    assert_eq!(rest["Fragments"].as_array().unwrap().len(), 15);

    sim.advance(300_000);
    let (status, err) = call(&mut sim, "GetHLSMediaPlaylist", json!({"SessionToken": token}));
    assert_eq!((status, err["__type"].as_str()), (401, Some("NotAuthorizedException")));
}

#[test]
fn garbage_never_panics() {
    let mut sim = Sim::new(3);
    active_camera(&mut sim);
    let bodies: [&[u8]; 8] = [b"", b"[]", b"null", b"{\"StreamName\":{}}", b"\xff\xfe", b"{\"HLSFragmentSelector\":[1]}", b"{\"Expires\":1e308}", b"{\"StreamARN\":\"arn:aws:kinesisvideo:x:1:stream/a/b\"}"];
    for op in ["CreateStream", "DescribeStream", "ListStreams", "DeleteStream", "UpdateDataRetention", "GetDataEndpoint", "ListFragments", "GetHLSStreamingSessionURL", "GetHLSMasterPlaylist", "GetHLSMediaPlaylist"] {
        for body in bodies {
            let r = sim.dispatch(&format!("KinesisVideo_20170930.{op}"), body);
            assert!(r.status == 200 || r.status >= 400, "{op}: {r:?}");
        }
    }
}
