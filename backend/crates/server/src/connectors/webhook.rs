//! The `webhook` connector: a signed JSON POST to the user's URL.
//!
//! Receivers verify `Kyros-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` computed over
//! `"<t>.<body>"` with the user's secret, reject stale timestamps, and use `Idempotency-Key`
//! to drop repeated deliveries of the same occurrence; `traceparent` (W3C trace context) names
//! our span of the delivery. Events (`published`, sent after a post went out to a connected
//! account) travel the same way, through [`WebhookConnector::deliver`].

use std::time::Duration;

use hmac::{Hmac, Mac};
use ipnet::IpNet;
use reqwest::{StatusCode, header};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use url::Url;

use super::{Connector, Publication, PublishError};
use crate::sources::fetch::{self, FetchError};

pub const SIGNATURE_HEADER: &str = "kyros-signature";

#[derive(Debug, Clone)]
pub struct WebhookConnector {
    pub url: String,
    pub secret: SecretString,
    pub allowlist: Vec<IpNet>,
    pub timeout: Duration,
    /// Unix seconds put in the signature (the scheduler's clock).
    pub timestamp: i64,
}

/// The `Kyros-Signature` value for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Checks that `url` is a webhook we may call: http(s) and not inside our network.
pub async fn check_url(url: &str, allowlist: &[IpNet], timeout: Duration) -> Result<Url, FetchError> {
    let parsed = Url::parse(url.trim()).map_err(|_| FetchError::InvalidUrl)?;
    fetch::pinned_client(&parsed, allowlist, timeout).await?;
    Ok(parsed)
}

impl WebhookConnector {
    /// POSTs `body` (JSON) signed with the user's secret, with `idempotency_key` so the
    /// receiver can drop a repeated delivery; returns a short description of the answer.
    pub async fn deliver(&self, body: Vec<u8>, idempotency_key: &str) -> Result<String, PublishError> {
        let url = Url::parse(&self.url)
            .map_err(|_| PublishError::Permanent("the webhook URL is invalid".into()))?;
        // Resolved and checked again at every delivery: DNS may have changed since it was saved.
        let client =
            fetch::pinned_client(&url, &self.allowlist, self.timeout).await.map_err(|error| match error {
                FetchError::Resolve(_) | FetchError::Network(_) | FetchError::Timeout => {
                    PublishError::Transient(format!("the webhook URL {error}"))
                }
                other => PublishError::Permanent(format!("the webhook URL {other}")),
            })?;
        let request = client
            .post(url)
            .header(header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature(self.secret.expose_secret(), self.timestamp, &body))
            .header("idempotency-key", idempotency_key)
            .body(body);
        let response = crate::traces::send(request)
            .await
            .map_err(|error| PublishError::Transient(fetch::network_error(error).to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(format!("delivered: HTTP {}", status.as_u16()))
        } else if status.is_server_error()
            || status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::REQUEST_TIMEOUT
        {
            Err(PublishError::Transient(format!("the webhook answered HTTP {}", status.as_u16())))
        } else {
            Err(PublishError::Permanent(format!("the webhook answered HTTP {}", status.as_u16())))
        }
    }
}

impl Connector for WebhookConnector {
    async fn publish(&self, publication: &Publication) -> Result<String, PublishError> {
        let body =
            serde_json::to_vec(publication).map_err(|error| PublishError::Permanent(error.to_string()))?;
        self.deliver(body, &publication.idempotency_key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_an_independent_hmac_sha256() {
        // HMAC-SHA256(key = "secret", message = "1700000000.{}"), computed with `openssl dgst -sha256 -hmac secret`.
        assert_eq!(
            signature("secret", 1_700_000_000, b"{}"),
            "t=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let connector = WebhookConnector {
            url: "https://hooks.example/kyros".into(),
            secret: "whsec-1234".into(), // pragma: allowlist secret
            allowlist: Vec::new(),
            timeout: Duration::from_secs(5),
            timestamp: 1_700_000_000,
        };
        let printed = format!("{connector:?}");
        assert!(!printed.contains("whsec-1234"), "{printed}");
        assert!(printed.contains("hooks.example"), "{printed}");
    }
}
