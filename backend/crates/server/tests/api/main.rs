//! API integration tests: the real router over a fresh database per test.

mod common;

mod admin;
mod api_tokens;
mod audit;
mod auth;
mod connections;
mod error_reporting;
mod events;
mod exports;
mod hardening;
mod health;
mod jobs;
mod kpis;
mod linkedin_pages;
mod metrics;
mod migrations;
mod model;
mod presets;
mod profiles;
mod publishing;
mod queue;
mod rate_limits;
mod results;
mod schedules;
mod slots;
mod sources;
mod tools;
mod traces;
mod usage;
mod variants;
