//! AWS Lambda as Firehose's data-transformation processor sees it: functions invoked with a JSON
//! event that answer with a JSON response.
//!
//! Built-in functions are pure Rust and answer at once. A user function (JavaScript registered
//! by the host) is an effect: invoking it records a [`PendingInvocation`] that the host answers
//! later through `Sim::complete_invocation`, from a place where a stuck function can be killed.
//! The engine never runs user code, so it stays deterministic and a loop cannot freeze it.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use thiserror::Error;

/// The function name in a Lambda ARN (`arn:aws:lambda:<region>:<account>:function:<name>`,
/// optionally followed by `:<qualifier>` such as `$LATEST`).
pub fn function_name_from_arn(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?.split_once(":function:")?.1;
    rest.split(':').next().filter(|n| !n.is_empty())
}

/// Why an invocation produced no response: the function threw, or ran past its timeout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LambdaFailure {
    /// `Unhandled` function error, with the error text the function raised.
    Unhandled(String),
    Timeout,
}

/// Fibonacci hashing's multiplier: spreads consecutive numbers over the whole range.
pub const SPREAD: u64 = 0x9E37_79B9_7F4A_7C15;

/// Whether a spread hash falls within the first `percent` of 100 equal slices.
pub fn in_percent(hash: u64, percent: u32) -> bool {
    (hash >> 32) % 100 < u64::from(percent)
}

/// An injected fault: the function fails on `percent` of invocations (spread evenly and
/// the same on every replay), or every invocation runs past its timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "failure")]
pub enum FunctionFault {
    Errors { percent: u32 },
    Timeouts,
}

impl FunctionFault {
    /// Whether the `n`th invocation (or record) fails, the same way on every replay.
    pub fn fails(self, n: u64) -> bool {
        match self {
            FunctionFault::Timeouts => true,
            FunctionFault::Errors { percent } => in_percent(n.wrapping_mul(SPREAD), percent),
        }
    }

    /// What the caller sees when it fails.
    pub fn failure(self, fault_id: &str) -> LambdaFailure {
        match self {
            FunctionFault::Errors { .. } => LambdaFailure::Unhandled(format!("Error: injected fault {fault_id}")),
            FunctionFault::Timeouts => LambdaFailure::Timeout,
        }
    }
}

/// The functions every world has, for students to pick in the Firehose wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BuiltIn {
    /// The course's function: each record (a tweet as JSON, or plain text) becomes one compact
    /// JSON object followed by a newline, so delivered objects hold one object per line.
    TransformToJson,
    /// AWS's "General Firehose Processing" blueprint: every record passes unchanged.
    ProcessRecord,
    /// Keeps records that are JSON objects; anything else is `Dropped` (a filter).
    FilterJson,
    /// Upper-cases UTF-8 text; bytes that are not UTF-8 come back `ProcessingFailed`.
    Uppercase,
}

impl BuiltIn {
    pub const ALL: [BuiltIn; 4] = [BuiltIn::TransformToJson, BuiltIn::ProcessRecord, BuiltIn::FilterJson, BuiltIn::Uppercase];

    pub fn function_name(self) -> &'static str {
        match self {
            BuiltIn::TransformToJson => "transform_to_json",
            BuiltIn::ProcessRecord => "kinesis-firehose-process-record",
            BuiltIn::FilterJson => "kinesis-firehose-filter-json",
            BuiltIn::Uppercase => "kinesis-firehose-uppercase",
        }
    }

    /// One record's result and new data, per Firehose's contract.
    fn transform(self, data: &[u8]) -> (&'static str, Vec<u8>) {
        let text = std::str::from_utf8(data);
        match self {
            BuiltIn::ProcessRecord => ("Ok", data.to_vec()),
            BuiltIn::TransformToJson => match text {
                Ok(t) => {
                    let object = match serde_json::from_str::<Value>(t.trim()) {
                        Ok(v @ Value::Object(_)) => v,
                        _ => json!({ "text": t.trim_end_matches(['\r', '\n']) }),
                    };
                    ("Ok", format!("{object}\n").into_bytes())
                }
                Err(_) => ("ProcessingFailed", data.to_vec()),
            },
            BuiltIn::FilterJson => match serde_json::from_slice::<Value>(data) {
                Ok(Value::Object(_)) => ("Ok", data.to_vec()),
                _ => ("Dropped", data.to_vec()),
            },
            BuiltIn::Uppercase => match text {
                Ok(t) => ("Ok", t.to_uppercase().into_bytes()),
                Err(_) => ("ProcessingFailed", data.to_vec()),
            },
        }
    }

    /// The function's answer to a Firehose event, as its handler would return it.
    fn respond(self, event: &str) -> Result<String, LambdaFailure> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let event: Value = serde_json::from_str(event).map_err(|e| LambdaFailure::Unhandled(format!("SyntaxError: {e}")))?;
        let records = event.get("records").and_then(Value::as_array).ok_or_else(|| {
            LambdaFailure::Unhandled("TypeError: event.records is not an array".into())
        })?;
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            let data = r.get("data").and_then(Value::as_str).and_then(|d| b64.decode(d).ok()).unwrap_or_default();
            let (result, new_data) = self.transform(&data);
            out.push(json!({ "recordId": r.get("recordId"), "result": result, "data": b64.encode(new_data) }));
        }
        Ok(json!({ "records": out }).to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FunctionCode {
    BuiltIn(BuiltIn),
    /// Code the host runs (a JavaScript function registered with `registerLambda`).
    External,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub arn: String,
    pub code: FunctionCode,
    /// The JavaScript source of an external function, when the world keeps it (written in
    /// the console or brought by a scenario) rather than the host alone.
    pub source: Option<String>,
}

/// An invocation of an external function, waiting for the host's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvocation {
    pub id: u64,
    pub function_name: String,
    pub payload_json: String,
}

