//! The Data Streams screens: the stream list, the create wizard, and a stream's page with its
//! shards, hash key space, heat, metrics, data viewer and actions.

mod actions;
mod consumers_panel;
mod create_wizard;
mod data_viewer;
mod event_log;
mod hash_space;
mod metrics_chart;
mod panel;
mod producers_panel;
mod shard_heat;
mod shard_table;
mod stream_page;

pub use create_wizard::CreateStreamWizard;
pub use data_viewer::DataViewer;
pub use hash_space::HashKeySpace;
pub use metrics_chart::MetricChart;
pub use panel::StreamsPanel;
pub use stream_page::DataStreamPage;

/// Every Data Streams call the console makes goes through the same API as SDK callers.
fn target(action: &str) -> String {
    format!("Kinesis_20131202.{action}")
}
