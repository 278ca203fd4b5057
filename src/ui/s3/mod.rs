//! Virtual S3: the buckets, a tree by prefix, and an object viewer with a download button.

mod bucket_page;
pub mod download;
mod object_viewer;
mod panel;

pub use bucket_page::BucketPage;
pub use object_viewer::ObjectViewer;
pub use panel::S3Panel;
