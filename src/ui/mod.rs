//! The console: yew components that render engine state and send actions. No domain rules
//! live here; every number shown comes from the engine.

mod app;
mod console_panel;
mod sim_clock;
mod time_controls;

pub use app::App;
pub use console_panel::ConsolePanel;
pub use sim_clock::SimClock;
pub use time_controls::{TimeControls, SPEEDS};
