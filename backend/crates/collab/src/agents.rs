//! The roster (`state/agents.json`): who takes part, in which role, and when they were last seen.

use std::{collections::BTreeMap, fmt, str::FromStr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Error, Name, Result,
    names::{parse_variant, variant_name},
};

/// Every agent, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentRoster {
    pub version: u32,
    pub agents: BTreeMap<Name, Agent>,
}

impl Default for AgentRoster {
    fn default() -> Self {
        Self { version: 1, agents: BTreeMap::new() }
    }
}

/// One agent's role and presence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub role: Role,
    pub status: AgentStatus,
    /// When the agent last registered or reported; `None` for a seat nobody has taken yet.
    pub last_seen: Option<DateTime<Utc>>,
}

/// The roles of `collaboration/agents.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Planner,
    Implementer,
    Critic,
    Integrator,
    Watchdog,
}

/// Whether an agent is at work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    Active,
    Idle,
    Offline,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&variant_name(self))
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        parse_variant(value, "role", "one of planner, implementer, critic, integrator, watchdog")
    }
}

impl fmt::Display for AgentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&variant_name(self))
    }
}

impl FromStr for AgentStatus {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        parse_variant(value, "agent status", "one of active, idle, offline")
    }
}

/// An agent as recorded in an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentRecord {
    pub name: Name,
    #[serde(flatten)]
    pub agent: Agent,
}

impl AgentRoster {
    /// Adds the agent, or gives an existing one its new role and status; either way it is seen now.
    pub fn register(
        &mut self,
        name: &Name,
        role: Role,
        status: AgentStatus,
        now: DateTime<Utc>,
    ) -> AgentRecord {
        let agent = Agent { role, status, last_seen: Some(now) };
        self.agents.insert(name.clone(), agent.clone());
        AgentRecord { name: name.clone(), agent }
    }

    /// A registered agent reports in with its status.
    pub fn heartbeat(&mut self, name: &Name, status: AgentStatus, now: DateTime<Utc>) -> Result<AgentRecord> {
        let agent = self.agents.get_mut(name).ok_or_else(|| Error::UnknownAgent { name: name.clone() })?;
        agent.status = status;
        agent.last_seen = Some(now);
        Ok(AgentRecord { name: name.clone(), agent: agent.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn registering_adds_or_updates_and_heartbeats_need_a_registered_agent() {
        let name: Name = "critic-1".parse().unwrap();
        let mut roster = AgentRoster::default();
        assert!(matches!(
            roster.heartbeat(&name, AgentStatus::Active, at(0)),
            Err(Error::UnknownAgent { .. })
        ));
        roster.register(&name, Role::Implementer, AgentStatus::Active, at(0));
        let again = roster.register(&name, Role::Critic, AgentStatus::Idle, at(5));
        assert_eq!(
            again.agent,
            Agent { role: Role::Critic, status: AgentStatus::Idle, last_seen: Some(at(5)) }
        );
        let seen = roster.heartbeat(&name, AgentStatus::Offline, at(9)).unwrap();
        assert_eq!((seen.agent.status, seen.agent.last_seen), (AgentStatus::Offline, Some(at(9))));
        assert_eq!(roster.agents.len(), 1);
    }

    #[test]
    fn roles_and_statuses_parse_from_their_names() {
        assert_eq!("watchdog".parse::<Role>().unwrap(), Role::Watchdog);
        assert_eq!(Role::Integrator.to_string(), "integrator");
        assert!("boss".parse::<Role>().unwrap_err().is_usage());
        assert_eq!("idle".parse::<AgentStatus>().unwrap(), AgentStatus::Idle);
        assert_eq!(AgentStatus::Offline.to_string(), "offline");
        assert!("asleep".parse::<AgentStatus>().is_err());
    }
}
