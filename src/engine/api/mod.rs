//! The AWS JSON 1.1 front door: `Kinesis_20131202.<Action>` + body in, HTTP status + body out.

pub mod consumers;
pub mod dispatch;
pub mod error;
pub mod firehose;
pub mod records;
pub mod resharding;
pub mod streams;
pub mod tags;
pub mod validate;
pub mod video;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// What AWS would send back: the HTTP status and the JSON body (empty for actions with no
/// output, as AWS sends for CreateStream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiResponse {
    pub status: u16,
    pub body: String,
}

/// Reads a validated body into an action's typed request.
fn parse<T: DeserializeOwned>(input: Value) -> Result<T, validate::ShapeError> {
    serde_json::from_value(input).map_err(|_| validate::ShapeError::Serialization(None))
}

/// Writes an action's typed response.
fn reply<T: Serialize>(output: &T) -> Result<String, error::KinesisError> {
    serde_json::to_string(output).map_err(|_| error::KinesisError::InternalFailure)
}

/// Decodes a blob already checked as canonical base64.
fn blob(data: &str) -> Result<Vec<u8>, error::KinesisError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| error::KinesisError::Serialization(None))
}
