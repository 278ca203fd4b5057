//! Kinesis Video Streams errors: AWS's exception names, and messages that say what is allowed.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VideoError {
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
}
