//! S3 compression as Firehose offers it (`CompressionFormat`): UNCOMPRESSED, GZIP, ZIP, Snappy
//! and HADOOP_SNAPPY. Output is deterministic: no clock in any header, so the same records
//! always give the same object bytes.

use flate2::{read::DeflateDecoder, read::GzDecoder, write::DeflateEncoder, Crc, GzBuilder};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use thiserror::Error;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compression {
    #[default]
    Uncompressed,
    Gzip,
    Zip,
    /// The Snappy framing format (stream identifier `sNaPpY`).
    Snappy,
    /// Hadoop's BlockCompressorStream framing around raw Snappy blocks (what Hadoop, Hive and
    /// Athena read): per block, the raw length then the compressed length, both big-endian u32.
    HadoopSnappy,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CompressionError {
    #[error("Value '{0}' at 'compressionFormat' failed to satisfy constraint: Member must satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]")]
    UnknownFormat(String),
    #[error("object is not valid {format} data: {reason}")]
    Corrupt { format: &'static str, reason: String },
}

/// Hadoop's default `io.compression.codec.snappy.buffersize`.
const HADOOP_SNAPPY_BLOCK: usize = 256 * 1024;

impl Compression {
    pub const ALL: [Compression; 5] = [Self::Uncompressed, Self::Gzip, Self::Zip, Self::Snappy, Self::HadoopSnappy];

    /// The API's spelling (note AWS's mixed-case `Snappy`).
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Uncompressed => "UNCOMPRESSED",
            Self::Gzip => "GZIP",
            Self::Zip => "ZIP",
            Self::Snappy => "Snappy",
            Self::HadoopSnappy => "HADOOP_SNAPPY",
        }
    }

    pub fn from_aws_name(name: &str) -> Result<Self, CompressionError> {
        Self::ALL
            .into_iter()
            .find(|c| c.aws_name() == name)
            .ok_or_else(|| CompressionError::UnknownFormat(name.to_string()))
    }

    /// File extension Firehose appends (AWS `s3-object-name` table: `.gz`, `.zip`, `.snappy`;
    /// our stored copy of that table is cut off at the Hadoop-Snappy row, whose `.hsnappy` is
    /// taken from memory of the live page: check it before relying on it).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Uncompressed => "",
            Self::Gzip => ".gz",
            Self::Zip => ".zip",
            Self::Snappy => ".snappy",
            Self::HadoopSnappy => ".hsnappy",
        }
    }

    /// Compresses one S3 object's body. `entry_name` names the single file inside a ZIP archive
    /// (AWS does not document that name; callers pass the object name without `.zip`).
    pub fn compress(self, data: &[u8], entry_name: &str) -> Vec<u8> {
        match self {
            Self::Uncompressed => data.to_vec(),
            Self::Gzip => {
                // mtime 0 and no file name: the header carries no clock.
                let mut enc = GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::default());
                enc.write_all(data).expect("writing to a Vec cannot fail");
                enc.finish().expect("writing to a Vec cannot fail")
            }
            Self::Zip => zip_single_entry(data, entry_name),
            Self::Snappy => {
                let mut enc = snap::write::FrameEncoder::new(Vec::new());
                enc.write_all(data).expect("writing to a Vec cannot fail");
                enc.into_inner().expect("writing to a Vec cannot fail")
            }
            Self::HadoopSnappy => {
                let mut out = Vec::new();
                for block in data.chunks(HADOOP_SNAPPY_BLOCK) {
                    let packed = snap::raw::Encoder::new().compress_vec(block).expect("block is under snappy's limit");
                    out.extend_from_slice(&(block.len() as u32).to_be_bytes());
                    out.extend_from_slice(&(packed.len() as u32).to_be_bytes());
                    out.extend_from_slice(&packed);
                }
                out
            }
        }
    }

    /// Reverses [`Compression::compress`], so the UI can open delivered objects.
    pub fn decompress(self, data: &[u8]) -> Result<Vec<u8>, CompressionError> {
        let corrupt = |reason: String| CompressionError::Corrupt { format: self.aws_name(), reason };
        let mut out = Vec::new();
        match self {
            Self::Uncompressed => out.extend_from_slice(data),
            Self::Gzip => {
                GzDecoder::new(data).read_to_end(&mut out).map_err(|e| corrupt(e.to_string()))?;
            }
            Self::Zip => out = unzip_single_entry(data).map_err(corrupt)?,
            Self::Snappy => {
                snap::read::FrameDecoder::new(data).read_to_end(&mut out).map_err(|e| corrupt(e.to_string()))?;
            }
            Self::HadoopSnappy => {
                let mut rest = data;
                while !rest.is_empty() {
                    let (raw_len, after) = take_be_u32(rest).ok_or_else(|| corrupt("truncated block header".into()))?;
                    let (packed_len, after) = take_be_u32(after).ok_or_else(|| corrupt("truncated chunk header".into()))?;
                    let packed = after.get(..packed_len).ok_or_else(|| corrupt("truncated chunk".into()))?;
                    let block = snap::raw::Decoder::new().decompress_vec(packed).map_err(|e| corrupt(e.to_string()))?;
                    if block.len() != raw_len {
                        return Err(corrupt(format!("block says {raw_len} bytes, holds {}", block.len())));
                    }
                    out.extend_from_slice(&block);
                    rest = &after[packed_len..];
                }
            }
        }
        Ok(out)
    }
}

fn take_be_u32(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let head: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    Some((u32::from_be_bytes(head) as usize, &bytes[4..]))
}

