//! Account administration: listing users and changing roles, with the rule that the last
//! administrator cannot be demoted.

use sea_orm::DatabaseConnection;
use serde_json::json;
use uuid::Uuid;

use super::model::{MAX_QUERY_CHARS, ManagedUser, UserListQuery, UserPage};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    clock::Clock,
    error::{ApiError, FieldError},
    jobs,
    pagination::PageRequest,
    users::{
        self,
        model::{Role, User},
        service::UserError,
    },
};

/// Who asked for a role change: an administrator through the API, or an operator at the
/// command line (no account).
#[derive(Debug, Clone, Copy)]
pub enum RoleChanger {
    Admin(Uuid),
    CommandLine,
}

pub async fn list_users(db: &DatabaseConnection, query: UserListQuery) -> Result<UserPage, ApiError> {
    let mut errors = Vec::new();
    let search = query.q.map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    if search.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        errors.push(FieldError::new("q", format!("must be at most {MAX_QUERY_CHARS} characters")));
    }
    let page = PageRequest::<Uuid>::parse(query.limit, query.cursor.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let rows = users::service::list(db, search.as_deref(), page.after, page.fetch_limit()).await?;
    let (rows, next_cursor) = page.page(rows, |row| row.id);
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let counts = jobs::service::count_by_owner(db, &ids).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let jobs = counts.get(&row.id).copied().unwrap_or_default();
            ManagedUser::new(row, jobs)
        })
        .collect();
    Ok(UserPage { items, next_cursor })
}

/// Gives the user `role`, recorded in the audit log in the same transaction. Refuses to demote
/// the last administrator, so an installation always keeps one.
pub async fn change_role(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    changer: RoleChanger,
    user_id: Uuid,
    role: Role,
) -> Result<User, UserError> {
    let txn = crate::db::begin_write(db).await?;
    let target = users::service::find_by_id(&txn, user_id).await?.ok_or(UserError::NotFound)?;
    let current = target.role;
    if current == role {
        txn.rollback().await?;
        return Ok(target);
    }
    if current == Role::Admin {
        let admins = users::service::lock_admins(&txn).await?;
        if admins.iter().all(|id| *id == user_id) {
            txn.rollback().await?;
            return Err(UserError::LastAdmin { email: target.email });
        }
    }
    users::service::set_role(&txn, user_id, role).await?;
    let (actor, via) = match changer {
        RoleChanger::Admin(id) => (Some(id), "api"),
        RoleChanger::CommandLine => (None, "cli"),
    };
    let mut event = AuditEvent::new(AuditKind::RoleChanged).subject("user", user_id).payload(json!({
        "email": target.email,
        "from": current,
        "to": role,
        "via": via,
    }));
    if let Some(actor) = actor {
        event = event.actor(actor);
    }
    audit::record(&txn, clock.now(), event).await?;
    txn.commit().await?;
    tracing::info!(%user_id, from = %current, to = %role, via, "role changed");
    let updated = users::service::find_by_id(db, user_id).await?.ok_or(UserError::NotFound)?;
    Ok(updated)
}
