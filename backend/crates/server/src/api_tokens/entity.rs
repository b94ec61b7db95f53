use sea_orm::{FromJsonQueryResult, entity::prelude::*};
use serde::{Deserialize, Serialize};

use super::model::Scope;

/// A personal API token for scripts; only its hash is stored.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The first characters of the token, so the user can tell tokens apart.
    pub prefix: String,
    pub scopes: Scopes,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The `scopes` column: a JSON list of what the token may do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Scopes(pub Vec<Scope>);

#[cfg(test)]
mod tests {
    use super::{Scope, Scopes};
    use crate::db::assert_json_column;

    #[test]
    fn scopes_keep_the_json_rows_hold() {
        assert_json_column(Scopes(vec![Scope::Read]), r#"["read"]"#);
        assert_json_column(Scopes(vec![Scope::Read, Scope::Write]), r#"["read","write"]"#);
    }
}
