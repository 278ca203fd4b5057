//! The console's Data Analytics area: SQL applications over data streams.

mod application_page;
mod panel;
mod reference_card;
mod samples;
mod schema_card;

pub use application_page::ApplicationPage;
pub use panel::AnalyticsPanel;
