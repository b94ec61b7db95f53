use sea_orm::entity::prelude::*;

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
    pub speakers: Json,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
