//! Bytes in the world's JSON as base64 text, as AWS writes blobs: a third larger than the bytes
//! instead of the three to four times of a JSON array of numbers, which keeps state hashes
//! fast and snapshots small. Use with `#[serde(with = "crate::engine::base64_bytes")]`.

use base64::Engine as _;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<T: AsRef<[u8]> + ?Sized, S: Serializer>(data: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(data.as_ref()))
}

/// Into any owner of bytes: `Vec<u8>`, or the shared `Rc<[u8]>` records keep.
pub fn deserialize<'de, T: From<Vec<u8>>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    base64::engine::general_purpose::STANDARD.decode(text).map(T::from).map_err(D::Error::custom)
}
