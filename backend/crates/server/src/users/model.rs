use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use email_address::EmailAddress;
use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter, prelude::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity;

/// A syntactically valid, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let trimmed = raw.trim();
        if trimmed.len() > 320 {
            return Err("must be at most 320 characters");
        }
        match EmailAddress::from_str(trimmed) {
            Ok(address) if address.domain().contains('.') => Ok(Self(trimmed.to_lowercase())),
            _ => Err("must be a valid email address like name@example.com"),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "user")]
    User,
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl FromStr for Role {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::try_from_value(&value.to_owned()).map_err(|_| format!("unknown role `{value}`"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// A user as the API shows it: never the password hash.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

impl From<entity::Model> for User {
    fn from(model: entity::Model) -> Self {
        Self { id: model.id, email: model.email, role: model.role, created_at: model.created_at }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[(Role::User, "user".to_owned()), (Role::Admin, "admin".to_owned())]);
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(Email::parse("  Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in ["", "ada", "ada@", "@example.com", "ada@localhost", "a b@example.com"] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
