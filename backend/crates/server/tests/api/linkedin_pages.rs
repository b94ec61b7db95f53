//! LinkedIn organisation pages through the API against the loopback LinkedIn (`fakenets`), with
//! `LINKEDIN_ORGANIZATION_PAGES` on: the consent offers the member's profile and the pages they
//! administer, a page publishes as the organisation, the accounts one consent connected share
//! a refreshed token, and a page the member no longer administers asks to be reconnected.

use chrono::Duration;
use fakenets::linkedin::{self as fake_linkedin, FakeLinkedin, LinkedinOptions, Page};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::clock::Clock;
use url::Url;

use crate::{
    common::{TestApp, TestUser, assert_problem, error_fields},
    publishing::{accepted_post, linkedin_app_with, schedule},
};

const POST: &str = "Rye & Crumb moved to a four-day week.\n\nSales went up, and the team is happier. #FourDayWeek #SmallBusiness #Bakery";

pub(crate) fn bakery() -> Page {
    Page::new(2_414_183, "Rye & Crumb Bakery", "rye-and-crumb")
}

pub(crate) async fn fake_with(pages: Vec<Page>, refresh_tokens: bool) -> FakeLinkedin {
    let options = LinkedinOptions { pages, refresh_tokens, ..LinkedinOptions::default() };
    fake_linkedin::spawn_with(options, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

async fn pages_app(fake: &FakeLinkedin) -> TestApp {
    linkedin_app_with(fake, &[("LINKEDIN_ORGANIZATION_PAGES", "true")]).await
}

/// Goes through LinkedIn's consent page: the callback offers a choice (202).
async fn consent(app: &TestApp, user: &TestUser) -> Value {
    let started = app.post("/connections/linkedin/authorize", Some(&user.token), json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    let started: Value = started.json().await.unwrap();
    let authorize_url = Url::parse(started["authorize_url"].as_str().unwrap()).unwrap();
    let scope = authorize_url.query_pairs().find(|(key, _)| key == "scope").unwrap().1.into_owned();
    assert_eq!(
        scope,
        "openid profile w_member_social w_organization_social r_organization_social rw_organization_admin"
    );
    let back = fakenets::approve(&authorize_url).await;
    let query = |name: &str| back.query_pairs().find(|(key, _)| key == name).unwrap().1.into_owned();
    let completed = app
        .post(
            "/connections/callback",
            Some(&user.token),
            json!({ "state": query("state"), "code": query("code") }),
        )
        .await;
    assert_eq!(completed.status(), StatusCode::ACCEPTED);
    completed.json().await.unwrap()
}

async fn choose(app: &TestApp, user: &TestUser, choice: &Value, accounts: &[String]) -> reqwest::Response {
    app.post(
        "/connections/choose",
        Some(&user.token),
        json!({ "choice": choice["choice"], "accounts": accounts }),
    )
    .await
}

/// Connects the accounts `pick` names from a fresh consent's choice.
pub(crate) async fn connect_chosen(app: &TestApp, user: &TestUser, pick: &[String]) -> Vec<Value> {
    let choice = consent(app, user).await;
    let chosen = choose(app, user, &choice, pick).await;
    assert_eq!(chosen.status(), StatusCode::OK);
    let chosen: Value = chosen.json().await.unwrap();
    chosen["items"].as_array().unwrap().clone()
}

async fn runs(app: &TestApp, user: &TestUser, schedule: &str) -> Vec<Value> {
    let runs: Value =
        app.get(&format!("/schedule/{schedule}/runs"), Some(&user.token)).await.json().await.unwrap();
    runs["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_page_chosen_after_the_consent_publishes_as_the_organisation() {
    let other = Page::new(99_001, "Crumb Academy", "crumb-academy").without_logo();
    let fake = fake_with(vec![bakery(), other.clone()], false).await;
    let app = pages_app(&fake).await;
    let user = app.user().await;

    let choice = consent(&app, &user).await;
    let offered: Vec<(String, String, String)> = choice["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|account| {
            let text = |field: &str| account[field].as_str().unwrap().to_owned();
            (text("id"), text("kind"), text("name"))
        })
        .collect();
    assert_eq!(
        offered,
        [
            (fake.person_urn(), "profile".into(), fake_linkedin::NAME.into()),
            (bakery().urn(), "page".into(), bakery().name),
            (other.urn(), "page".into(), other.name.clone()),
        ]
    );
    assert_eq!(choice["notice"], Value::Null);
    // The profile shows the member's picture, a page its logo (the other page has none).
    let avatars: Vec<&Value> =
        choice["accounts"].as_array().unwrap().iter().map(|account| &account["avatar_url"]).collect();
    let logo = fake.logo_url(&bakery()).unwrap();
    assert!(avatars[0].is_string(), "{choice:#}");
    assert_eq!(avatars[1..], [&json!(logo), &Value::Null]);

    let chosen = choose(&app, &user, &choice, &[bakery().urn()]).await;
    assert_eq!(chosen.status(), StatusCode::OK);
    let chosen: Value = chosen.json().await.unwrap();
    let page = chosen["items"][0].clone();
    assert_eq!(chosen["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        (page["network"].as_str(), page["handle"].as_str()),
        (Some("linkedin"), Some("Rye & Crumb Bakery"))
    );
    assert_eq!(page["avatar_url"], logo);
    // The choice answers once.
    let again = choose(&app, &user, &choice, &[other.urn()]).await;
    assert_eq!(error_fields(&assert_problem(again, StatusCode::UNPROCESSABLE_ENTITY).await), ["choice"]);

    let variant = accepted_post(&app, &user, "linkedin", POST).await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &page).await;
    server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(at + Duration::seconds(1))
        .await
        .unwrap();
    let posts = fake.posts();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert_eq!(posts[0].author, bakery().urn());
    assert_eq!(posts[0].text, POST);
    let run = &runs(&app, &user, &schedule_id).await[0];
    assert_eq!(run["status"], "published", "{run:#}");
    assert_eq!(run["published_url"], format!("https://www.linkedin.com/feed/update/{}/", posts[0].id));
}

#[tokio::test]
async fn a_member_without_pages_is_told_why_only_the_profile_is_offered() {
    let fake = fake_with(Vec::new(), false).await;
    let app = pages_app(&fake).await;
    let user = app.user().await;
    let choice = consent(&app, &user).await;
    let accounts = choice["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1, "{choice:#}");
    assert_eq!(
        (accounts[0]["id"].as_str(), accounts[0]["kind"].as_str()),
        (Some(fake.person_urn().as_str()), Some("profile"))
    );
    let notice = choice["notice"].as_str().unwrap();
    assert!(notice.contains("not an administrator of any LinkedIn page"), "{notice}");

    let nothing = choose(&app, &user, &choice, &[]).await;
    assert_eq!(error_fields(&assert_problem(nothing, StatusCode::UNPROCESSABLE_ENTITY).await), ["accounts"]);
    let not_offered = choose(&app, &user, &choice, &[bakery().urn()]).await;
    assert_eq!(
        error_fields(&assert_problem(not_offered, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["accounts"]
    );
    let someone_else = app.user().await;
    let stolen = choose(&app, &someone_else, &choice, &[fake.person_urn()]).await;
    assert_eq!(error_fields(&assert_problem(stolen, StatusCode::UNPROCESSABLE_ENTITY).await), ["choice"]);

    let chosen = choose(&app, &user, &choice, &[fake.person_urn()]).await;
    assert_eq!(chosen.status(), StatusCode::OK);
    let listed: Value = app.get("/connections", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["handle"], fake_linkedin::NAME);
}

#[tokio::test]
async fn a_page_whose_logo_cannot_be_read_connects_without_one() {
    let fake = fake_with(vec![bakery()], false).await;
    let app = pages_app(&fake).await;
    let user = app.user().await;
    fake.break_images();
    let page = connect_chosen(&app, &user, &[bakery().urn()]).await.remove(0);
    assert_eq!(page["handle"], bakery().name);
    assert_eq!(page["avatar_url"], Value::Null);
}

#[tokio::test]
async fn a_page_the_member_no_longer_administers_fails_with_a_reason_to_reconnect() {
    let fake = fake_with(vec![bakery()], false).await;
    let app = pages_app(&fake).await;
    let user = app.user().await;
    let page = connect_chosen(&app, &user, &[bakery().urn()]).await.remove(0);
    let variant = accepted_post(&app, &user, "linkedin", POST).await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &page).await;

    fake.revoke_administrator(bakery().id);
    server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(at + Duration::seconds(1))
        .await
        .unwrap();
    assert!(fake.posts().is_empty());
    let run = &runs(&app, &user, &schedule_id).await[0];
    assert_eq!(run["status"], "failed", "{run:#}");
    let reason = run["last_error"].as_str().unwrap();
    assert!(reason.starts_with("Reconnect Rye & Crumb Bakery on LinkedIn"), "{reason}");
    assert!(reason.contains("no longer be one of its administrators"), "{reason}");
    let listed: Value = app
        .get(&format!("/connections/{}", page["id"].as_str().unwrap()), Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["status"], "needs_reconnect");
    // Connecting again without the role offers the profile only, and says why.
    let choice = consent(&app, &user).await;
    assert_eq!(choice["accounts"].as_array().unwrap().len(), 1, "{choice:#}");
    assert!(choice["notice"].is_string());
}

#[tokio::test]
async fn the_profile_and_page_of_one_consent_share_a_refreshed_token() {
    let fake = fake_with(vec![bakery()], true).await;
    let app = pages_app(&fake).await;
    let user = app.user().await;
    let connected = connect_chosen(&app, &user, &[fake.person_urn(), bakery().urn()]).await;
    assert_eq!(connected.len(), 2);
    let variant = accepted_post(&app, &user, "linkedin", POST).await;
    let (page_schedule, _) = schedule(&app, &user, &variant, &connected[1]).await;
    let (profile_schedule, _) = schedule(&app, &user, &variant, &connected[0]).await;

    // Sixty days on, both tokens are about to expire: the first post refreshes, the second
    // finds the refreshed token already stored for its account.
    app.clock.advance(Duration::days(60));
    server::runtime::scheduler_of(&app.state, "publisher".into()).tick_at(app.clock.now()).await.unwrap();
    assert_eq!(fake.refreshes(), 1, "one refresh serves both accounts");
    for schedule_id in [page_schedule, profile_schedule] {
        let run = &runs(&app, &user, &schedule_id).await[0];
        assert_eq!(run["status"], "published", "{run:#}");
    }
    let authors: Vec<String> = fake.posts().into_iter().map(|post| post.author).collect();
    assert_eq!(authors.len(), 2);
    assert!(authors.contains(&bakery().urn()) && authors.contains(&fake.person_urn()), "{authors:?}");
}
