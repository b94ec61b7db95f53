//! One version of a variant's text: generated, edited or regenerated, never overwritten.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "variant_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub variant_id: Uuid,
    /// 1, 2, 3 … in the order the versions were made.
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: i32,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub metadata: Json,
    pub origin: crate::jobs::variants::model::VersionOrigin,
    /// Who made it; `None` for the worker's first generation.
    pub author_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
