use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{PASSWORD, TestApp, assert_problem, error_fields};

async fn registration_returns_the_user_without_secrets(app: TestApp) {
    let response =
        app.post("/auth/register", None, json!({ "email": "Ada@Example.com", "password": PASSWORD })).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["role"], "user");
    assert!(user["id"].is_string() && user["created_at"].is_string());
    assert!(user.get("password_hash").is_none() && user.get("password").is_none());
}

async fn a_duplicate_email_is_a_conflict(app: TestApp) {
    let body = json!({ "email": "dup@example.com", "password": PASSWORD });
    assert_eq!(app.post("/auth/register", None, body).await.status(), StatusCode::CREATED);
    let again =
        app.post("/auth/register", None, json!({ "email": "DUP@example.com", "password": PASSWORD })).await;
    assert_problem(again, StatusCode::CONFLICT).await;
}

async fn racing_registrations_of_one_email_make_one_account(app: TestApp) {
    let body = json!({ "email": "race@example.com", "password": PASSWORD });
    let requests = (0..4).map(|_| app.post("/auth/register", None, body.clone()));
    let (created, refused): (Vec<_>, Vec<_>) = futures::future::join_all(requests)
        .await
        .into_iter()
        .partition(|response| response.status() == StatusCode::CREATED);
    assert_eq!(created.len(), 1, "exactly one account is created");
    assert_eq!(refused.len(), 3);
    for response in refused {
        let problem = assert_problem(response, StatusCode::CONFLICT).await;
        assert_eq!(problem["detail"], "An account with this email already exists.");
    }
}

async fn bad_registration_fields_are_named(app: TestApp) {
    let response =
        app.post("/auth/register", None, json!({ "email": "not-an-email", "password": "short" })).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["email", "password"]);
    let missing = app.post("/auth/register", None, json!({ "email": "a@example.com" })).await;
    let problem = assert_problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["password"]);
    let malformed = app
        .request(reqwest::Method::POST, "/auth/register", None)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST).await;
}

async fn login_issues_a_bearer_token_pair(app: TestApp) {
    let user = app.user().await;
    let tokens = app.login(&user.email, PASSWORD).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let me: Value = app.get("/me", tokens["access_token"].as_str()).await.json().await.unwrap();
    assert_eq!(me["email"], user.email.as_str());
}

async fn wrong_password_and_unknown_email_look_the_same(app: TestApp) {
    let user = app.user().await;
    let wrong =
        app.post("/auth/login", None, json!({ "email": user.email, "password": "wrong password" })).await;
    let mut wrong = assert_problem(wrong, StatusCode::UNAUTHORIZED).await;
    let unknown = app
        .post("/auth/login", None, json!({ "email": "nobody@example.com", "password": "wrong password" }))
        .await;
    let mut unknown = assert_problem(unknown, StatusCode::UNAUTHORIZED).await;
    for problem in [&mut wrong, &mut unknown] {
        let members = problem.as_object_mut().unwrap();
        members.remove("request_id");
        members.remove("trace_id");
    }
    assert_eq!(wrong, unknown);
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let user = app.user().await;
    let first = app.post("/auth/refresh", None, json!({ "refresh_token": user.refresh_token })).await;
    assert_eq!(first.status(), StatusCode::OK);
    let rotated: Value = first.json().await.unwrap();
    assert_ne!(rotated["refresh_token"], user.refresh_token.as_str());
    assert_eq!(app.get("/me", rotated["access_token"].as_str()).await.status(), StatusCode::OK);

    // Presented again at once (a reload while the answer was on its way): a new pair of the
    // same family, not a sign-out.
    let raced = app.post("/auth/refresh", None, json!({ "refresh_token": user.refresh_token })).await;
    assert_eq!(raced.status(), StatusCode::OK);
    let raced: Value = raced.json().await.unwrap();
    assert_eq!(app.get("/me", raced["access_token"].as_str()).await.status(), StatusCode::OK);

    // Presented again after the grace window: a replay. Refused, and every token rotated
    // from the same sign-in dies with it.
    app.clock.advance(chrono::Duration::seconds(11));
    let reuse = app.post("/auth/refresh", None, json!({ "refresh_token": user.refresh_token })).await;
    assert_problem(reuse, StatusCode::UNAUTHORIZED).await;
    for token in [&rotated["refresh_token"], &raced["refresh_token"]] {
        let after = app.post("/auth/refresh", None, json!({ "refresh_token": token })).await;
        assert_problem(after, StatusCode::UNAUTHORIZED).await;
    }
}

/// Ten tabs refreshing the same token at once all keep the session.
async fn racing_refreshes_keep_the_session(app: TestApp) {
    let user = app.user().await;
    let requests =
        (0..10).map(|_| app.post("/auth/refresh", None, json!({ "refresh_token": user.refresh_token })));
    for response in futures::future::join_all(requests).await {
        assert_eq!(response.status(), StatusCode::OK);
    }
}

async fn logout_revokes_the_refresh_token(app: TestApp) {
    let user = app.user().await;
    let logout = app.post("/auth/logout", None, json!({ "refresh_token": user.refresh_token })).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let refresh = app.post("/auth/refresh", None, json!({ "refresh_token": user.refresh_token })).await;
    assert_problem(refresh, StatusCode::UNAUTHORIZED).await;
    let unknown = app.post("/auth/refresh", None, json!({ "refresh_token": "made-up" })).await;
    assert_problem(unknown, StatusCode::UNAUTHORIZED).await;
}

#[derive(serde::Serialize)]
struct ForgedClaims<'a> {
    sub: &'a str,
    role: &'a str,
    iss: &'a str,
    iat: i64,
    exp: i64,
}

async fn me_refuses_missing_forged_and_expired_tokens(app: TestApp) {
    let user = app.user().await;
    let now = chrono::Utc::now().timestamp();
    let claims = |exp| ForgedClaims { sub: &user.id, role: "admin", iss: "kyros", iat: now, exp };
    let bad_signature = encode(
        &Header::default(),
        &claims(now + 600),
        &EncodingKey::from_secret(b"someone-elses-secret-0123456789"),
    )
    .unwrap();
    let expired = encode(
        &Header::default(),
        &claims(now - 10),
        &EncodingKey::from_secret(b"integration-test-secret-0123456789abcdef"),
    )
    .unwrap();
    let alg_none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(now + 600)).unwrap())
    );
    assert_problem(app.get("/me", None).await, StatusCode::UNAUTHORIZED).await;
    for token in ["garbage", bad_signature.as_str(), expired.as_str(), alg_none.as_str()] {
        assert_problem(app.get("/me", Some(token)).await, StatusCode::UNAUTHORIZED).await;
    }
    let basic = app
        .request(reqwest::Method::GET, "/me", None)
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_problem(basic, StatusCode::UNAUTHORIZED).await;
    let me: Value = app.get("/me", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(me["id"], user.id.as_str());
}

crate::on_both_databases!(
    registration_returns_the_user_without_secrets,
    a_duplicate_email_is_a_conflict,
    racing_registrations_of_one_email_make_one_account,
    bad_registration_fields_are_named,
    login_issues_a_bearer_token_pair,
    wrong_password_and_unknown_email_look_the_same,
    refresh_rotates_and_reuse_revokes_the_family,
    racing_refreshes_keep_the_session,
    logout_revokes_the_refresh_token,
    me_refuses_missing_forged_and_expired_tokens,
);
