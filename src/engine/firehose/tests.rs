//! Firehose end to end through `Sim::dispatch`: buffering, keys, transforms, errors, IAM,
//! Kinesis as source, determinism and the delivery invariant.

use crate::engine::clock::DEFAULT_START_MS;
use crate::engine::iam::FIREHOSE_DEFAULT_ACTIONS;
use crate::engine::lambda::LambdaFailure;
use crate::engine::sim::Sim;
use base64::Engine as _;
use serde_json::{json, Value};

const BUCKET: &str = "kinesim-bucket";
const MIB: usize = 1_048_576;

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn call(sim: &mut Sim, action: &str, body: Value) -> (u16, Value) {
    let r = sim.dispatch(&format!("Firehose_20150804.{action}"), body.to_string().as_bytes());
    (r.status, serde_json::from_str(&r.body).unwrap_or(Value::Null))
}

fn ok(sim: &mut Sim, action: &str, body: Value) -> Value {
    let (status, out) = call(sim, action, body);
    assert_eq!(status, 200, "{action}: {out}");
    out
}

fn role(sim: &mut Sim, actions: &[&str]) -> String {
    let actions: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
    sim.iam.put_role("firehose_role", &actions).unwrap()
}

/// A world with a bucket and the wizard's default role.
fn world() -> (Sim, String) {
    let mut sim = Sim::new(42);
    sim.s3.create_bucket(BUCKET, sim.now_ms()).unwrap();
    let arn = role(&mut sim, &FIREHOSE_DEFAULT_ACTIONS);
    (sim, arn)
}

