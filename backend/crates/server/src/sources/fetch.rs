//! Fetching a web page for URL ingestion without letting a URL reach inside our network.
//!
//! Every hop (the first request and each redirect) resolves the host, refuses the request
//! unless every resolved address is public (or explicitly allow-listed), and then connects
//! to exactly the addresses it checked, so a second DNS answer cannot swap them.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    time::Duration,
};

use ipnet::IpNet;
use reqwest::{StatusCode, header};
use url::Url;

use crate::config::Config;

const MAX_REDIRECTS: usize = 5;
const USER_AGENT: &str = concat!("KyrosBot/", env!("CARGO_PKG_VERSION"), " (+https://kyros.dev/bot)");

/// Limits for one page fetch.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    pub max_bytes: usize,
    pub timeout: Duration,
    /// Networks reachable even though they are private (tests allow-list 127.0.0.1).
    pub allowlist: Vec<IpNet>,
}

impl FetchPolicy {
    /// The limits `URL_FETCH_*` set.
    pub fn of(config: &Config) -> Self {
        Self {
            max_bytes: config.url_fetch_max_bytes,
            timeout: config.url_fetch_timeout,
            allowlist: config.url_fetch_allowlist.clone(),
        }
    }
}

#[derive(Debug)]
pub struct FetchedPage {
    pub final_url: Url,
    pub body: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("is not a valid URL")]
    InvalidUrl,
    #[error("must start with http:// or https://")]
    UnsupportedScheme,
    #[error("points to a private, loopback or reserved address, which is not allowed")]
    ForbiddenAddress,
    #[error("could not be resolved: {0}")]
    Resolve(String),
    #[error("could not be fetched: {0}")]
    Network(String),
    #[error("took too long to answer")]
    Timeout,
    #[error("redirected more than {MAX_REDIRECTS} times")]
    TooManyRedirects,
    #[error("answered with HTTP {0}")]
    Status(u16),
    #[error("is not a web page (content type `{0}`)")]
    NotHtml(String),
    #[error("is larger than the {0} byte limit")]
    TooLarge(usize),
}

/// Fetches an HTML (or plain text) page under `policy`.
pub async fn fetch_page(raw_url: &str, policy: &FetchPolicy) -> Result<FetchedPage, FetchError> {
    let mut url = Url::parse(raw_url.trim()).map_err(|_| FetchError::InvalidUrl)?;
    for _ in 0..=MAX_REDIRECTS {
        let response = request_checked(&url, policy).await?;
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .ok_or(FetchError::Status(response.status().as_u16()))?;
            url = url.join(location).map_err(|_| FetchError::InvalidUrl)?;
            continue;
        }
        return read_page(url, response, policy).await;
    }
    Err(FetchError::TooManyRedirects)
}

async fn request_checked(url: &Url, policy: &FetchPolicy) -> Result<reqwest::Response, FetchError> {
    pinned_client(url, &policy.allowlist, policy.timeout)
        .await?
        .get(url.clone())
        .header(header::ACCEPT, "text/html,application/xhtml+xml,text/plain;q=0.8")
        .send()
        .await
        .map_err(network_error)
}

/// A client that reaches `url`'s host only at the addresses checked here (http/https, every
/// resolved address public or allow-listed) and never follows a redirect on its own.
pub async fn pinned_client(
    url: &Url,
    allowlist: &[IpNet],
    timeout: Duration,
) -> Result<reqwest::Client, FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::UnsupportedScheme);
    }
    let host = url.host_str().ok_or(FetchError::InvalidUrl)?.to_owned();
    let port = url.port_or_known_default().ok_or(FetchError::InvalidUrl)?;
    let addresses = resolve(&host, port).await?;
    if addresses.iter().any(|address| !is_allowed(address.ip(), allowlist)) {
        return Err(FetchError::ForbiddenAddress);
    }
    reqwest::Client::builder()
        // A proxy from the environment would connect on our behalf to addresses we never checked.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .user_agent(USER_AGENT)
        .resolve_to_addrs(host.trim_start_matches('[').trim_end_matches(']'), &addresses)
        .build()
        .map_err(|error| FetchError::Network(error.to_string()))
}

async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, FetchError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((bare, port))
        .await
        .map_err(|error| FetchError::Resolve(error.to_string()))?
        .collect();
    if addresses.is_empty() {
        return Err(FetchError::Resolve("no addresses".into()));
    }
    Ok(addresses)
}

