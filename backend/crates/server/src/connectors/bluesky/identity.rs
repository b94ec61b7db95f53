//! atproto identity: a handle names a DID, and the DID's document names the account's PDS.
//!
//! Handle → DID: a DNS TXT record `_atproto.<handle>` holding `did=<did>`, else
//! `https://<handle>/.well-known/atproto-did`, else `com.atproto.identity.resolveHandle` on the
//! entryway (which resolves any handle, and is the only way for the `.test` handles of a
//! development network). DID → document: the PLC directory for `did:plc`,
//! `https://<host>/.well-known/did.json` for `did:web`.

use std::{fmt, str::FromStr};

use hickory_resolver::{TokioResolver, proto::rr::RData};
use serde::Deserialize;
use url::Url;

use super::{
    error::{BlueskyError, CallKind},
    xrpc::{Call, Xrpc},
};

/// The handle TLD reserved for development networks (atproto's handle specification): such
/// handles have no DNS record or web server of their own, so only the entryway can resolve them.
const DEVELOPMENT_TLD: &str = ".test";

/// A syntactically valid handle, lowercased (`alice.bsky.social`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Handle(String);

impl Handle {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Handle {
    type Err = BlueskyError;

    /// Follows atproto's handle syntax: at least two labels of ASCII letters, digits and inner
    /// hyphens, 1–63 characters each, 253 in all, the last not starting with a digit.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let handle = value.trim().trim_start_matches('@').to_ascii_lowercase();
        let labels: Vec<&str> = handle.split('.').collect();
        let label_ok = |label: &&str| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        let valid = handle.len() <= 253
            && labels.len() >= 2
            && labels.iter().all(label_ok)
            && labels.last().is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_alphabetic()));
        if valid { Ok(Self(handle)) } else { Err(BlueskyError::unresolved(value, "not a valid handle")) }
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A DID of a method atproto supports: `did:plc:<id>` or `did:web:<host>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Did {
    Plc(String),
    Web(String),
}

impl Did {
    pub fn as_string(&self) -> String {
        match self {
            Self::Plc(id) => format!("did:plc:{id}"),
            Self::Web(host) => format!("did:web:{host}"),
        }
    }

    /// Where the DID's document is served.
    fn document_url(&self, plc_url: &Url) -> Result<Url, BlueskyError> {
        let url = match self {
            // Not `join`: it would read `did:` as the scheme of an absolute URL.
            Self::Plc(_) => {
                let mut url = plc_url.clone();
                url.path_segments_mut()
                    .map_err(|_| {
                        BlueskyError::unresolved(self.as_string(), "the PLC directory URL cannot have a path")
                    })?
                    .pop_if_empty()
                    .push(&self.as_string());
                Ok(url)
            }
            Self::Web(host) => {
                // A port is written `%3A`; only a local development host is served over http.
                let host = host.replace("%3A", ":").replace("%3a", ":");
                let scheme = if host.split(':').next() == Some("localhost") { "http" } else { "https" };
                Url::parse(&format!("{scheme}://{host}/.well-known/did.json"))
            }
        };
        url.map_err(|_| BlueskyError::unresolved(self.as_string(), "no document URL can be built for it"))
    }
}

impl FromStr for Did {
    type Err = BlueskyError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let value = value.trim();
        let invalid = || BlueskyError::unresolved(value, "not a did:plc or did:web DID");
        if let Some(id) = value.strip_prefix("did:plc:") {
            // Base32 (lowercase a–z, 2–7) of a hash, 24 characters.
            let valid =
                id.len() == 24 && id.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
            return if valid { Ok(Self::Plc(id.to_owned())) } else { Err(invalid()) };
        }
        if let Some(host) = value.strip_prefix("did:web:") {
            let valid = !host.is_empty()
                && !host.contains(':') // a path: atproto only uses host-level did:web
                && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'%'));
            return if valid { Ok(Self::Web(host.to_owned())) } else { Err(invalid()) };
        }
        Err(invalid())
    }
}

impl fmt::Display for Did {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

/// The parts of a DID document atproto reads.
#[derive(Debug, Deserialize)]
pub(crate) struct DidDocument {
    id: String,
    #[serde(default)]
    service: Vec<DidService>,
}

#[derive(Debug, Deserialize)]
struct DidService {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "serviceEndpoint")]
    endpoint: serde_json::Value,
}

impl DidDocument {
    /// The `#atproto_pds` service's URL.
    pub fn pds_url(&self) -> Option<Url> {
        let full_id = format!("{}#atproto_pds", self.id);
        let service = self.service.iter().find(|service| {
            (service.id == "#atproto_pds" || service.id == full_id)
                && service.kind == "AtprotoPersonalDataServer"
        })?;
        let url = Url::parse(service.endpoint.as_str()?).ok()?;
        matches!(url.scheme(), "http" | "https").then_some(url)
    }
}

