use std::fmt;

use sea_orm::entity::prelude::*;

use crate::redacted::Redacted;

/// A user's webhook: where `webhook` posts go and the secret they are signed with.
#[derive(Clone, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_id: Uuid,
    pub url: String,
    /// Kept in the clear: it signs every delivery and the receiver holds the same value.
    pub secret: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("owner_id", &self.owner_id)
            .field("url", &self.url)
            .field("secret", &Redacted)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let now = Utc::now();
        let model = Model {
            owner_id: Uuid::now_v7(),
            url: "https://example.com/hook".into(),
            secret: "whsec-1234".into(), // pragma: allowlist secret
            created_at: now,
            updated_at: now,
        };
        let printed = format!("{model:?}");
        assert!(printed.contains("https://example.com/hook"), "{printed}");
        assert!(!printed.contains("whsec-1234"), "{printed}");
    }
}
