//! The Kinesis Agent: tails the files its `agent.json` flows name (`filePattern`), turns
//! lines into records with the flow's `dataProcessingOptions`, buffers them
//! (`maxBufferAgeMillis`, `maxBufferSizeRecords`, `maxBufferSizeBytes`) and sends each
//! buffer with PutRecords, retrying throttled records with backoff.

use super::metrics::ProducerMetrics;
use super::web_server::VirtualLogFile;
use super::{put_records, Outcome};
use crate::engine::config_json::{ConfigError, ConfigObject};
use crate::engine::streams::records::RecordInput;
use crate::engine::streams::KinesisService;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::VecDeque;

const FIRST_BACKOFF_MS: u64 = 100;
const MAX_BACKOFF_MS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Processing {
    SingleLine,
    CsvToJson { field_names: Vec<String>, delimiter: char },
    LogToJson { combined: bool },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub file_pattern: String,
    pub kinesis_stream: String,
    pub start_at_end: bool,
    pub max_buffer_age_ms: u64,
    pub max_buffer_records: usize,
    pub max_buffer_bytes: usize,
    pub deterministic_keys: bool,
    pub skip_header_lines: u64,
    pub processing: Vec<Processing>,
    /// Next line of the file to read, once the file has been found.
    next_line: Option<u64>,
    buffer: VecDeque<Buffered>,
    buffer_since_ms: Option<u64>,
    not_before_ms: u64,
    failures_in_a_row: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Buffered {
    partition_key: String,
    data: Vec<u8>,
    created_ms: u64,
}

impl Flow {
    fn from_config(flow: ConfigObject) -> Result<Self, ConfigError> {
        if flow.str("deliveryStream")?.is_some() {
            return Err(ConfigError(
                "agent.flows[].deliveryStream needs a Firehose delivery stream, which this world does not have yet; use kinesisStream".into(),
            ));
        }
        if flow.str("multiLineStartPattern")?.is_some() {
            return Err(ConfigError("agent.flows[].multiLineStartPattern is not supported by Kinesim; records are one line each".into()));
        }
        let mut processing = Vec::new();
        if let Some(Value::Array(options)) = flow.raw("dataProcessingOptions") {
            for option in options {
                let o = ConfigObject::root(option)?;
                processing.push(match o.choice("optionName", &["SINGLELINE", "CSVTOJSON", "LOGTOJSON"], None)? {
                    "SINGLELINE" => Processing::SingleLine,
                    "CSVTOJSON" => Processing::CsvToJson {
                        field_names: string_list(o.raw("customFieldNames"), "customFieldNames")?,
                        delimiter: match o.str("delimiter")?.unwrap_or(",") {
                            d if d.chars().count() == 1 => d.chars().next().unwrap_or(','),
                            d => return Err(ConfigError(format!("delimiter must be one character; got \"{d}\""))),
                        },
                    },
                    _ => {
                        if o.str("matchPattern")?.is_some() {
                            return Err(ConfigError("matchPattern is not supported by Kinesim; use logFormat COMMONAPACHELOG or COMBINEDAPACHELOG".into()));
                        }
                        Processing::LogToJson { combined: o.choice("logFormat", &["COMMONAPACHELOG", "COMBINEDAPACHELOG"], None)? == "COMBINEDAPACHELOG" }
                    }
                });
            }
        }
        Ok(Self {
            file_pattern: flow.required_str("filePattern")?.to_string(),
            kinesis_stream: flow.required_str("kinesisStream")?.to_string(),
            start_at_end: flow.choice("initialPosition", &["START_OF_FILE", "END_OF_FILE"], Some("END_OF_FILE"))? == "END_OF_FILE",
            max_buffer_age_ms: flow.whole("maxBufferAgeMillis", 1_000, 900_000, 60_000)?,
            max_buffer_records: flow.whole("maxBufferSizeRecords", 1, 500, 500)? as usize,
            max_buffer_bytes: flow.whole("maxBufferSizeBytes", 1, 4_194_304, 4_194_304)? as usize,
            deterministic_keys: flow.choice("partitionKeyOption", &["RANDOM", "DETERMINISTIC"], Some("RANDOM"))? == "DETERMINISTIC",
            skip_header_lines: flow.whole("skipHeaderLines", 0, 1_000, 0)?,
            processing,
            next_line: None,
            buffer: VecDeque::new(),
            buffer_since_ms: None,
            not_before_ms: 0,
            failures_in_a_row: 0,
        })
    }
}

fn string_list(value: Option<&Value>, field: &str) -> Result<Vec<String>, ConfigError> {
    match value {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(|| ConfigError(format!("{field} must be a list of strings; got {v}"))))
            .collect(),
        other => Err(ConfigError(format!("{field} must be a non-empty list of strings; got {}", other.map_or("nothing".to_string(), Value::to_string)))),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KinesisAgent {
    pub flows: Vec<Flow>,
}

impl KinesisAgent {
    /// Reads an `agent.json` object; without one, a single flow tails `default_pattern*` into
    /// `default_stream`.
    pub fn from_config(agent: Option<ConfigObject>, default_stream: &str, default_pattern: &str) -> Result<Self, ConfigError> {
        let flows = match agent.as_ref().and_then(|a| a.raw("flows")) {
            Some(Value::Array(flows)) if !flows.is_empty() => flows.iter().map(|f| ConfigObject::root(f).and_then(Flow::from_config)).collect::<Result<_, _>>()?,
            Some(other) => return Err(ConfigError(format!("agent.flows must be a non-empty list of flows; got {other}"))),
            None => {
                let fallback = serde_json::json!({"filePattern": format!("{default_pattern}*"), "kinesisStream": default_stream});
                vec![Flow::from_config(ConfigObject::root(&fallback)?)?]
            }
        };
        Ok(Self { flows })
    }

    /// One poll of the files (every 100 ms, the agent's `minTimeBetweenFilePollsMillis`),
    /// then whatever buffers are due are sent.
    /// Opens the file for every flow whose pattern matches it and that has not opened it
    /// yet, at the flow's `initialPosition`; called before the server writes each tick.
    pub fn discover(&mut self, file: &VirtualLogFile) {
        for flow in self.flows.iter_mut().filter(|f| f.next_line.is_none() && glob_matches(&f.file_pattern, &file.path)) {
            flow.next_line = Some(if flow.start_at_end { file.end() } else { flow.skip_header_lines });
        }
    }

    /// `seed` is the producer's, from which RANDOM partition keys derive.
    pub fn tick(&mut self, now_ms: u64, seed: u64, kinesis: &mut KinesisService, file: &mut VirtualLogFile, metrics: &mut ProducerMetrics) {
        for flow in &mut self.flows {
            let Some(from) = flow.next_line else { continue };
            let mut read = from;
            for (number, line) in file.lines_from(from) {
                if flow.buffer.len() >= flow.max_buffer_records || buffered_bytes(flow) >= flow.max_buffer_bytes {
                    break;
                }
                read = number + 1;
                match process(line, &flow.processing) {
                    Some(data) => {
                        let partition_key = partition_key(seed, number, &data, flow.deterministic_keys);
                        flow.buffer_since_ms.get_or_insert(now_ms);
                        flow.buffer.push_back(Buffered { partition_key, data, created_ms: now_ms });
                    }
                    None => metrics.refused(1, format!("Line {number} of {} did not match the flow's dataProcessingOptions", file.path)),
                }
            }
            flow.next_line = Some(read);
            send_if_due(now_ms, kinesis, flow, metrics);
        }
        // Lines every flow has read (all of them, if no flow tails this file) are forgotten.
        let slowest = self.flows.iter().filter_map(|f| f.next_line).min().unwrap_or(file.end());
        file.release_before(slowest);
        metrics.in_flight = self.flows.iter().map(|f| f.buffer.len() as u64).sum::<u64>() + file.end().saturating_sub(slowest);
    }
}

fn buffered_bytes(flow: &Flow) -> usize {
    flow.buffer.iter().map(|b| b.data.len() + b.partition_key.len()).sum()
}

fn send_if_due(now_ms: u64, kinesis: &mut KinesisService, flow: &mut Flow, metrics: &mut ProducerMetrics) {
    let full = flow.buffer.len() >= flow.max_buffer_records || buffered_bytes(flow) >= flow.max_buffer_bytes;
    let old = flow.buffer_since_ms.is_some_and(|t| now_ms >= t + flow.max_buffer_age_ms);
    if flow.buffer.is_empty() || !(full || old) || now_ms < flow.not_before_ms {
        return;
    }
    let batch: Vec<Buffered> = flow.buffer.drain(..).collect();
    let inputs = batch.iter().map(|b| RecordInput { partition_key: b.partition_key.clone(), data: b.data.clone().into(), explicit_hash_key: None }).collect();
    let outcomes = put_records(now_ms, kinesis, &flow.kinesis_stream, inputs, metrics);
    let mut retry = VecDeque::new();
    for (b, outcome) in batch.into_iter().zip(outcomes) {
        match outcome {
            Outcome::Stored => metrics.acknowledged(1, b.created_ms, now_ms),
            Outcome::Throttled => {
                metrics.retried += 1;
                retry.push_back(b);
            }
            Outcome::Refused(message) => metrics.refused(1, message),
        }
    }
    if retry.is_empty() {
        flow.failures_in_a_row = 0;
        flow.buffer_since_ms = None;
    } else {
        // Throttled records go out again first, after a growing pause.
        flow.failures_in_a_row += 1;
        flow.not_before_ms = now_ms + (FIRST_BACKOFF_MS << (flow.failures_in_a_row - 1).min(7)).min(MAX_BACKOFF_MS);
        flow.buffer = retry;
        flow.buffer_since_ms = Some(0);
    }
}

/// RANDOM keys are random per record; DETERMINISTIC keys are the MD5 of the data, so equal
/// records land on the same shard.
fn partition_key(seed: u64, line: u64, data: &[u8], deterministic: bool) -> String {
    let digest = if deterministic { Md5::digest(data) } else { Md5::digest([seed.to_be_bytes(), line.to_be_bytes()].concat()) };
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The record for one line, or `None` when a LOGTOJSON pattern does not match it. The agent
/// ends every record with a newline.
fn process(line: &str, options: &[Processing]) -> Option<Vec<u8>> {
    let mut text = line.to_string();
    for option in options {
        text = match option {
            Processing::SingleLine => text.split_whitespace().collect::<Vec<_>>().join(" "),
            Processing::CsvToJson { field_names, delimiter } => {
                let values = text.split(*delimiter);
                let object: Map<String, Value> = field_names.iter().cloned().zip(values.map(|v| Value::String(v.to_string()))).collect();
                Value::Object(object).to_string()
            }
            Processing::LogToJson { combined } => apache_to_json(&text, *combined)?,
        };
    }
    text.push('\n');
    Some(text.into_bytes())
}

/// Parses an Apache common (or combined) log line into the agent's field names; `-` for
/// ident and authuser becomes null, as the agent writes them.
fn apache_to_json(line: &str, combined: bool) -> Option<String> {
    let (host, rest) = line.split_once(' ')?;
    let (ident, rest) = rest.split_once(' ')?;
    let (authuser, rest) = rest.split_once(' ')?;
    let (datetime, rest) = rest.strip_prefix('[')?.split_once("] ")?;
    let (request, rest) = rest.strip_prefix('"')?.split_once("\" ")?;
    let mut fields = rest.splitn(3, ' ');
    let (response, bytes) = (fields.next()?, fields.next()?);
    let dash_null = |v: &str| if v == "-" { Value::Null } else { Value::String(v.to_string()) };
    let mut object = Map::new();
    object.insert("host".into(), Value::String(host.into()));
    object.insert("ident".into(), dash_null(ident));
    object.insert("authuser".into(), dash_null(authuser));
    object.insert("datetime".into(), Value::String(datetime.into()));
    object.insert("request".into(), Value::String(request.into()));
    object.insert("response".into(), Value::String(response.into()));
    object.insert("bytes".into(), Value::String(bytes.into()));
    if combined {
        let (referrer, agent) = fields.next()?.strip_prefix('"')?.strip_suffix('"')?.split_once("\" \"")?;
        object.insert("referrer".into(), Value::String(referrer.into()));
        object.insert("agent".into(), Value::String(agent.into()));
    }
    Some(Value::Object(object).to_string())
}

/// The agent's glob: `*` matches any run of characters except `/`, `?` any one character.
fn glob_matches(pattern: &str, path: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('*', rest)) => (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != '/').any(|i| go(rest, &s[i..])),
            Some(('?', rest)) => s.split_first().is_some_and(|(_, tail)| go(rest, tail)),
            Some((c, rest)) => s.split_first().is_some_and(|(h, tail)| h == c && go(rest, tail)),
        }
    }
    go(&pattern.chars().collect::<Vec<_>>(), &path.chars().collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_the_agent() {
        assert!(glob_matches("/var/log/httpd/access_log*", "/var/log/httpd/access_log"));
        assert!(glob_matches("/var/log/*/access_lo?", "/var/log/httpd/access_log"));
        assert!(!glob_matches("/var/log/*", "/var/log/httpd/access_log"), "* stays within one directory");
        assert!(!glob_matches("/tmp/app.log", "/var/log/httpd/access_log"));
    }

    #[test]
    fn log_to_json_and_csv_to_json_write_the_agent_field_names() {
        let line = "64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] \"GET /mailman/listinfo/hsdivision HTTP/1.1\" 200 6291";
        let out = process(line, &[Processing::LogToJson { combined: false }]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"authuser\":null,\"bytes\":\"6291\",\"datetime\":\"07/Mar/2004:16:10:02 -0800\",\"host\":\"64.242.88.10\",\"ident\":null,\"request\":\"GET /mailman/listinfo/hsdivision HTTP/1.1\",\"response\":\"200\"}\n"
        );
        assert_eq!(process("not a log line", &[Processing::LogToJson { combined: true }]), None);
        let csv = Processing::CsvToJson { field_names: vec!["a".into(), "b".into()], delimiter: ';' };
        assert_eq!(process("1;x", &[csv]).unwrap(), b"{\"a\":\"1\",\"b\":\"x\"}\n");
        assert_eq!(process("  a \t b ", &[Processing::SingleLine]).unwrap(), b"a b\n");
    }
}
