//! The consent page every fake shows at its authorize URL, and the redirect back to the app.

use axum::{
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use chrono::{Duration, Utc};
use html_escape::{encode_double_quoted_attribute, encode_text};
use serde::Deserialize;
use url::Url;

use crate::core::{Challenge, Code, Core};

/// The authorize request's query, as every network spells it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuthorizeQuery {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// An authorize request the network accepted.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    pub client_id: String,
    pub client_name: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: Option<String>,
    pub challenge: Option<Challenge>,
    /// How long the code may wait before it is traded.
    pub code_lifetime: Duration,
}

/// The button the user pressed.
#[derive(Debug, Deserialize)]
pub(crate) struct Decision {
    #[serde(default)]
    decision: String,
}

/// The consent page: who is signed in, which app asks for what, and an "Authorize" button
/// posting back to the same URL.
pub(crate) fn page(network: &str, account: &str, authorization: &Authorization, action: &str) -> Response {
    let scopes: String = authorization
        .scope
        .split([' ', ','])
        .filter(|scope| !scope.is_empty())
        .map(|scope| format!("<li>{}</li>", encode_text(scope)))
        .collect();
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorize {app} – {network}</title></head>
<body>
<main>
<h1>Authorize {app} to use your {network} account?</h1>
<p>Signed in as <strong>{account}</strong>.</p>
<p>{app} will be able to:</p>
<ul>{scopes}</ul>
<form method="post" action="{action}">
<button type="submit" name="decision" value="allow">Authorize</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form>
</main>
</body>
</html>
"#,
        app = encode_text(&authorization.client_name),
        network = encode_text(network),
        account = encode_text(account),
        action = encode_double_quoted_attribute(action),
    );
    Html(html).into_response()
}

/// What the network shows instead of a consent page for a request it refuses.
pub(crate) fn refusal(network: &str, reason: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{network}</title></head>\
         <body><main><h1>Something went wrong</h1><p>{reason}</p></main></body></html>\n",
        network = encode_text(network),
        reason = encode_text(reason),
    );
    (StatusCode::BAD_REQUEST, Html(html)).into_response()
}

/// Sends the user back to the app: with a code when they authorised it, with
/// `error=access_denied` when they did not (RFC 6749 §4.1.2).
pub(crate) fn decide(core: &Core, authorization: Authorization, decision: &Decision) -> Response {
    let mut params = if decision.decision == "allow" {
        let code = core.create_code(Code {
            client_id: authorization.client_id,
            redirect_uri: authorization.redirect_uri.clone(),
            scope: authorization.scope,
            challenge: authorization.challenge,
            expires_at: Utc::now() + authorization.code_lifetime,
        });
        vec![("code", code)]
    } else {
        vec![("error", "access_denied".to_owned())]
    };
    if let Some(state) = authorization.state {
        params.push(("state", state));
    }
    let Ok(mut target) = Url::parse(&authorization.redirect_uri) else {
        return refusal("OAuth", "the redirect URI is not a URL");
    };
    target.query_pairs_mut().extend_pairs(params);
    (StatusCode::SEE_OTHER, [(header::LOCATION, target.to_string())]).into_response()
}

/// The path and query a request came in on, to post the decision back to.
pub(crate) fn action(uri: &axum::http::Uri) -> String {
    uri.path_and_query().map_or_else(|| uri.path().to_owned(), |path| path.as_str().to_owned())
}
