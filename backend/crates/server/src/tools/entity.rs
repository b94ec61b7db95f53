use sea_orm::entity::prelude::*;

use super::model::ToolConfig;

/// A provider or connector an administrator can switch on and off.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tools")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub key: String,
    pub kind: crate::tools::model::ToolKind,
    /// Non-secret settings (display name, description, the model name for `openai`).
    pub config: ToolConfig,
    pub enabled: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use super::ToolConfig;
    use crate::db::assert_json_column;

    #[test]
    fn a_config_keeps_the_json_rows_hold() {
        let file = ToolConfig {
            display_name: "File outbox".into(),
            description: Some("One JSON file per post.".into()),
            model: None,
        };
        assert_json_column(file, r#"{"description":"One JSON file per post.","display_name":"File outbox"}"#);
        let openai =
            ToolConfig { display_name: "Model".into(), description: None, model: Some("gpt-4o-mini".into()) };
        assert_json_column(openai, r#"{"description":null,"display_name":"Model","model":"gpt-4o-mini"}"#);
        // The migration seeds the model's row with an explicit `null`.
        let seeded: ToolConfig = serde_json::from_str(
            r#"{"description":"Used when OPENAI_API_KEY is set.","display_name":"OpenAI-compatible model","model":null}"#,
        )
        .unwrap();
        assert_eq!(seeded.model, None);
    }
}
