use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "variants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub job_id: Uuid,
    pub channel: engine::Channel,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub metadata: Json,
    pub accepted: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the user accepted this text; `None` while it is not accepted.
    pub accepted_at: Option<DateTimeUtc>,
    /// The version whose text `content` is.
    pub current_version: i32,
    /// The version the user accepted, if any: the variant is accepted while it is current.
    pub accepted_version: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::jobs::entity::Entity",
        from = "Column::JobId",
        to = "crate::jobs::entity::Column::Id"
    )]
    Job,
}

impl Related<crate::jobs::entity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Job.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
