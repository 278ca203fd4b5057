//! The console: yew components that render engine state and send actions. No domain rules
//! live here; every number shown comes from the engine.

mod analytics;
mod app;
mod autosave;
mod code_consent;
mod console_panel;
mod faults_panel;
pub mod firehose;
mod form;
mod frame_pacer;
mod frame_timing;
mod i18n;
mod lesson;
mod page_url;
pub mod s3;
mod scenario_bar;
pub mod lambda_worker;
mod sim_clock;
mod sim_handle;
pub mod streams;
mod time_controls;
mod units;
mod video;

pub use app::App;
pub use console_panel::{ConsolePanel, EmptyState};
pub use i18n::{use_lang, Lang, Said, Text};
pub use sim_handle::{ApiError, SimHandle};
pub use frame_pacer::FramePacer;
pub use sim_clock::{use_frame_clock, FrameClock, SimClock};
pub use time_controls::{TimeControls, SPEEDS};
