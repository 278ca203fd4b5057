//! Firehose API errors as AWS sends them: `__type`, `message` and the HTTP status.

use crate::engine::api::error::error_body;
use crate::engine::api::validate::ShapeError;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FirehoseError {
    /// A wrong JSON type, or with no message, a body that is not JSON.
    #[error("SerializationException: {0:?}")]
    Serialization(Option<String>),
    #[error("ValidationException: {0}")]
    Validation(String),
    #[error("UnknownOperationException")]
    UnknownOperation,
    #[error("InvalidArgumentException: {0}")]
    InvalidArgument(String),
    #[error("ResourceNotFoundException: {0}")]
    ResourceNotFound(String),
    #[error("ResourceInUseException: {0}")]
    ResourceInUse(String),
    #[error("LimitExceededException: {0}")]
    LimitExceeded(String),
    #[error("ConcurrentModificationException: {0}")]
    ConcurrentModification(String),
    #[error("ServiceUnavailableException: {0}")]
    ServiceUnavailable(String),
    #[error("InternalFailure")]
    InternalFailure,
}

impl From<ShapeError> for FirehoseError {
    fn from(e: ShapeError) -> Self {
        match e {
            ShapeError::Serialization(m) => FirehoseError::Serialization(m),
            ShapeError::Validation(m) => FirehoseError::Validation(m),
        }
    }
}

impl FirehoseError {
    pub fn aws_type(&self) -> &'static str {
        match self {
            FirehoseError::Serialization(_) => "SerializationException",
            FirehoseError::Validation(_) => "ValidationException",
            FirehoseError::UnknownOperation => "UnknownOperationException",
            FirehoseError::InvalidArgument(_) => "InvalidArgumentException",
            FirehoseError::ResourceNotFound(_) => "ResourceNotFoundException",
            FirehoseError::ResourceInUse(_) => "ResourceInUseException",
            FirehoseError::LimitExceeded(_) => "LimitExceededException",
            FirehoseError::ConcurrentModification(_) => "ConcurrentModificationException",
            FirehoseError::ServiceUnavailable(_) => "ServiceUnavailableException",
            FirehoseError::InternalFailure => "InternalFailure",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            FirehoseError::InternalFailure => 500,
            FirehoseError::ServiceUnavailable(_) => 503,
            _ => 400,
        }
    }

    pub fn body(&self) -> String {
        let t = self.aws_type();
        match self {
            FirehoseError::Serialization(Some(m)) => error_body(t, Some(("Message", m))),
            FirehoseError::Serialization(None) | FirehoseError::UnknownOperation | FirehoseError::InternalFailure => {
                error_body(t, None)
            }
            FirehoseError::Validation(m)
            | FirehoseError::InvalidArgument(m)
            | FirehoseError::ResourceNotFound(m)
            | FirehoseError::ResourceInUse(m)
            | FirehoseError::LimitExceeded(m)
            | FirehoseError::ConcurrentModification(m)
            | FirehoseError::ServiceUnavailable(m) => error_body(t, Some(("message", m))),
        }
    }
}
