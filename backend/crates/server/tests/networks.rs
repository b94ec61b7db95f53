//! The X, LinkedIn and Mastodon clients against loopback fakes of each network (`fakenets`):
//! the whole OAuth code flow through the consent page, the account, threads, counts, and every
//! way a network refuses a call.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use fakenets::{Failure, Metrics, linkedin as fake_linkedin, mastodon as fake_mastodon, x as fake_x};
use server::{
    clock::SystemClock,
    connectors::{
        linkedin::{LinkedinClient, LinkedinSettings, escape_little},
        mastodon::{self, InstanceLimits, Mastodon, MastodonClient, MastodonSettings},
        network::{Counts, Credentials, NetworkError, PartRef},
        oauth::{OAuthApp, pkce_pair},
        x::{self, XClient, XSettings},
    },
};
use url::Url;

const REDIRECT_URI: &str = "http://127.0.0.1:5173/connections/callback";
const TIMEOUT: Duration = Duration::from_secs(5);

/// Approves the consent page and returns the code and the state the network sent back.
async fn approve(authorize_url: Url) -> (String, Option<String>) {
    let back = fakenets::approve(&authorize_url).await;
    assert!(back.as_str().starts_with(REDIRECT_URI), "{back}");
    let query =
        |name: &str| back.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    (query("code").expect("a code"), query("state"))
}

fn whole_seconds_from_now(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp() + seconds, 0).unwrap()
}

fn app(
    authorize_url: Url,
    token_url: Url,
    client_id: &str,
    client_secret: &str,
    scopes: &[&str],
) -> OAuthApp {
    OAuthApp {
        authorize_url,
        token_url,
        client_id: client_id.to_owned(),
        client_secret: Some(client_secret.into()),
        redirect_uri: Url::parse(REDIRECT_URI).unwrap(),
        scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
    }
}

mod x_network {
    use super::*;

    fn client(fake: &fake_x::FakeX) -> XClient {
        let settings = XSettings {
            api_url: fake.base_url(),
            oauth: app(
                fake.authorize_url(),
                fake.token_url(),
                fake_x::CLIENT_ID,
                fake_x::CLIENT_SECRET,
                &x::SCOPES,
            ),
            timeout: TIMEOUT,
        };
        XClient::new(settings, Arc::new(SystemClock)).unwrap()
    }

    async fn connect(fake: &fake_x::FakeX, client: &XClient) -> Credentials {
        let (verifier, challenge) = pkce_pair();
        let (code, state) = approve(client.authorize_url("state-x", &challenge)).await;
        assert_eq!(state.as_deref(), Some("state-x"));
        let credentials = client.exchange_code(&code, &verifier).await.unwrap();
        assert!(fake.code_exchanges() > 0);
        credentials
    }

    #[tokio::test]
    async fn given_a_connected_account_a_thread_chains_each_part_to_the_one_before() {
        let fake = fake_x::spawn().await;
        let client = client(&fake);
        let credentials = connect(&fake, &client).await;
        assert!(credentials.refresh_token.is_some(), "offline.access brings a refresh token");
        let expires_in = credentials.expires_at.unwrap() - Utc::now();
        assert!((7100..=7200).contains(&expires_in.num_seconds()), "{expires_in}");

        let account = client.account(&credentials).await.unwrap();
        assert_eq!(account.remote_id, fake_x::USER_ID);
        assert_eq!(account.handle, format!("@{}", fake_x::USERNAME));
        assert_eq!(account.display_name, fake_x::NAME);
        assert!(account.avatar_url.is_some());

        let mut parent: Option<PartRef> = None;
        let mut parts = Vec::new();
        for (index, text) in
            ["1/3 Shipping today.", "2/3 What changed.", "3/3 What is next."].iter().enumerate()
        {
            let part =
                client.publish(&credentials, text, parent.as_ref(), &format!("key-{index}")).await.unwrap();
            assert_eq!(
                part.url.as_deref(),
                Some(format!("https://x.com/i/web/status/{}", part.remote_id).as_str())
            );
            parts.push(part.clone());
            parent = Some(part);
        }
        let posts = fake.posts();
        assert_eq!(posts.len(), 3);
        assert_eq!(posts[0].reply_to, None);
        assert_eq!(posts[1].reply_to.as_deref(), Some(parts[0].remote_id.as_str()));
        assert_eq!(posts[2].reply_to.as_deref(), Some(parts[1].remote_id.as_str()));
        assert_eq!(posts[2].text, "3/3 What is next.");

        fake.set_metrics(
            &parts[0].remote_id,
            Metrics { likes: 12, reposts: 3, quotes: 2, replies: 4, impressions: 560 },
        );
        assert_eq!(
            client.counts(&credentials, &parts[0]).await.unwrap(),
            Counts { likes: 12, reposts: 5, replies: 4, impressions: Some(560) }
        );
        // Without counts set, the fake counts the thread's own reply.
        assert_eq!(client.counts(&credentials, &parts[1]).await.unwrap().replies, 1);
    }

