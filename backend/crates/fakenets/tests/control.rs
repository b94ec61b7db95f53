//! The fakes as browser tests drive them: over HTTP, and as the `fakenets` binary.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

use reqwest::{StatusCode, header::LOCATION, redirect::Policy};
use serde_json::{Value, json};

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

#[tokio::test]
async fn the_http_controls_steer_the_same_fake_as_the_handle() {
    let x = fakenets::x::spawn().await;
    let base = x.base_url();
    let http = browser();
    let control = |path: &str| base.join(path).unwrap();

    let fail =
        json!({ "count": 1, "failure": { "kind": "rate_limited", "reset_at": "2030-01-01T00:00:00Z" } });
    let answer = http.post(control("_fakenets/fail")).json(&fail).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    let limited = http.get(control("2/users/me")).send().await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["x-rate-limit-reset"], "1893456000");
    // The failure was used up; the next call is refused for having no token, as X does.
    assert_eq!(http.get(control("2/users/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    let metrics = json!({ "likes": 3 });
    let answer = http.put(control("_fakenets/metrics/42")).json(&metrics).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    for path in ["_fakenets/duplicate", "_fakenets/revoke", "_fakenets/hold", "_fakenets/release"] {
        let answer = http.post(control(path)).json(&json!({})).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::NO_CONTENT, "{path}");
    }
    let posts: Value = http.get(control("_fakenets/posts")).send().await.unwrap().json().await.unwrap();
    assert_eq!(posts, json!([]));
    let stats: Value = http.get(control("_fakenets/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(stats, json!({ "code_exchanges": 0, "refreshes": 0, "held": 0 }));
}

#[tokio::test]
async fn cancelling_on_the_consent_page_sends_the_user_back_with_access_denied() {
    let linkedin = fakenets::linkedin::spawn().await;
    let mut authorize = linkedin.authorize_url();
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", fakenets::linkedin::CLIENT_ID)
        .append_pair("redirect_uri", "http://127.0.0.1:9/callback")
        .append_pair("state", "s1")
        .append_pair("scope", "openid profile");
    let answer = browser().post(authorize).form(&[("decision", "deny")]).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()[LOCATION], "http://127.0.0.1:9/callback?error=access_denied&state=s1");

    let mut unknown = linkedin.authorize_url();
    unknown.query_pairs_mut().append_pair("response_type", "code").append_pair("client_id", "someone-else");
    assert_eq!(browser().get(unknown).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_binary_prints_where_each_network_listens_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fakenets")).stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap();
    let mastodon = ready["mastodon"].as_str().unwrap();
    let instance: Value =
        reqwest::get(format!("{mastodon}/api/v2/instance")).await.unwrap().json().await.unwrap();
    assert_eq!(instance["configuration"]["statuses"]["max_characters"], 500);
    for network in ["x", "linkedin"] {
        assert!(ready[network].as_str().unwrap().starts_with("http://127.0.0.1:"), "{network}");
    }

    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(child.wait().unwrap().success());
}
