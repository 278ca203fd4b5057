//! The KPL aggregation wire format, byte for byte as the KPL writes it and the KCL (and the
//! `aws-kinesis-agg` libraries) read it: magic `F3 89 9A C2`, a protobuf `AggregatedRecord`,
//! then the MD5 of the protobuf bytes.

use md5::{Digest, Md5};
use prost::Message;

pub const MAGIC: [u8; 4] = [0xF3, 0x89, 0x9A, 0xC2];
const DIGEST_LEN: usize = 16;
/// The KPL's default `AggregationMaxSize`: an aggregate stays under 50 KB.
pub const AGGREGATION_MAX_SIZE: usize = 51_200;

#[derive(Clone, PartialEq, prost::Message)]
pub struct AggregatedRecord {
    #[prost(string, repeated, tag = "1")]
    pub partition_key_table: Vec<String>,
    #[prost(string, repeated, tag = "2")]
    pub explicit_hash_key_table: Vec<String>,
    #[prost(message, repeated, tag = "3")]
    pub records: Vec<Record>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Record {
    #[prost(uint64, required, tag = "1")]
    pub partition_key_index: u64,
    #[prost(uint64, optional, tag = "2")]
    pub explicit_hash_key_index: Option<u64>,
    #[prost(bytes = "vec", required, tag = "3")]
    pub data: Vec<u8>,
    #[prost(message, repeated, tag = "4")]
    pub tags: Vec<Tag>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Tag {
    #[prost(string, required, tag = "1")]
    pub key: String,
    #[prost(string, optional, tag = "2")]
    pub value: Option<String>,
}

/// One user record inside (or out of) an aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubRecord {
    pub partition_key: String,
    pub explicit_hash_key: Option<String>,
    pub data: Vec<u8>,
}

/// Packs user records into one aggregate. Keys are deduplicated in the table, as the KPL
/// does (the format allows either).
pub fn aggregate<'a>(records: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut message = AggregatedRecord::default();
    for (key, data) in records {
        let index = match message.partition_key_table.iter().position(|k| k == key) {
            Some(i) => i,
            None => {
                message.partition_key_table.push(key.to_string());
                message.partition_key_table.len() - 1
            }
        };
        message.records.push(Record { partition_key_index: index as u64, explicit_hash_key_index: None, data: data.to_vec(), tags: Vec::new() });
    }
    let body = message.encode_to_vec();
    let mut out = Vec::with_capacity(MAGIC.len() + body.len() + DIGEST_LEN);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&body);
    out.extend_from_slice(&Md5::digest(&body));
    out
}

/// Encoded size of one more record (`data_len` bytes) with a new key (`key_len` bytes): the
/// protobuf framing of the record (tag, length, index, data) and of its key in the table. An
/// upper bound, so aggregates never exceed the limit they were built for.
pub fn added_size(key_len: usize, data_len: usize) -> usize {
    let varint = |n: usize| (usize::BITS - n.max(1).leading_zeros()).div_ceil(7) as usize;
    // A key index takes at most 3 varint bytes for tables of up to 2 million keys.
    let record = 1 + 3 + 1 + varint(data_len) + data_len;
    1 + varint(record) + record + 1 + varint(key_len) + key_len
}

/// Empty aggregate: magic plus digest.
pub const OVERHEAD: usize = MAGIC.len() + DIGEST_LEN;

/// The user records inside `blob`, or `None` when it is not an aggregate (then the blob is
/// itself one user record). Follows the KCL's checks: magic, length, digest, protobuf, and
/// every key index inside its table.
pub fn deaggregate(blob: &[u8]) -> Option<Vec<SubRecord>> {
    if blob.len() <= MAGIC.len() + DIGEST_LEN || blob[..MAGIC.len()] != MAGIC {
        return None;
    }
    let (body, digest) = blob[MAGIC.len()..].split_at(blob.len() - MAGIC.len() - DIGEST_LEN);
    if Md5::digest(body).as_slice() != digest {
        return None;
    }
    let message = AggregatedRecord::decode(body).ok()?;
    message
        .records
        .into_iter()
        .map(|r| {
            let partition_key = message.partition_key_table.get(usize::try_from(r.partition_key_index).ok()?)?.clone();
            let explicit_hash_key = match r.explicit_hash_key_index {
                Some(i) => Some(message.explicit_hash_key_table.get(usize::try_from(i).ok()?)?.clone()),
                None => None,
            };
            Some(SubRecord { partition_key, explicit_hash_key, data: r.data })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kpl_aggregated_records_round_trip() {
        let users = [("alice", b"one".as_slice()), ("bob", b"two"), ("alice", b"three"), ("carol", b"")];
        let blob = aggregate(users);
        assert_eq!(blob[..4], [0xF3, 0x89, 0x9A, 0xC2]);
        let body = &blob[4..blob.len() - 16];
        assert_eq!(&blob[blob.len() - 16..], Md5::digest(body).as_slice());
        let parsed = AggregatedRecord::decode(body).unwrap();
        assert_eq!(parsed.partition_key_table, vec!["alice", "bob", "carol"], "keys deduplicated, first-seen order");
        let back = deaggregate(&blob).unwrap();
        let pairs: Vec<(&str, &[u8])> = back.iter().map(|r| (r.partition_key.as_str(), r.data.as_slice())).collect();
        assert_eq!(pairs, users);
    }

    #[test]
    fn plain_or_corrupt_blobs_are_not_aggregates() {
        assert_eq!(deaggregate(b"{\"plain\":1}"), None);
        let mut blob = aggregate([("k", b"v".as_slice())]);
        let last = blob.len() - 1;
        blob[last] ^= 1;
        assert_eq!(deaggregate(&blob), None, "digest mismatch");
        assert_eq!(deaggregate(&MAGIC), None);
    }

    #[test]
    fn added_size_bounds_the_encoding() {
        let mut records: Vec<(String, Vec<u8>)> = Vec::new();
        let mut estimate = OVERHEAD;
        for i in 0..300usize {
            let (k, d) = (format!("key-{i}"), vec![b'x'; i * 7]);
            estimate += added_size(k.len(), d.len());
            records.push((k, d));
            let blob = aggregate(records.iter().map(|(k, d)| (k.as_str(), d.as_slice())));
            assert!(blob.len() <= estimate, "{} > {estimate}", blob.len());
        }
    }
}
