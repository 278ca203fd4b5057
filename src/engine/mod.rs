//! The simulation engine: pure, deterministic Rust.
//!
//! Nothing under `engine` may use a web crate, the wall clock or a global RNG: time is
//! [`clock::VirtualClock`], randomness is the world's one [`rng::SimRng`]. The crate layout
//! enforces the first rule, since web crates are only dependencies on `wasm32`.

pub mod analytics;
pub mod base64_bytes;
pub mod api;
pub mod clock;
pub mod config_json;
pub mod consumers;
pub mod events;
pub mod faults;
pub mod firehose;
pub mod glue;
pub mod iam;
pub mod lambda;
pub mod logs;
pub mod map_entries;
pub mod producers;
pub mod rng;
pub mod s3;
pub mod s3_preview;
pub mod scenario;
pub mod scheduler;
pub mod sim;
pub mod streams;
pub mod video;
