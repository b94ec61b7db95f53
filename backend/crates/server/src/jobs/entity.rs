use sea_orm::{FromJsonQueryResult, entity::prelude::*};
use serde::{Deserialize, Serialize};

use crate::sources::model::Source;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub org_id: Option<Uuid>,
    pub name: String,
    pub source_type: Option<crate::sources::model::SourceKind>,
    pub source_payload: Option<SourcePayload>,
    pub channels: crate::channels::ChannelList,
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
    #[sea_orm(has_many = "crate::jobs::variants::entity::Entity")]
    Variants,
}

impl Related<crate::jobs::variants::entity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Variants.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// The `source_payload` column: the ingested source as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct SourcePayload(pub Source);

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

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::SourcePayload;
    use crate::{
        db::assert_json_column,
        sources::model::{Source, SourceKind},
    };

    #[test]
    fn a_source_payload_keeps_the_json_rows_hold() {
        let text = Source {
            kind: SourceKind::Text,
            content: "We bake on four days now.".into(),
            title: None,
            byline: None,
            url: None,
            upload_id: None,
            file_name: None,
            language: None,
            speakers: Vec::new(),
        };
        assert_json_column(
            SourcePayload(text.clone()),
            r#"{"content":"We bake on four days now.","type":"text"}"#,
        );
        let upload = Source {
            kind: SourceKind::Upload,
            title: Some("Interview".into()),
            upload_id: Some(Uuid::nil()),
            file_name: Some("interview.srt".into()),
            language: Some("eng".into()),
            speakers: vec!["Ada".into(), "Grace".into()],
            ..text
        };
        assert_json_column(
            SourcePayload(upload),
            r#"{"content":"We bake on four days now.","file_name":"interview.srt","language":"eng","speakers":["Ada","Grace"],"title":"Interview","type":"upload","upload_id":"00000000-0000-0000-0000-000000000000"}"#,
        );
    }
}