/// What invoking a function gives back right away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    Answered(Result<String, LambdaFailure>),
    Pending(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LambdaError {
    #[error("Function not found: {0}")]
    FunctionNotFound(String),
    #[error("function name '{0}' is invalid: names must be 1 to 64 characters of letters, digits, hyphens and underscores")]
    BadName(String),
    #[error("no pending invocation {0}; it was already completed or never existed")]
    NoSuchInvocation(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LambdaService {
    account_id: String,
    region: String,
    functions: BTreeMap<String, Function>,
    pending: BTreeMap<u64, PendingInvocation>,
    next_invocation: u64,
    /// Injected faults by function name, with the fault's id for the error text.
    faults: BTreeMap<String, (String, FunctionFault)>,
    /// Invocations so far and those an injected fault failed, by function name.
    invocations: BTreeMap<String, (u64, u64)>,
}

impl LambdaService {
    /// A Region's Lambda with the built-in functions already deployed.
    pub fn new(account_id: &str, region: &str) -> Self {
        let mut s = Self {
            account_id: account_id.to_string(),
            region: region.to_string(),
            functions: BTreeMap::new(),
            pending: BTreeMap::new(),
            next_invocation: 1,
            faults: BTreeMap::new(),
            invocations: BTreeMap::new(),
        };
        for b in BuiltIn::ALL {
            s.deploy(b.function_name(), FunctionCode::BuiltIn(b), None);
        }
        s
    }

    fn deploy(&mut self, name: &str, code: FunctionCode, source: Option<String>) -> String {
        let arn = format!("arn:aws:lambda:{}:{}:function:{name}", self.region, self.account_id);
        self.functions.insert(name.to_string(), Function { name: name.to_string(), arn: arn.clone(), code, source });
        arn
    }

    /// Registers (or replaces) a host-run function; returns its ARN.
    pub fn register_external(&mut self, name: &str) -> Result<String, LambdaError> {
        self.register_with_source(name, None)
    }

    /// Registers (or replaces) a host-run function and keeps its JavaScript `source` in the
    /// world, so scenarios and snapshots carry it; returns its ARN.
    pub fn register_source(&mut self, name: &str, source: &str) -> Result<String, LambdaError> {
        self.register_with_source(name, Some(source.to_string()))
    }

    fn register_with_source(&mut self, name: &str, source: Option<String>) -> Result<String, LambdaError> {
        let ok = (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(LambdaError::BadName(name.to_string()));
        }
        Ok(self.deploy(name, FunctionCode::External, source))
    }

    /// Host-run functions whose source the world keeps, as (name, JavaScript source).
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.functions.values().filter_map(|f| Some((f.name.as_str(), f.source.as_deref()?)))
    }

    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.get(name)
    }

    /// Every deployed function, by name.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.functions.values()
    }


    /// Makes a function fail (an injected fault) or, with `None`, work again.
    pub fn set_fault(&mut self, name: &str, fault: Option<(String, FunctionFault)>) {
        match fault {
            Some(f) => self.faults.insert(name.to_string(), f),
            None => self.faults.remove(name),
        };
    }

    /// Invocations of `name` an injected fault has failed so far.
    pub fn failed_by_faults(&self, name: &str) -> u64 {
        self.invocations.get(name).map_or(0, |c| c.1)
    }

    pub fn invoke(&mut self, name: &str, payload_json: String) -> Result<Invocation, LambdaError> {
        let f = self.functions.get(name).ok_or_else(|| LambdaError::FunctionNotFound(name.to_string()))?;
        let counts = self.invocations.entry(name.to_string()).or_default();
        counts.0 += 1;
        if let Some((id, fault)) = self.faults.get(name).filter(|(_, fault)| fault.fails(counts.0)) {
            counts.1 += 1;
            return Ok(Invocation::Answered(Err(fault.failure(id))));
        }
        match f.code {
            FunctionCode::BuiltIn(b) => Ok(Invocation::Answered(b.respond(&payload_json))),
            FunctionCode::External => {
                let id = self.next_invocation;
                self.next_invocation += 1;
                self.pending.insert(id, PendingInvocation { id, function_name: name.to_string(), payload_json });
                Ok(Invocation::Pending(id))
            }
        }
    }

    pub fn pending(&self) -> impl Iterator<Item = &PendingInvocation> {
        self.pending.values()
    }

    /// Removes a pending invocation so its answer can be delivered to the caller.
    pub fn take_pending(&mut self, id: u64) -> Result<PendingInvocation, LambdaError> {
        self.pending.remove(&id).ok_or(LambdaError::NoSuchInvocation(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(datas: &[&[u8]]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        let records: Vec<Value> = datas
            .iter()
            .enumerate()
            .map(|(i, d)| json!({ "recordId": i.to_string(), "approximateArrivalTimestamp": 0, "data": b64.encode(d) }))
            .collect();
        json!({ "invocationId": "x", "records": records }).to_string()
    }

    fn results(b: BuiltIn, datas: &[&[u8]]) -> Vec<(String, Vec<u8>)> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let out: Value = serde_json::from_str(&b.respond(&event(datas)).unwrap()).unwrap();
        out["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["result"].as_str().unwrap().to_string(), b64.decode(r["data"].as_str().unwrap()).unwrap()))
            .collect()
    }

    #[test]
    fn transform_to_json_writes_one_object_per_line() {
        let got = results(BuiltIn::TransformToJson, &[br#"{ "id": 1, "text": "hola" }"#, b"plain tweet\n", &[0xff]]);
        assert_eq!(got[0], ("Ok".into(), b"{\"id\":1,\"text\":\"hola\"}\n".to_vec()));
        assert_eq!(got[1], ("Ok".into(), b"{\"text\":\"plain tweet\"}\n".to_vec()));
        assert_eq!(got[2].0, "ProcessingFailed");
    }

    #[test]
    fn blueprints_pass_filter_and_uppercase() {
        assert_eq!(results(BuiltIn::ProcessRecord, &[b"a"]), [("Ok".into(), b"a".to_vec())]);
        let filtered = results(BuiltIn::FilterJson, &[b"{}", b"nope"]);
        assert_eq!((filtered[0].0.as_str(), filtered[1].0.as_str()), ("Ok", "Dropped"));
        assert_eq!(results(BuiltIn::Uppercase, &[b"hola"]), [("Ok".into(), b"HOLA".to_vec())]);
    }

    #[test]
    fn external_functions_wait_for_the_host() {
        let mut l = LambdaService::new("123456789012", "us-east-1");
        let arn = l.register_external("mine").unwrap();
        assert_eq!(arn, "arn:aws:lambda:us-east-1:123456789012:function:mine");
        assert_eq!(function_name_from_arn(&format!("{arn}:$LATEST")), Some("mine"));
        assert_eq!(function_name_from_arn("mine"), None);
        let Ok(Invocation::Pending(id)) = l.invoke("mine", "{}".into()) else { panic!("expected pending") };
        assert_eq!(l.pending().count(), 1);
        assert_eq!(l.take_pending(id).unwrap().function_name, "mine");
        assert_eq!(l.take_pending(id), Err(LambdaError::NoSuchInvocation(id)));
        assert_eq!(l.invoke("nope", "{}".into()), Err(LambdaError::FunctionNotFound("nope".into())));
        assert!(matches!(l.invoke("transform_to_json", "{}".into()), Ok(Invocation::Answered(Err(LambdaFailure::Unhandled(_))))));
    }

    #[test]
    fn an_injected_fault_fails_invocations_until_removed() {
        let mut l = LambdaService::new("123456789012", "us-east-1");
        l.set_fault("transform_to_json", Some(("fault-1".into(), FunctionFault::Timeouts)));
        assert_eq!(l.invoke("transform_to_json", event(&[b"a"])), Ok(Invocation::Answered(Err(LambdaFailure::Timeout))));
        l.set_fault("transform_to_json", Some(("fault-2".into(), FunctionFault::Errors { percent: 50 })));
        let failed = (0..100).filter(|_| matches!(l.invoke("transform_to_json", event(&[b"a"])), Ok(Invocation::Answered(Err(_))))).count();
        assert!((30..=70).contains(&failed), "about half fail: {failed}");
        assert_eq!(l.failed_by_faults("transform_to_json"), 1 + failed as u64);
        l.set_fault("transform_to_json", None);
        assert!(matches!(l.invoke("transform_to_json", event(&[b"a"])), Ok(Invocation::Answered(Ok(_)))));
    }
}
