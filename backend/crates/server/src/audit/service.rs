//! Recording events and reading them back.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    model::{AuditCursor, AuditEntry, AuditEvent, AuditPage, AuditQuery},
    store::{self, AuditFilter},
};
use crate::{
    error::{ApiError, FieldError},
    extract::parse_instant,
    pagination::PageRequest,
    users,
};

/// Records an event; pass the change's transaction so both commit or neither does.
pub async fn record(db: &impl ConnectionTrait, at: DateTime<Utc>, event: AuditEvent) -> Result<(), DbErr> {
    store::insert(db, at, event).await
}

/// Records an event after the change it describes has already happened (or for an attempt
/// that changed nothing, like a failed sign-in). The caller's answer does not depend on it,
/// so a failure is logged as an error instead of failing the request.
pub async fn record_or_log(db: &impl ConnectionTrait, at: DateTime<Utc>, event: AuditEvent) {
    let (kind, actor_id, security) = (event.kind, event.actor_id, event.kind.is_security());
    if let Err(error) = store::insert(db, at, event).await {
        tracing::error!(%error, %kind, ?actor_id, security, "could not record an audit event");
    }
}

fn parse_time(name: &str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<DateTime<Utc>> {
    let raw = raw.filter(|value| !value.is_empty())?;
    parse_instant(name, raw).map_err(|error| errors.push(error)).ok()
}

/// One page of events, newest first.
pub async fn list(db: &impl ConnectionTrait, query: AuditQuery) -> Result<AuditPage, ApiError> {
    let mut errors = Vec::new();
    let kind = query
        .kind
        .filter(|kind| !kind.is_empty())
        .and_then(|kind| kind.parse().map_err(|message| errors.push(FieldError::new("kind", message))).ok());
    let actor_id = query.actor_id.filter(|id| !id.is_empty()).and_then(|id| {
        Uuid::parse_str(&id)
            .map_err(|_| errors.push(FieldError::new("actor_id", "must be a user id (UUID)")))
            .ok()
    });
    let from = parse_time("from", query.from.as_deref(), &mut errors);
    let to = parse_time("to", query.to.as_deref(), &mut errors);
    if let (Some(from), Some(to)) = (from, to)
        && to <= from
    {
        errors.push(FieldError::new("to", "must be after `from`"));
    }
    let page = PageRequest::<AuditCursor>::parse(query.limit, query.cursor.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = AuditFilter { kind, actor_id, from, to };
    let rows = store::list(db, &filter, page.after, page.fetch_limit()).await?;
    let (rows, next_cursor) = page.page(rows, |row| AuditCursor { created_at: row.created_at, id: row.id });
    let emails = users::service::emails_by_id(db, rows.iter().filter_map(|row| row.actor_id)).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let actor_email = row.actor_id.and_then(|id| emails.get(&id).cloned());
            AuditEntry::new(row, actor_email)
        })
        .collect();
    Ok(AuditPage { items, next_cursor })
}
