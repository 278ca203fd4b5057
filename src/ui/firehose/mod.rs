//! The Firehose console: delivery streams, the create wizard and a delivery stream's page.

mod create_wizard;
mod panel;
pub mod plan;
mod stream_page;

pub use create_wizard::CreateDeliveryStreamWizard;
pub use panel::FirehosePanel;
pub use stream_page::DeliveryStreamPage;
