//! Audit storage: insert and list, nothing else — the log is append-only.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::{
    entity::{self, Entity as AuditEvents},
    model::{AuditCursor, AuditEvent, AuditKind},
};

/// Which events a list shows.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub kind: Option<AuditKind>,
    pub actor_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub async fn insert(db: &impl ConnectionTrait, at: DateTime<Utc>, event: AuditEvent) -> Result<(), DbErr> {
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(event.actor_id),
        kind: Set(event.kind),
        subject: Set(event.subject.map(|(subject, _)| subject.to_owned())),
        subject_id: Set(event.subject.map(|(_, id)| id)),
        payload: Set(event.payload),
        created_at: Set(at),
    };
    AuditEvents::insert(model).exec_without_returning(db).await.map(|_| ())
}

/// Newest first, strictly after `after` in that order.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    after: Option<AuditCursor>,
    limit: u64,
) -> Result<Vec<entity::Model>, DbErr> {
    let mut query = AuditEvents::find();
    if let Some(kind) = filter.kind {
        query = query.filter(entity::Column::Kind.eq(kind));
    }
    if let Some(actor_id) = filter.actor_id {
        query = query.filter(entity::Column::ActorId.eq(actor_id));
    }
    if let Some(from) = filter.from {
        query = query.filter(entity::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(entity::Column::CreatedAt.lt(to));
    }
    if let Some(cursor) = after {
        query = query.filter(
            Condition::any().add(entity::Column::CreatedAt.lt(cursor.created_at)).add(
                Condition::all()
                    .add(entity::Column::CreatedAt.eq(cursor.created_at))
                    .add(entity::Column::Id.lt(cursor.id)),
            ),
        );
    }
    query
        .order_by_desc(entity::Column::CreatedAt)
        .order_by_desc(entity::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