fn s3_config(role: &str, extra: Value) -> Value {
    let mut c = json!({
        "RoleARN": role,
        "BucketARN": format!("arn:aws:s3:::{BUCKET}"),
        "Prefix": "carpeta_tweests_exitosos/",
        "CloudWatchLoggingOptions": { "Enabled": true },
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn create(sim: &mut Sim, name: &str, role: &str, extra: Value) {
    ok(sim, "CreateDeliveryStream", json!({ "DeliveryStreamName": name, "ExtendedS3DestinationConfiguration": s3_config(role, extra) }));
}

fn lambda(function: &str, retries: u32, interval_s: u32) -> Value {
    json!({ "ProcessingConfiguration": { "Enabled": true, "Processors": [{ "Type": "Lambda", "Parameters": [
        { "ParameterName": "LambdaArn", "ParameterValue": format!("arn:aws:lambda:us-east-1:123456789012:function:{function}:$LATEST") },
        { "ParameterName": "NumberOfRetries", "ParameterValue": retries.to_string() },
        { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": interval_s.to_string() },
    ]}]}})
}

fn put(sim: &mut Sim, name: &str, data: &[u8]) {
    ok(sim, "PutRecord", json!({ "DeliveryStreamName": name, "Record": { "Data": b64(data) } }));
}

fn keys(sim: &Sim, prefix: &str) -> Vec<String> {
    sim.s3.list_objects_v2(BUCKET, prefix, None).unwrap().contents.into_iter().map(|o| o.key).collect()
}

fn body(sim: &Sim, key: &str) -> Vec<u8> {
    sim.s3.get_object(BUCKET, key).unwrap().bytes(&sim.kinesis.sources).to_vec()
}

fn hints(size: u32, interval: u32) -> Value {
    json!({ "BufferingHints": { "SizeInMBs": size, "IntervalInSeconds": interval } })
}

#[test]
fn size_flushes_at_exactly_size_in_mbs() {
    let (mut sim, role) = world();
    create(&mut sim, "tweets", &role, hints(1, 900));
    put(&mut sim, "tweets", &vec![b'a'; 1_024_000]);
    put(&mut sim, "tweets", &vec![b'b'; MIB - 1_024_000 - 1]);
    sim.advance(0);
    assert!(keys(&sim, "").is_empty(), "one byte short of 1 MiB stays buffered");
    put(&mut sim, "tweets", b"c");
    let k = keys(&sim, "");
    assert_eq!(k.len(), 1);
    assert_eq!(body(&sim, &k[0]).len(), MIB);
}

#[test]
fn interval_flushes_at_exactly_interval_in_seconds() {
    let (mut sim, role) = world();
    create(&mut sim, "tweets", &role, hints(5, 60));
    put(&mut sim, "tweets", b"{\"a\":1}");
    sim.advance(30_000);
    put(&mut sim, "tweets", b"{\"a\":2}");
    sim.advance(29_999);
    assert!(keys(&sim, "").is_empty(), "59.999 s after the oldest record: still buffered");
    sim.advance(1);
    let k = keys(&sim, "");
    assert_eq!(k.len(), 1);
    assert_eq!(body(&sim, &k[0]), b"{\"a\":1}{\"a\":2}", "Firehose concatenates records as they are");
    assert_eq!(sim.s3.get_object(BUCKET, &k[0]).unwrap().last_modified_ms, DEFAULT_START_MS + 60_000);
}

#[test]
fn defaults_are_5_mib_and_300_s() {
    let (mut sim, role) = world();
    create(&mut sim, "tweets", &role, json!({}));
    let d = ok(&mut sim, "DescribeDeliveryStream", json!({ "DeliveryStreamName": "tweets" }));
    let desc = &d["DeliveryStreamDescription"];
    assert_eq!(desc["Destinations"][0]["ExtendedS3DestinationDescription"]["BufferingHints"], json!({ "SizeInMBs": 5, "IntervalInSeconds": 300 }));
    assert_eq!((desc["VersionId"].as_str(), desc["DeliveryStreamStatus"].as_str()), (Some("1"), Some("ACTIVE")));
    put(&mut sim, "tweets", b"x");
    sim.advance(299_999);
    assert!(keys(&sim, "").is_empty());
    sim.advance(1);
    assert_eq!(keys(&sim, "").len(), 1);
}

#[test]
fn keys_follow_aws_layout_from_the_oldest_record() {
    let (mut sim, role) = world();
    sim.advance(3_599_000); // 2026-01-01T00:59:59Z
    create(&mut sim, "tweets", &role, hints(1, 60));
    put(&mut sim, "tweets", b"x");
    sim.advance(60_000);
    let k = keys(&sim, "");
    assert_eq!(k.len(), 1);
    let rest = k[0].strip_prefix("carpeta_tweests_exitosos/2026/01/01/00/tweets-1-2026-01-01-00-59-59-").expect(&k[0]);
    let groups: Vec<usize> = rest.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "a UUID and no extension: {rest}");

    create(&mut sim, "zipped", &role, json!({ "Prefix": "z/", "CompressionFormat": "GZIP", "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 0 } }));
    put(&mut sim, "zipped", b"hola");
    sim.advance(0);
    let z = keys(&sim, "z/");
    assert!(z[0].starts_with("z/2026/01/01/01/zipped-1-2026-01-01-01-00-59-") && z[0].ends_with(".gz"), "{z:?}");
    let raw = crate::engine::firehose::compression::Compression::Gzip.decompress(&body(&sim, &z[0])).unwrap();
    assert_eq!(raw, b"hola");

    let mut custom = lambda("kinesis-firehose-uppercase", 3, 0);
    custom["Prefix"] = json!("hive/year=!{timestamp:yyyy}/hour=!{timestamp:HH}/");
    custom["ErrorOutputPrefix"] = json!("err/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/");
    custom["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "custom", &role, custom);
    put(&mut sim, "custom", b"ok");
    put(&mut sim, "custom", &[0xff]);
    sim.advance(1_000);
    assert!(keys(&sim, "hive/year=2026/hour=01/custom-1-2026-01-01-01-00-59-").len() == 1, "{:?}", keys(&sim, "hive/"));
    assert!(keys(&sim, "err/processing-failed/2026-01-01/custom-1-2026-01-01-01-00-59-").len() == 1, "{:?}", keys(&sim, "err/"));
}

#[test]
fn transform_to_json_writes_one_object_per_line() {
    let (mut sim, role) = world();
    create(&mut sim, "tweets", &role, json!({ "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 } }).as_object().map(|h| {
        let mut v = lambda("transform_to_json", 3, 60);
        v["BufferingHints"] = h["BufferingHints"].clone();
        v
    }).unwrap());
    put(&mut sim, "tweets", br#"{ "id": 1, "text": "hola" }"#);
    put(&mut sim, "tweets", b"un tweet");
    sim.advance(60_000); // the processor's buffer flushes; the function answers 102 ms later
    assert!(keys(&sim, "").is_empty());
    sim.advance(60_000 + 102);
    let k = keys(&sim, "carpeta_tweests_exitosos/2026/");
    assert_eq!(k.len(), 1);
    assert_eq!(body(&sim, &k[0]), b"{\"id\":1,\"text\":\"hola\"}\n{\"text\":\"un tweet\"}\n");
}

#[test]
fn dropped_is_success_and_processing_failed_goes_to_the_error_prefix() {
    let (mut sim, role) = world();
    let mut filter = lambda("kinesis-firehose-filter-json", 3, 0);
    filter["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "filtered", &role, filter);
    put(&mut sim, "filtered", b"{}");
    put(&mut sim, "filtered", b"not json");
    sim.advance(1_000);
    let d = sim.firehose.stream("filtered").unwrap().tally;
    assert_eq!((d.accepted, d.delivered, d.dropped, d.errored), (2, 1, 1, 0));
    assert!(keys(&sim, "carpeta_tweests_exitosos/processing-failed/").is_empty());

    let mut upper = lambda("kinesis-firehose-uppercase", 3, 0);
    upper["Prefix"] = json!("up/");
    upper["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "upper", &role, upper);
    put(&mut sim, "upper", &[0xff, 0xfe]);
    put(&mut sim, "upper", b"ok");
    sim.advance(1_000);
    let failed = keys(&sim, "up/processing-failed/2026/01/01/00/");
    assert_eq!(failed.len(), 1, "{:?}", keys(&sim, "up/"));
    assert!(failed[0].contains("/upper-1-2026-01-01-00-00-01-"), "{}", failed[0]);
    let line: Value = serde_json::from_slice(&body(&sim, &failed[0])).unwrap();
    let fields: Vec<&str> = line.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = ["attemptsMade", "arrivalTimestamp", "errorCode", "errorMessage", "attemptEndingTimestamp", "rawData", "lambdaArn"];
    expected.sort_unstable();
    assert_eq!(fields, expected);
    assert_eq!(line["rawData"], json!(b64(&[0xff, 0xfe])));
    assert_eq!(line["attemptsMade"], json!(1));
    assert_eq!(line["lambdaArn"], json!("arn:aws:lambda:us-east-1:123456789012:function:kinesis-firehose-uppercase:$LATEST"));
    assert_eq!(body(&sim, &keys(&sim, "up/2026/")[0]), b"OK");
    // The console lists each invocation with what became of its records.
    let sum = |name: &str| {
        let inv = &sim.firehose.stream(name).unwrap().invocations;
        assert!(!inv.is_empty() && inv.iter().all(|i| i.error.is_none() && i.attempt == 1));
        inv.iter().fold((0, 0, 0, 0), |(r, o, d, f), i| (r + i.records, o + i.ok, d + i.dropped, f + i.processing_failed))
    };
    assert_eq!(sum("filtered"), (2, 1, 1, 0));
    assert_eq!(sum("upper"), (2, 1, 0, 1));
}

#[test]
fn failing_function_is_retried_then_its_batch_goes_to_processing_failed() {
    let (mut sim, role) = world();
    sim.lambda.register_external("user_fn").unwrap();
    let mut cfg = lambda("user_fn", 2, 0);
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "mine", &role, cfg);
    put(&mut sim, "mine", b"r1");
    sim.advance(0);
    for attempt in 1..=3 {
        let pending = sim.pending_invocations();
        assert_eq!(pending.len(), 1, "attempt {attempt}");
        let event: Value = serde_json::from_str(&pending[0].payload_json).unwrap();
        assert_eq!(event["deliveryStreamArn"], json!("arn:aws:firehose:us-east-1:123456789012:deliverystream/mine"));
        assert_eq!(event["records"][0]["data"], json!(b64(b"r1")));
        let answer = if attempt == 2 { Ok("garbage".to_string()) } else { Err(LambdaFailure::Unhandled("boom".into())) };
        sim.complete_invocation(pending[0].id, answer).unwrap();
        sim.advance(101);
    }
    assert!(sim.pending_invocations().is_empty(), "NumberOfRetries 2 means three attempts");
    let failed = keys(&sim, "carpeta_tweests_exitosos/processing-failed/");
    assert_eq!(failed.len(), 1);
    let line: Value = serde_json::from_slice(&body(&sim, &failed[0])).unwrap();
    assert_eq!((line["attemptsMade"].as_u64(), line["errorCode"].as_str()), (Some(3), Some("Lambda.FunctionError")));
    let logs = sim.logs.group("/aws/kinesisfirehose/mine").unwrap();
    let messages: Vec<&str> = logs.events("S3Delivery").iter().map(|e| e.message.as_str()).collect();
    assert!(messages[1].starts_with("Lambda.JsonProcessingException"), "{messages:?}");
}

#[test]
fn an_unanswered_function_stalls_only_its_delivery_stream() {
    let (mut sim, role) = world();
    sim.lambda.register_external("slow").unwrap();
    let mut cfg = lambda("slow", 3, 0);
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "slow_stream", &role, cfg);
    create(&mut sim, "plain", &role, json!({ "Prefix": "plain/", "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 0 } }));
    put(&mut sim, "slow_stream", b"a");
    sim.advance(10_000);
    put(&mut sim, "plain", b"b");
    sim.advance(10_000);
    assert_eq!(keys(&sim, "plain/").len(), 1, "other streams keep delivering");
    assert!(keys(&sim, "carpeta_tweests_exitosos/").is_empty());
    let id = sim.pending_invocations()[0].id;
    let event: Value = serde_json::from_str(&sim.pending_invocations()[0].payload_json).unwrap();
    let rid = event["records"][0]["recordId"].as_str().unwrap().to_string();
    sim.complete_invocation(id, Ok(json!({ "records": [{ "recordId": rid, "result": "Ok", "data": b64(b"A") }] }).to_string())).unwrap();
    sim.advance(0);
    let k = keys(&sim, "carpeta_tweests_exitosos/");
    assert_eq!(k.len(), 1);
    assert_eq!(body(&sim, &k[0]), b"A");
}

#[test]
fn without_s3_put_object_delivery_fails_logs_access_denied_and_retries() {
    let (mut sim, _) = world();
    let role = role(&mut sim, &["lambda:InvokeFunction"]);
    create(&mut sim, "denied", &role, hints(1, 0));
    put(&mut sim, "denied", b"x");
    sim.advance(12_000);
    assert!(keys(&sim, "").is_empty());
    let group = sim.logs.group("/aws/kinesisfirehose/denied").unwrap();
    let events = group.events("S3Delivery");
    assert_eq!(events.len(), 3, "attempts at 0 s, 5 s and 10 s");
    assert_eq!(
        events[0].message,
        "S3.AccessDenied: Access was denied. Ensure that the trust policy for the provided IAM role allows Kinesis Data Firehose to assume the role, and the access policy allows access to the S3 bucket."
    );
    role_fix(&mut sim);
    sim.advance(5_000);
    assert_eq!(keys(&sim, "").len(), 1, "the next retry succeeds once the role allows it");
    let d = sim.firehose.stream("denied").unwrap().tally;
    assert_eq!((d.accepted, d.delivered), (1, 1));
}

fn role_fix(sim: &mut Sim) {
    role(sim, &FIREHOSE_DEFAULT_ACTIONS);
}

#[test]
fn without_lambda_invoke_the_batch_fails_with_invoke_access_denied() {
    let (mut sim, _) = world();
    let role = role(&mut sim, &["s3:PutObject"]);
    let mut cfg = lambda("transform_to_json", 0, 0);
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "nolambda", &role, cfg);
    put(&mut sim, "nolambda", b"x");
    sim.advance(1_000);
    let failed = keys(&sim, "carpeta_tweests_exitosos/processing-failed/");
    let line: Value = serde_json::from_slice(&body(&sim, &failed[0])).unwrap();
    assert_eq!(line["errorCode"], json!("Lambda.InvokeAccessDenied"));
}

#[test]
fn api_validation_and_errors_have_aws_shapes() {
    let (mut sim, role) = world();
    create(&mut sim, "tweets", &role, json!({}));
    let (status, out) = call(&mut sim, "DescribeDeliveryStream", json!({ "DeliveryStreamName": "nope" }));
    assert_eq!((status, out["__type"].as_str()), (400, Some("ResourceNotFoundException")));
    assert_eq!(out["message"], json!("Firehose nope under account 123456789012 not found."));
    let (_, out) = call(&mut sim, "CreateDeliveryStream", json!({ "DeliveryStreamName": "tweets", "ExtendedS3DestinationConfiguration": s3_config(&role, json!({})) }));
    assert_eq!(out["message"], json!("Firehose tweets under accountId 123456789012 already exists"));

    let many: Vec<Value> = (0..501).map(|_| json!({ "Data": "" })).collect();
    let (_, out) = call(&mut sim, "PutRecordBatch", json!({ "DeliveryStreamName": "tweets", "Records": many }));
    assert_eq!(out["__type"], json!("ValidationException"));
    assert!(out["message"].as_str().unwrap().ends_with("at 'records' failed to satisfy constraint: Member must have length less than or equal to 500"));
    let big = b64(&vec![0; 1_024_001]);
    let (_, out) = call(&mut sim, "PutRecord", json!({ "DeliveryStreamName": "tweets", "Record": { "Data": big } }));
    assert!(out["message"].as_str().unwrap().contains("Member must have length less than or equal to 1024000"), "{out}");
    let five: Vec<Value> = (0..5).map(|_| json!({ "Data": b64(&vec![0; 1_000_000]) })).collect();
    let (status, out) = call(&mut sim, "PutRecordBatch", json!({ "DeliveryStreamName": "tweets", "Records": five }));
    assert_eq!((status, out["__type"].as_str()), (400, Some("InvalidArgumentException")));
    let batch = ok(&mut sim, "PutRecordBatch", json!({ "DeliveryStreamName": "tweets", "Records": [{ "Data": "YQ==" }, { "Data": "Yg==" }] }));
    assert_eq!((batch["FailedPutCount"].as_u64(), batch["RequestResponses"].as_array().map(Vec::len)), (Some(0), Some(2)));

    let missing = |sim: &mut Sim, cfg: Value| call(sim, "CreateDeliveryStream", json!({ "DeliveryStreamName": "x", "ExtendedS3DestinationConfiguration": cfg })).1;
    let out = missing(&mut sim, s3_config("arn:aws:iam::123456789012:role/ghost", json!({})));
    assert_eq!(out["message"], json!("Firehose is unable to assume role arn:aws:iam::123456789012:role/ghost. Please check the role provided."));
    let out = missing(&mut sim, s3_config(&role, json!({ "BucketARN": "arn:aws:s3:::ghost-bucket" })));
    assert_eq!(out["__type"], json!("InvalidArgumentException"));
    let out = missing(&mut sim, s3_config(&role, lambda("ghost_fn", 3, 60)));
    assert!(out["message"].as_str().unwrap().contains("ghost_fn"), "{out}");
    let mut big = lambda("transform_to_json", 3, 60);
    big["ProcessingConfiguration"]["Processors"][0]["Parameters"][2] = json!({ "ParameterName": "BufferSizeInMBs", "ParameterValue": "5" });
    let out = missing(&mut sim, s3_config(&role, big));
    assert_eq!(out["message"], json!("Lambda processor BufferSizeInMBs must be 0.2 to 3; got 5"));
    let out = missing(&mut sim, s3_config(&role, json!({ "BufferingHints": { "SizeInMBs": 5 } })));
    assert_eq!(out["message"], json!("BufferingHints: SizeInMBs and IntervalInSeconds must be set together; got only SizeInMBs"));
    let out = missing(&mut sim, s3_config(&role, json!({ "Prefix": "!{timestamp:yyyy}/" })));
    assert_eq!(out["message"], json!("ErrorOutputPrefix can't be null when Prefix contains expressions"));

    let list = ok(&mut sim, "ListDeliveryStreams", json!({}));
    assert_eq!(list, json!({ "DeliveryStreamNames": ["tweets"], "HasMoreDeliveryStreams": false }));
    ok(&mut sim, "DeleteDeliveryStream", json!({ "DeliveryStreamName": "tweets" }));
    let (status, _) = call(&mut sim, "DeleteDeliveryStream", json!({ "DeliveryStreamName": "tweets" }));
    assert_eq!(status, 400);
    let (status, out) = call(&mut sim, "Nope", json!({}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("UnknownOperationException")));
}

#[test]
fn kinesis_source_reads_through_the_shard_read_limits() {
    let (mut sim, role) = world();
    let k = |sim: &mut Sim, action: &str, body: Value| {
        let r = sim.dispatch(&format!("Kinesis_20131202.{action}"), body.to_string().as_bytes());
        (r.status, serde_json::from_str::<Value>(&r.body).unwrap_or(Value::Null))
    };
    k(&mut sim, "CreateStream", json!({ "StreamName": "test_kinesis_stream", "ShardCount": 1 }));
    sim.advance(60_000);
    let arn = "arn:aws:kinesis:us-east-1:123456789012:stream/test_kinesis_stream";
    ok(&mut sim, "CreateDeliveryStream", json!({
        "DeliveryStreamName": "from_kds",
        "DeliveryStreamType": "KinesisStreamAsSource",
        "KinesisStreamSourceConfiguration": { "KinesisStreamARN": arn, "RoleARN": role },
        "ExtendedS3DestinationConfiguration": s3_config(&role, hints(1, 60)),
    }));
    let (_, out) = call(&mut sim, "PutRecord", json!({ "DeliveryStreamName": "from_kds", "Record": { "Data": "YQ==" } }));
    assert_eq!(out, json!({ "__type": "InvalidArgumentException", "message": "This operation is not permitted on KinesisStreamAsSource delivery stream type." }));
    for i in 0..3 {
        k(&mut sim, "PutRecord", json!({ "StreamName": "test_kinesis_stream", "PartitionKey": "p", "Data": b64(format!("r{i}").as_bytes()) }));
    }
    sim.advance(1_000);
    assert_eq!(sim.firehose.stream("from_kds").unwrap().tally.accepted, 3);
    // A student's consumer polling the same shard: Firehose's own call uses one of the 5 reads.
    let (_, it) = k(&mut sim, "GetShardIterator", json!({ "StreamName": "test_kinesis_stream", "ShardId": "shardId-000000000000", "ShardIteratorType": "LATEST" }));
    let mut it = it["ShardIterator"].as_str().unwrap().to_string();
    sim.advance(1_000); // Firehose polls at this instant, before the student's calls
    let mut throttled = 0;
    for _ in 0..5 {
        let (status, out) = k(&mut sim, "GetRecords", json!({ "ShardIterator": it }));
        if status == 200 {
            it = out["NextShardIterator"].as_str().unwrap().to_string();
        } else {
            assert_eq!(out["__type"], json!("ProvisionedThroughputExceededException"));
            throttled += 1;
        }
    }
    assert_eq!(throttled, 1, "Firehose's GetRecords and the student's five share 5 reads/s");
    sim.advance(60_000);
    let keys = keys(&sim, "carpeta_tweests_exitosos/");
    assert_eq!(keys.len(), 1);
    assert_eq!(body(&sim, &keys[0]), b"r0r1r2");
    let desc = ok(&mut sim, "DescribeDeliveryStream", json!({ "DeliveryStreamName": "from_kds" }));
    assert_eq!(desc["DeliveryStreamDescription"]["Source"]["KinesisStreamSourceDescription"]["KinesisStreamARN"], json!(arn));
}

/// Runs a fixed scenario; returns every object's key and bytes, and the state hash.
fn scenario(seed: u64) -> (Vec<(String, Vec<u8>)>, String) {
    let mut sim = Sim::new(seed);
    sim.s3.create_bucket(BUCKET, sim.now_ms()).unwrap();
    let role = role(&mut sim, &FIREHOSE_DEFAULT_ACTIONS);
    let mut cfg = lambda("transform_to_json", 3, 1);
    cfg["CompressionFormat"] = json!("GZIP");
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 10 });
    create(&mut sim, "det", &role, cfg);
    for i in 0..50u32 {
        put(&mut sim, "det", format!("tweet {i}").as_bytes());
        sim.advance(700);
    }
    sim.advance(30_000);
    let objects = keys(&sim, "").into_iter().map(|k| (k.clone(), body(&sim, &k))).collect();
    (objects, sim.state_hash())
}

#[test]
fn same_seed_gives_byte_identical_objects() {
    let (a, ha) = scenario(7);
    let (b, hb) = scenario(7);
    assert!(a.len() > 2);
    assert_eq!(a, b);
    assert_eq!(ha, hb);
    let (c, _) = scenario(8);
    assert_ne!(a.iter().map(|o| &o.0).collect::<Vec<_>>(), c.iter().map(|o| &o.0).collect::<Vec<_>>(), "UUIDs come from the seed");
}

/// One record of a generated workload: its shape, its size and the pause after it.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
enum Shape {
    Json,
    Text,
    NotUtf8,
}

#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

    /// Invariant: every record Firehose accepted ends in exactly one place, a delivered object
    /// or the error prefix, unless a transform dropped it; and the objects agree. Records stay
    /// under 80 KB so 60 of them never reach the 5 MiB/s Direct PUT quota.
    #[test]
    fn every_accepted_record_ends_in_exactly_one_place(
        function in 0usize..5,
        lambda_interval in 0u32..3,
        interval in 0u32..4,
        records in proptest::collection::vec(
            (proptest::prop_oneof![proptest::strategy::Just(Shape::Json), proptest::strategy::Just(Shape::Text), proptest::strategy::Just(Shape::NotUtf8)], 0usize..80_000, 0u64..3_000),
            1..60,
        ),
    ) {
        let functions = ["transform_to_json", "kinesis-firehose-filter-json", "kinesis-firehose-uppercase", "kinesis-firehose-process-record"];
        let mut sim = Sim::new(function as u64);
        sim.s3.create_bucket(BUCKET, sim.now_ms()).unwrap();
        let role = role(&mut sim, &FIREHOSE_DEFAULT_ACTIONS);
        let mut cfg = match functions.get(function) {
            Some(f) => lambda(f, 3, lambda_interval),
            None => json!({}),
        };
        cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": interval * 20 });
        create(&mut sim, "inv", &role, cfg);
        for (shape, len, pause) in &records {
            let data: Vec<u8> = match shape {
                Shape::Json => format!("{{\"n\":\"{}\"}}", "x".repeat(*len)).into_bytes(),
                Shape::Text => vec![b'x'; *len],
                Shape::NotUtf8 => vec![0xff; len % 50 + 1],
            };
            put(&mut sim, "inv", &data);
            sim.advance(*pause);
        }
        sim.advance(600_000);
        let d = sim.firehose.stream("inv").unwrap();
        let t = d.tally;
        proptest::prop_assert_eq!(d.records_in_flight(), 0);
        proptest::prop_assert_eq!(t.accepted, records.len() as u64);
        proptest::prop_assert_eq!(t.delivered + t.errored + t.dropped, t.accepted, "{:?}", t);
        let error_lines: usize = keys(&sim, "carpeta_tweests_exitosos/processing-failed/")
            .iter()
            .map(|k| body(&sim, k).iter().filter(|&&b| b == b'\n').count())
            .sum();
        proptest::prop_assert_eq!(error_lines as u64, t.errored);
        if functions.get(function).is_none() || function == 3 {
            let delivered: usize = keys(&sim, "carpeta_tweests_exitosos/2026/").iter().map(|k| body(&sim, k).len()).sum();
            let sent: usize = records.iter().map(|(shape, len, _)| match shape {
                Shape::Json => len + 8,
                Shape::Text => *len,
                Shape::NotUtf8 => len % 50 + 1,
            }).sum();
            proptest::prop_assert_eq!(delivered, sent, "pass-through delivers every byte once");
        }
    }
}

#[test]
fn format_conversion_delivers_parquet_with_the_glue_schema() {
    let (mut sim, role) = world();
    let table = crate::engine::glue::GlueTable::new("kinesis_db", "tweets_json", &[("id", "bigint"), ("text", "string")]).unwrap();
    sim.glue.put_table(table);
    let cfg = json!({
        "BufferingHints": { "SizeInMBs": 64, "IntervalInSeconds": 60 },
        "DataFormatConversionConfiguration": {
            "SchemaConfiguration": { "DatabaseName": "kinesis_db", "TableName": "tweets_json", "RoleARN": role },
            "InputFormatConfiguration": { "Deserializer": { "OpenXJsonSerDe": {} } },
            "OutputFormatConfiguration": { "Serializer": { "ParquetSerDe": {} } },
        },
    });
    create(&mut sim, "parquet", &role, cfg);
    put(&mut sim, "parquet", br#"{"id":1,"text":"hola"}"#);
    put(&mut sim, "parquet", br#"{"id":2,"text":"mundo"}{"id":3,"text":"!"}"#);
    put(&mut sim, "parquet", b"[1,2]");
    sim.advance(60_000);
    let k = keys(&sim, "carpeta_tweests_exitosos/2026/");
    assert_eq!(k.len(), 1);
    assert!(k[0].ends_with(".parquet"), "{}", k[0]);
    let file = body(&sim, &k[0]);
    assert_eq!(&file[..4], b"PAR1");
    let failed = keys(&sim, "carpeta_tweests_exitosos/format-conversion-failed/");
    assert_eq!(failed.len(), 1);
    let line: Value = serde_json::from_slice(&body(&sim, &failed[0])).unwrap();
    assert_eq!(line["dataCatalogTable"]["tableName"], json!("tweets_json"));
    let t = sim.firehose.stream("parquet").unwrap().tally;
    assert_eq!((t.delivered, t.errored), (2, 1));
    // Small minimum with conversion; ORC refused with the reason.
    let (_, out) = call(&mut sim, "CreateDeliveryStream", json!({ "DeliveryStreamName": "small", "ExtendedS3DestinationConfiguration": s3_config(&role, {
        let mut c = cfg_with_serializer(json!({ "ParquetSerDe": {} }));
        c["BufferingHints"] = json!({ "SizeInMBs": 63, "IntervalInSeconds": 60 });
        c
    }) }));
    assert_eq!(out["message"], json!("SizeInMBs must be 64 to 128; got 63"));
    let (_, out) = call(&mut sim, "CreateDeliveryStream", json!({ "DeliveryStreamName": "orc", "ExtendedS3DestinationConfiguration": s3_config(&role, cfg_with_serializer(json!({ "OrcSerDe": {} }))) }));
    assert!(out["message"].as_str().unwrap().starts_with("ORC output is unavailable in this build"), "{out}");
}

fn cfg_with_serializer(serializer: Value) -> Value {
    json!({ "DataFormatConversionConfiguration": {
        "SchemaConfiguration": { "DatabaseName": "kinesis_db", "TableName": "tweets_json" },
        "OutputFormatConfiguration": { "Serializer": serializer },
    }})
}

#[test]
fn update_destination_bumps_the_version_in_object_names() {
    let (mut sim, role) = world();
    create(&mut sim, "tweets", &role, hints(1, 60));
    let (_, out) = call(&mut sim, "UpdateDestination", json!({ "DeliveryStreamName": "tweets", "CurrentDeliveryStreamVersionId": "2", "DestinationId": "destinationId-000000000001", "ExtendedS3DestinationUpdate": {} }));
    assert_eq!(out["__type"], json!("ConcurrentModificationException"));
    ok(&mut sim, "UpdateDestination", json!({ "DeliveryStreamName": "tweets", "CurrentDeliveryStreamVersionId": "1", "DestinationId": "destinationId-000000000001", "ExtendedS3DestinationUpdate": { "Prefix": "v2/" } }));
    put(&mut sim, "tweets", b"x");
    sim.advance(60_000);
    let k = keys(&sim, "v2/");
    assert!(k[0].starts_with("v2/2026/01/01/00/tweets-2-"), "{k:?}");
}

#[test]
fn metrics_count_incoming_and_delivered_records() {
    use super::metrics::{points, FirehoseMetric};
    let (mut sim, role) = world();
    create(&mut sim, "m", &role, hints(1, 60));
    put(&mut sim, "m", b"abc");
    put(&mut sim, "m", b"de");
    sim.advance(120_000);
    let d = sim.firehose.stream("m").unwrap();
    let sum = |m: FirehoseMetric| points(&d.metrics, m, 0, u64::MAX).iter().map(|p| p.value).sum::<u64>();
    assert_eq!(sum(FirehoseMetric::IncomingRecords), 2);
    assert_eq!(sum(FirehoseMetric::IncomingBytes), 5);
    assert_eq!(sum(FirehoseMetric::DeliveryToS3Records), 2);
    assert_eq!(sum(FirehoseMetric::DeliveryToS3Success), 1);
    assert_eq!(sum(FirehoseMetric::DeliveryToS3DataFreshness), 60_000);
    assert_eq!(FirehoseMetric::from_name("DeliveryToS3.Records"), Some(FirehoseMetric::DeliveryToS3Records));
}

#[test]
fn dispatch_never_panics_on_odd_input() {
    let (mut sim, role) = world();
    create(&mut sim, "tweets", &role, json!({}));
    let mut rng = crate::engine::rng::SimRng::from_seed(3);
    let actions = ["CreateDeliveryStream", "DescribeDeliveryStream", "ListDeliveryStreams", "DeleteDeliveryStream", "PutRecord", "PutRecordBatch", "UpdateDestination", "Bogus"];
    let values = [json!(null), json!(1), json!(-1), json!("x"), json!(""), json!([]), json!({}), json!(true), json!(1e300), json!("tweets"), json!([{ "Data": "eA==" }])];
    let members = ["DeliveryStreamName", "Record", "Records", "Limit", "DeliveryStreamType", "ExtendedS3DestinationConfiguration", "KinesisStreamSourceConfiguration", "CurrentDeliveryStreamVersionId", "DestinationId", "ExtendedS3DestinationUpdate"];
    for _ in 0..3_000 {
        let action = actions[rng.below(actions.len() as u64) as usize];
        let mut body = serde_json::Map::new();
        for _ in 0..rng.below(5) {
            let m = members[rng.below(members.len() as u64) as usize];
            body.insert(m.to_string(), values[rng.below(values.len() as u64) as usize].clone());
        }
        let r = sim.dispatch(&format!("Firehose_20150804.{action}"), Value::Object(body).to_string().as_bytes());
        assert!(r.status == 200 || r.status == 400, "{action}: {}", r.body);
        sim.advance(rng.below(1_000));
    }
    for bytes in [&b""[..], b"{", b"[]", b"null", b"\xff\xfe"] {
        sim.dispatch("Firehose_20150804.PutRecord", bytes);
    }
}

#[test]
fn advance_until_invocation_stops_where_the_host_must_answer() {
    let (mut sim, role) = world();
    sim.lambda.register_external("host_fn").unwrap();
    let mut cfg = lambda("host_fn", 3, 1);
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "hosted", &role, cfg);
    put(&mut sim, "hosted", b"x");
    let until = DEFAULT_START_MS + 10_000;
    assert!(sim.advance_until_invocation(until));
    assert_eq!(sim.now_ms(), DEFAULT_START_MS + 1_000, "the processor buffer's 1 s interval");
    let p = sim.pending_invocations().remove(0);
    let event: Value = serde_json::from_str(&p.payload_json).unwrap();
    let rid = event["records"][0]["recordId"].clone();
    sim.complete_invocation(p.id, Ok(json!({ "records": [{ "recordId": rid, "result": "Ok", "data": "eQ==" }] }).to_string())).unwrap();
    assert!(sim.complete_invocation(p.id, Ok(String::new())).is_err(), "answered once only");
    assert!(!sim.advance_until_invocation(until));
    assert_eq!(sim.now_ms(), until);
    let k = keys(&sim, "");
    assert_eq!(k.len(), 1);
    assert_eq!(sim.s3.get_object(BUCKET, &k[0]).unwrap().last_modified_ms, DEFAULT_START_MS + 1_101, "1 s + 100 ms + 1 ms per record");
}

#[test]
fn removing_the_processor_keeps_records_already_staged_for_it() {
    let (mut sim, role) = world();
    let mut cfg = lambda("kinesis-firehose-uppercase", 3, 60);
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    create(&mut sim, "tweets", &role, cfg);
    put(&mut sim, "tweets", b"staged");
    ok(&mut sim, "UpdateDestination", json!({ "DeliveryStreamName": "tweets", "CurrentDeliveryStreamVersionId": "1", "DestinationId": "destinationId-000000000001", "ExtendedS3DestinationUpdate": { "ProcessingConfiguration": { "Enabled": false } } }));
    sim.advance(60_000);
    let k = keys(&sim, "");
    assert_eq!(k.len(), 1);
    assert_eq!(body(&sim, &k[0]), b"staged", "delivered untransformed, not lost");
    assert!(k[0].contains("/tweets-2-"), "{}", k[0]);
}

#[test]
fn dynamic_partitioning_gives_each_key_its_own_buffer_and_prefix() {
    let (mut sim, role) = world();
    sim.lambda.register_external("tagger").unwrap();
    let cfg = json!({
        "Prefix": "customers/customer=!{partitionKeyFromQuery:customer_id}/src=!{partitionKeyFromLambda:src}/",
        "ErrorOutputPrefix": "errors/!{firehose:error-output-type}/",
        "BufferingHints": { "SizeInMBs": 64, "IntervalInSeconds": 60 },
        "DynamicPartitioningConfiguration": { "Enabled": true },
        "ProcessingConfiguration": { "Enabled": true, "Processors": [
            { "Type": "MetadataExtraction", "Parameters": [
                { "ParameterName": "MetadataExtractionQuery", "ParameterValue": "{customer_id: .customer_id}" },
                { "ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6" },
            ]},
            { "Type": "Lambda", "Parameters": [
                { "ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:tagger" },
                { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": "0" },
            ]},
        ]},
    });
    create(&mut sim, "dp", &role, cfg);
    for r in [r#"{"customer_id":"1","n":1}"#, r#"{"customer_id":2,"n":2}"#, r#"{"customer_id":"1","n":3}"#, r#"{"n":4}"#] {
        put(&mut sim, "dp", r.as_bytes());
    }
    sim.advance(0);
    assert_eq!(sim.pending_invocations().len(), 4, "interval 0: one invocation per record");
    for p in sim.pending_invocations() {
        let event: Value = serde_json::from_str(&p.payload_json).unwrap();
        let answer: Vec<Value> = event["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| json!({ "recordId": r["recordId"], "result": "Ok", "data": r["data"], "metadata": { "partitionKeys": { "src": "web" } } }))
            .collect();
        sim.complete_invocation(p.id, Ok(json!({ "records": answer }).to_string())).unwrap();
    }
    sim.advance(60_200);
    let one = keys(&sim, "customers/customer=1/src=web/2026/01/01/00/");
    let two = keys(&sim, "customers/customer=2/src=web/2026/01/01/00/");
    assert_eq!((one.len(), two.len()), (1, 1), "{:?}", keys(&sim, ""));
    assert_eq!(body(&sim, &one[0]), br#"{"customer_id":"1","n":1}{"customer_id":"1","n":3}"#);
    let failed = keys(&sim, "errors/processing-failed/");
    let line: Value = serde_json::from_slice(&body(&sim, &failed[0])).unwrap();
    assert_eq!(line["errorCode"], json!("DynamicPartitioning.MetadataExtractionFailed"));
    assert!(line.get("lambdaArn").is_none());
    let t = sim.firehose.stream("dp").unwrap().tally;
    assert_eq!((t.delivered, t.errored), (3, 1));
    let d = ok(&mut sim, "DescribeDeliveryStream", json!({ "DeliveryStreamName": "dp" }));
    let desc = &d["DeliveryStreamDescription"]["Destinations"][0]["ExtendedS3DestinationDescription"];
    assert_eq!(desc["DynamicPartitioningConfiguration"], json!({ "Enabled": true }));
    let (_, out) = call(&mut sim, "CreateDeliveryStream", json!({ "DeliveryStreamName": "small", "ExtendedS3DestinationConfiguration": s3_config(&role, json!({
        "ErrorOutputPrefix": "e/!{firehose:error-output-type}/",
        "BufferingHints": { "SizeInMBs": 5, "IntervalInSeconds": 60 },
        "DynamicPartitioningConfiguration": { "Enabled": true },
    })) }));
    assert_eq!(out["message"], json!("SizeInMBs must be 64 to 128; got 5"));
}

#[test]
fn kinesis_source_follows_a_split_into_the_child_shards() {
    let (mut sim, role) = world();
    let k = |sim: &mut Sim, action: &str, body: Value| {
        let r = sim.dispatch(&format!("Kinesis_20131202.{action}"), body.to_string().as_bytes());
        assert_eq!(r.status, 200, "{action}: {}", r.body);
    };
    k(&mut sim, "CreateStream", json!({ "StreamName": "s", "ShardCount": 1 }));
    sim.advance(60_000);
    ok(&mut sim, "CreateDeliveryStream", json!({
        "DeliveryStreamName": "from_kds",
        "DeliveryStreamType": "KinesisStreamAsSource",
        "KinesisStreamSourceConfiguration": { "KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "RoleARN": role },
        "ExtendedS3DestinationConfiguration": s3_config(&role, hints(1, 300)),
    }));
    k(&mut sim, "PutRecord", json!({ "StreamName": "s", "PartitionKey": "a", "Data": b64(b"before|") }));
    sim.advance(2_000);
    k(&mut sim, "SplitShard", json!({ "StreamName": "s", "ShardToSplit": "shardId-000000000000", "NewStartingHashKey": "170141183460469231731687303715884105728" }));
    sim.advance(60_000);
    for key in ["a", "b", "c", "d"] {
        k(&mut sim, "PutRecord", json!({ "StreamName": "s", "PartitionKey": key, "Data": b64(format!("{key}|").as_bytes()) }));
    }
    sim.advance(400_000);
    let t = sim.firehose.stream("from_kds").unwrap().tally;
    assert_eq!((t.accepted, t.delivered), (5, 5), "every record once, parents then children");
    let all: Vec<u8> = keys(&sim, "").iter().flat_map(|k| body(&sim, k)).collect();
    let mut parts: Vec<&str> = std::str::from_utf8(&all).unwrap().split_terminator('|').collect();
    parts.sort_unstable();
    assert_eq!(parts, ["a", "b", "before", "c", "d"]);
}

#[test]
fn direct_put_beyond_5_mib_per_second_is_slowed_down() {
    use super::metrics::{points, FirehoseMetric};
    let (mut sim, role) = world();
    create(&mut sim, "hot", &role, json!({}));
    let record = json!({ "Data": b64(&vec![0; 1_000_000]) });
    let batch = json!({ "DeliveryStreamName": "hot", "Records": [record.clone(), record.clone(), record.clone(), record] });
    ok(&mut sim, "PutRecordBatch", batch.clone());
    let (status, out) = call(&mut sim, "PutRecordBatch", batch.clone());
    assert_eq!((status, out), (503, json!({ "__type": "ServiceUnavailableException", "message": "Slow down." })));
    sim.advance(1_000);
    ok(&mut sim, "PutRecordBatch", batch);
    let d = sim.firehose.stream("hot").unwrap();
    assert_eq!(d.tally.accepted, 8, "a refused request accepts nothing");
    assert_eq!(points(&d.metrics, FirehoseMetric::ThrottledRecords, 0, u64::MAX)[0].value, 4);
}

#[test]
fn the_end_of_time_does_not_overflow() {
    let mut sim = Sim::starting_at(1, u64::MAX - 10_000);
    sim.s3.create_bucket(BUCKET, sim.now_ms()).unwrap();
    let role = role(&mut sim, &FIREHOSE_DEFAULT_ACTIONS);
    let mut cfg = lambda("transform_to_json", 3, 0);
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 900 });
    create(&mut sim, "late", &role, cfg);
    put(&mut sim, "late", b"x");
    sim.advance(u64::MAX);
    assert_eq!(sim.now_ms(), u64::MAX);
}

#[test]
fn lambda_events_from_a_kinesis_source_carry_the_record_metadata() {
    let (mut sim, role) = world();
    sim.lambda.register_external("inspect").unwrap();
    let r = sim.dispatch("Kinesis_20131202.CreateStream", br#"{"StreamName":"s","ShardCount":1}"#);
    assert_eq!(r.status, 200);
    sim.advance(60_000);
    let mut cfg = lambda("inspect", 3, 0);
    cfg["BufferingHints"] = json!({ "SizeInMBs": 1, "IntervalInSeconds": 0 });
    ok(&mut sim, "CreateDeliveryStream", json!({
        "DeliveryStreamName": "from_kds",
        "DeliveryStreamType": "KinesisStreamAsSource",
        "KinesisStreamSourceConfiguration": { "KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "RoleARN": role },
        "ExtendedS3DestinationConfiguration": s3_config(&role, cfg),
    }));
    let put = sim.dispatch("Kinesis_20131202.PutRecord", json!({ "StreamName": "s", "PartitionKey": "pk", "Data": b64(b"hola") }).to_string().as_bytes());
    let seq = serde_json::from_str::<Value>(&put.body).unwrap()["SequenceNumber"].clone();
    sim.advance(1_000);
    let event: Value = serde_json::from_str(&sim.pending_invocations()[0].payload_json).unwrap();
    assert_eq!(event["sourceKinesisStreamArn"], json!("arn:aws:kinesis:us-east-1:123456789012:stream/s"));
    let meta = &event["records"][0]["kinesisRecordMetadata"];
    assert_eq!((&meta["shardId"], &meta["partitionKey"], &meta["sequenceNumber"]), (&json!("shardId-000000000000"), &json!("pk"), &seq));
    assert_eq!(meta["approximateArrivalTimestamp"], json!(DEFAULT_START_MS + 60_000));
    assert_eq!(meta["subsequenceNumber"], json!(0));
}
