//! Kyros server: the HTTP API, storage, queue and worker.

pub mod admin;
pub mod api_tokens;
pub mod app;
pub mod audit;
pub mod auth;
mod channels;
pub mod clock;
pub mod config;
pub mod connectors;
pub mod db;
pub mod error;
mod exports;
mod extract;
pub mod generation;
mod health;
pub mod jobs;
mod kpis;
mod metrics;
pub mod migration;
pub mod pagination;
pub mod presets;
pub mod queue;
pub mod rate_limit;
mod raw_json;
pub mod runtime;
pub mod schedules;
pub mod sources;
pub mod state;
pub mod telemetry;
pub mod tools;
pub mod usage;
pub mod users;
pub mod variants;

pub use app::build_router;
pub use config::Config;
pub use state::AppState;
