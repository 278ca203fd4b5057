//! An object's body as Firehose writes it: an ordered list of segments, each either bytes or
//! references to built-in producers' records, rendered only when someone reads the object
//! (issue 8: a simulated day of delivered records would not fit in a browser tab as bytes).
//! Its size is known without rendering, so listings and metrics never render.

use crate::engine::producers::generator::{Moment, Source};
use crate::engine::streams::record_data::{ReadData, RecordData};
use crate::engine::streams::run::RunSlice;
use crate::engine::streams::shard::Payload;
use crate::engine::streams::sources::{SourceId, Sources};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Records that travel together through Firehose and into an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Bytes as they are: user code, hand-typed, KPL and agent records, transformed or
    /// compressed output. In a buffer one record; in a body, consecutive ones joined.
    Bytes(#[serde(with = "crate::engine::base64_bytes")] Payload),
    /// Records of `source` created at `created_ms`, by index, `bytes` long together: generated
    /// records that arrive one at a time (a GetRecords answer), gathered as they come.
    Records { source: SourceId, created_ms: u64, indexes: Vec<u64>, bytes: u64 },
    /// A shard's run of one PutRecords call, `bytes` long: O(1) whatever its length.
    Run { slice: RunSlice, bytes: u64 },
}

impl Segment {
    /// One record as read: its bytes, or a reference to it when it was generated.
    pub fn record(data: &ReadData) -> Self {
        match (data.stored(), data.has_source()) {
            (RecordData::Generated { source, index, size }, true) => {
                Self::Records { source: *source, created_ms: data.created_ms(), indexes: vec![*index], bytes: u64::from(*size) }
            }
            // Bytes, or a generated record of an unknown source (empty, as it reads).
            _ => Self::Bytes(data.bytes()),
        }
    }

