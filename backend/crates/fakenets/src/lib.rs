//! Loopback stand-ins for X, LinkedIn and Mastodon, written from each network's public API
//! documentation, so the clients in `server::connectors` can be tested end to end without
//! touching the internet.
//!
//! Each fake serves, on one loopback port, the endpoints Kyros's client calls: the OAuth
//! consent page (a real form with an "Authorize" button that redirects back with a code), the
//! token endpoint (client authentication, single-use codes, PKCE, refresh tokens as the network
//! issues them), the account, post creation and post counts, in the network's own shapes,
//! including its error bodies and rate-limit headers. State lives in memory.
//!
//! Rust tests start one in-process and steer it through its handle:
//!
//! ```no_run
//! # async fn example() {
//! let x = fakenets::x::spawn().await;
//! let api = x.base_url();
//! x.fail_next(1, fakenets::Failure::Unavailable);
//! # }
//! ```
//!
//! Browser tests run the `fakenets` binary and steer each fake over HTTP under `/_fakenets/`:
//!
//! - `POST /_fakenets/revoke` `{"token": "…"}` revokes that token's grant, `{}` every grant;
//! - `POST /_fakenets/fail` `{"count": 2, "failure": {"kind": "rate_limited", "reset_at": "…"}}`
//!   or `{"kind": "unavailable"}` makes the next calls fail;
//! - `POST /_fakenets/duplicate` refuses the next post as a duplicate (X, LinkedIn);
//! - `POST /_fakenets/hold` `{"after": 1, "count": 1}` makes the post after the next one and
//!   holds its answer until `POST /_fakenets/release`, as when the caller dies waiting;
//! - `PUT /_fakenets/metrics/{post id}` with [`Metrics`] sets a post's counts;
//! - `GET /_fakenets/posts` lists the posts made, `GET /_fakenets/stats` counts token grants
//!   and held answers;
//! - `PUT /_fakenets/max_characters` `{"max_characters": 1000}` (Mastodon).

mod consent;
mod control;
mod core;
mod server;

pub mod linkedin;
pub mod mastodon;
pub mod x;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{core::Core, server::Server};

/// A failure a fake answers the next calls with, in the network's own shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// 429, with the network's headers saying calls are accepted again at `reset_at`.
    RateLimited { reset_at: DateTime<Utc> },
    /// 503.
    Unavailable,
    /// The request is carried out, then answered 503, as when an answer is lost on the way:
    /// the caller cannot tell whether it worked.
    AnswerLost,
}

/// A post's counts as a test sets them; each network shows the ones it has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metrics {
    pub likes: u64,
    pub reposts: u64,
    pub quotes: u64,
    pub replies: u64,
    pub impressions: u64,
}

/// A post made on a fake network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    /// The account's id (a user id, a person URN, an account id).
    pub author: String,
    /// What people read.
    pub text: String,
    /// The text field exactly as the client sent it (LinkedIn's escaped commentary).
    pub sent_text: String,
    pub reply_to: Option<String>,
    pub idempotency_key: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A running fake network: where it listens and the controls every network shares. Stops when
/// dropped.
#[derive(Debug)]
pub struct Fake {
    base_url: Url,
    core: Arc<Core>,
    server: Server,
}

impl Fake {
    /// The fake's origin, serving both its API and its OAuth pages.
    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    /// Revokes the grant `token` (an access or a refresh token) belongs to: every token of it
    /// is refused from now on, as when the user removes the app's access.
    pub fn revoke(&self, token: &str) {
        self.core.revoke(token);
    }

    /// Revokes every grant.
    pub fn revoke_all(&self) {
        self.core.revoke_all();
    }

    /// Makes the next `count` calls to the API or the token endpoint fail with `failure`.
    pub fn fail_next(&self, count: usize, failure: Failure) {
        self.core.fail_next(count, failure);
    }

    /// Answers the next `successes` calls normally, then the `count` after them with `failure`
    /// (a network failing in the middle of a thread).
    pub fn fail_after(&self, successes: usize, count: usize, failure: Failure) {
        self.core.fail_after(successes, count, failure);
    }

    /// Sets the counts the network reports for `post_id`.
    pub fn set_metrics(&self, post_id: &str, metrics: Metrics) {
        self.core.set_metrics(post_id, metrics);
    }

    /// Every post made, oldest first.
    pub fn posts(&self) -> Vec<Post> {
        self.core.posts()
    }

    /// Authorization codes traded for tokens.
    pub fn code_exchanges(&self) -> usize {
        self.core.code_exchanges()
    }

    /// Refresh tokens traded for new tokens.
    pub fn refreshes(&self) -> usize {
        self.core.refreshes()
    }

    /// Stops serving and waits for open connections to finish.
    pub async fn stop(mut self) {
        self.server.stop().await;
    }
}

/// Walks a consent page as a person would: opens it, presses "Authorize" and returns the
/// address the network sends the browser back to (`redirect_uri?code=…&state=…`).
pub async fn approve(authorize_url: &url::Url) -> url::Url {
    let browser =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client");
    let page = browser.get(authorize_url.clone()).send().await.expect("the consent page");
    assert_eq!(page.status(), reqwest::StatusCode::OK, "the consent page answers");
    let html = page.text().await.expect("the consent page's text");
    assert!(
        html.contains(r#"<button type="submit" name="decision" value="allow">Authorize</button>"#),
        "{html}"
    );
    let action =
        html.split(r#"action=""#).nth(1).and_then(|rest| rest.split('"').next()).expect("a form action");
    let action = authorize_url.join(&html_escape::decode_html_entities(action)).expect("a form address");
    let answer = browser.post(action).form(&[("decision", "allow")]).send().await.expect("the decision");
    assert_eq!(answer.status(), reqwest::StatusCode::SEE_OTHER, "the consent page redirects back");
    let back = answer.headers()[reqwest::header::LOCATION].to_str().expect("a Location header");
    url::Url::parse(back).expect("an absolute address")
}
