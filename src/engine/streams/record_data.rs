//! A stored record's data: bytes as a caller sent them, or a reference to a built-in
//! producer's record, rendered only when someone reads it (issue 8: a simulated day of
//! records would not fit in a browser tab as bytes).

use super::shard::{as_base64, Payload};
use crate::engine::producers::generator::{Moment, Source};
use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize};
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordData {
    /// Hand-typed, user code, KPL aggregates, agent lines: stored as they are.
    Bytes(#[serde(serialize_with = "as_base64", deserialize_with = "from_base64")] Payload),
    /// Record `index` of a built-in producer, `size` bytes long once rendered.
    Generated { source: Rc<Source>, index: u64, size: u32 },
}

fn from_base64<'de, D: Deserializer<'de>>(d: D) -> Result<Payload, D::Error> {
    let text = String::deserialize(d)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(serde::de::Error::custom)?;
    Ok(bytes.into())
}

impl RecordData {
    pub fn len(&self) -> usize {
        match self {
            Self::Bytes(b) => b.len(),
            Self::Generated { size, .. } => *size as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, rendered for a generated record created (and stored) at `created_ms`.
    pub fn bytes(&self, created_ms: u64) -> Payload {
        match self {
            Self::Bytes(b) => b.clone(),
            Self::Generated { source, index, .. } => source.render(*index, &Moment::at(created_ms)).into(),
        }
    }
}

impl From<Vec<u8>> for RecordData {
    fn from(bytes: Vec<u8>) -> Self {
        Self::Bytes(bytes.into())
    }
}

/// A record's data as a reader gets it: what was stored and when the record was created, so
/// the readers that want bytes (GetRecords' JSON, Firehose, Lambda) render them and those that
/// only count and order records (KCL and polling bookkeeping) never do.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadData {
    data: RecordData,
    created_ms: u64,
}

impl ReadData {
    pub fn new(data: RecordData, created_ms: u64) -> Self {
        Self { data, created_ms }
    }

    pub fn bytes(&self) -> Payload {
        self.data.bytes(self.created_ms)
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The bytes when they were stored as bytes: only those can be a KPL aggregate.
    pub fn stored_bytes(&self) -> Option<&[u8]> {
        match &self.data {
            RecordData::Bytes(b) => Some(b),
            RecordData::Generated { .. } => None,
        }
    }
}

impl From<Vec<u8>> for ReadData {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes.into(), 0)
    }
}

/// Written as AWS writes blobs: base64 of the (rendered) bytes.
impl Serialize for ReadData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        as_base64(&self.bytes(), s)
    }
}
