use sea_orm::entity::prelude::*;

use super::model::PresetParams;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "presets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub org_id: Option<Uuid>,
    pub name: String,
    pub channels: crate::channels::ChannelList,
    pub tone: engine::Tone,
    pub params: PresetParams,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use engine::XFormat;

    use super::PresetParams;
    use crate::db::assert_json_column;

    #[test]
    fn params_keep_the_json_rows_hold() {
        assert_json_column(
            PresetParams::default(),
            r#"{"call_to_action":null,"emoji":false,"hashtags":true,"mastodon_max_chars":null,"x_format":"auto"}"#,
        );
        assert_json_column(
            PresetParams {
                hashtags: false,
                emoji: true,
                call_to_action: Some("Book a tasting at example.com".into()),
                x_format: XFormat::Thread,
                mastodon_max_chars: Some(1_000),
            },
            r#"{"call_to_action":"Book a tasting at example.com","emoji":true,"hashtags":false,"mastodon_max_chars":1000,"x_format":"thread"}"#,
        );
    }
}
