//! The create wizard's form as plain data: what each field holds, which AWS rules it breaks
//! (checked with the engine's own validators), the CreateDeliveryStream request it becomes,
//! and the key the next object will get.

use crate::engine::firehose::buffer::{BufferingHints, LambdaBufferHints};
use crate::engine::firehose::compression::Compression;
use crate::engine::firehose::naming::{object_suffix, ErrorOutputType, PartitionKeys, S3Prefixes};
use crate::engine::rng::SimRng;
use crate::engine::sim::Sim;
use crate::ui::{Said, Text};
use serde_json::{json, Value};

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";
/// The course's Glue table, as `transform_to_json` writes the built-in tweets producer's records.
pub const TWEETS_DATABASE: &str = "kinesis_db";
pub const TWEETS_TABLE: &str = "tweets_json";
pub const TWEETS_COLUMNS: &str = "id bigint\nlang string\ntext string\ncreated_at timestamp";
/// What a new role may do: write to S3, invoke the transform, read the source, log, read Glue.
pub const DEFAULT_ACTIONS: &str =
    "s3:PutObject\ns3:GetObject\ns3:ListBucket\nlambda:InvokeFunction\nkinesis:GetRecords\nkinesis:GetShardIterator\nkinesis:DescribeStream\nkinesis:ListShards\nglue:GetTable\nlogs:PutLogEvents";

/// The function choice that opens the JavaScript editor.
pub const CUSTOM: &str = "__custom__";
/// What the editor starts with: Firehose's contract, each record returned with a result.
pub const CUSTOM_TEMPLATE: &str = r#"(event) => ({
  records: event.records.map((r) => {
    const bytes = Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
    const tweet = JSON.parse(new TextDecoder().decode(bytes));
    tweet.text = tweet.text.toUpperCase();
    const out = new TextEncoder().encode(JSON.stringify(tweet) + '\n');
    return { recordId: r.recordId, result: 'Ok', data: btoa(String.fromCharCode(...out)) };
  }),
})"#;

/// A Firehose transformation event with two tweets, as the Lambda receives it.
pub fn sample_event() -> String {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let tweets = [
        r#"{"id":1,"lang":"es","text":"Hola Kinesis #AWS","created_at":"2026-01-01T00:00:01.000Z"}"#,
        r#"{"id":2,"lang":"pt","text":"Olá Firehose #BigData","created_at":"2026-01-01T00:00:02.000Z"}"#,
    ];
    let records: Vec<Value> = tweets
        .iter()
        .enumerate()
        .map(|(i, t)| json!({ "recordId": format!("4962{i}"), "approximateArrivalTimestamp": 1_767_225_601_000u64 + i as u64 * 1000, "data": b64(t) }))
        .collect();
    serde_json::to_string_pretty(&json!({
        "invocationId": "00540a87-5050-496a-84e4-e7d92bbaf5e2",
        "deliveryStreamArn": format!("arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/PUT-S3-tweets"),
        "region": REGION,
        "records": records,
    }))
    .unwrap_or_default()
}

/// Every field of the wizard, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct FirehoseForm {
    pub name: String,
    /// `DirectPut` or `KinesisStreamAsSource`.
    pub source: String,
    pub kinesis_stream: String,
    pub transform: bool,
    /// A built-in function's name, or [`CUSTOM`] for JavaScript written in the editor.
    pub function: String,
    pub custom_name: String,
    pub custom_source: String,
    pub processor_size_mbs: String,
    pub processor_interval_s: String,
    /// `off` or `Parquet`.
    pub convert: String,
    pub database: String,
    pub table: String,
    pub bucket: String,
    pub prefix: String,
    pub error_prefix: String,
    pub size_mbs: String,
    pub interval_s: String,
    pub compression: String,
    pub logging: bool,
    pub role_name: String,
    pub role_actions: String,
}

impl Default for FirehoseForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            source: "KinesisStreamAsSource".into(),
            kinesis_stream: String::new(),
            transform: false,
            function: "transform_to_json".into(),
            custom_name: "my_transform".into(),
            custom_source: CUSTOM_TEMPLATE.into(),
            processor_size_mbs: "1".into(),
            processor_interval_s: "60".into(),
            convert: "off".into(),
            database: TWEETS_DATABASE.into(),
            table: TWEETS_TABLE.into(),
            bucket: String::new(),
            prefix: String::new(),
            error_prefix: String::new(),
            size_mbs: "5".into(),
            interval_s: "300".into(),
            compression: "UNCOMPRESSED".into(),
            logging: true,
            role_name: "firehose_role".into(),
            role_actions: DEFAULT_ACTIONS.into(),
        }
    }
}

