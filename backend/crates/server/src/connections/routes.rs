use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::{
    authorize::{self, Completed},
    choices,
    model::{
        AccountChoice, Authorization, AuthorizeRequest, ChooseAccountsRequest, CompleteAuthorizationRequest,
        ConnectBlueskyRequest, Connection, ConnectionList,
    },
    service,
};
use crate::{
    auth::AuthUser,
    connectors::network::Network,
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath},
    state::AppState,
};

/// The caller's connected accounts, oldest first. Tokens are never returned.
#[utoipa::path(get, path = "/connections", tag = "connections", security(("bearer" = [])),
    responses((status = 200, body = ConnectionList),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_connections(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<ConnectionList>, ApiError> {
    Ok(Json(service::list(&state, user).await?))
}

#[utoipa::path(get, path = "/connections/{id}", tag = "connections", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Connection id")),
    responses((status = 200, body = Connection),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_connection(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<Connection>, ApiError> {
    Ok(Json(service::get(&state, user, id).await?))
}

/// Connects a Bluesky account with an app password (201, or 200 when it was connected before:
/// its tokens are replaced and a "Reconnect" state cleared).
#[utoipa::path(post, path = "/connections/bluesky", tag = "connections", security(("bearer" = [])),
    request_body = ConnectBlueskyRequest,
    responses((status = 201, body = Connection), (status = 200, body = Connection),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")))]
pub async fn connect_bluesky(
    State(state): State<AppState>,
    user: AuthUser,
    ValidJson(request): ValidJson<ConnectBlueskyRequest>,
) -> Result<(StatusCode, Json<Connection>), ApiError> {
    let (connection, created) = service::connect_bluesky(&state, user, request).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(connection)))
}

/// Starts connecting an X, LinkedIn or Mastodon account: send the user to `authorize_url`.
/// The network sends them back to the console's `/connections/callback`, which completes it
/// with `POST /connections/callback`. 409 when the network is not set up on this server.
#[utoipa::path(post, path = "/connections/{network}/authorize", tag = "connections", security(("bearer" = [])),
    params(("network" = String, Path, description = "`x`, `linkedin` or `mastodon`")),
    request_body = AuthorizeRequest,
    responses((status = 200, body = Authorization),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")))]
pub async fn authorize(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(network): ValidPath<String>,
    ValidJson(request): ValidJson<AuthorizeRequest>,
) -> Result<Json<Authorization>, ApiError> {
    let network: Network = network.parse().map_err(|_| ApiError::NotFound("network"))?;
    Ok(Json(authorize::start(&state, user, network, request).await?))
}

/// Completes connecting with what the network's consent page sent back (201, or 200 when the
/// account was connected before: its tokens are replaced and a "Reconnect" state cleared).
/// 202 when the consent can connect several accounts (a LinkedIn member's profile and the
/// pages they administer, with `LINKEDIN_ORGANIZATION_PAGES` on): choose with
/// `POST /connections/choose`.
#[utoipa::path(post, path = "/connections/callback", tag = "connections", security(("bearer" = [])),
    request_body = CompleteAuthorizationRequest,
    responses((status = 201, body = Connection), (status = 200, body = Connection),
        (status = 202, body = AccountChoice),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")))]
pub async fn complete_authorization(
    State(state): State<AppState>,
    user: AuthUser,
    ValidJson(request): ValidJson<CompleteAuthorizationRequest>,
) -> Result<Response, ApiError> {
    Ok(match authorize::complete(&state, user, request).await? {
        Completed::Connected { connection, created } => {
            (if created { StatusCode::CREATED } else { StatusCode::OK }, Json(connection)).into_response()
        }
        Completed::Choice(choice) => (StatusCode::ACCEPTED, Json(choice)).into_response(),
    })
}

/// Connects the accounts chosen from a consent that offered several (`POST
/// /connections/callback`'s 202), each with that consent's tokens: those connected before get
/// them too and lose a "Reconnect" state. The choice answers once.
#[utoipa::path(post, path = "/connections/choose", tag = "connections", security(("bearer" = [])),
    request_body = ChooseAccountsRequest,
    responses((status = 200, body = ConnectionList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn choose_accounts(
    State(state): State<AppState>,
    user: AuthUser,
    ValidJson(request): ValidJson<ChooseAccountsRequest>,
) -> Result<Json<ConnectionList>, ApiError> {
    Ok(Json(choices::choose(&state, user, request).await?))
}

/// Forgets the account and its tokens; posts scheduled for it fail with that reason.
#[utoipa::path(delete, path = "/connections/{id}", tag = "connections", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Connection id")),
    responses((status = 204, description = "Disconnected"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_connection(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    service::disconnect(&state, user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
