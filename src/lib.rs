//! Kinesim: Amazon Kinesis simulated in the browser.
//!
//! `engine` is pure Rust and builds everywhere; the UI and the JavaScript bindings exist only
//! on `wasm32`, where the web crates are dependencies.

pub mod engine;
pub mod i18n;

#[cfg(target_arch = "wasm32")]
mod memory_growth;
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: memory_growth::GrowInSteps = memory_growth::GrowInSteps;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
pub mod ui;
