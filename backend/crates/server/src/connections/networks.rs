//! The network clients, built from the configuration: where each network is, the apps Kyros
//! registered with X and LinkedIn, and the return address every consent page sends people to.

use std::sync::Arc;

use url::Url;

use crate::{
    clock::Clock,
    config::{NetworkSettings, OAuthAppSettings},
    connectors::{
        bluesky::{BlueskyClient, BlueskyConfig},
        linkedin::{self, LinkedinClient, LinkedinSettings},
        mastodon::{self, Mastodon, MastodonSettings},
        network::{Network, NetworkError},
        oauth::OAuthApp,
        x::{self, XClient, XSettings},
    },
    secrets::Keyring,
    state::AppState,
};

/// What acting for connected accounts needs: the networks' settings, the keyring that opens
/// their tokens and the clock.
#[derive(Clone)]
pub struct Networks {
    pub settings: NetworkSettings,
    pub keyring: Keyring,
    pub clock: Arc<dyn Clock>,
}

/// A network this server has no app registered with.
#[derive(Debug, thiserror::Error)]
#[error("{} is not set up on this server: an administrator must set {}_CLIENT_ID and {}_CLIENT_SECRET", .0.display_name(), .0.to_string().to_uppercase(), .0.to_string().to_uppercase())]
pub struct NotConfigured(pub Network);

impl Networks {
    pub fn new(settings: NetworkSettings, keyring: Keyring, clock: Arc<dyn Clock>) -> Self {
        Self { settings, keyring, clock }
    }

    /// The networks as `state` is configured to reach them.
    pub fn of(state: &AppState) -> Self {
        Self::new(state.config.networks.clone(), state.config.secret_keys.clone(), state.clock.clone())
    }

    /// Where every consent page sends people back.
    pub fn redirect_uri(&self) -> Result<Url, NetworkError> {
        Url::parse(&self.settings.redirect_uri())
            .map_err(|_| NetworkError::Permanent("PUBLIC_CONSOLE_URL is not a valid address".into()))
    }

    fn oauth_app(&self, app: &OAuthAppSettings, scopes: &[&str]) -> Result<OAuthApp, NetworkError> {
        Ok(OAuthApp {
            authorize_url: app.authorize_url.clone(),
            token_url: app.token_url.clone(),
            client_id: app.client_id.clone(),
            client_secret: app.client_secret.clone(),
            redirect_uri: self.redirect_uri()?,
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
        })
    }

    pub fn x(&self) -> Result<XClient, ClientError> {
        let app = self.settings.x.as_ref().ok_or(NotConfigured(Network::X))?;
        let settings = XSettings {
            api_url: app.api_url.clone(),
            oauth: self.oauth_app(app, &x::SCOPES)?,
            timeout: self.settings.timeout,
        };
        XClient::new(settings, self.clock.clone())
            .map_err(|error| ClientError::Network(NetworkError::Permanent(error.to_string())))
    }

    pub fn linkedin(&self) -> Result<LinkedinClient, ClientError> {
        let app = self.settings.linkedin.as_ref().ok_or(NotConfigured(Network::Linkedin))?;
        let mut scopes = linkedin::SCOPES.to_vec();
        if self.settings.linkedin_pages {
            scopes.extend(linkedin::ORGANIZATION_SCOPES);
        }
        let settings = LinkedinSettings {
            api_url: app.api_url.clone(),
            oauth: self.oauth_app(app, &scopes)?,
            version: self.settings.linkedin_version.clone(),
            timeout: self.settings.timeout,
        };
        LinkedinClient::new(settings, self.clock.clone())
            .map_err(|error| ClientError::Network(NetworkError::Permanent(error.to_string())))
    }

    /// Kyros on Mastodon instances: any instance, registered with on first use.
    pub fn mastodon(&self) -> Result<Mastodon, ClientError> {
        let settings = MastodonSettings {
            client_name: "Kyros".into(),
            website: Url::parse(&self.settings.console_url).ok(),
            redirect_uri: self.redirect_uri()?,
            scopes: mastodon::SCOPES.map(str::to_owned).to_vec(),
            timeout: self.settings.timeout,
            allowlist: self.settings.allowlist.clone(),
        };
        Ok(Mastodon::new(settings, self.clock.clone()))
    }

    pub fn bluesky(&self) -> Result<BlueskyClient, ClientError> {
        let config = BlueskyConfig {
            plc_url: self.settings.bluesky_plc_url.clone(),
            entryway_url: self.settings.bluesky_entryway_url.clone(),
            appview_url: self.settings.bluesky_appview_url.clone(),
            timeout: self.settings.timeout,
            allowlist: self.settings.allowlist.clone(),
        };
        BlueskyClient::new(config, self.clock.clone()).map_err(|error| ClientError::Network(error.into()))
    }
}

/// Why a network's client could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    NotConfigured(#[from] NotConfigured),
    #[error(transparent)]
    Network(#[from] NetworkError),
}
