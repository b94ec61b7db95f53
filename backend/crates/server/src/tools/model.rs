use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter, FromJsonQueryResult, prelude::StringLen};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity;
use crate::{connectors::ConnectorKind, error::FieldError};

pub const MAX_DISPLAY_NAME_CHARS: usize = 80;
pub const MAX_DESCRIPTION_CHARS: usize = 500;
pub const MAX_MODEL_CHARS: usize = 100;

/// The tools Kyros knows; each has one row in `tools`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ToolKey {
    /// The built-in engine.
    Local,
    /// The OpenAI-compatible model configured by `OPENAI_*`.
    Openai,
    Webhook,
    File,
    /// Publishing to the users' connected social accounts.
    Accounts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ToolKind {
    /// Writes variants.
    #[sea_orm(string_value = "provider")]
    Provider,
    /// Publishes scheduled posts.
    #[sea_orm(string_value = "connector")]
    Connector,
}

impl ToolKey {
    pub const ALL: [Self; 5] = [Self::Local, Self::Openai, Self::Webhook, Self::File, Self::Accounts];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Openai => "openai",
            Self::Webhook => "webhook",
            Self::File => "file",
            Self::Accounts => "accounts",
        }
    }

    pub fn kind(self) -> ToolKind {
        match self {
            Self::Local | Self::Openai => ToolKind::Provider,
            Self::Webhook | Self::File | Self::Accounts => ToolKind::Connector,
        }
    }
}

impl FromStr for ToolKey {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|key| key.as_str() == value).ok_or_else(|| {
            format!("unknown tool `{value}`; expected local, openai, webhook, file or accounts")
        })
    }
}

impl fmt::Display for ToolKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ConnectorKind> for ToolKey {
    fn from(connector: ConnectorKind) -> Self {
        match connector {
            ConnectorKind::Webhook => Self::Webhook,
            ConnectorKind::File => Self::File,
            ConnectorKind::Account => Self::Accounts,
        }
    }
}

/// A tool's non-secret settings. Secrets (the model's API key) stay in the environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, FromJsonQueryResult)]
pub struct ToolConfig {
    #[schema(example = "OpenAI-compatible model")]
    pub display_name: String,
    pub description: Option<String>,
    /// `openai` only: the model to ask instead of `OPENAI_MODEL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "gpt-4o-mini")]
    pub model: Option<String>,
}

/// Words that mark a setting as a secret, which a tool's config must never hold.
const SECRET_WORDS: [&str; 5] = ["key", "secret", "token", "password", "credential"];

impl ToolConfig {
    /// Reads a config sent for `key`, naming every wrong setting (`config.<name>`).
    pub fn parse(key: ToolKey, raw: &Value) -> Result<Self, Vec<FieldError>> {
        let Some(object) = raw.as_object() else {
            return Err(vec![FieldError::new("config", "must be an object")]);
        };
        let mut errors = Vec::new();
        let allowed: &[&str] = match key {
            ToolKey::Openai => &["display_name", "description", "model"],
            _ => &["display_name", "description"],
        };
        for name in object.keys().filter(|name| !allowed.contains(&name.as_str())) {
            let message = if SECRET_WORDS.iter().any(|word| name.to_lowercase().contains(word)) {
                "secrets are set in the environment (e.g. OPENAI_API_KEY), never in a tool's config"
                    .to_owned()
            } else {
                format!("unknown setting; `{key}` takes {}", allowed.join(", "))
            };
            errors.push(FieldError::new(format!("config.{name}"), message));
        }
        let display_name = text(object, "display_name", MAX_DISPLAY_NAME_CHARS, true, &mut errors);
        let description = text(object, "description", MAX_DESCRIPTION_CHARS, false, &mut errors);
        let model = text(object, "model", MAX_MODEL_CHARS, false, &mut errors);
        match display_name {
            Some(display_name) if errors.is_empty() => Ok(Self { display_name, description, model }),
            _ => Err(errors),
        }
    }
}

