use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub org_id: Option<Uuid>,
    pub name: String,
    pub source_type: Option<String>,
    pub source_payload: Option<Json>,
    pub channels: Json,
    pub preset_id: Option<Uuid>,
    pub status: crate::jobs::model::JobStatus,
    pub failure_reason: Option<String>,
    pub provider: Option<String>,
    pub provider_note: Option<String>,
    pub cost_estimate: Option<f64>,
    pub attempts: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the variants were last ready for review.
    pub ready_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "crate::variants::entity::Entity")]
    Variants,
}

impl Related<crate::variants::entity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Variants.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

pub mod idempotency_key {
    use sea_orm::entity::prelude::*;

    /// Remembers which job a client's `Idempotency-Key` created.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub owner_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub job_id: Uuid,
        pub created_at: DateTimeUtc,
        /// SHA-256 (hex) of the request the key was first used with; None for older keys.
        pub request_fingerprint: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
