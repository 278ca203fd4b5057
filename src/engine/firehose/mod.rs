//! Amazon Data Firehose (formerly Kinesis Data Firehose): the pieces a delivery stream is made
//! of, each testable on its own.

pub mod buffer;
pub mod compression;
pub mod format;
pub mod naming;