    #[tokio::test]
    async fn a_code_is_traded_once_and_only_with_its_verifier() {
        let fake = fake_x::spawn().await;
        let client = client(&fake);
        let (verifier, challenge) = pkce_pair();
        let (code, _) = approve(client.authorize_url("s", &challenge)).await;
        let (other_verifier, _) = pkce_pair();
        assert!(matches!(
            client.exchange_code(&code, &other_verifier).await,
            Err(NetworkError::Permanent(_))
        ));
        // The failed attempt used the code up, as single-use codes are.
        assert!(matches!(client.exchange_code(&code, &verifier).await, Err(NetworkError::Permanent(_))));
        assert_eq!(fake.code_exchanges(), 0);
    }

    #[tokio::test]
    async fn a_refresh_replaces_the_refresh_token_and_the_old_one_is_refused() {
        let fake = fake_x::spawn().await;
        let client = client(&fake);
        let first = connect(&fake, &client).await;
        let second = client.refresh(&first).await.unwrap();
        assert_ne!(second.access_token, first.access_token);
        assert_ne!(second.refresh_token, first.refresh_token);
        assert!(matches!(client.refresh(&first).await, Err(NetworkError::Reconnect(_))));
        let third = client.refresh(&second).await.unwrap();
        client.account(&third).await.unwrap();
        assert_eq!(fake.refreshes(), 2);
    }

    #[tokio::test]
    async fn a_revoked_token_asks_for_the_account_to_be_connected_again() {
        let fake = fake_x::spawn().await;
        let client = client(&fake);
        let credentials = connect(&fake, &client).await;
        fake.revoke(&credentials.access_token);
        assert_eq!(
            client.account(&credentials).await,
            Err(NetworkError::Reconnect("X: Unauthorized".into()))
        );
        assert!(matches!(
            client.publish(&credentials, "hello", None, "k").await,
            Err(NetworkError::Reconnect(_))
        ));
        assert!(matches!(client.refresh(&credentials).await, Err(NetworkError::Reconnect(_))));
        assert!(fake.posts().is_empty());
    }

    #[tokio::test]
    async fn rate_limits_outages_and_duplicates_are_told_apart() {
        let fake = fake_x::spawn().await;
        let client = client(&fake);
        let credentials = connect(&fake, &client).await;

        let reset_at = whole_seconds_from_now(900);
        fake.fail_next(1, Failure::RateLimited { reset_at });
        assert_eq!(
            client.publish(&credentials, "first", None, "k1").await,
            Err(NetworkError::RateLimited {
                retry_at: Some(reset_at),
                message: "X: Too Many Requests".into()
            })
        );
        fake.fail_next(1, Failure::Unavailable);
        assert!(matches!(
            client.publish(&credentials, "first", None, "k1").await,
            Err(NetworkError::Transient(_))
        ));

        client.publish(&credentials, "first", None, "k1").await.unwrap();
        assert!(matches!(
            client.publish(&credentials, "first", None, "k2").await,
            Err(NetworkError::Duplicate(_))
        ));
        fake.duplicate_next_post();
        assert!(matches!(
            client.publish(&credentials, "second", None, "k3").await,
            Err(NetworkError::Duplicate(_))
        ));
        assert_eq!(fake.posts().len(), 1);
    }

