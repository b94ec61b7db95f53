//! `fakenets`: the fake X, LinkedIn and Mastodon on loopback ports, for browser tests. Prints
//! one JSON line with their base URLs once all three listen, and stops on SIGTERM or Ctrl-C.

use std::{
    io::Write,
    net::{IpAddr, SocketAddr},
};

use clap::Parser;
use fakenets::{
    linkedin::{LinkedinOptions, Page},
    mastodon::MastodonOptions,
    x::XOptions,
};
use serde_json::json;

#[derive(Debug, Parser)]
#[command(name = "fakenets", about = "Loopback stand-ins for X, LinkedIn and Mastodon")]
struct Args {
    /// The address to listen on; keep it on loopback.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// 0 picks a free port.
    #[arg(long, default_value_t = 0)]
    x_port: u16,
    #[arg(long, default_value_t = 0)]
    linkedin_port: u16,
    #[arg(long, default_value_t = 0)]
    mastodon_port: u16,
    /// Give the LinkedIn app programmatic refresh tokens.
    #[arg(long)]
    linkedin_refresh_tokens: bool,
    /// A LinkedIn page, with a logo, the member administers (repeat for several); their ids
    /// count up from 2414183 in the order given.
    #[arg(long = "linkedin-page", value_name = "NAME")]
    linkedin_pages: Vec<String>,
    /// The longest status the Mastodon instance accepts.
    #[arg(long, default_value_t = fakenets::mastodon::DEFAULT_MAX_CHARACTERS)]
    mastodon_max_characters: u32,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let at = |port| SocketAddr::new(args.host, port);
    let x = fakenets::x::spawn_with(XOptions::default(), at(args.x_port)).await?;
    let pages = args
        .linkedin_pages
        .iter()
        .zip(FIRST_PAGE_ID..)
        .map(|(name, id)| Page::new(id, name, &vanity_name(name)))
        .collect();
    let linkedin = fakenets::linkedin::spawn_with(
        LinkedinOptions { refresh_tokens: args.linkedin_refresh_tokens, pages, ..LinkedinOptions::default() },
        at(args.linkedin_port),
    )
    .await?;
    let mastodon = fakenets::mastodon::spawn_with(
        MastodonOptions { max_characters: args.mastodon_max_characters },
        at(args.mastodon_port),
    )
    .await?;
    // Listening before the ready line: whoever reads it may send SIGTERM at once.
    let stopped = stop_signals()?;
    let origin = |url: url::Url| url.as_str().trim_end_matches('/').to_owned();
    let ready = json!({
        "x": origin(x.base_url()),
        "linkedin": origin(linkedin.base_url()),
        "mastodon": origin(mastodon.base_url()),
    });
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{ready}")?;
    stdout.flush()?;
    drop(stdout);
    stopped.await;
    x.stop().await;
    linkedin.stop().await;
    mastodon.stop().await;
    Ok(())
}

/// The id of the first page given with `--linkedin-page`.
const FIRST_PAGE_ID: u64 = 2_414_183;

/// A page's address name as LinkedIn makes it: lower case, words joined by hyphens.
fn vanity_name(name: &str) -> String {
    let words: Vec<String> = name
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

/// Resolves on SIGTERM or Ctrl-C received from the moment it is called.
fn stop_signals() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}
