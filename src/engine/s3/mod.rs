//! In-memory Amazon S3: buckets and objects, listed the way ListObjectsV2 lists them.
//!
//! Firehose writes here and the UI browses it folder by folder (`prefix` + `delimiter = "/"`),
//! so listing follows S3's rules: keys in UTF-8 binary (lexicographic) order, keys sharing a
//! prefix up to the next delimiter rolled up into one common prefix.

use crate::engine::streams::shard::Payload;
use crate::engine::streams::sources::Sources;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

mod body;

pub use body::{Body, Segment};

/// S3's key limit: 1,024 bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum S3Error {
    #[error("The specified bucket is not valid. Bucket name `{name}`: {reason}")]
    InvalidBucketName { name: String, reason: &'static str },
    #[error("Your previous request to create the named bucket succeeded and you already own it.")]
    BucketAlreadyOwnedByYou { bucket: String },
    #[error("The specified bucket does not exist")]
    NoSuchBucket { bucket: String },
    #[error("The specified key does not exist.")]
    NoSuchKey { key: String },
    #[error("The bucket you tried to delete is not empty")]
    BucketNotEmpty { bucket: String },
    #[error("Your key is too long: {len} bytes; keys may be 1 to 1024 bytes of UTF-8")]
    KeyTooLongError { len: usize },
}

impl S3Error {
    /// The AWS error code (`<Code>` in S3's XML errors).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidBucketName { .. } => "InvalidBucketName",
            Self::BucketAlreadyOwnedByYou { .. } => "BucketAlreadyOwnedByYou",
            Self::NoSuchBucket { .. } => "NoSuchBucket",
            Self::NoSuchKey { .. } => "NoSuchKey",
            Self::BucketNotEmpty { .. } => "BucketNotEmpty",
            Self::KeyTooLongError { .. } => "KeyTooLongError",
        }
    }
}

/// Checks AWS's general-purpose bucket naming rules.
pub fn validate_bucket_name(name: &str) -> Result<(), S3Error> {
    let invalid = |reason| Err(S3Error::InvalidBucketName { name: name.to_string(), reason });
    let len = name.len();
    if !(3..=63).contains(&len) {
        return invalid("bucket names must be 3 to 63 characters long");
    }
    if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-') {
        return invalid("bucket names may contain only lowercase letters, digits, dots and hyphens");
    }
    let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !edge_ok(name.as_bytes()[0]) || !edge_ok(name.as_bytes()[len - 1]) {
        return invalid("bucket names must begin and end with a letter or digit");
    }
    if name.contains("..") {
        return invalid("bucket names must not contain two adjacent periods");
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return invalid("bucket names must not be formatted as an IP address");
    }
    if ["xn--", "sthree-", "amzn-s3-demo-"].iter().any(|p| name.starts_with(p)) {
        return invalid("bucket names must not start with xn--, sthree- or amzn-s3-demo-");
    }
    if ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].iter().any(|s| name.ends_with(s)) {
        return invalid("bucket names must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3");
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3Object {
    pub key: String,
    pub body: Body,
    /// Virtual ms since the epoch.
    pub last_modified_ms: u64,
    pub content_type: String,
    pub content_encoding: Option<String>,
}

impl S3Object {
    pub fn size(&self) -> u64 {
        self.body.len()
    }

    /// What GetObject returns: the body rendered from the world's `sources`.
    pub fn bytes(&self, sources: &Sources) -> Payload {
        self.body.bytes(sources)
    }
}

/// What a PutObject carries besides bucket and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutObject {
    pub body: Body,
    pub content_type: String,
    pub content_encoding: Option<String>,
}

impl PutObject {
    /// A body with S3's default content type.
    pub fn bytes(body: Vec<u8>) -> Self {
        Self { body: body.into(), content_type: "application/octet-stream".into(), content_encoding: None }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub created_ms: u64,
    objects: BTreeMap<String, S3Object>,
}

impl Bucket {
    pub fn totals(&self) -> Totals {
        Totals {
            objects: self.objects.len() as u64,
            bytes: self.objects.values().map(S3Object::size).sum(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub objects: u64,
    pub bytes: u64,
}

/// One entry of `Contents` in a ListObjectsV2 answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectSummary {
    pub key: String,
    pub size: u64,
    pub last_modified_ms: u64,
}

/// A ListObjectsV2 answer: objects directly under the prefix, and the "folders" below it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub contents: Vec<ObjectSummary>,
    pub common_prefixes: Vec<String>,
}

impl Listing {
    /// `KeyCount`: S3 counts both objects and common prefixes.
    pub fn key_count(&self) -> usize {
        self.contents.len() + self.common_prefixes.len()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3 {
    buckets: BTreeMap<String, Bucket>,
    /// Buckets whose writes are refused (an injected S3 AccessDenied fault), with the writes
    /// refused so far; a bucket stays listed with its count after the fault ends.
    denied_writes: BTreeMap<String, DeniedWrites>,
}

/// Writes refused to one bucket by an injected AccessDenied fault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeniedWrites {
    pub active: bool,
    pub count: u64,
}

impl S3 {
    pub fn create_bucket(&mut self, name: &str, now_ms: u64) -> Result<(), S3Error> {
        validate_bucket_name(name)?;
        if self.buckets.contains_key(name) {
            return Err(S3Error::BucketAlreadyOwnedByYou { bucket: name.to_string() });
        }
        self.buckets.insert(name.to_string(), Bucket { created_ms: now_ms, objects: BTreeMap::new() });
        Ok(())
    }