    #[tokio::test]
    async fn a_network_that_cannot_be_reached_is_worth_another_try() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let closed = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        drop(listener);
        let settings = XSettings {
            api_url: closed.clone(),
            oauth: app(
                closed.join(fake_x::AUTHORIZE_PATH).unwrap(),
                closed.join(fake_x::TOKEN_PATH).unwrap(),
                "id",
                "secret",
                &x::SCOPES,
            ),
            timeout: TIMEOUT,
        };
        let client = XClient::new(settings, Arc::new(SystemClock)).unwrap();
        let credentials =
            Credentials { access_token: "t".into(), refresh_token: Some("r".into()), expires_at: None };
        assert!(matches!(client.account(&credentials).await, Err(NetworkError::Transient(_))));
        assert!(matches!(client.refresh(&credentials).await, Err(NetworkError::Transient(_))));
    }
}

mod linkedin_network {
    use super::*;

    fn client(fake: &fake_linkedin::FakeLinkedin, scopes: &[&str]) -> LinkedinClient {
        let settings = LinkedinSettings {
            api_url: fake.base_url(),
            oauth: app(
                fake.authorize_url(),
                fake.token_url(),
                fake_linkedin::CLIENT_ID,
                fake_linkedin::CLIENT_SECRET,
                scopes,
            ),
            version: server::config::LINKEDIN_VERSION.to_owned(),
            timeout: TIMEOUT,
        };
        LinkedinClient::new(settings, Arc::new(SystemClock)).unwrap()
    }

    async fn connect(client: &LinkedinClient) -> Credentials {
        let authorize_url = client.authorize_url("state-li");
        assert!(authorize_url.query_pairs().all(|(key, _)| !key.starts_with("code_challenge")));
        let (code, state) = approve(authorize_url).await;
        assert_eq!(state.as_deref(), Some("state-li"));
        client.exchange_code(&code).await.unwrap().credentials
    }