/// An optional (or, when `required`, mandatory) string setting of 1 to `max` characters.
fn text(
    object: &Map<String, Value>,
    name: &str,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let field = format!("config.{name}");
    match object.get(name) {
        None | Some(Value::Null) if required => {
            errors.push(FieldError::new(field, "is required"));
            None
        }
        None | Some(Value::Null) => None,
        Some(Value::String(value)) => {
            let value = value.trim();
            if value.is_empty() || value.chars().count() > max {
                errors.push(FieldError::new(field, format!("must be 1 to {max} characters")));
                None
            } else {
                Some(value.to_owned())
            }
        }
        Some(_) => {
            errors.push(FieldError::new(field, "must be a string"));
            None
        }
    }
}

/// A tool as `GET /tools` shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Tool {
    pub id: Uuid,
    #[schema(example = "openai")]
    pub key: String,
    pub kind: ToolKind,
    /// Switched on by an administrator.
    pub enabled: bool,
    /// The server's environment lets it work: `openai` needs `OPENAI_API_KEY`; the others
    /// need nothing (each user sets up their own webhook URL).
    pub configured: bool,
    /// Enabled and configured: what new jobs and schedules can use.
    pub available: bool,
    pub config: ToolConfig,
    pub updated_at: DateTime<Utc>,
}

impl Tool {
    pub fn new(key: ToolKey, model: entity::Model, configured: bool) -> Self {
        Self {
            id: model.id,
            key: key.as_str().to_owned(),
            kind: key.kind(),
            enabled: model.enabled,
            configured,
            available: model.enabled && configured,
            config: model.config,
            updated_at: model.updated_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ToolList {
    /// `local`, `openai`, `webhook`, `file`, `accounts`, in that order.
    pub items: Vec<Tool>,
}

/// What to change; absent fields stay as they are. `config` replaces the whole config.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateToolRequest {
    pub enabled: Option<bool>,
    #[schema(value_type = Option<ToolConfig>)]
    pub config: Option<Value>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn kinds_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (ToolKind::Provider, "provider".to_owned()),
            (ToolKind::Connector, "connector".to_owned()),
        ]);
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|error| error.field).collect()
    }

    #[test]
    fn keys_round_trip_and_have_kinds() {
        for key in ToolKey::ALL {
            assert_eq!(key.as_str().parse::<ToolKey>().unwrap(), key);
        }
        assert_eq!(ToolKey::Openai.kind(), ToolKind::Provider);
        assert_eq!(ToolKey::from(ConnectorKind::Webhook).kind(), ToolKind::Connector);
        assert!("fax".parse::<ToolKey>().is_err());
    }

    #[test]
    fn a_config_is_trimmed_and_only_openai_takes_a_model() {
        let raw = json!({ "display_name": "  Team model ", "description": null, "model": "llama3" });
        let config = ToolConfig::parse(ToolKey::Openai, &raw).unwrap();
        assert_eq!(config.display_name, "Team model");
        assert_eq!(config.model.as_deref(), Some("llama3"));
        let errors = ToolConfig::parse(ToolKey::File, &raw).unwrap_err();
        assert_eq!(fields(errors), ["config.model"]);
    }

    #[test]
    fn secrets_and_bad_values_are_named() {
        let raw = json!({ "display_name": "", "api_key": "sk-123", "description": 4 }); // pragma: allowlist secret
        let errors = ToolConfig::parse(ToolKey::Openai, &raw).unwrap_err();
        assert!(errors[0].message.contains("environment"), "{}", errors[0].message);
        assert_eq!(fields(errors), ["config.api_key", "config.display_name", "config.description"]);
        assert_eq!(fields(ToolConfig::parse(ToolKey::Local, &json!([])).unwrap_err()), ["config"]);
        assert_eq!(
            fields(ToolConfig::parse(ToolKey::Local, &json!({})).unwrap_err()),
            ["config.display_name"]
        );
    }
}
