//! What an S3 object holds, decoded for the console's object viewer: GZIP (and the other
//! Firehose compressions) unpacked, JSON lines pretty-printed, Parquet read back as a schema
//! and its first rows, Firehose error records shown with their failure reason.

use crate::engine::firehose::compression::Compression;
use parquet::file::reader::{FileReader, SerializedFileReader};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Rows of a Parquet file the viewer shows at most.
pub const MAX_ROWS: usize = 100;

/// One Firehose error-output record: why a record failed, and the record itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedRecordView {
    pub error_code: String,
    pub error_message: String,
    /// The original record, decoded from `rawData` when it is UTF-8.
    pub raw_data: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preview {
    /// JSON lines, one pretty-printed document per record.
    JsonLines(Vec<String>),
    /// Firehose error output: one entry per failed record.
    Failures(Vec<FailedRecordView>),
    /// A Parquet file: columns as `name: type`, then rows of printed values.
    Table { schema: Vec<(String, String)>, rows: Vec<Vec<String>>, total_rows: u64 },
    /// Text that is not JSON.
    Text(String),
    /// Bytes that are neither text nor a known format.
    Binary { size: u64 },
}

/// How the object was stored: the compression unpacked before decoding, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectPreview {
    pub unpacked_from: Option<&'static str>,
    pub preview: Preview,
}

/// Decodes an object by its key's extension and its magic bytes.
pub fn preview(key: &str, body: &[u8]) -> ObjectPreview {
    let codec = if key.ends_with(".gz") || body.starts_with(&[0x1f, 0x8b]) {
        Some(Compression::Gzip)
    } else if key.ends_with(".zip") {
        Some(Compression::Zip)
    } else if key.ends_with(".snappy") {
        Some(Compression::Snappy)
    } else {
        None
    };
    if let Some(codec) = codec {
        if let Ok(raw) = codec.decompress(body) {
            return ObjectPreview { unpacked_from: Some(codec.aws_name()), preview: decode(&raw) };
        }
    }
    ObjectPreview { unpacked_from: None, preview: decode(body) }
}

fn decode(body: &[u8]) -> Preview {
    if body.len() >= 8 && body.starts_with(b"PAR1") && body.ends_with(b"PAR1") {
        if let Some(table) = parquet_table(body) {
            return table;
        }
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Preview::Binary { size: body.len() as u64 };
    };
    let docs: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(text).into_iter::<Value>().collect();
    match docs {
        Ok(docs) if !docs.is_empty() => {
            if docs.iter().all(|d| d.get("errorCode").is_some() && d.get("rawData").is_some()) {
                return Preview::Failures(docs.iter().map(failure).collect());
            }
            Preview::JsonLines(docs.iter().map(|d| serde_json::to_string_pretty(d).unwrap_or_default()).collect())
        }
        _ => Preview::Text(text.to_string()),
    }
}

fn failure(doc: &Value) -> FailedRecordView {
    use base64::Engine as _;
    let field = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let raw = base64::engine::general_purpose::STANDARD.decode(field("rawData")).unwrap_or_default();
    FailedRecordView {
        error_code: field("errorCode"),
        error_message: field("errorMessage"),
        raw_data: String::from_utf8(raw).unwrap_or_else(|e| format!("{} bytes", e.as_bytes().len())),
    }
}

fn parquet_table(body: &[u8]) -> Option<Preview> {
    let reader = SerializedFileReader::new(bytes::Bytes::copy_from_slice(body)).ok()?;
    let meta = reader.metadata().file_metadata();
    let total_rows = u64::try_from(meta.num_rows()).unwrap_or(0);
    let schema = meta
        .schema_descr()
        .columns()
        .iter()
        .map(|c| {
            let ty = match c.logical_type_ref() {
                Some(l) => format!("{:?}", l),
                None => format!("{:?}", c.physical_type()),
            };
            (c.name().to_string(), ty)
        })
        .collect();
    let rows = reader
        .get_row_iter(None)
        .ok()?
        .take(MAX_ROWS)
        .filter_map(Result::ok)
        .map(|row| row.get_column_iter().map(|(_, field)| field.to_string()).collect())
        .collect();
    Some(Preview::Table { schema, rows, total_rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::firehose::format::{convert, OutputFormat, ParquetCompression};
    use crate::engine::glue::GlueTable;

    #[test]
    fn json_lines_are_pretty_printed_after_gunzip() {
        let gz = Compression::Gzip.compress(b"{\"a\":1}\n{\"a\":2}\n", "x");
        let p = preview("k.gz", &gz);
        assert_eq!(p.unpacked_from, Some("GZIP"));
        assert_eq!(p.preview, Preview::JsonLines(vec!["{\n  \"a\": 1\n}".into(), "{\n  \"a\": 2\n}".into()]));
    }

    #[test]
    fn parquet_reads_back_as_a_table() {
        let table = GlueTable::new("db", "t", &[("id", "bigint"), ("text", "string")]).unwrap();
        let records: [&[u8]; 2] = [br#"{"id":1,"text":"hola"}"#, br#"{"id":2}"#];
        let file = convert(&table, &records, OutputFormat::Parquet, ParquetCompression::Snappy).unwrap().file.unwrap();
        let Preview::Table { schema, rows, total_rows } = preview("x.parquet", &file).preview else { panic!("a table") };
        assert_eq!(total_rows, 2);
        assert_eq!(schema[0].0, "id");
        assert_eq!(rows, vec![vec!["1".to_string(), "\"hola\"".into()], vec!["2".into(), "null".into()]]);
    }

    #[test]
    fn error_output_shows_the_reason() {
        let body = br#"{"attemptsMade":1,"errorCode":"Lambda.FunctionError","errorMessage":"boom","rawData":"aG9sYQ=="}"#;
        let Preview::Failures(f) = preview("e", body).preview else { panic!("failures") };
        assert_eq!((f[0].error_code.as_str(), f[0].raw_data.as_str()), ("Lambda.FunctionError", "hola"));
    }

    #[test]
    fn other_bytes_are_text_or_binary() {
        assert_eq!(preview("t", b"hola").preview, Preview::Text("hola".into()));
        assert_eq!(preview("b", &[0xff, 0xfe]).preview, Preview::Binary { size: 2 });
    }
}