    #[tokio::test]
    async fn a_member_posts_commentary_escaped_for_the_little_format() {
        let fake = fake_linkedin::spawn().await;
        let client = client(&fake, &["openid", "profile", "w_member_social", "r_member_social"]);
        let credentials = connect(&client).await;
        assert_eq!(credentials.refresh_token, None, "this app has no programmatic refresh tokens");
        assert_eq!((credentials.expires_at.unwrap() - Utc::now()).num_days(), 59);
        // Nothing to refresh yet; the same credentials keep working.
        assert_eq!(client.refresh(&credentials).await.unwrap(), credentials);

        let account = client.account(&credentials).await.unwrap();
        assert_eq!(account.remote_id, fake.person_urn());
        assert_eq!(account.handle, fake_linkedin::NAME);

        let text = r"Launch day (beta) for #rust folks @team: [1] <b> *bold* _it_ ~x~ {y} a|b c\d";
        let part = client.publish(&credentials, text, None, "key").await.unwrap();
        assert!(part.remote_id.starts_with("urn:li:share:"));
        assert_eq!(part.url, Some(format!("https://www.linkedin.com/feed/update/{}/", part.remote_id)));
        let posts = fake.posts();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].author, fake.person_urn());
        assert_eq!(posts[0].sent_text, escape_little(text));
        assert_eq!(posts[0].text, text, "LinkedIn shows the whole text, not cut at a reserved character");

        assert!(matches!(
            client.publish(&credentials, "a reply", Some(&part), "k").await,
            Err(NetworkError::Permanent(_))
        ));
        assert_eq!(fake.posts().len(), 1);

        fake.set_metrics(&part.remote_id, Metrics { likes: 7, reposts: 2, replies: 3, ..Metrics::default() });
        assert_eq!(
            client.counts(&credentials, &part).await.unwrap(),
            Counts { likes: 7, reposts: 0, replies: 3, impressions: None }
        );
    }

    #[tokio::test]
    async fn counts_need_the_restricted_read_permission() {
        let fake = fake_linkedin::spawn().await;
        let client = client(&fake, &server::connectors::linkedin::SCOPES);
        let credentials = connect(&client).await;
        let part = client.publish(&credentials, "Hello", None, "k").await.unwrap();
        assert!(matches!(client.counts(&credentials, &part).await, Err(NetworkError::Permanent(_))));
    }

    #[tokio::test]
    async fn an_app_with_refresh_tokens_refreshes_and_keeps_the_refresh_token() {
        let options = fake_linkedin::LinkedinOptions { refresh_tokens: true, ..Default::default() };
        let fake = fake_linkedin::spawn_with(options, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let client = client(&fake, &server::connectors::linkedin::SCOPES);
        let first = connect(&client).await;
        assert!(first.refresh_token.is_some());
        let second = client.refresh(&first).await.unwrap();
        assert_ne!(second.access_token, first.access_token);
        assert_eq!(second.refresh_token, first.refresh_token);
        client.account(&second).await.unwrap();
        assert_eq!(fake.refreshes(), 1);
    }

    #[tokio::test]
    async fn a_member_lists_the_pages_they_administer_and_posts_as_one_until_the_role_goes() {
        use server::connectors::linkedin::{ORGANIZATION_SCOPES, SCOPES};
        let pages = vec![
            fake_linkedin::Page::new(2_414_183, "Rye & Crumb Bakery", "rye-and-crumb"),
            fake_linkedin::Page::new(99_001, "Crumb Academy", "crumb-academy").without_logo(),
        ];
        let options = fake_linkedin::LinkedinOptions { pages: pages.clone(), ..Default::default() };
        let fake = fake_linkedin::spawn_with(options, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let member_only = client(&fake, &SCOPES);
        let credentials = connect(&member_only).await;
        assert!(matches!(
            member_only.administered_pages(&credentials).await,
            Err(NetworkError::Permanent(_))
        ));

        let scopes: Vec<&str> = SCOPES.iter().chain(&ORGANIZATION_SCOPES).copied().collect();
        let client = client(&fake, &scopes);
        let authorize_url = client.authorize_url("state-pages");
        let (code, _) = approve(authorize_url).await;
        let granted = client.exchange_code(&code).await.unwrap();
        assert!(granted.allows_pages(), "{:?}", granted.scopes);
        let credentials = granted.credentials;
        let listed = client.administered_pages(&credentials).await.unwrap();
        let named: Vec<(&str, &str)> =
            listed.iter().map(|page| (page.remote_id.as_str(), page.handle.as_str())).collect();
        let (bakery, academy) = (pages[0].urn(), pages[1].urn());
        assert_eq!(named, [(bakery.as_str(), "Rye & Crumb Bakery"), (academy.as_str(), "Crumb Academy")]);
        let logos: Vec<Option<String>> = listed.iter().map(|page| page.avatar_url.clone()).collect();
        assert!(logos[0].is_some());
        assert_eq!(logos, [fake.logo_url(&pages[0]), None]);
        // A logo that cannot be read leaves the page listed without one.
        fake.break_images();
        let listed = client.administered_pages(&credentials).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert!(listed.iter().all(|page| page.avatar_url.is_none()), "{listed:?}");

        client.publish_as(&credentials, &bakery, "Fresh rye on Saturdays.").await.unwrap();
        assert_eq!(fake.posts()[0].author, bakery);
        fake.revoke_administrator(pages[0].id);
        let listed = client.administered_pages(&credentials).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].remote_id, academy);
        assert!(matches!(
            client.publish_as(&credentials, &bakery, "Fresh rye on Sundays.").await,
            Err(NetworkError::Reconnect(reason)) if reason.contains("no longer be one of its administrators")
        ));
        assert_eq!(fake.posts().len(), 1);
    }

    #[tokio::test]
    async fn an_expired_token_without_refresh_asks_for_a_new_connection() {
        let fake = fake_linkedin::spawn().await;
        let client = client(&fake, &server::connectors::linkedin::SCOPES);
        let expired = Credentials {
            access_token: "old".into(),
            refresh_token: None,
            expires_at: Some(Utc::now() - chrono::Duration::minutes(1)),
        };
        assert!(matches!(client.refresh(&expired).await, Err(NetworkError::Reconnect(_))));
    }

    #[tokio::test]
    async fn refusals_read_as_linkedin_words_them() {
        let fake = fake_linkedin::spawn().await;
        let client = client(&fake, &server::connectors::linkedin::SCOPES);
        let credentials = connect(&client).await;

        let reset_at = whole_seconds_from_now(3600);
        fake.fail_next(1, Failure::RateLimited { reset_at });
        let Err(NetworkError::RateLimited { retry_at: Some(retry_at), .. }) =
            client.publish(&credentials, "Hello", None, "k").await
        else {
            panic!("a rate limit with a time to come back");
        };
        assert!((retry_at - reset_at).num_seconds().abs() <= 2, "{retry_at} against {reset_at}");

        fake.fail_next(1, Failure::Unavailable);
        assert!(matches!(client.account(&credentials).await, Err(NetworkError::Transient(_))));

        client.publish(&credentials, "Hello", None, "k").await.unwrap();
        fake.duplicate_next_post();
        assert!(matches!(
            client.publish(&credentials, "Hello again", None, "k").await,
            Err(NetworkError::Duplicate(_))
        ));

        fake.revoke(&credentials.access_token);
        assert_eq!(
            client.account(&credentials).await,
            Err(NetworkError::Reconnect(
                "LinkedIn: The token used in the request has been revoked by the user".into()
            ))
        );
    }
}

