//! Buffering as Firehose does it: records collect per destination prefix until the oldest one
//! has waited `IntervalInSeconds` or the bytes reach `SizeInMBs` (counted before compression),
//! whichever comes first. The Lambda processor has its own, smaller buffer with the same logic.

use crate::engine::s3::Segment;
use crate::engine::streams::sources::Sources;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Firehose's "MB" in buffering hints is a mebibyte.
pub const MIB: u64 = 1_048_576;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum BufferingError {
    #[error("BufferingHints: SizeInMBs and IntervalInSeconds must be set together; got only {0}")]
    OnlyOneHint(&'static str),
    #[error("SizeInMBs must be {min} to 128; got {got}")]
    SizeOutOfRange { got: u32, min: u32 },
    #[error("IntervalInSeconds must be 0 to 900; got {0}")]
    IntervalOutOfRange(u32),
    #[error("Lambda processor BufferSizeInMBs must be 0.2 to 3; got {0}")]
    LambdaSizeOutOfRange(f64),
    #[error("Lambda processor BufferIntervalInSeconds must be 0 to 900; got {0}")]
    LambdaIntervalOutOfRange(u32),
}

/// The thresholds one buffer flushes at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BufferLimits {
    pub size_bytes: u64,
    pub interval_ms: u64,
}

/// The destination's `BufferingHints`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BufferingHints {
    pub size_in_mbs: u32,
    pub interval_in_seconds: u32,
}

impl BufferingHints {
    pub const DEFAULT: Self = Self { size_in_mbs: 5, interval_in_seconds: 300 };
    /// With record format conversion the size floor is 64 MiB and the default 128 MiB; AWS
    /// applies the same floor to dynamic partitioning.
    pub const CONVERSION_DEFAULT: Self = Self { size_in_mbs: 128, interval_in_seconds: 300 };
    const CONVERSION_MIN_MBS: u32 = 64;

    /// `large_buffers` is true when format conversion or dynamic partitioning is on.
    pub fn new(size_in_mbs: Option<u32>, interval_in_seconds: Option<u32>, large_buffers: bool) -> Result<Self, BufferingError> {
        let (size, interval) = match (size_in_mbs, interval_in_seconds) {
            (None, None) if large_buffers => return Ok(Self::CONVERSION_DEFAULT),
            (None, None) => return Ok(Self::DEFAULT),
            (Some(_), None) => return Err(BufferingError::OnlyOneHint("SizeInMBs")),
            (None, Some(_)) => return Err(BufferingError::OnlyOneHint("IntervalInSeconds")),
            (Some(s), Some(i)) => (s, i),
        };
        let min = if large_buffers { Self::CONVERSION_MIN_MBS } else { 1 };
        if !(min..=128).contains(&size) {
            return Err(BufferingError::SizeOutOfRange { got: size, min });
        }
        if interval > 900 {
            return Err(BufferingError::IntervalOutOfRange(interval));
        }
        Ok(Self { size_in_mbs: size, interval_in_seconds: interval })
    }

    pub fn limits(&self) -> BufferLimits {
        BufferLimits { size_bytes: u64::from(self.size_in_mbs) * MIB, interval_ms: u64::from(self.interval_in_seconds) * 1000 }
    }
}

/// The Lambda processor's `BufferSizeInMBs` / `BufferIntervalInSeconds`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LambdaBufferHints {
    pub size_in_mbs: f64,
    pub interval_in_seconds: u32,
}

impl LambdaBufferHints {
    pub const DEFAULT: Self = Self { size_in_mbs: 1.0, interval_in_seconds: 60 };

    pub fn new(size_in_mbs: Option<f64>, interval_in_seconds: Option<u32>) -> Result<Self, BufferingError> {
        let size = size_in_mbs.unwrap_or(Self::DEFAULT.size_in_mbs);
        let interval = interval_in_seconds.unwrap_or(Self::DEFAULT.interval_in_seconds);
        // Written as a negated range so NaN is refused too.
        if !(0.2..=3.0).contains(&size) {
            return Err(BufferingError::LambdaSizeOutOfRange(size));
        }
        if interval > 900 {
            return Err(BufferingError::LambdaIntervalOutOfRange(interval));
        }
        Ok(Self { size_in_mbs: size, interval_in_seconds: interval })
    }

