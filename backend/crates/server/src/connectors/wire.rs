//! What the network clients share on the wire: reading an answer with a size cap, turning
//! transport failures into [`NetworkError::Transient`], and the rate-limit headers networks use
//! to say when to come back.

use chrono::{DateTime, Duration, Utc};
use reqwest::{
    StatusCode,
    header::{HeaderMap, RETRY_AFTER},
};
use serde::de::DeserializeOwned;
use url::Url;

use super::network::NetworkError;

/// No answer we read is anywhere near this; a larger one (a hostile instance) is cut off.
const MAX_BODY_BYTES: usize = 1024 * 1024;

const USER_AGENT: &str = concat!("Kyros/", env!("CARGO_PKG_VERSION"));

/// A client for a network whose address comes from the operator's configuration (X, LinkedIn),
/// so it needs no address checks. It never follows redirects: nothing we call answers with one,
/// and a redirect must not carry a bearer token elsewhere.
pub(super) fn configured_client(timeout: std::time::Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .build()
}

/// A network's answer, read whole.
#[derive(Debug)]
pub(super) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as `T`; a success we cannot read is worth another try later, like any other
    /// garbled answer from a proxy in between.
    pub fn json<T: DeserializeOwned>(&self, network: &str) -> Result<T, NetworkError> {
        serde_json::from_slice(&self.body).map_err(|error| {
            NetworkError::Transient(format!("{network} answered with an unexpected body: {error}"))
        })
    }
}

/// Sends `request` and reads the answer, whatever its status.
pub(super) async fn send(request: reqwest::RequestBuilder, network: &str) -> Result<Answer, NetworkError> {
    let mut response = crate::traces::send(request).await.map_err(|error| transport(network, &error))?;
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| transport(network, &error))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(NetworkError::Transient(format!(
                "{network} answered with more than {MAX_BODY_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer { status, headers, body })
}

/// Timeouts, refused connections and broken answers: all worth another try. The message names
/// the host only; tokens travel in headers and bodies, never in what is reported here.
pub(super) fn transport(network: &str, error: &reqwest::Error) -> NetworkError {
    let host = error.url().and_then(Url::host_str).unwrap_or("the server");
    let what = if error.is_timeout() {
        "took too long to answer"
    } else if error.is_connect() {
        "could not be reached"
    } else {
        "failed mid-request"
    };
    NetworkError::Transient(format!("{network} ({host}) {what}"))
}

/// `Retry-After` (RFC 9110 §10.2.3): delay seconds or an HTTP date.
pub(super) fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(now + Duration::seconds(i64::from(seconds)));
    }
    DateTime::parse_from_rfc2822(value).ok().map(|date| date.with_timezone(&Utc))
}

/// A header holding Unix seconds (X's `x-rate-limit-reset`).
pub(super) fn epoch_seconds(headers: &HeaderMap, name: &str) -> Option<DateTime<Utc>> {
    let seconds = headers.get(name)?.to_str().ok()?.trim().parse::<i64>().ok()?;
    DateTime::from_timestamp(seconds, 0)
}

/// A header holding an ISO 8601 time (Mastodon's `X-RateLimit-Reset`).
pub(super) fn iso8601(headers: &HeaderMap, name: &str) -> Option<DateTime<Utc>> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    DateTime::parse_from_rfc3339(value).ok().map(|date| date.with_timezone(&Utc))
}

/// `base` with `path` appended, keeping any path prefix `base` has.
pub(super) fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!("{}/{}", base.path().trim_end_matches('/'), path.trim_start_matches('/'));
    url.set_path(&joined);
    url.set_query(None);
    url
}

/// An answer as a network would send it, for the clients' error-mapping tests.
#[cfg(test)]
pub(super) fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(*name, reqwest::header::HeaderValue::from_str(value).unwrap());
    }
    Answer { status: StatusCode::from_u16(status).unwrap(), headers: map, body: body.as_bytes().to_vec() }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(retry_after(&headers(&[("retry-after", "120")]), now), Some(now + Duration::seconds(120)));
        assert_eq!(
            retry_after(&headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]), now),
            DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z").ok().map(|date| date.with_timezone(&Utc))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn reset_headers_read_epochs_and_iso_times() {
        assert_eq!(
            epoch_seconds(&headers(&[("x-rate-limit-reset", "1705420800")]), "x-rate-limit-reset"),
            DateTime::from_timestamp(1_705_420_800, 0)
        );
        assert_eq!(
            iso8601(&headers(&[("x-ratelimit-reset", "2019-12-08T08:40:00.000Z")]), "x-ratelimit-reset"),
            DateTime::parse_from_rfc3339("2019-12-08T08:40:00Z").ok().map(|date| date.with_timezone(&Utc))
        );
    }

    #[test]
    fn endpoints_keep_the_base_path() {
        let base = Url::parse("http://127.0.0.1:9000/prefix/").unwrap();
        assert_eq!(endpoint(&base, "/2/tweets").as_str(), "http://127.0.0.1:9000/prefix/2/tweets");
        let base = Url::parse("https://api.x.com").unwrap();
        assert_eq!(endpoint(&base, "2/users/me").as_str(), "https://api.x.com/2/users/me");
    }
}
