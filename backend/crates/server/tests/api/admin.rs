//! Administration: the accounts list and role changes, and who may use them.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{TestApp, TestUser, assert_problem, error_fields};

async fn patch_role(app: &TestApp, admin: &TestUser, user_id: &str, role: &str) -> reqwest::Response {
    app.send_json(
        Method::PATCH,
        &format!("/admin/users/{user_id}"),
        Some(&admin.token),
        json!({ "role": role }),
    )
    .await
}

async fn users_page(app: &TestApp, admin: &TestUser, query: &[(&str, &str)]) -> Value {
    let response =
        app.request(Method::GET, "/admin/users", Some(&admin.token)).query(query).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    response.json().await.unwrap()
}

async fn admins_list_accounts_with_their_job_counts(app: TestApp) {
    let admin = app.admin().await;
    let busy = app.user().await;
    let idle = app.user().await;
    for name in ["one", "two"] {
        let draft = app.post("/jobs", Some(&busy.token), json!({ "name": name })).await;
        assert_eq!(draft.status(), StatusCode::CREATED);
    }

    let everyone = users_page(&app, &admin, &[]).await;
    let items = everyone["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|user| user["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [idle.id.as_str(), busy.id.as_str(), admin.id.as_str()], "newest first");
    assert_eq!(items[1]["jobs"], 2);
    assert_eq!(items[0]["jobs"], 0);
    assert_eq!(items[2]["role"], "admin");
    assert!(items.iter().all(|user| user.get("password_hash").is_none()));
    assert!(everyone["next_cursor"].is_null());

    // Search is by part of the email, in any case; `%` is a character, not a wildcard.
    let part = busy.email.split('@').next().unwrap()[5..].to_uppercase();
    let found = users_page(&app, &admin, &[("q", &part)]).await;
    let found: Vec<&str> =
        found["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(found, [busy.email.as_str()]);
    assert!(users_page(&app, &admin, &[("q", "%")]).await["items"].as_array().unwrap().is_empty());

    let first = users_page(&app, &admin, &[("limit", "2")]).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let second = users_page(&app, &admin, &[("limit", "2"), ("cursor", &cursor)]).await;
    assert_eq!(second["items"][0]["id"], admin.id.as_str());
    assert!(second["next_cursor"].is_null());

    for (query, field) in [(("limit", "500"), "limit"), (("cursor", "nope"), "cursor")] {
        let response = app
            .request(Method::GET, "/admin/users", Some(&admin.token))
            .query(&[query])
            .send()
            .await
            .unwrap();
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [field]);
    }
}

async fn admin_routes_refuse_everyone_else(app: TestApp) {
    let user = app.user().await;
    let admin = app.admin().await;
    assert_problem(app.get("/admin/users", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/admin/users", Some("not-a-token")).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/admin/users", Some(&user.token)).await, StatusCode::FORBIDDEN).await;
    assert_problem(patch_role(&app, &user, &user.id, "admin").await, StatusCode::FORBIDDEN).await;
    let unchanged: Value = app.get("/me", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(unchanged["role"], "user");

    // Personal API tokens never reach admin routes, not even an administrator's.
    let created: Value = app
        .post("/me/tokens", Some(&admin.token), json!({ "name": "script", "scopes": ["write"] }))
        .await
        .json()
        .await
        .unwrap();
    let api_token = created["token"].as_str().unwrap();
    assert_problem(app.get("/admin/users", Some(api_token)).await, StatusCode::FORBIDDEN).await;
    assert_problem(app.get("/admin/audit", Some(api_token)).await, StatusCode::FORBIDDEN).await;
}

async fn roles_change_at_once_and_are_audited(app: TestApp) {
    let admin = app.admin().await;
    let user = app.user().await;
    assert_problem(app.get("/admin/users", Some(&user.token)).await, StatusCode::FORBIDDEN).await;

    let promoted = patch_role(&app, &admin, &user.id, "admin").await;
    assert_eq!(promoted.status(), StatusCode::OK);
    let promoted: Value = promoted.json().await.unwrap();
    assert_eq!((promoted["id"].clone(), promoted["role"].clone()), (json!(user.id), json!("admin")));
    // The role is read from the database, so the same (unexpired) token works at once…
    assert_eq!(app.get("/admin/users", Some(&user.token)).await.status(), StatusCode::OK);
    let demoted = patch_role(&app, &admin, &user.id, "user").await;
    assert_eq!(demoted.status(), StatusCode::OK);
    // …and stops working at once.
    assert_problem(app.get("/admin/users", Some(&user.token)).await, StatusCode::FORBIDDEN).await;

    let problem =
        assert_problem(patch_role(&app, &admin, &user.id, "root").await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(error_fields(&problem), ["role"]);
    let missing = app
        .send_json(Method::PATCH, &format!("/admin/users/{}", user.id), Some(&admin.token), json!({}))
        .await;
    assert_eq!(error_fields(&assert_problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await), ["role"]);
    let nobody = Uuid::now_v7().to_string();
    assert_problem(patch_role(&app, &admin, &nobody, "admin").await, StatusCode::NOT_FOUND).await;
    assert_problem(patch_role(&app, &admin, "not-an-id", "admin").await, StatusCode::NOT_FOUND).await;

    let audit: Value =
        app.get("/admin/audit?kind=user.role_changed", Some(&admin.token)).await.json().await.unwrap();
    let changes: Vec<(Value, Value)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            assert_eq!(event["actor_id"], admin.id.as_str());
            assert_eq!(event["subject_id"], user.id.as_str());
            assert_eq!(event["payload"]["email"], user.email.as_str());
            (event["payload"]["from"].clone(), event["payload"]["to"].clone())
        })
        .collect();
    assert_eq!(changes, [(json!("admin"), json!("user")), (json!("user"), json!("admin"))]);
}

async fn the_last_administrator_cannot_step_down(app: TestApp) {
    let admin = app.admin().await;
    let problem =
        assert_problem(patch_role(&app, &admin, &admin.id, "user").await, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("last administrator"), "{problem}");
    assert_eq!(app.get("/admin/users", Some(&admin.token)).await.status(), StatusCode::OK);

    // With a second administrator, either may step down — but not both.
    let deputy = app.admin().await;
    assert_eq!(patch_role(&app, &admin, &admin.id, "user").await.status(), StatusCode::OK);
    assert_problem(patch_role(&app, &deputy, &deputy.id, "user").await, StatusCode::CONFLICT).await;
    let me: Value = app.get("/me", Some(&deputy.token)).await.json().await.unwrap();
    assert_eq!(me["role"], "admin");
}

crate::on_both_databases!(
    admins_list_accounts_with_their_job_counts,
    admin_routes_refuse_everyone_else,
    roles_change_at_once_and_are_audited,
    the_last_administrator_cannot_step_down,
);
