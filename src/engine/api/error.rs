//! Kinesis errors as AWS sends them: a `__type` and a message, and the HTTP status.

use super::validate::ShapeError;
use serde_json::json;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KinesisError {
    /// A value of the wrong JSON type (`Message` is capitalised in AWS's body), or, without a
    /// message, a body that is not JSON at all.
    #[error("SerializationException: {0:?}")]
    Serialization(Option<String>),
    #[error("ValidationException: {0}")]
    Validation(String),
    #[error("UnknownOperationException")]
    UnknownOperation,
    #[error("ResourceNotFoundException: {0}")]
    ResourceNotFound(String),
    #[error("ResourceInUseException: {0}")]
    ResourceInUse(String),
    #[error("LimitExceededException: {0}")]
    LimitExceeded(String),
    #[error("InvalidArgumentException: {0}")]
    InvalidArgument(String),
    #[error("ExpiredIteratorException: {0}")]
    ExpiredIterator(String),
    #[error("ExpiredNextTokenException: {0}")]
    ExpiredNextToken(String),
    #[error("ProvisionedThroughputExceededException: {0}")]
    ProvisionedThroughputExceeded(String),
    #[error("InternalFailure")]
    InternalFailure,
}

impl From<ShapeError> for KinesisError {
    fn from(e: ShapeError) -> Self {
        match e {
            ShapeError::Serialization(m) => KinesisError::Serialization(m),
            ShapeError::Validation(m) => KinesisError::Validation(m),
        }
    }
}

/// The body of an AWS JSON error: `__type`, and the message under `key` when there is one.
/// The key's case is AWS's, and differs by exception: Coral's type errors and some services'
/// own exceptions say `Message`, validation and most others `message`.
pub fn error_body(aws_type: &str, message: Option<(&str, &str)>) -> String {
    let mut body = json!({ "__type": aws_type });
    if let Some((key, text)) = message {
        body[key] = json!(text);
    }
    body.to_string()
}

impl KinesisError {
    pub fn aws_type(&self) -> &'static str {
        match self {
            KinesisError::Serialization(_) => "SerializationException",
            KinesisError::Validation(_) => "ValidationException",
            KinesisError::UnknownOperation => "UnknownOperationException",
            KinesisError::ResourceNotFound(_) => "ResourceNotFoundException",
            KinesisError::ResourceInUse(_) => "ResourceInUseException",
            KinesisError::LimitExceeded(_) => "LimitExceededException",
            KinesisError::InvalidArgument(_) => "InvalidArgumentException",
            KinesisError::ExpiredIterator(_) => "ExpiredIteratorException",
            KinesisError::ExpiredNextToken(_) => "ExpiredNextTokenException",
            KinesisError::ProvisionedThroughputExceeded(_) => {
                "ProvisionedThroughputExceededException"
            }
            KinesisError::InternalFailure => "InternalFailure",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            KinesisError::InternalFailure => 500,
            _ => 400,
        }
    }

    /// The JSON body AWS sends for this error.
    pub fn body(&self) -> String {
        let t = self.aws_type();
        match self {
            KinesisError::Serialization(Some(m)) => error_body(t, Some(("Message", m))),
            KinesisError::Serialization(None) | KinesisError::UnknownOperation | KinesisError::InternalFailure => {
                error_body(t, None)
            }
            _ => error_body(t, Some(("message", &self.message()))),
        }
    }

    /// The message alone (for per-record errors and the UI's event log).
    pub fn message(&self) -> String {
        match self {
            KinesisError::Serialization(m) => m.clone().unwrap_or_default(),
            KinesisError::UnknownOperation | KinesisError::InternalFailure => String::new(),
            KinesisError::Validation(m)
            | KinesisError::ResourceNotFound(m)
            | KinesisError::ResourceInUse(m)
            | KinesisError::LimitExceeded(m)
            | KinesisError::InvalidArgument(m)
            | KinesisError::ExpiredIterator(m)
            | KinesisError::ExpiredNextToken(m)
            | KinesisError::ProvisionedThroughputExceeded(m) => m.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialization_errors_use_a_capital_message_key() {
        let e = KinesisError::Serialization(Some("Expected list or null".into()));
        assert_eq!(
            e.body(),
            r#"{"Message":"Expected list or null","__type":"SerializationException"}"#
        );
        assert_eq!(KinesisError::InternalFailure.status(), 500);
        assert_eq!(
            KinesisError::UnknownOperation.body(),
            r#"{"__type":"UnknownOperationException"}"#
        );
    }
}