#[derive(Debug, Deserialize)]
struct ResolvedHandle {
    did: String,
}

/// Resolves handles and DIDs; see the module documentation for the order of methods.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub plc_url: Url,
    pub entryway_url: Url,
    /// `None` where the system has no resolver configuration: DNS is then skipped.
    pub dns: Option<TokioResolver>,
}

impl Identity {
    pub async fn resolve_handle(&self, xrpc: &Xrpc, handle: &Handle) -> Result<Did, BlueskyError> {
        if !handle.as_str().ends_with(DEVELOPMENT_TLD) {
            if let Some(did) = self.did_from_dns(handle).await {
                return Ok(did);
            }
            if let Some(did) = did_from_well_known(xrpc, handle).await {
                return Ok(did);
            }
        }
        let call = Call {
            service: &self.entryway_url,
            nsid: "com.atproto.identity.resolveHandle",
            kind: CallKind::Public,
            token: None,
        };
        match xrpc.query::<ResolvedHandle>(call, &[("handle", handle.as_str())]).await {
            Ok(resolved) => resolved.did.parse(),
            Err(BlueskyError::Permanent { message, .. }) => {
                Err(BlueskyError::unresolved(handle.as_str(), message))
            }
            Err(other) => Err(other),
        }
    }

    pub async fn document(&self, xrpc: &Xrpc, did: &Did) -> Result<DidDocument, BlueskyError> {
        let body = xrpc.get(did.document_url(&self.plc_url)?).await.map_err(|error| match error {
            BlueskyError::Permanent { message, .. } => BlueskyError::unresolved(did.as_string(), message),
            other => other,
        })?;
        let document: DidDocument = serde_json::from_slice(&body).map_err(|error| {
            BlueskyError::unresolved(did.as_string(), format!("unreadable DID document: {error}"))
        })?;
        if document.id != did.as_string() {
            return Err(BlueskyError::unresolved(did.as_string(), "the DID document is another DID's"));
        }
        Ok(document)
    }

    /// The URL of the PDS that hosts `did`'s repository.
    pub async fn pds_url(&self, xrpc: &Xrpc, did: &Did) -> Result<Url, BlueskyError> {
        self.document(xrpc, did)
            .await?
            .pds_url()
            .ok_or_else(|| BlueskyError::unresolved(did.as_string(), "its DID document names no PDS"))
    }

    async fn did_from_dns(&self, handle: &Handle) -> Option<Did> {
        let lookup = self.dns.as_ref()?.txt_lookup(format!("_atproto.{handle}.")).await.ok()?;
        let texts = lookup.answers().iter().filter_map(|record| match &record.data {
            RData::TXT(txt) => {
                Some(txt.txt_data.iter().map(|part| String::from_utf8_lossy(part)).collect::<String>())
            }
            _ => None,
        });
        did_from_txt_records(texts)
    }
}

/// The DID of the one `did=` TXT record; none when there is none or several disagree.
fn did_from_txt_records(texts: impl Iterator<Item = String>) -> Option<Did> {
    let mut dids: Vec<String> =
        texts.filter_map(|text| Some(text.strip_prefix("did=")?.trim().to_owned())).collect();
    dids.sort();
    dids.dedup();
    match dids.as_slice() {
        [only] => only.parse().ok(),
        _ => None,
    }
}

