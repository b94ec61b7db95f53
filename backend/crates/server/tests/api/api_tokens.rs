use reqwest::{Method, StatusCode};
use sea_orm::{
    ConnectionTrait,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::{Value, json};

use crate::common::{TestApp, assert_problem, error_fields};

async fn create(app: &TestApp, session: &str, body: Value) -> Value {
    let response = app.post("/me/tokens", Some(session), body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn a_write_token_acts_for_its_owner_until_revoked(app: TestApp) {
    let user = app.user().await;
    let created =
        create(&app, &user.token, json!({ "name": "Nightly export", "scopes": ["write", "read", "write"] }))
            .await;
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("kyr_") && token.len() > 40);
    assert!(token.starts_with(created["prefix"].as_str().unwrap()));
    assert_eq!(created["scopes"], json!(["read", "write"]));
    assert_eq!(created["expires_at"], Value::Null);

    let me: Value = app.get("/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me["id"], user.id.as_str());
    let job = app.post("/jobs", Some(&token), json!({ "name": "From a script" })).await;
    assert_eq!(job.status(), StatusCode::CREATED);

    // Listed without the secret, with when it was last used.
    let list: Value = app.get("/me/tokens", Some(&user.token)).await.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0].get("token").is_none());
    assert!(items[0]["last_used_at"].is_string());
    assert!(!list.to_string().contains(&token));

    // A token cannot mint or revoke tokens.
    assert_problem(
        app.post("/me/tokens", Some(&token), json!({ "name": "x", "scopes": ["read"] })).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let path = format!("/me/tokens/{}", created["id"].as_str().unwrap());
    assert_problem(
        app.request(Method::DELETE, &path, Some(&token)).send().await.unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;

    assert_eq!(
        app.request(Method::DELETE, &path, Some(&user.token)).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(app.get("/me", Some(&token)).await, StatusCode::UNAUTHORIZED).await;
}

async fn a_read_token_only_reads(app: TestApp) {
    let user = app.user().await;
    let created =
        create(&app, &user.token, json!({ "name": "Dashboard", "scopes": ["read"], "expires_in_days": 30 }))
            .await;
    assert!(created["expires_at"].is_string());
    let token = created["token"].as_str().unwrap();
    assert_eq!(app.get("/jobs", Some(token)).await.status(), StatusCode::OK);
    assert_problem(app.post("/jobs", Some(token), json!({ "name": "nope" })).await, StatusCode::FORBIDDEN)
        .await;
}

async fn expired_and_unknown_tokens_are_refused(app: TestApp) {
    let user = app.user().await;
    let created =
        create(&app, &user.token, json!({ "name": "Short", "scopes": ["read"], "expires_in_days": 1 })).await;
    let token = created["token"].as_str().unwrap();
    assert_eq!(app.get("/me", Some(token)).await.status(), StatusCode::OK);
    let expire = Query::update()
        .table("api_tokens")
        .value("expires_at", chrono::Utc::now() - chrono::Duration::minutes(1))
        .and_where(Expr::col("owner_id").eq(uuid::Uuid::parse_str(&user.id).unwrap()))
        .to_owned();
    app.db.execute(&expire).await.unwrap();
    assert_problem(app.get("/me", Some(token)).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/me", Some("kyr_not-a-real-token")).await, StatusCode::UNAUTHORIZED).await;
}

async fn token_requests_are_validated_and_private(app: TestApp) {
    let user = app.user().await;
    let problem = assert_problem(
        app.post("/me/tokens", Some(&user.token), json!({ "name": " ", "scopes": [], "expires_in_days": 0 }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["name", "scopes", "expires_in_days"]);
    assert_problem(
        app.post("/me/tokens", Some(&user.token), json!({ "name": "x", "scopes": ["admin"] })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_problem(
        app.post("/me/tokens", None, json!({ "name": "x", "scopes": ["read"] })).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_problem(app.get("/me/tokens", None).await, StatusCode::UNAUTHORIZED).await;

    let created = create(&app, &user.token, json!({ "name": "Mine", "scopes": ["read"] })).await;
    let other = app.user().await;
    let path = format!("/me/tokens/{}", created["id"].as_str().unwrap());
    assert_problem(
        app.request(Method::DELETE, &path, Some(&other.token)).send().await.unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    let theirs: Value = app.get("/me/tokens", Some(&other.token)).await.json().await.unwrap();
    assert_eq!(theirs["items"], json!([]));

    // At most 20 tokens each.
    for index in 1..20 {
        create(&app, &user.token, json!({ "name": format!("token {index}"), "scopes": ["read"] })).await;
    }
    assert_problem(
        app.post("/me/tokens", Some(&user.token), json!({ "name": "one more", "scopes": ["read"] })).await,
        StatusCode::CONFLICT,
    )
    .await;
}

crate::on_both_databases!(
    a_write_token_acts_for_its_owner_until_revoked,
    a_read_token_only_reads,
    expired_and_unknown_tokens_are_refused,
    token_requests_are_validated_and_private,
);