// ZIP signatures and the DOS date for 1980-01-01 00:00, ZIP's earliest time: a fixed stamp keeps
// archives byte-identical. Written by hand because the `zip` crate pulls getrandom (and with it
// wasm-bindgen) into the engine on wasm32.
const ZIP_LOCAL: u32 = 0x0403_4b50;
const ZIP_CENTRAL: u32 = 0x0201_4b50;
const ZIP_END: u32 = 0x0605_4b50;
const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
const ZIP_VERSION: u16 = 20;
const ZIP_DEFLATE: u16 = 8;

fn zip_single_entry(data: &[u8], name: &str) -> Vec<u8> {
    let mut deflater = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater.write_all(data).expect("writing to a Vec cannot fail");
    let packed = deflater.finish().expect("writing to a Vec cannot fail");
    let mut crc = Crc::new();
    crc.update(data);
    // Sizes past 4 GiB would need ZIP64; Firehose buffers stop at 128 MiB.
    let common = |out: &mut Vec<u8>| {
        for v in [ZIP_VERSION, 0, ZIP_DEFLATE, 0, DOS_DATE_1980_01_01] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc.sum(), packed.len() as u32, data.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    };
    let mut out = ZIP_LOCAL.to_le_bytes().to_vec();
    common(&mut out);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&packed);
    let central_at = out.len() as u32;
    out.extend_from_slice(&ZIP_CENTRAL.to_le_bytes());
    out.extend_from_slice(&ZIP_VERSION.to_le_bytes()); // made by
    common(&mut out);
    // comment length, disk, internal attributes (u16 each), external attributes, local offset
    out.extend_from_slice(&[0; 6]);
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(name.as_bytes());
    let central_len = out.len() as u32 - central_at;
    out.extend_from_slice(&ZIP_END.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]); // disks 0/0, one entry here and in total
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_at.to_le_bytes());
    out.extend_from_slice(&[0, 0]); // comment length
    out
}

/// Reads the first entry of an archive written by [`zip_single_entry`].
fn unzip_single_entry(data: &[u8]) -> Result<Vec<u8>, String> {
    let u16_at = |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |i: usize| data.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    if u32_at(0) != Some(ZIP_LOCAL as usize) {
        return Err("missing local file header".into());
    }
    let method = u16_at(8).ok_or("truncated header")?;
    let (packed_len, name_len, extra_len) = (
        u32_at(18).ok_or("truncated header")?,
        u16_at(26).ok_or("truncated header")?,
        u16_at(28).ok_or("truncated header")?,
    );
    let start = 30 + name_len + extra_len;
    let packed = data.get(start..start + packed_len).ok_or("truncated entry")?;
    match method {
        0 => Ok(packed.to_vec()),
        8 => {
            let mut out = Vec::new();
            DeflateDecoder::new(packed).read_to_end(&mut out).map_err(|e| e.to_string())?;
            Ok(out)
        }
        other => Err(format!("compression method {other} is not stored (0) or deflate (8)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        (0..300_000u32).flat_map(|i| format!("{{\"id\":{i},\"text\":\"hola\"}}\n").into_bytes()).take(600_000).collect()
    }

    #[test]
    fn every_format_round_trips() {
        for data in [Vec::new(), b"{\"a\":1}".to_vec(), sample()] {
            for c in Compression::ALL {
                let packed = c.compress(&data, "obj");
                assert_eq!(c.decompress(&packed).unwrap(), data, "{}", c.aws_name());
            }
        }
    }

    #[test]
    fn output_is_deterministic_and_gzip_has_no_clock() {
        let data = sample();
        for c in Compression::ALL {
            assert_eq!(c.compress(&data, "obj"), c.compress(&data, "obj"));
        }
        let gz = Compression::Gzip.compress(b"x", "obj");
        assert_eq!(&gz[..2], &[0x1f, 0x8b]);
        assert_eq!(&gz[4..8], &[0, 0, 0, 0], "gzip MTIME must be zero");
    }

    #[test]
    fn snappy_flavours_have_their_framing() {
        let data = sample();
        assert_eq!(&Compression::Snappy.compress(&data, "")[..10], b"\xff\x06\x00\x00sNaPpY");
        let hadoop = Compression::HadoopSnappy.compress(&data, "");
        assert_eq!(&hadoop[..4], &(HADOOP_SNAPPY_BLOCK as u32).to_be_bytes());
        assert!(hadoop.len() < data.len());
    }

    #[test]
    fn zip_names_its_entry_and_ends_with_directory() {
        let zip = Compression::Zip.compress(b"hello", "stream-1-2026-01-01-00-00-00-x");
        assert!(zip.windows(30).any(|w| w == b"stream-1-2026-01-01-00-00-00-x"));
        assert_eq!(&zip[zip.len() - 22..zip.len() - 18], &ZIP_END.to_le_bytes());
    }

    #[test]
    fn names_and_extensions_match_the_api() {
        for c in Compression::ALL {
            assert_eq!(Compression::from_aws_name(c.aws_name()), Ok(c));
        }
        assert_eq!(Compression::Gzip.extension(), ".gz");
        assert_eq!(Compression::Uncompressed.extension(), "");
        let err = Compression::from_aws_name("SNAPPY").unwrap_err().to_string();
        assert!(err.contains("[UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]"), "{err}");
    }

    #[test]
    fn corrupt_input_is_an_error_not_a_panic() {
        for c in [Compression::Gzip, Compression::Zip, Compression::Snappy, Compression::HadoopSnappy] {
            assert!(c.decompress(b"\x00\x00\x00\x09garbage").is_err(), "{}", c.aws_name());
        }
    }
}