    pub fn limits(&self) -> BufferLimits {
        BufferLimits { size_bytes: (self.size_in_mbs * MIB as f64).round() as u64, interval_ms: u64::from(self.interval_in_seconds) * 1000 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlushTrigger {
    Size,
    Interval,
}

/// One record's bytes and when it arrived, as Lambda, format conversion and error records
/// take them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferedRecord {
    pub data: Vec<u8>,
    pub arrival_ms: u64,
}

/// Records that arrived together at `arrival_ms`, kept as they came (bytes or references).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buffered {
    pub segment: Segment,
    pub arrival_ms: u64,
}

impl Buffered {
    /// Each record's bytes (rendered when generated).
    pub fn render_records(taken: &[Buffered], sources: &Sources) -> Vec<BufferedRecord> {
        taken
            .iter()
            .flat_map(|b| b.segment.render_records(sources).into_iter().map(|data| BufferedRecord { data: data.to_vec(), arrival_ms: b.arrival_ms }))
            .collect()
    }
}

/// What the UI draws for one buffer: how full, how old, which threshold is closer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BufferProgress {
    pub bytes: u64,
    pub size_limit_bytes: u64,
    pub age_ms: u64,
    pub interval_ms: u64,
    /// bytes / size limit, in [0, 1].
    pub size_fraction: f64,
    /// age / interval, in [0, 1]; 1 for a non-empty buffer with interval 0.
    pub age_fraction: f64,
    /// The threshold nearer to firing (ties go to the interval, which the clock will reach
    /// without more records). `None` when the buffer is empty.
    pub nearer: Option<FlushTrigger>,
}

/// Records waiting for one destination prefix (one "active partition"). Generated records
/// that arrive together are gathered into one segment, so a buffer costs little per record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buffer {
    limits: BufferLimits,
    entries: Vec<Buffered>,
    records: u64,
    bytes: u64,
    /// The earliest arrival among `records`, kept on push: the interval check runs after
    /// every batch, and scanning a large buffer each time made buffering quadratic.
    oldest_ms: Option<u64>,
}

impl Buffer {
    pub fn new(limits: BufferLimits) -> Self {
        Self { limits, entries: Vec::new(), records: 0, bytes: 0, oldest_ms: None }
    }

    /// Adds records, whatever their number, in O(1) (amortised).
    pub fn push(&mut self, segment: Segment, arrival_ms: u64) {
        self.bytes += segment.len();
        self.records += segment.records();
        self.oldest_ms = Some(self.oldest_ms.map_or(arrival_ms, |t| t.min(arrival_ms)));
        let segment = match self.entries.last_mut() {
            Some(last) if last.arrival_ms == arrival_ms => last.segment.absorb(segment),
            _ => Some(segment),
        };
        if let Some(segment) = segment {
            self.entries.push(Buffered { segment, arrival_ms });
        }
    }

