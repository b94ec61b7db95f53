//! Who a request counts against: a signed-in user, or the address it came from.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::{
    extract::ConnectInfo,
    http::{Extensions, HeaderMap},
};
use ipnet::IpNet;
use uuid::Uuid;

/// The bucket a request spends from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKey {
    User(Uuid),
    Address(Option<IpAddr>),
}

impl ClientKey {
    /// The bucket's name within a scope: `user:<id>` or `ip:<address>`.
    pub fn as_key(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Address(Some(address)) => format!("ip:{}", bucket_address(*address)),
            Self::Address(None) => "ip:unknown".to_owned(),
        }
    }
}

/// IPv6 clients usually hold a whole /64, so they share one bucket per /64.
fn bucket_address(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
        v4 => v4,
    }
}

/// The client's address: the TCP peer, unless the peer is a trusted proxy, in which case the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy. Entries left of it
/// are written by the client and never believed.
pub fn client_address<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted_proxies: &[IpNet],
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let trusted = |address: &IpAddr| trusted_proxies.iter().any(|network| network.contains(address));
    if !trusted(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = forwarded_for.flat_map(|header| header.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(address) = parse_hop(hop) else { break };
        client = address;
        if !trusted(&address) {
            break;
        }
    }
    Some(client)
}

/// The address of the client that sent a request, from its connection info and headers.
pub fn request_address(
    extensions: &Extensions,
    headers: &HeaderMap,
    trusted_proxies: &[IpNet],
) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(socket)| socket.ip());
    let forwarded_for = headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok());
    client_address(peer, forwarded_for, trusted_proxies)
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<std::net::SocketAddr>().map(|socket| socket.ip()))
        .ok()
        .map(|address| address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies() -> Vec<IpNet> {
        vec!["10.0.0.0/8".parse().unwrap()]
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let address = client_address(Some(ip("203.0.113.9")), ["198.51.100.1"].into_iter(), &proxies());
        assert_eq!(address, Some(ip("203.0.113.9")));
    }

    #[test]
    fn behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client() {
        let header = ["6.6.6.6, 198.51.100.7", "10.1.1.1"];
        let address = client_address(Some(ip("10.0.0.2")), header.into_iter(), &proxies());
        assert_eq!(address, Some(ip("198.51.100.7")), "6.6.6.6 was written by the client");
    }

    #[test]
    fn a_trusted_proxy_without_a_usable_header_is_the_client() {
        assert_eq!(
            client_address(Some(ip("10.0.0.2")), std::iter::empty(), &proxies()),
            Some(ip("10.0.0.2"))
        );
        let garbage = client_address(Some(ip("10.0.0.2")), ["not-an-address"].into_iter(), &proxies());
        assert_eq!(garbage, Some(ip("10.0.0.2")));
        let ported = client_address(Some(ip("10.0.0.2")), ["[2001:db8::1]:443"].into_iter(), &proxies());
        assert_eq!(ported, Some(ip("2001:db8::1")));
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64_and_mapped_ipv4_is_ipv4() {
        let a = ClientKey::Address(Some(ip("2001:db8:1:2:aaaa::1"))).as_key();
        let b = ClientKey::Address(Some(ip("2001:db8:1:2:bbbb::2"))).as_key();
        assert_eq!(a, b);
        assert_eq!(a, "ip:2001:db8:1:2::");
        assert_eq!(ClientKey::Address(Some(ip("::ffff:192.0.2.1"))).as_key(), "ip:192.0.2.1");
        assert_eq!(ClientKey::Address(None).as_key(), "ip:unknown");
    }
}