mod mastodon_network {
    use super::*;

    fn settings(allowlist: &str) -> MastodonSettings {
        MastodonSettings {
            client_name: "Kyros".into(),
            website: None,
            redirect_uri: Url::parse(REDIRECT_URI).unwrap(),
            scopes: mastodon::SCOPES.map(str::to_owned).to_vec(),
            timeout: TIMEOUT,
            allowlist: allowlist.split_whitespace().map(|net| net.parse().unwrap()).collect(),
        }
    }

    async fn connect(fake: &fake_mastodon::FakeMastodon) -> (MastodonClient, Credentials) {
        let network = Mastodon::new(settings("127.0.0.1/32"), Arc::new(SystemClock));
        let instance = mastodon::instance_url(fake.base_url().as_str()).unwrap();
        let app = network.register_app(&instance).await.unwrap();
        let client = network.client(instance, app);
        let (verifier, challenge) = pkce_pair();
        let (code, state) = approve(client.authorize_url("state-m", &challenge)).await;
        assert_eq!(state.as_deref(), Some("state-m"));
        let credentials = client.exchange_code(&code, &verifier).await.unwrap();
        (client, credentials)
    }

    #[tokio::test]
    async fn an_account_on_any_instance_posts_a_thread() {
        let fake = fake_mastodon::spawn().await;
        let network = Mastodon::new(settings("127.0.0.1/32"), Arc::new(SystemClock));
        let instance = mastodon::instance_url(fake.base_url().as_str()).unwrap();
        assert_eq!(network.instance_limits(&instance).await.unwrap(), InstanceLimits::default());
        fake.set_max_characters(1000);
        assert_eq!(network.instance_limits(&instance).await.unwrap().max_characters, 1000);

        let (client, credentials) = connect(&fake).await;
        assert_eq!(fake.registered_apps(), 1);
        assert_eq!(fake.code_exchanges(), 1);
        assert_eq!(credentials.refresh_token, None);
        assert_eq!(credentials.expires_at, None, "Mastodon tokens do not expire");
        assert_eq!(client.refresh(&credentials).await.unwrap(), credentials);

        let account = client.account(&credentials).await.unwrap();
        // The instance's own id, qualified by the instance as the handle is.
        let host = fake.handle().rsplit('@').next().unwrap().to_owned();
        assert_eq!(account.remote_id, format!("{}@{host}", fake_mastodon::ACCOUNT_ID));
        assert_eq!(account.handle, fake.handle());
        assert_eq!(account.display_name, fake_mastodon::DISPLAY_NAME);

        let mut parent: Option<PartRef> = None;
        let mut parts = Vec::new();
        for (index, text) in ["One & <two>", "Two", "Three"].iter().enumerate() {
            let part = client
                .publish(&credentials, text, parent.as_ref(), &format!("occurrence-{index}"))
                .await
                .unwrap();
            assert_eq!(
                part.url,
                Some(format!("{}@{}/{}", fake.base_url(), fake_mastodon::USERNAME, part.remote_id))
            );
            parts.push(part.clone());
            parent = Some(part);
        }
        let posts = fake.posts();
        assert_eq!(
            posts.iter().map(|post| post.text.as_str()).collect::<Vec<_>>(),
            ["One & <two>", "Two", "Three"]
        );
        assert_eq!(posts[1].reply_to.as_deref(), Some(parts[0].remote_id.as_str()));
        assert_eq!(posts[2].reply_to.as_deref(), Some(parts[1].remote_id.as_str()));
        assert_eq!(posts[0].idempotency_key.as_deref(), Some("occurrence-0"));

        fake.set_metrics(
            &parts[0].remote_id,
            Metrics { likes: 9, reposts: 4, replies: 2, ..Metrics::default() },
        );
        assert_eq!(
            client.counts(&credentials, &parts[0]).await.unwrap(),
            Counts { likes: 9, reposts: 4, replies: 2, impressions: None }
        );
    }

