//! XRPC over HTTP: `GET /xrpc/<nsid>` for queries, `POST /xrpc/<nsid>` for procedures.
//!
//! The PDS a request goes to comes from a DID document its account controls, so every host is
//! resolved and checked like a fetched URL: public addresses only, unless allow-listed (tests
//! allow loopback). Redirects are not followed and answers are read up to a size cap.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use ipnet::IpNet;
use reqwest::{
    Method, StatusCode,
    dns::{Addrs, Name, Resolve, Resolving},
    header,
};
use serde::{Serialize, de::DeserializeOwned};
use url::Url;

use super::error::{BlueskyError, CallKind, classify, from_transport};
use crate::sources::fetch;

/// Bluesky's answers are small JSON documents; anything larger is refused.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
const USER_AGENT: &str = concat!("Kyros/", env!("CARGO_PKG_VERSION"), " (+https://kyros.dev/bot)");

/// A host that resolved to an address outside the allow-list.
#[derive(Debug, thiserror::Error)]
#[error("{0} resolves to a private, loopback or reserved address, which is not allowed")]
pub(crate) struct ForbiddenAddress(String);

/// Resolves host names for reqwest, refusing any name with an address we may not reach.
#[derive(Debug)]
struct GuardedResolver {
    allowlist: Arc<[IpNet]>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allowlist = Arc::clone(&self.allowlist);
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addresses.iter().any(|address| !fetch::is_allowed(address.ip(), &allowlist)) {
                return Err(Box::new(ForbiddenAddress(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            let addresses: Addrs = Box::new(addresses.into_iter());
            Ok(addresses)
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Xrpc {
    http: reqwest::Client,
    allowlist: Arc<[IpNet]>,
}

/// One XRPC call: where it goes and with which credentials.
pub(crate) struct Call<'a> {
    pub service: &'a Url,
    pub nsid: &'a str,
    pub kind: CallKind,
    /// The access or refresh token, sent as `Authorization: Bearer`.
    pub token: Option<&'a str>,
}

impl Xrpc {
    pub fn new(timeout: Duration, allowlist: &[IpNet]) -> Result<Self, BlueskyError> {
        let allowlist: Arc<[IpNet]> = allowlist.into();
        let http = reqwest::Client::builder()
            // A proxy from the environment would connect on our behalf to addresses we never checked.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(USER_AGENT)
            .dns_resolver(Arc::new(GuardedResolver { allowlist: Arc::clone(&allowlist) }))
            .build()
            .map_err(|error| BlueskyError::Transient(format!("building the HTTP client: {error}")))?;
        Ok(Self { http, allowlist })
    }

    /// `GET /xrpc/<nsid>?<params>` (repeated keys for arrays).
    pub async fn query<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
        params: &[(&str, &str)],
    ) -> Result<T, BlueskyError> {
        let mut url = xrpc_url(call.service, call.nsid)?;
        if !params.is_empty() {
            url.query_pairs_mut().extend_pairs(params);
        }
        let body = self.send(Method::GET, url, call.kind, call.token, None).await?;
        decode(call.nsid, &body)
    }

    /// `POST /xrpc/<nsid>` with a JSON body, or none.
    pub async fn procedure<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
        input: Option<&impl Serialize>,
    ) -> Result<T, BlueskyError> {
        let url = xrpc_url(call.service, call.nsid)?;
        let input = input
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|error| BlueskyError::permanent(format!("encoding {}: {error}", call.nsid)))?;
        let body = self.send(Method::POST, url, call.kind, call.token, input).await?;
        decode(call.nsid, &body)
    }

    /// A plain `GET` of a document outside XRPC (a DID document, `/.well-known/atproto-did`).
    pub async fn get(&self, url: Url) -> Result<Vec<u8>, BlueskyError> {
        self.send(Method::GET, url, CallKind::Public, None, None).await
    }

    async fn send(
        &self,
        method: Method,
        url: Url,
        kind: CallKind,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, BlueskyError> {
        self.check_url(&url)?;
        let mut request = self.http.request(method, url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.header(header::CONTENT_TYPE, "application/json").body(body);
        }
        let mut response = crate::traces::send(request).await.map_err(from_transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        if response.content_length().is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
            return Err(too_large(status));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(from_transport)? {
            if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(too_large(status));
            }
            bytes.extend_from_slice(&chunk);
        }
        if status.is_success() { Ok(bytes) } else { Err(classify(kind, status, &headers, &bytes)) }
    }

    /// Host names are checked by the resolver; an address written in the URL never reaches it.
    fn check_url(&self, url: &Url) -> Result<(), BlueskyError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BlueskyError::permanent(format!("`{url}` is not an http(s) URL")));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            Some(url::Host::Domain(_)) => None,
            None => return Err(BlueskyError::permanent(format!("`{url}` has no host"))),
        };
        match literal {
            Some(ip) if !fetch::is_allowed(ip, &self.allowlist) => {
                Err(BlueskyError::permanent(ForbiddenAddress(ip.to_string()).to_string()))
            }
            _ => Ok(()),
        }
    }
}

