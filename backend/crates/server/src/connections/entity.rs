//! Tables of the connections domain.

/// A social account the user connected, with its sealed credentials.
pub mod connection {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "connections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub owner_id: Uuid,
        pub network: crate::connectors::network::Network,
        pub remote_id: String,
        pub handle: String,
        pub display_name: String,
        pub avatar_url: Option<String>,
        /// The Mastodon instance or the Bluesky PDS the account lives on.
        pub instance_url: Option<String>,
        /// The instance's own post length (Mastodon), when it says.
        pub char_limit: Option<i32>,
        pub status: crate::connections::model::ConnectionStatus,
        pub status_reason: Option<String>,
        pub credentials_key_id: String,
        /// `Credentials` as JSON, sealed by `crate::secrets` with the connection's id.
        pub credentials: Vec<u8>,
        pub expires_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// When the name, handle and picture were last read from the network.
        pub profile_refreshed_at: Option<DateTimeUtc>,
        /// When the scheduler reads them next; `None` reads them on its next tick.
        pub profile_refresh_due_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An OAuth consent the user was sent to and has not come back from yet.
pub mod authorization {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "connection_authorizations")]
    pub struct Model {
        /// The OAuth `state`: random, single use.
        #[sea_orm(primary_key, auto_increment = false)]
        pub state: String,
        pub owner_id: Uuid,
        pub network: crate::connectors::network::Network,
        pub instance_url: Option<String>,
        pub verifier_key_id: String,
        /// The PKCE code verifier, sealed with the state.
        pub verifier: Vec<u8>,
        pub expires_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The OAuth client Kyros registered on a Mastodon instance for a redirect address.
pub mod mastodon_app {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "mastodon_apps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub instance_url: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub redirect_uri: String,
        pub client_id: String,
        pub client_secret_key_id: String,
        /// Sealed with the instance URL.
        pub client_secret: Vec<u8>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What a member may connect after a consent page that can connect several accounts (a
/// LinkedIn profile and the pages its member administers), until they choose.
pub mod choice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "connection_choices")]
    pub struct Model {
        /// Random, single use.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub owner_id: Uuid,
        pub network: crate::connectors::network::Network,
        pub credentials_key_id: String,
        /// The consent's `Credentials` as JSON, sealed with the choice's id.
        pub credentials: Vec<u8>,
        /// The `Account`s offered, the member's own first.
        pub accounts: Json,
        pub expires_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
