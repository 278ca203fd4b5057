//! Kinesis Video Streams errors: AWS's exception names, and messages that say what is allowed.

use crate::engine::api::error::error_body;
use crate::engine::api::validate::ShapeError;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VideoError {
    /// A wrong JSON type, or with no message, a body that is not JSON.
    #[error("{}", .0.as_deref().unwrap_or("The request body is not JSON."))]
    Serialization(Option<String>),
    #[error("{0}")]
    Validation(String),
    #[error("The operation is not part of Kinesis Video Streams.")]
    UnknownOperation,
    #[error("{0}")]
    InvalidArgument(String),
    #[error("{0}")]
    ResourceNotFound(String),
    #[error("{0}")]
    ResourceInUse(String),
    #[error("{0}")]
    VersionMismatch(String),
    #[error("{0}")]
    NoDataRetention(String),
    #[error("{0}")]
    UnsupportedStreamMediaType(String),
    #[error("{0}")]
    NotAuthorized(String),
}

impl VideoError {
    /// AWS's exception name, sent as `x-amzn-ErrorType` and `__type`.
    pub fn aws_type(&self) -> &'static str {
        match self {
            VideoError::Serialization(_) => "SerializationException",
            VideoError::Validation(_) => "ValidationException",
            VideoError::UnknownOperation => "UnknownOperationException",
            VideoError::InvalidArgument(_) => "InvalidArgumentException",
            VideoError::ResourceNotFound(_) => "ResourceNotFoundException",
            VideoError::ResourceInUse(_) => "ResourceInUseException",
            VideoError::VersionMismatch(_) => "VersionMismatchException",
            VideoError::NoDataRetention(_) => "NoDataRetentionException",
            VideoError::UnsupportedStreamMediaType(_) => "UnsupportedStreamMediaTypeException",
            VideoError::NotAuthorized(_) => "NotAuthorizedException",
        }
    }

    /// HTTP status as the KVS REST API documents it for each exception.
    pub fn status(&self) -> u16 {
        match self {
            VideoError::ResourceNotFound(_) => 404,
            VideoError::NotAuthorized(_) => 401,
            _ => 400,
        }
    }

    /// The JSON body: KVS's own exceptions carry `Message`; the front end's generic
    /// ValidationException carries `message`, as on every Coral service.
    pub fn body(&self) -> String {
        let t = self.aws_type();
        match self {
            VideoError::Serialization(None) | VideoError::UnknownOperation => error_body(t, None),
            VideoError::Validation(m) => error_body(t, Some(("message", m))),
            other => error_body(t, Some(("Message", &other.to_string()))),
        }
    }
}

impl From<ShapeError> for VideoError {
    fn from(e: ShapeError) -> Self {
        match e {
            ShapeError::Serialization(m) => VideoError::Serialization(m),
            ShapeError::Validation(m) => VideoError::Validation(m),
        }
    }
}