async fn read_page(
    final_url: Url,
    mut response: reqwest::Response,
    policy: &FetchPolicy,
) -> Result<FetchedPage, FetchError> {
    let status = response.status();
    if status != StatusCode::OK {
        return Err(FetchError::Status(status.as_u16()));
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("text/html")
        .to_ascii_lowercase();
    if !["text/html", "application/xhtml+xml", "text/plain"].iter().any(|kind| content_type.starts_with(kind))
    {
        return Err(FetchError::NotHtml(content_type));
    }
    if response.content_length().is_some_and(|length| length as usize > policy.max_bytes) {
        return Err(FetchError::TooLarge(policy.max_bytes));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network_error)? {
        if body.len() + chunk.len() > policy.max_bytes {
            return Err(FetchError::TooLarge(policy.max_bytes));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(FetchedPage { final_url, body: String::from_utf8_lossy(&body).into_owned() })
}

pub fn network_error(error: reqwest::Error) -> FetchError {
    if error.is_timeout() { FetchError::Timeout } else { FetchError::Network(error.to_string()) }
}

/// Public unicast addresses, plus anything in the allow-list.
pub fn is_allowed(ip: IpAddr, allowlist: &[IpNet]) -> bool {
    allowlist.iter().any(|net| net.contains(&ip)) || is_public(ip)
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_private()
        || v4.is_loopback()
        || v4.is_link_local() // includes 169.254.169.254, the cloud metadata service
        || v4.is_broadcast()
        || v4.is_documentation()
        || v4.is_unspecified()
        || v4.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

/// An IPv6 address is public only if it is public itself and every IPv4 address it carries
/// (mapped, compatible, 6to4, Teredo, ISATAP) is public too: each of those forms can route to
/// the embedded IPv4 host, so `[::127.0.0.1]` or `[2002:7f00:1::]` must not reach loopback.
fn is_public_v6(v6: Ipv6Addr) -> bool {
    let segments = v6.segments();
    let first = segments[0];
    let special = v6.is_loopback()
        || v6.is_unspecified()
        || v6.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated, still routed by some stacks)
        || (first == 0x64 && segments[1] == 0xff9b) // NAT64, well-known and local-use prefixes
        || (first == 0x2001 && segments[1] == 0x0db8) // documentation
        || (first == 0x0100 && segments[1..4] == [0, 0, 0]); // discard-only
    !special && embedded_ipv4(v6).iter().all(|&v4| is_public_v4(v4))
}

/// The IPv4 addresses an IPv6 address carries in its well-known transition forms.
fn embedded_ipv4(v6: Ipv6Addr) -> Vec<Ipv4Addr> {
    let segments = v6.segments();
    let pair = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    let mut carried = Vec::new();
    if let Some(mapped) = v6.to_ipv4_mapped() {
        carried.push(mapped); // ::ffff:a.b.c.d
    }
    if segments[..6] == [0; 6] {
        carried.push(pair(segments[6], segments[7])); // ::a.b.c.d (IPv4-compatible)
    }
    match segments[0] {
        0x2002 => carried.push(pair(segments[1], segments[2])), // 6to4
        // Teredo: the server's address, then the client's, stored inverted.
        0x2001 if segments[1] == 0 => {
            carried.push(pair(segments[2], segments[3]));
            carried.push(pair(!segments[6], !segments[7]));
        }
        _ => {}
    }
    // ISATAP interface identifiers end in the IPv4 address.
    if matches!(segments[4], 0x0000 | 0x0200) && segments[5] == 0x5efe {
        carried.push(pair(segments[6], segments[7]));
    }
    carried
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused() {
        for address in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::7f00:1",
            "::127.0.0.1",
            "::7f00:1",
            "::a00:1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "2001:0:7f00:1:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "fec0::1",
            "fe80::5efe:7f00:1",
            "2606:4700::5efe:7f00:1",
        ] {
            assert!(!is_allowed(address.parse().unwrap(), &[]), "{address} must be refused");
        }
    }

    #[test]
    fn public_addresses_pass_and_the_allowlist_opens_private_ones() {
        for address in
            ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2002:5db8:d822::1", "::ffff:1.1.1.1"]
        {
            assert!(is_allowed(address.parse().unwrap(), &[]), "{address} is public");
        }
        let allow: Vec<IpNet> = vec!["127.0.0.1/32".parse().unwrap()];
        assert!(is_allowed("127.0.0.1".parse().unwrap(), &allow));
        assert!(!is_allowed("127.0.0.2".parse().unwrap(), &allow));
    }

    #[tokio::test]
    async fn urls_are_checked_before_any_request() {
        let policy = FetchPolicy { max_bytes: 1024, timeout: Duration::from_secs(2), allowlist: vec![] };
        assert_eq!(
            fetch_page("ftp://example.com/x", &policy).await.unwrap_err(),
            FetchError::UnsupportedScheme
        );
        assert_eq!(fetch_page("not a url", &policy).await.unwrap_err(), FetchError::InvalidUrl);
        assert_eq!(
            fetch_page("http://127.0.0.1:9/", &policy).await.unwrap_err(),
            FetchError::ForbiddenAddress
        );
        for embedding_loopback in [
            "http://[::1]:9/",
            "http://[::127.0.0.1]:9/",
            "http://[2002:7f00:1::]:9/",
            "http://0x7f.1:9/",
            "http://2130706433:9/",
        ] {
            assert_eq!(
                fetch_page(embedding_loopback, &policy).await.unwrap_err(),
                FetchError::ForbiddenAddress,
                "{embedding_loopback}"
            );
        }
        assert_eq!(
            fetch_page("http://localhost:9/", &policy).await.unwrap_err(),
            FetchError::ForbiddenAddress
        );
        assert_eq!(
            fetch_page("http://169.254.169.254/latest/meta-data/", &policy).await.unwrap_err(),
            FetchError::ForbiddenAddress
        );
    }
}
