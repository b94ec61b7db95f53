use sea_orm::{FromJsonQueryResult, entity::prelude::*};
use serde::{Deserialize, Serialize};

/// An uploaded file, kept as the clean text it yielded.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub org_id: Option<Uuid>,
    pub file_name: String,
    pub format: String,
    pub size_bytes: i64,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub language: Option<String>,
    pub speakers: Speakers,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The `speakers` column: a JSON list of a transcript's speakers, in order of appearance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Speakers(pub Vec<String>);

#[cfg(test)]
mod tests {
    use super::Speakers;
    use crate::db::assert_json_column;

    #[test]
    fn speakers_keep_the_json_rows_hold() {
        assert_json_column(Speakers::default(), "[]");
        assert_json_column(Speakers(vec!["Ada".into(), "Grace".into()]), r#"["Ada","Grace"]"#);
    }
}