/// Which field a problem belongs to, so the wizard shows it next to that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Source,
    Processor,
    Table,
    Bucket,
    Prefix,
    Buffer,
    Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub message: Said,
}


fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.trim().parse().map_err(|_| format!("{what} must be a number; got '{text}'"))
}

impl FirehoseForm {
    pub fn is_custom(&self) -> bool {
        self.function == CUSTOM
    }

    /// The Lambda function Firehose will invoke.
    pub fn function_name(&self) -> &str {
        if self.is_custom() { self.custom_name.trim() } else { &self.function }
    }

    pub fn converting(&self) -> bool {
        self.convert != "off"
    }

    pub fn actions(&self) -> Vec<String> {
        self.role_actions.split(|c: char| c == ',' || c.is_whitespace()).filter(|a| !a.is_empty()).map(str::to_string).collect()
    }

    /// The destination's buffering hints as AWS checks them (conversion raises the minimum).
    pub fn hints(&self) -> Result<BufferingHints, String> {
        let size = number::<u32>(&self.size_mbs, "SizeInMBs")?;
        let interval = number::<u32>(&self.interval_s, "IntervalInSeconds")?;
        BufferingHints::new(Some(size), Some(interval), self.converting()).map_err(|e| e.to_string())
    }

    /// The problems AWS would answer CreateDeliveryStream with, found before it is sent.
    pub fn problems(&self, sim: &Sim) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut add = |field, message: Said| out.push(Problem { field, message });
        let name = self.name.trim();
        if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
            add(Field::Name, Said::Quoted("DeliveryStreamName must be 1 to 64 characters: letters, digits, _ . -".into()));
        } else if sim.firehose.stream(name).is_some() {
            add(Field::Name, Said::Quoted(format!("Firehose {name} under account {ACCOUNT} already exists.")));
        }
        if self.source == "KinesisStreamAsSource" && sim.kinesis.stream(&self.kinesis_stream).is_none() {
            add(Field::Source, Said::Hint(Text::ChooseSourceStream));
        }
        if self.transform {
            let hints = number::<f64>(&self.processor_size_mbs, "BufferSizeInMBs")
                .and_then(|s| number::<u32>(&self.processor_interval_s, "BufferIntervalInSeconds").map(|i| (s, i)))
                .and_then(|(s, i)| LambdaBufferHints::new(Some(s), Some(i)).map_err(|e| e.to_string()));
            if let Err(e) = hints {
                add(Field::Processor, Said::Quoted(e));
            }
            let custom_ok = !self.custom_name.is_empty()
                && self.custom_name.len() <= 64
                && self.custom_name.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c));
            if self.is_custom() && !custom_ok {
                add(Field::Processor, Said::Hint(Text::FunctionNameRule));
            } else if !self.is_custom() && sim.lambda.function(&self.function).is_none() {
                add(Field::Processor, Said::Quoted(format!("Function not found: {}", self.function)));
            }
        }
        if self.converting() && sim.glue.table(self.database.trim(), self.table.trim()).is_none() {
            add(Field::Table, Said::Quoted(format!("Glue table {}.{} does not exist.", self.database.trim(), self.table.trim())));
        }
        if sim.s3.bucket(self.bucket.trim()).is_err() {
            add(Field::Bucket, Said::Hint(Text::ChooseBucket));
        }
        if let Err(e) = S3Prefixes::new(self.opt(&self.prefix), self.opt(&self.error_prefix)) {
            add(Field::Prefix, Said::Quoted(e.to_string()));
        }
        if let Err(e) = self.hints() {
            add(Field::Buffer, Said::Quoted(e));
        }
        if !self.role_name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) || self.role_name.is_empty() || self.role_name.len() > 64 {
            add(Field::Role, Said::Hint(Text::RoleNameRule));
        }
        out
    }

    fn opt<'a>(&self, text: &'a str) -> Option<&'a str> {
        Some(text).filter(|t| !t.is_empty())
    }

    fn extension(&self) -> String {
        if self.converting() {
            ".parquet".into()
        } else {
            Compression::from_aws_name(&self.compression).map(Compression::extension).unwrap_or_default().to_string()
        }
    }

    /// The key of the next data object and of the next processing-failed object, were the
    /// oldest buffered record to arrive at `now_ms` (the random parts are drawn fresh).
    pub fn key_preview(&self, now_ms: u64) -> Result<(String, String), String> {
        let prefixes = S3Prefixes::new(self.opt(&self.prefix), self.opt(&self.error_prefix)).map_err(|e| e.to_string())?;
        let mut rng = SimRng::from_seed(now_ms);
        let prefix = prefixes.evaluate_prefix(now_ms, &PartitionKeys::default(), &mut rng).map_err(|e| e.to_string())?;
        let error = prefixes.evaluate_error_prefix(now_ms, ErrorOutputType::ProcessingFailed, &mut rng).map_err(|e| e.to_string())?;
        let name = if self.name.trim().is_empty() { "<name>" } else { self.name.trim() };
        let uuid = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
        Ok((
            format!("{prefix}{}", object_suffix(name, 1, now_ms, uuid, &self.extension())),
            format!("{error}{}", object_suffix(name, 1, now_ms, uuid, "")),
        ))
    }

    pub fn role_arn(&self) -> String {
        format!("arn:aws:iam::{ACCOUNT}:role/{}", self.role_name)
    }

    /// The CreateDeliveryStream body the wizard sends.
    pub fn request(&self) -> Value {
        let role = self.role_arn();
        let (size, interval) = (self.size_mbs.trim().parse::<u64>().unwrap_or(0), self.interval_s.trim().parse::<u64>().unwrap_or(0));
        let mut destination = json!({
            "RoleARN": role,
            "BucketARN": format!("arn:aws:s3:::{}", self.bucket.trim()),
            "BufferingHints": { "SizeInMBs": size, "IntervalInSeconds": interval },
            "CompressionFormat": if self.converting() { "UNCOMPRESSED" } else { self.compression.as_str() },
            "CloudWatchLoggingOptions": if self.logging {
                json!({ "Enabled": true, "LogGroupName": format!("/aws/kinesisfirehose/{}", self.name.trim()), "LogStreamName": "S3Delivery" })
            } else { json!({ "Enabled": false }) },
        });
        if !self.prefix.is_empty() {
            destination["Prefix"] = json!(self.prefix);
        }
        if !self.error_prefix.is_empty() {
            destination["ErrorOutputPrefix"] = json!(self.error_prefix);
        }
        if self.transform {
            let arn = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{}:$LATEST", self.function_name());
            destination["ProcessingConfiguration"] = json!({ "Enabled": true, "Processors": [{ "Type": "Lambda", "Parameters": [
                { "ParameterName": "LambdaArn", "ParameterValue": arn },
                { "ParameterName": "BufferSizeInMBs", "ParameterValue": self.processor_size_mbs.trim() },
                { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": self.processor_interval_s.trim() },
            ] }] });
        }
        if self.converting() {
            destination["DataFormatConversionConfiguration"] = json!({
                "Enabled": true,
                "SchemaConfiguration": { "DatabaseName": self.database.trim(), "TableName": self.table.trim(), "RoleARN": role, "Region": REGION, "VersionId": "LATEST" },
                "InputFormatConfiguration": { "Deserializer": { "OpenXJsonSerDe": {} } },
                "OutputFormatConfiguration": { "Serializer": { "ParquetSerDe": { "Compression": "SNAPPY" } } },
            });
        }
        let mut body = json!({ "DeliveryStreamName": self.name.trim(), "ExtendedS3DestinationConfiguration": destination });
        if self.source == "KinesisStreamAsSource" {
            body["DeliveryStreamType"] = json!("KinesisStreamAsSource");
            body["KinesisStreamSourceConfiguration"] = json!({
                "KinesisStreamARN": format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{}", self.kinesis_stream),
                "RoleARN": role,
            });
        } else {
            body["DeliveryStreamType"] = json!("DirectPut");
        }
        body
    }
}

/// Parses the Glue table editor: one `name type` per line.
pub fn parse_columns(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            Some((parts.next()?.to_string(), parts.collect::<Vec<_>>().join(" ")))
        })
        .collect()
}