    pub fn delete_bucket(&mut self, name: &str) -> Result<(), S3Error> {
        if !self.bucket(name)?.objects.is_empty() {
            return Err(S3Error::BucketNotEmpty { bucket: name.to_string() });
        }
        self.buckets.remove(name);
        Ok(())
    }

    pub fn bucket_names(&self) -> impl Iterator<Item = &str> {
        self.buckets.keys().map(String::as_str)
    }

    pub fn bucket(&self, name: &str) -> Result<&Bucket, S3Error> {
        self.buckets.get(name).ok_or_else(|| S3Error::NoSuchBucket { bucket: name.to_string() })
    }

    /// Stores (or replaces) an object; like S3, the last writer wins.
    pub fn put_object(&mut self, bucket: &str, key: &str, put: PutObject, now_ms: u64) -> Result<(), S3Error> {
        if key.is_empty() || key.len() > MAX_KEY_BYTES {
            return Err(S3Error::KeyTooLongError { len: key.len() });
        }
        let b = self.buckets.get_mut(bucket).ok_or_else(|| S3Error::NoSuchBucket { bucket: bucket.to_string() })?;
        let object = S3Object {
            key: key.to_string(),
            body: put.body,
            last_modified_ms: now_ms,
            content_type: put.content_type,
            content_encoding: put.content_encoding,
        };
        b.objects.insert(key.to_string(), object);
        Ok(())
    }

    pub fn get_object(&self, bucket: &str, key: &str) -> Result<&S3Object, S3Error> {
        self.bucket(bucket)?.objects.get(key).ok_or_else(|| S3Error::NoSuchKey { key: key.to_string() })
    }

    /// S3 answers 204 whether or not the key existed, so a missing key is not an error.
    pub fn delete_object(&mut self, bucket: &str, key: &str) -> Result<(), S3Error> {
        let b = self.buckets.get_mut(bucket).ok_or_else(|| S3Error::NoSuchBucket { bucket: bucket.to_string() })?;
        b.objects.remove(key);
        Ok(())
    }

    /// ListObjectsV2 without paging: keys starting with `prefix`; with a delimiter, the keys
    /// whose rest (after the prefix) contains it collapse into `prefix + rest-up-to-delimiter`.
    pub fn list_objects_v2(&self, bucket: &str, prefix: &str, delimiter: Option<&str>) -> Result<Listing, S3Error> {
        let objects = &self.bucket(bucket)?.objects;
        let mut listing = Listing::default();
        for (key, object) in objects.range(prefix.to_string()..).take_while(|(k, _)| k.starts_with(prefix)) {
            let rest = &key[prefix.len()..];
            match delimiter.filter(|d| !d.is_empty()).and_then(|d| rest.find(d).map(|i| i + d.len())) {
                Some(end) => {
                    let common = &key[..prefix.len() + end];
                    // Keys come sorted, so equal common prefixes are adjacent.
                    if listing.common_prefixes.last().map(String::as_str) != Some(common) {
                        listing.common_prefixes.push(common.to_string());
                    }
                }
                None => listing.contents.push(ObjectSummary {
                    key: key.clone(),
                    size: object.size(),
                    last_modified_ms: object.last_modified_ms,
                }),
            }
        }
        Ok(listing)
    }

    /// Starts or stops refusing writes to `bucket` (an injected fault).
    pub fn set_access_denied(&mut self, bucket: &str, denied: bool) {
        self.denied_writes.entry(bucket.to_string()).or_default().active = denied;
    }

    /// Whether a write to `bucket` is refused right now; a refusal is counted.
    pub fn refuses_write(&mut self, bucket: &str) -> bool {
        match self.denied_writes.get_mut(bucket) {
            Some(d) if d.active => {
                d.count += 1;
                true
            }
            _ => false,
        }
    }

    /// Writes to `bucket` refused so far.
    pub fn denied_writes(&self, bucket: &str) -> u64 {
        self.denied_writes.get(bucket).map_or(0, |d| d.count)
    }