    pub fn len(&self) -> u64 {
        match self {
            Self::Bytes(b) => b.len() as u64,
            Self::Records { bytes, .. } | Self::Run { bytes, .. } => *bytes,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records in the segment (a `Bytes` segment is one record).
    pub fn records(&self) -> u64 {
        match self {
            Self::Bytes(_) => 1,
            Self::Records { indexes, .. } => indexes.len() as u64,
            Self::Run { slice, .. } => u64::from(slice.take),
        }
    }

    /// Takes one more record in when it is generated, of this segment's source and instant.
    pub fn take_record(&mut self, data: &ReadData) -> bool {
        match (self, data.stored()) {
            (Self::Records { source, created_ms, indexes, bytes }, RecordData::Generated { source: s, index, size })
                if data.has_source() && source == s && *created_ms == data.created_ms() =>
            {
                indexes.push(*index);
                *bytes += u64::from(*size);
                true
            }
            _ => false,
        }
    }

    /// Takes `other` in when both are generated records of the same source and instant;
    /// gives it back otherwise.
    pub fn absorb(&mut self, other: Segment) -> Option<Segment> {
        match (self, other) {
            (
                Self::Records { source, created_ms, indexes, bytes },
                Self::Records { source: s, created_ms: c, indexes: more, bytes: b },
            ) if *source == s && *created_ms == c => {
                indexes.extend(more);
                *bytes += b;
                None
            }
            (_, other) => Some(other),
        }
    }

    /// Each record's size, in order; `None` when the segment's source is unknown.
    pub fn sizes<'a>(&'a self, sources: &'a Sources) -> Option<Box<dyn Iterator<Item = u64> + 'a>> {
        Some(match self {
            Self::Bytes(b) => Box::new(std::iter::once(b.len() as u64)),
            Self::Records { source, created_ms, indexes, .. } => {
                let source = sources.get(*source)?;
                Box::new(indexes.iter().map(move |i| u64::from(source.route(*i, *created_ms).size)))
            }
            Self::Run { slice, .. } => {
                let source = sources.get(slice.batch.source)?;
                Box::new(slice.records(&**source).map(|r| u64::from(r.route.size)))
            }
        })
    }

    /// The first `count` records and the rest (`None` when nothing is left); `head_bytes` is
    /// the first part's size, which the caller measured with [`Self::sizes`].
    pub fn split(self, count: u64, head_bytes: u64) -> (Segment, Option<Segment>) {
        if count >= self.records() {
            return (self, None);
        }
        let rest_bytes = self.len() - head_bytes;
        match self {
            Self::Records { source, created_ms, mut indexes, .. } => {
                let rest = indexes.split_off(count as usize);
                (
                    Self::Records { source, created_ms, indexes, bytes: head_bytes },
                    Some(Self::Records { source, created_ms, indexes: rest, bytes: rest_bytes }),
                )
            }
            Self::Run { slice, .. } => {
                let count = count as u32;
                (
                    Self::Run { slice: slice.part(0, count), bytes: head_bytes },
                    Some(Self::Run { slice: slice.part(count, slice.take - count), bytes: rest_bytes }),
                )
            }
            // A one-record segment is never split (count is 0 or 1, handled above).
            bytes @ Self::Bytes(_) => (bytes, None),
        }
    }

    /// Hands each record's bytes to `f` in order, formatting a generated batch's creation
    /// time once for the whole segment. A generated record of an unknown source (only in a
    /// hand-edited world) is left out.
    fn each_record(&self, sources: &Sources, mut f: impl FnMut(&[u8])) {
        let mut generated = |source: &Source, created_ms: u64, indexes: &mut dyn Iterator<Item = u64>| {
            let at = Moment::at(created_ms);
            indexes.for_each(|i| f(&source.render(i, &at)));
        };
        match self {
            Self::Bytes(b) => f(b),
            Self::Records { source, created_ms, indexes, .. } => {
                if let Some(source) = sources.get(*source) {
                    generated(source, *created_ms, &mut indexes.iter().copied());
                }
            }
            Self::Run { slice, .. } => {
                if let Some(source) = sources.get(slice.batch.source) {
                    generated(source, slice.batch.created_ms, &mut slice.records(&**source).map(|r| r.index));
                }
            }
        }
    }

    /// Each record's bytes on its own (for Lambda, format conversion and error records).
    pub fn render_records(&self, sources: &Sources) -> Vec<Payload> {
        let mut records = Vec::new();
        self.each_record(sources, |r| records.push(Payload::from(r)));
        records
    }
}

/// An object's body. Segments are shared, so copying a body to retry a write is O(1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    segments: Rc<[Segment]>,
    len: u64,
}

impl Body {
    /// A body of `segments` in order; consecutive bytes are joined into one segment.
    pub fn of(segments: impl IntoIterator<Item = Segment>) -> Self {
        let mut joined: Vec<Segment> = Vec::new();
        let mut pending: Vec<u8> = Vec::new();
        for segment in segments {
            match segment {
                Segment::Bytes(b) => pending.extend_from_slice(&b),
                other => {
                    if !pending.is_empty() {
                        joined.push(Segment::Bytes(std::mem::take(&mut pending).into()));
                    }
                    joined.push(other);
                }
            }
        }
        if !pending.is_empty() {
            joined.push(Segment::Bytes(pending.into()));
        }
        let len = joined.iter().map(Segment::len).sum();
        Self { segments: joined.into(), len }
    }

