use sea_orm::entity::prelude::*;

/// One recorded action. Rows are only ever inserted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Who did it; `None` for the system (the scheduler, the command line) or an unknown caller.
    pub actor_id: Option<Uuid>,
    pub kind: crate::audit::model::AuditKind,
    /// What kind of thing it was done to (`job`, `user`, `tool`, …).
    pub subject: Option<String>,
    pub subject_id: Option<Uuid>,
    pub payload: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