    #[tokio::test]
    async fn a_repeated_idempotency_key_returns_the_status_already_made() {
        let fake = fake_mastodon::spawn().await;
        let (client, credentials) = connect(&fake).await;
        let first = client.publish(&credentials, "Once", None, "occurrence-1").await.unwrap();
        let again = client.publish(&credentials, "Once", None, "occurrence-1").await.unwrap();
        assert_eq!(again, first);
        assert_eq!(fake.posts().len(), 1);
    }

    #[tokio::test]
    async fn refusals_read_as_mastodon_words_them() {
        let fake = fake_mastodon::spawn().await;
        let (client, credentials) = connect(&fake).await;

        let reset_at = whole_seconds_from_now(300);
        fake.fail_next(1, Failure::RateLimited { reset_at });
        assert_eq!(
            client.publish(&credentials, "Hi", None, "k1").await,
            Err(NetworkError::RateLimited {
                retry_at: Some(reset_at),
                message: "Mastodon: Too many requests".into()
            })
        );
        fake.fail_next(1, Failure::Unavailable);
        assert!(matches!(
            client.publish(&credentials, "Hi", None, "k1").await,
            Err(NetworkError::Transient(_))
        ));

        let long = "a".repeat(501);
        assert_eq!(
            client.publish(&credentials, &long, None, "k2").await,
            Err(NetworkError::Permanent(
                "Mastodon: Validation failed: Text character limit of 500 exceeded".into()
            ))
        );

        fake.revoke(&credentials.access_token);
        assert_eq!(
            client.account(&credentials).await,
            Err(NetworkError::Reconnect("Mastodon: The access token was revoked".into()))
        );
    }

    #[tokio::test]
    async fn a_code_needs_its_verifier() {
        let fake = fake_mastodon::spawn().await;
        let network = Mastodon::new(settings("127.0.0.1/32"), Arc::new(SystemClock));
        let instance = mastodon::instance_url(fake.base_url().as_str()).unwrap();
        let client = network.client(instance.clone(), network.register_app(&instance).await.unwrap());
        let (_, challenge) = pkce_pair();
        let (code, _) = approve(client.authorize_url("s", &challenge)).await;
        let (wrong, _) = pkce_pair();
        assert!(matches!(client.exchange_code(&code, &wrong).await, Err(NetworkError::Permanent(_))));
    }

    #[tokio::test]
    async fn an_instance_inside_our_network_is_refused_unless_allow_listed() {
        let fake = fake_mastodon::spawn().await;
        let network = Mastodon::new(settings(""), Arc::new(SystemClock));
        let instance = mastodon::instance_url(fake.base_url().as_str()).unwrap();
        let Err(NetworkError::Permanent(message)) = network.register_app(&instance).await else {
            panic!("a loopback instance must be refused");
        };
        assert!(message.contains("private, loopback or reserved"), "{message}");
        assert_eq!(fake.registered_apps(), 0);
    }
}