fn too_large(status: StatusCode) -> BlueskyError {
    let error = format!("the answer (HTTP {}) is larger than {MAX_RESPONSE_BYTES} bytes", status.as_u16());
    if status.is_server_error() { BlueskyError::Transient(error) } else { BlueskyError::permanent(error) }
}

/// `<service>/xrpc/<nsid>`, keeping any path the service URL has.
fn xrpc_url(service: &Url, nsid: &str) -> Result<Url, BlueskyError> {
    let mut url = service.clone();
    url.path_segments_mut()
        .map_err(|_| BlueskyError::permanent(format!("`{service}` cannot be a service URL")))?
        .pop_if_empty()
        .extend(["xrpc", nsid]);
    url.set_query(None);
    Ok(url)
}

fn decode<T: DeserializeOwned>(nsid: &str, body: &[u8]) -> Result<T, BlueskyError> {
    // Procedures without output (`deleteSession`) answer with an empty body.
    let body = if body.is_empty() { b"null".as_slice() } else { body };
    serde_json::from_slice(body)
        .map_err(|error| BlueskyError::permanent(format!("unexpected answer to {nsid}: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xrpc_urls_keep_the_service_path() {
        let root = Url::parse("https://bsky.social").unwrap();
        assert_eq!(
            xrpc_url(&root, "com.atproto.server.createSession").unwrap().as_str(),
            "https://bsky.social/xrpc/com.atproto.server.createSession"
        );
        let nested = Url::parse("http://localhost:2583/pds/?x=1").unwrap();
        assert_eq!(
            xrpc_url(&nested, "app.bsky.feed.getPosts").unwrap().as_str(),
            "http://localhost:2583/pds/xrpc/app.bsky.feed.getPosts"
        );
    }

    #[tokio::test]
    async fn addresses_outside_the_allow_list_are_refused_before_connecting() {
        let xrpc = Xrpc::new(Duration::from_secs(2), &[]).unwrap();
        for url in
            ["http://127.0.0.1:9/xrpc/x", "http://[::1]:9/", "http://169.254.169.254/", "http://localhost:9/"]
        {
            let error = xrpc.get(Url::parse(url).unwrap()).await.unwrap_err();
            assert!(
                matches!(&error, BlueskyError::Permanent { message, .. } if message.contains("not allowed")),
                "{url}: {error:?}"
            );
        }
        let error = xrpc.get(Url::parse("file:///etc/passwd").unwrap()).await.unwrap_err();
        assert!(matches!(error, BlueskyError::Permanent { .. }), "{error:?}");
    }

    #[tokio::test]
    async fn a_refused_connection_on_an_allowed_address_is_transient() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let xrpc = Xrpc::new(Duration::from_secs(2), &["127.0.0.0/8".parse().unwrap()]).unwrap();
        let error = xrpc.get(Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap()).await.unwrap_err();
        assert!(matches!(error, BlueskyError::Transient(_)), "{error:?}");
    }
}