    /// Where in `segment`, arriving at `arrival_ms`, a flush falls due at `now_ms` if its
    /// records were added one by one: the records and bytes up to and including the one that
    /// reaches the size or finds the interval passed; `None` when all fit. Sizes are looked at
    /// record by record only when the segment reaches the size limit.
    pub fn due_within(&self, segment: &Segment, arrival_ms: u64, now_ms: u64, sources: &Sources) -> Option<(u64, u64)> {
        let oldest = self.oldest_ms.map_or(arrival_ms, |t| t.min(arrival_ms));
        let interval_passed = oldest.saturating_add(self.limits.interval_ms) <= now_ms;
        if !interval_passed && self.bytes + segment.len() < self.limits.size_bytes {
            return None;
        }
        let mut bytes = 0;
        for (i, size) in segment.sizes(sources)?.enumerate() {
            bytes += size;
            if interval_passed || self.bytes + bytes >= self.limits.size_bytes {
                return Some((i as u64 + 1, bytes));
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.records as usize
    }

    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Names and prefixes of the delivered object use this instant.
    pub fn oldest_arrival_ms(&self) -> Option<u64> {
        self.oldest_ms
    }

    /// When the interval fires if no size flush comes first; the scheduler wakes then.
    pub fn interval_due_ms(&self) -> Option<u64> {
        self.oldest_arrival_ms().map(|t| t.saturating_add(self.limits.interval_ms))
    }

    /// Which threshold, if any, says the buffer must be delivered now. Size wins when both hold.
    pub fn flush_due(&self, now_ms: u64) -> Option<FlushTrigger> {
        if self.is_empty() {
            None
        } else if self.bytes >= self.limits.size_bytes {
            Some(FlushTrigger::Size)
        } else if self.interval_due_ms().is_some_and(|due| now_ms >= due) {
            Some(FlushTrigger::Interval)
        } else {
            None
        }
    }

    pub fn progress(&self, now_ms: u64) -> BufferProgress {
        let age_ms = self.oldest_arrival_ms().map_or(0, |t| now_ms.saturating_sub(t));
        let fraction = |have: u64, limit: u64| if limit == 0 { 1.0 } else { (have as f64 / limit as f64).min(1.0) };
        let size_fraction = if self.is_empty() { 0.0 } else { fraction(self.bytes, self.limits.size_bytes) };
        let age_fraction = if self.is_empty() { 0.0 } else { fraction(age_ms, self.limits.interval_ms) };
        let nearer = match self.is_empty() {
            true => None,
            false if size_fraction > age_fraction => Some(FlushTrigger::Size),
            false => Some(FlushTrigger::Interval),
        };
        BufferProgress {
            bytes: self.bytes,
            size_limit_bytes: self.limits.size_bytes,
            age_ms,
            interval_ms: self.limits.interval_ms,
            size_fraction,
            age_fraction,
            nearer,
        }
    }

    /// Empties the buffer for delivery, oldest record first.
    pub fn take(&mut self) -> Vec<Buffered> {
        self.bytes = 0;
        self.records = 0;
        self.oldest_ms = None;
        std::mem::take(&mut self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_767_225_600_000;

    fn bytes(data: &[u8]) -> Segment {
        Segment::Bytes(data.to_vec().into())
    }

    fn buffer(size_in_mbs: u32, interval_in_seconds: u32) -> Buffer {
        Buffer::new(BufferingHints::new(Some(size_in_mbs), Some(interval_in_seconds), false).unwrap().limits())
    }

    #[test]
    fn hints_default_and_ranges() {
        assert_eq!(BufferingHints::new(None, None, false), Ok(BufferingHints::DEFAULT));
        assert_eq!(BufferingHints::DEFAULT.limits(), BufferLimits { size_bytes: 5 * MIB, interval_ms: 300_000 });
        assert!(BufferingHints::new(Some(1), Some(0), false).is_ok());
        assert!(BufferingHints::new(Some(128), Some(900), false).is_ok());
        assert_eq!(BufferingHints::new(Some(0), Some(60), false), Err(BufferingError::SizeOutOfRange { got: 0, min: 1 }));
        assert!(BufferingHints::new(Some(129), Some(60), false).is_err());
        assert_eq!(BufferingHints::new(Some(5), Some(901), false), Err(BufferingError::IntervalOutOfRange(901)));
    }

    #[test]
    fn hints_come_in_pairs() {
        let err = BufferingHints::new(Some(5), None, false).unwrap_err();
        assert_eq!(err.to_string(), "BufferingHints: SizeInMBs and IntervalInSeconds must be set together; got only SizeInMBs");
        assert_eq!(BufferingHints::new(None, Some(60), false), Err(BufferingError::OnlyOneHint("IntervalInSeconds")));
    }

    #[test]
    fn format_conversion_needs_64_mib_and_defaults_to_128() {
        assert_eq!(BufferingHints::new(None, None, true), Ok(BufferingHints::CONVERSION_DEFAULT));
        assert_eq!(BufferingHints::new(Some(63), Some(60), true), Err(BufferingError::SizeOutOfRange { got: 63, min: 64 }));
        assert!(BufferingHints::new(Some(64), Some(60), true).is_ok());
        assert_eq!(BufferingHints::new(Some(63), Some(60), true).unwrap_err().to_string(), "SizeInMBs must be 64 to 128; got 63");
    }

    #[test]
    fn lambda_buffer_hints() {
        assert_eq!(LambdaBufferHints::new(None, None), Ok(LambdaBufferHints::DEFAULT));
        assert_eq!(LambdaBufferHints::DEFAULT.limits(), BufferLimits { size_bytes: MIB, interval_ms: 60_000 });
        assert_eq!(LambdaBufferHints::new(Some(0.2), Some(0)).unwrap().limits().size_bytes, 209_715);
        assert!(LambdaBufferHints::new(Some(3.0), Some(900)).is_ok());
        assert!(LambdaBufferHints::new(Some(0.1), None).is_err());
        assert!(LambdaBufferHints::new(Some(3.01), None).is_err());
        assert!(LambdaBufferHints::new(Some(f64::NAN), None).is_err());
        assert_eq!(LambdaBufferHints::new(None, Some(901)), Err(BufferingError::LambdaIntervalOutOfRange(901)));
    }

    #[test]
    fn size_fires_at_exactly_the_limit_not_a_byte_before() {
        let mut b = buffer(1, 900);
        b.push(bytes(&vec![0; (MIB - 1) as usize]), T0);
        assert_eq!(b.flush_due(T0), None);
        b.push(bytes(&[0]), T0);
        assert_eq!(b.flush_due(T0), Some(FlushTrigger::Size));
    }

    #[test]
    fn interval_fires_at_exactly_the_age_not_a_ms_before() {
        let mut b = buffer(5, 60);
        b.push(bytes(b"x"), T0);
        b.push(bytes(b"y"), T0 + 30_000);
        assert_eq!(b.interval_due_ms(), Some(T0 + 60_000));
        assert_eq!(b.flush_due(T0 + 59_999), None);
        assert_eq!(b.flush_due(T0 + 60_000), Some(FlushTrigger::Interval));
    }

    #[test]
    fn interval_zero_flushes_every_record_at_once() {
        let mut b = buffer(5, 0);
        assert_eq!(b.flush_due(T0), None, "an empty buffer never flushes");
        b.push(bytes(b"x"), T0);
        assert_eq!(b.flush_due(T0), Some(FlushTrigger::Interval));
    }

    #[test]
    fn take_empties_and_keeps_order() {
        let mut b = buffer(5, 60);
        b.push(bytes(b"a"), T0);
        b.push(bytes(b"bc"), T0 + 1);
        assert_eq!((b.len(), b.bytes(), b.oldest_arrival_ms()), (2, 3, Some(T0)));
        let taken = b.take();
        let records = Buffered::render_records(&taken, &Sources::default());
        assert_eq!(records.iter().map(|r| (r.data.as_slice(), r.arrival_ms)).collect::<Vec<_>>(), [(&b"a"[..], T0), (&b"bc"[..], T0 + 1)]);
        assert!(b.is_empty());
        assert_eq!((b.bytes(), b.flush_due(T0 + 1_000_000)), (0, None));
    }

    #[test]
    fn the_oldest_arrival_is_kept_as_records_come_in_any_order() {
        let mut b = buffer(5, 60);
        for at in [T0 + 5, T0 + 3, T0 + 7] {
            b.push(bytes(b"x"), at);
        }
        assert_eq!(b.oldest_arrival_ms(), Some(T0 + 3));
        assert_eq!(b.flush_due(T0 + 60_002), None);
        assert_eq!(b.flush_due(T0 + 60_003), Some(FlushTrigger::Interval));
        b.take();
        assert_eq!(b.oldest_arrival_ms(), None);
        b.push(bytes(b"y"), T0 + 9);
        assert_eq!(b.oldest_arrival_ms(), Some(T0 + 9), "a taken buffer starts over");
    }

    #[test]
    fn progress_says_which_threshold_is_nearer() {
        let mut b = buffer(1, 100);
        assert_eq!(b.progress(T0).nearer, None);
        b.push(bytes(&vec![0; (MIB / 2) as usize]), T0);
        let p = b.progress(T0 + 10_000);
        assert_eq!((p.size_fraction, p.age_fraction, p.nearer), (0.5, 0.1, Some(FlushTrigger::Size)));
        let later = b.progress(T0 + 80_000);
        assert_eq!((later.age_ms, later.nearer), (80_000, Some(FlushTrigger::Interval)));
    }
}
