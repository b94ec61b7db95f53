//! Published posts' results: the public counts (likes, reposts, replies, views) of every post
//! published to a connected account, read from its network on a backoff for a week after it
//! went out (`model::FETCH_AFTER`), shown with the schedule's runs and on the dashboard.

pub mod collector;
mod entity;
pub mod model;
pub mod service;
mod store;