async fn did_from_well_known(xrpc: &Xrpc, handle: &Handle) -> Option<Did> {
    let url = Url::parse(&format!("https://{handle}/.well-known/atproto-did")).ok()?;
    let body = xrpc.get(url).await.ok()?;
    std::str::from_utf8(&body).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_parsed_lowercased_and_without_their_at_sign() {
        assert_eq!("@Alice.Bsky.Social".parse::<Handle>().unwrap().as_str(), "alice.bsky.social");
        assert_eq!("kyros-app.test".parse::<Handle>().unwrap().as_str(), "kyros-app.test");
        for invalid in
            ["alice", "alice.", ".test", "-a.test", "a-.test", "a.1com", "a b.test", "al_ice.test", ""]
        {
            assert!(invalid.parse::<Handle>().is_err(), "{invalid:?} should be refused");
        }
        assert!(format!("{}.com", "a".repeat(64)).parse::<Handle>().is_err());
    }

    #[test]
    fn dids_of_both_methods_parse_and_others_are_refused() {
        assert_eq!(
            "did:plc:t3fqpi2daskqncayg5c4brfy".parse::<Did>().unwrap(),
            Did::Plc("t3fqpi2daskqncayg5c4brfy".into())
        );
        assert_eq!("did:web:example.com".parse::<Did>().unwrap(), Did::Web("example.com".into()));
        for invalid in [
            "did:plc:short",
            "did:plc:T3FQPI2DASKQNCAYG5C4BRFY",
            "did:web:",
            "did:web:a.com:user",
            "did:key:z6Mk",
            "alice.test",
        ] {
            assert!(invalid.parse::<Did>().is_err(), "{invalid:?} should be refused");
        }
    }

    #[test]
    fn documents_are_found_in_the_plc_directory_or_on_the_web_host() {
        let plc = Url::parse("https://plc.directory").unwrap();
        let did: Did = "did:plc:t3fqpi2daskqncayg5c4brfy".parse().unwrap();
        assert_eq!(
            did.document_url(&plc).unwrap().as_str(),
            "https://plc.directory/did:plc:t3fqpi2daskqncayg5c4brfy"
        );
        let local = Url::parse("http://localhost:2582/").unwrap();
        assert_eq!(
            did.document_url(&local).unwrap().as_str(),
            "http://localhost:2582/did:plc:t3fqpi2daskqncayg5c4brfy"
        );
        let web: Did = "did:web:example.com".parse().unwrap();
        assert_eq!(web.document_url(&plc).unwrap().as_str(), "https://example.com/.well-known/did.json");
        let dev: Did = "did:web:localhost%3A2583".parse().unwrap();
        assert_eq!(dev.document_url(&plc).unwrap().as_str(), "http://localhost:2583/.well-known/did.json");
    }

    #[test]
    fn the_pds_is_the_atproto_pds_service_of_the_document() {
        let document: DidDocument = serde_json::from_value(serde_json::json!({
            "id": "did:plc:t3fqpi2daskqncayg5c4brfy",
            "alsoKnownAs": ["at://alice.test"],
            "service": [
                { "id": "#atproto_labeler", "type": "AtprotoLabeler", "serviceEndpoint": "https://labels.example" },
                { "id": "did:plc:t3fqpi2daskqncayg5c4brfy#atproto_pds", "type": "AtprotoPersonalDataServer",
                  "serviceEndpoint": "http://localhost:43807" }
            ]
        }))
        .unwrap();
        assert_eq!(document.pds_url().unwrap().as_str(), "http://localhost:43807/");
        let without: DidDocument =
            serde_json::from_value(serde_json::json!({ "id": "did:web:example.com" })).unwrap();
        assert!(without.pds_url().is_none());
    }

    #[test]
    fn a_dns_answer_counts_only_when_its_did_records_agree() {
        let did = |texts: &[&str]| did_from_txt_records(texts.iter().map(|text| (*text).to_owned()));
        assert_eq!(
            did(&["v=spf1 -all", "did=did:plc:t3fqpi2daskqncayg5c4brfy"]),
            Some(Did::Plc("t3fqpi2daskqncayg5c4brfy".into()))
        );
        assert_eq!(did(&["did=did:plc:t3fqpi2daskqncayg5c4brfy", "did=did:web:example.com"]), None);
        assert_eq!(did(&["did=nonsense"]), None);
        assert_eq!(did(&[]), None);
    }
}