    /// Object count and bytes over every bucket.
    pub fn totals(&self) -> Totals {
        self.buckets.values().map(Bucket::totals).fold(Totals::default(), |a, t| Totals {
            objects: a.objects + t.objects,
            bytes: a.bytes + t.bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(s3: &mut S3, key: &str, body: &[u8]) {
        s3.put_object("tweets", key, PutObject::bytes(body.to_vec()), 7).unwrap();
    }

    fn world() -> S3 {
        let mut s3 = S3::default();
        s3.create_bucket("tweets", 0).unwrap();
        for key in [
            "carpeta_tweests_exitosos/2026/01/01/00/a",
            "carpeta_tweests_exitosos/2026/01/01/00/b",
            "carpeta_tweests_exitosos/2026/01/01/01/c",
            "carpeta_tweests_exitosos/2026/01/02/00/d",
            "processing-failed/2026/01/01/00/e",
            "top.txt",
        ] {
            put(&mut s3, key, b"12345");
        }
        s3
    }

    #[test]
    fn bucket_names_follow_aws_rules() {
        for ok in ["abc", "my-bucket.logs", "0-0", "kinesim-tweets"] {
            assert_eq!(validate_bucket_name(ok), Ok(()), "{ok}");
        }
        let long = "a".repeat(64);
        for bad in ["ab", long.as_str(), "My-Bucket", "-abc", "abc-", "a..b", "192.168.5.4", "xn--abc", "abc-s3alias", "a_b"] {
            let err = validate_bucket_name(bad).unwrap_err();
            assert_eq!(err.code(), "InvalidBucketName", "{bad}");
        }
        assert!(validate_bucket_name(&"a".repeat(63)).is_ok());
    }

    #[test]
    fn errors_carry_aws_codes_and_texts() {
        let mut s3 = world();
        let again = s3.create_bucket("tweets", 1).unwrap_err();
        assert_eq!(again.code(), "BucketAlreadyOwnedByYou");
        assert_eq!(s3.get_object("nope", "k").unwrap_err().to_string(), "The specified bucket does not exist");
        assert_eq!(s3.get_object("tweets", "k").unwrap_err().to_string(), "The specified key does not exist.");
        assert_eq!(s3.delete_bucket("tweets").unwrap_err().code(), "BucketNotEmpty");
        let long = "k".repeat(1025);
        assert_eq!(s3.put_object("tweets", &long, PutObject::bytes(vec![]), 0).unwrap_err().code(), "KeyTooLongError");
    }

    #[test]
    fn put_get_replace_delete() {
        let mut s3 = world();
        put(&mut s3, "top.txt", b"new");
        let o = s3.get_object("tweets", "top.txt").unwrap();
        assert_eq!((&*o.bytes(&Sources::default()), o.size(), o.last_modified_ms), (&b"new"[..], 3, 7));
        s3.delete_object("tweets", "top.txt").unwrap();
        s3.delete_object("tweets", "top.txt").unwrap();
        assert_eq!(s3.get_object("tweets", "top.txt").unwrap_err().code(), "NoSuchKey");
    }

    #[test]
    fn browses_folder_by_folder() {
        let s3 = world();
        let root = s3.list_objects_v2("tweets", "", Some("/")).unwrap();
        assert_eq!(root.common_prefixes, ["carpeta_tweests_exitosos/", "processing-failed/"]);
        assert_eq!(root.contents.iter().map(|o| o.key.as_str()).collect::<Vec<_>>(), ["top.txt"]);
        assert_eq!(root.key_count(), 3);

        let day = s3.list_objects_v2("tweets", "carpeta_tweests_exitosos/2026/01/01/", Some("/")).unwrap();
        assert_eq!(day.common_prefixes, ["carpeta_tweests_exitosos/2026/01/01/00/", "carpeta_tweests_exitosos/2026/01/01/01/"]);
        assert!(day.contents.is_empty());

        let hour = s3.list_objects_v2("tweets", "carpeta_tweests_exitosos/2026/01/01/00/", Some("/")).unwrap();
        let keys: Vec<_> = hour.contents.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["carpeta_tweests_exitosos/2026/01/01/00/a", "carpeta_tweests_exitosos/2026/01/01/00/b"]);
        assert_eq!(hour.contents[0].size, 5);
    }

    #[test]
    fn without_delimiter_lists_every_key_under_prefix_in_order() {
        let s3 = world();
        let all = s3.list_objects_v2("tweets", "carpeta", None).unwrap();
        assert_eq!(all.contents.len(), 4);
        assert!(all.common_prefixes.is_empty());
        assert!(all.contents.windows(2).all(|w| w[0].key < w[1].key));
    }

    #[test]
    fn totals_count_objects_and_bytes() {
        let s3 = world();
        assert_eq!(s3.totals(), Totals { objects: 6, bytes: 30 });
        assert_eq!(s3.bucket("tweets").unwrap().totals(), Totals { objects: 6, bytes: 30 });
    }
}