    /// Bytes in the object, known without rendering.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The object's bytes, rendered from the world's `sources`; a body of bytes alone is
    /// shared, not copied.
    pub fn bytes(&self, sources: &Sources) -> Payload {
        match &*self.segments {
            [] => Payload::from(Vec::new()),
            [Segment::Bytes(b)] => Rc::clone(b),
            segments => {
                let mut out = Vec::with_capacity(self.len as usize);
                segments.iter().for_each(|s| s.each_record(sources, |r| out.extend_from_slice(r)));
                out.into()
            }
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self::of([Segment::Bytes(bytes.into())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::producers::generator::RecordKind;
    use crate::engine::producers::keys::KeyStrategy;
    use crate::engine::streams::hashing::HashKeyRange;
    use crate::engine::streams::run::Batch;

    const T0: u64 = 1_767_225_600_000;

    fn world() -> (Sources, SourceId) {
        let mut sources = Sources::default();
        let id = sources.register(Source { kind: RecordKind::Tweets, seed: 7, keys: KeyStrategy::Natural, use_alternate: false, min_size: 0 });
        (sources, id)
    }

    fn rendered(sources: &Sources, id: SourceId, created_ms: u64, indexes: &[u64]) -> Vec<u8> {
        let source = sources.get(id).unwrap();
        indexes.iter().flat_map(|i| source.render(*i, &Moment::at(created_ms))).collect()
    }

    fn generated(sources: &Sources, id: SourceId, index: u64, created_ms: u64) -> Segment {
        let size = sources.get(id).unwrap().route(index, created_ms).size;
        Segment::record(&ReadData::new(&RecordData::Generated { source: id, index, size }, created_ms, sources))
    }

    #[test]
    fn a_body_renders_its_segments_in_order_and_knows_its_size_without_rendering() {
        let (sources, id) = world();
        let mut records = generated(&sources, id, 3, T0);
        assert_eq!(records.absorb(generated(&sources, id, 5, T0)), None, "same source and instant: gathered");
        assert!(!records.take_record(&ReadData::from(b"bytes".to_vec())), "bytes stay apart");
        let later = generated(&sources, id, 6, T0 + 1);
        assert_eq!(records.absorb(later.clone()), Some(later.clone()), "another instant: a new segment");
        let body = Body::of([Segment::Bytes(b"head\n".to_vec().into()), Segment::Bytes(b"more\n".to_vec().into()), records, later]);
        let mut want = b"head\nmore\n".to_vec();
        want.extend(rendered(&sources, id, T0, &[3, 5]));
        want.extend(rendered(&sources, id, T0 + 1, &[6]));
        assert_eq!(body.len(), want.len() as u64);
        assert_eq!(&*body.bytes(&sources), &want[..]);
        assert_eq!(body.segments.len(), 3, "consecutive bytes joined");
    }

    #[test]
    fn a_run_renders_the_shards_records_and_splits_at_any_record() {
        let (sources, id) = world();
        let batch = Batch { source: id, created_ms: T0, first: 100, len: 40 };
        let half = HashKeyRange { start: 0, end: u128::MAX / 2 };
        let slice = RunSlice { batch, range: half, skip: 1, take: 8 };
        let source = &**sources.get(id).unwrap();
        let indexes: Vec<u64> = slice.records(source).map(|r| r.index).collect();
        assert_eq!(indexes.len(), 8);
        let bytes: u64 = slice.records(source).map(|r| u64::from(r.route.size)).sum();
        let run = Segment::Run { slice, bytes };
        assert_eq!(run.records(), 8);
        assert_eq!(&*Body::of([run.clone()]).bytes(&sources), &rendered(&sources, id, T0, &indexes)[..]);
        let head_bytes: u64 = run.sizes(&sources).unwrap().take(3).sum();
        let (head, rest) = run.split(3, head_bytes);
        let rest = rest.unwrap();
        assert_eq!((head.records(), rest.records(), head.len() + rest.len()), (3, 5, bytes));
        assert_eq!(&*Body::of([rest]).bytes(&sources), &rendered(&sources, id, T0, &indexes[3..])[..]);
        let each = head.render_records(&sources);
        assert_eq!(each.iter().map(|r| r.to_vec()).collect::<Vec<_>>(), indexes[..3].iter().map(|i| rendered(&sources, id, T0, &[*i])).collect::<Vec<_>>());
    }

    #[test]
    fn bodies_round_trip_through_json() {
        let (sources, id) = world();
        let body = Body::of([Segment::Bytes(b"x".to_vec().into()), generated(&sources, id, 1, T0)]);
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(serde_json::from_str::<Body>(&json).unwrap(), body);
    }
}
