//! The Video Streams screens: the stream list on the console, and a stream's page with its
//! camera (producer), its fragments and HLS playback.

mod camera;
mod camera_card;
mod fragment_table;
mod panel;
mod playback_card;
mod player;
mod player_view;
mod stream_page;

pub use panel::VideoPanel;
pub use stream_page::VideoStreamPage;

/// Every Kinesis Video call the console makes goes through the same API as SDK callers.
fn target(operation: &str) -> String {
    format!("{}{operation}", crate::engine::api::video::TARGET_PREFIX)
}
