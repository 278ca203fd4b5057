//! A stored record's data: bytes as a caller sent them, or a reference to a built-in
//! producer's record, rendered only when someone reads it (issue 8: a simulated day of
//! records would not fit in a browser tab as bytes).

use super::aggregate_ref::AggregateRef;
use super::shard::Payload;
use super::sources::{SourceId, Sources};
use crate::engine::producers::generator::{Moment, Source};
use serde::{Deserialize, Deserializer, Serialize};
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordData {
    /// Hand-typed, user code (its KPL aggregates too), agent lines: stored as they are.
    Bytes(#[serde(with = "crate::engine::base64_bytes")] Payload),
    /// Record `index` of the world's source `source`, `size` bytes long once rendered.
    Generated { source: SourceId, index: u64, size: u32 },
    /// A KPL producer's aggregate of generated records.
    Aggregate(AggregateRef),
}

impl RecordData {
    pub fn len(&self) -> usize {
        match self {
            Self::Bytes(b) => b.len(),
            Self::Generated { size, .. } => *size as usize,
            Self::Aggregate(a) => a.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Vec<u8>> for RecordData {
    fn from(bytes: Vec<u8>) -> Self {
        Self::Bytes(bytes.into())
    }
}

/// A record's data as a reader gets it: what was stored, when the record was created and, for
/// a generated record, its source, so the readers that want bytes (GetRecords' JSON, Firehose,
/// Lambda) render them and those that only count and order records (KCL and polling
/// bookkeeping) never do.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadData {
    data: RecordData,
    created_ms: u64,
    /// `None` for bytes, and for a generated record whose source is unknown (only possible in a
    /// hand-edited world), which reads as empty.
    source: Option<Rc<Source>>,
}

impl ReadData {
    /// `data` as read from a world with `sources`.
    pub fn new(data: &RecordData, created_ms: u64, sources: &Sources) -> Self {
        let source = match data {
            RecordData::Bytes(_) => None,
            RecordData::Generated { source, .. } => sources.get(*source).map(Rc::clone),
            RecordData::Aggregate(a) => sources.get(a.source).map(Rc::clone),
        };
        Self { data: data.clone(), created_ms, source }
    }

    /// Record `index` of `source` (whose id is `id`), `size` bytes once rendered.
    pub fn generated(id: SourceId, index: u64, size: u32, created_ms: u64, source: Rc<Source>) -> Self {
        Self { data: RecordData::Generated { source: id, index, size }, created_ms, source: Some(source) }
    }

    pub fn bytes(&self) -> Payload {
        match (&self.data, &self.source) {
            (RecordData::Bytes(b), _) => Rc::clone(b),
            (RecordData::Generated { index, .. }, Some(source)) => source.render(*index, &Moment::at(self.created_ms)).into(),
            (RecordData::Aggregate(a), Some(source)) => a.render(source).into(),
            (RecordData::Generated { .. } | RecordData::Aggregate(_), None) => Rc::from(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// What was stored: bytes, or which generated record.
    pub fn stored(&self) -> &RecordData {
        &self.data
    }

    /// When the record was created (a generated record renders with this instant).
    pub fn created_ms(&self) -> u64 {
        self.created_ms
    }

    /// Whether a generated record's source is known, so that it renders as itself.
    pub fn has_source(&self) -> bool {
        self.source.is_some()
    }

    /// The bytes when they were stored as bytes: only those can be a KPL aggregate.
    pub fn stored_bytes(&self) -> Option<&[u8]> {
        match &self.data {
            RecordData::Bytes(b) => Some(b),
            RecordData::Generated { .. } | RecordData::Aggregate(_) => None,
        }
    }

    /// A referenced KPL aggregate and the source its records come from.
    pub fn aggregate(&self) -> Option<(&AggregateRef, &Rc<Source>)> {
        match (&self.data, &self.source) {
            (RecordData::Aggregate(a), Some(source)) => Some((a, source)),
            _ => None,
        }
    }
}

impl From<Vec<u8>> for ReadData {
    fn from(bytes: Vec<u8>) -> Self {
        Self { data: bytes.into(), created_ms: 0, source: None }
    }
}

/// Written as AWS writes blobs: base64 of the (rendered) bytes.
impl Serialize for ReadData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::engine::base64_bytes::serialize(&self.bytes(), s)
    }
}

/// Read back as the bytes it was written as.
impl<'de> Deserialize<'de> for ReadData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::engine::base64_bytes::deserialize::<Vec<u8>, D>(d).map(Self::from)
    }
}
