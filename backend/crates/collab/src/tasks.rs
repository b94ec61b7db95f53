//! The task board (`state/tasks.json`): what is to be done, by whom, and how far it got.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Error, Name, Result, TaskId,
    names::{parse_variant, variant_name},
};

/// Every task, in planning order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskBoard {
    pub version: u32,
    pub tasks: Vec<Task>,
}

impl Default for TaskBoard {
    fn default() -> Self {
        Self { version: 1, tasks: Vec::new() }
    }
}

/// One piece of work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub status: TaskStatus,
    pub owner: Option<Name>,
    /// Tasks that must be done before this one can be claimed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<TaskId>,
    /// The latest word on it: what is left, why it is blocked, where the review stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Todo,
    InProgress,
    Review,
    Done,
    Blocked,
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&variant_name(self))
    }
}

impl FromStr for TaskStatus {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        parse_variant(value, "task status", "one of todo, in_progress, review, done, blocked")
    }
}

/// A task to put on the board.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub id: TaskId,
    pub title: String,
    pub status: TaskStatus,
    pub owner: Option<Name>,
    pub depends_on: Vec<TaskId>,
    pub note: Option<String>,
}

/// What an update changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChange {
    pub status: Option<TaskStatus>,
    /// `Some(None)` clears the owner; `Some(Some(name))` hands the task to `name`.
    pub owner: Option<Option<Name>>,
    pub note: Option<String>,
}

/// How long free text may be.
struct TextRule {
    what: &'static str,
    max_chars: usize,
    rule: &'static str,
}

const TITLE: TextRule = TextRule { what: "title", max_chars: 200, rule: "1-200 characters, not blank" };
const NOTE: TextRule = TextRule { what: "note", max_chars: 2000, rule: "1-2000 characters, not blank" };

impl TextRule {
    fn check(&self, value: &str) -> Result<()> {
        if value.trim().is_empty() || value.chars().count() > self.max_chars {
            return Err(Error::Invalid { what: self.what, value: value.to_owned(), rule: self.rule });
        }
        Ok(())
    }
}

impl TaskBoard {
    pub fn get(&self, id: &TaskId) -> Result<&Task> {
        self.tasks.iter().find(|task| task.id == *id).ok_or_else(|| Error::UnknownTask { id: id.clone() })
    }

    fn get_mut(&mut self, id: &TaskId) -> Result<&mut Task> {
        self.tasks.iter_mut().find(|task| task.id == *id).ok_or_else(|| Error::UnknownTask { id: id.clone() })
    }

    /// Adds a task at the end; its id must be new and its dependencies known.
    pub fn add(&mut self, new: NewTask, now: DateTime<Utc>) -> Result<Task> {
        TITLE.check(&new.title)?;
        if let Some(note) = &new.note {
            NOTE.check(note)?;
        }
        if self.get(&new.id).is_ok() {
            return Err(Error::DuplicateTask { id: new.id });
        }
        for dependency in &new.depends_on {
            self.get(dependency)?;
        }
        let task = Task {
            id: new.id,
            title: new.title,
            status: new.status,
            owner: new.owner,
            depends_on: new.depends_on,
            note: new.note,
            updated_at: now,
        };
        self.tasks.push(task.clone());
        Ok(task)
    }

    /// `owner` takes the task and starts it: refused if someone else has it, it is done, or it
    /// waits on tasks that are not done.
    pub fn claim(&mut self, id: &TaskId, owner: &Name, now: DateTime<Utc>) -> Result<Task> {
        let task = self.get(id)?;
        if task.status == TaskStatus::Done {
            return Err(Error::TaskDone { id: id.clone() });
        }
        if let Some(current) = task.owner.as_ref().filter(|current| *current != owner) {
            return Err(Error::TaskTaken { id: id.clone(), owner: current.clone() });
        }
        let waiting_on: Vec<TaskId> = task
            .depends_on
            .iter()
            .filter(|dependency| self.get(dependency).map_or(true, |task| task.status != TaskStatus::Done))
            .cloned()
            .collect();
        if !waiting_on.is_empty() {
            return Err(Error::TaskBlocked { id: id.clone(), waiting_on });
        }
        let task = self.get_mut(id)?;
        task.owner = Some(owner.clone());
        task.status = TaskStatus::InProgress;
        task.updated_at = now;
        Ok(task.clone())
    }

    /// Changes a task's status, owner or note. An owned task changes only at its owner's hand
    /// (handing it to someone else included); an unowned one at anyone's.
    pub fn update(
        &mut self,
        id: &TaskId,
        actor: &Name,
        change: TaskChange,
        now: DateTime<Utc>,
    ) -> Result<Task> {
        if change.status.is_none() && change.owner.is_none() && change.note.is_none() {
            return Err(Error::NothingToChange);
        }
        if let Some(note) = &change.note {
            NOTE.check(note)?;
        }
        let task = self.get_mut(id)?;
        if let Some(owner) = task.owner.as_ref().filter(|owner| *owner != actor) {
            return Err(Error::NotTaskOwner { id: id.clone(), owner: owner.clone(), actor: actor.clone() });
        }
        if let Some(status) = change.status {
            task.status = status;
        }
        if let Some(owner) = change.owner {
            task.owner = owner;
        }
        if let Some(note) = change.note {
            task.note = Some(note);
        }
        task.updated_at = now;
        Ok(task.clone())
    }

    /// What is wrong with the board beyond its schema: repeated ids, unknown dependencies.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (index, task) in self.tasks.iter().enumerate() {
            if self.tasks[..index].iter().any(|earlier| earlier.id == task.id) {
                problems.push(format!("task {} appears more than once", task.id));
            }
            for dependency in task.depends_on.iter().filter(|dependency| self.get(dependency).is_err()) {
                problems.push(format!("task {} depends on unknown task {dependency}", task.id));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn id(value: &str) -> TaskId {
        value.parse().unwrap()
    }

    fn name(value: &str) -> Name {
        value.parse().unwrap()
    }

    fn new_task(task_id: &str, depends_on: &[&str]) -> NewTask {
        NewTask {
            id: id(task_id),
            title: format!("Build {task_id}"),
            status: TaskStatus::Todo,
            owner: None,
            depends_on: depends_on.iter().map(|dependency| id(dependency)).collect(),
            note: None,
        }
    }

    fn board() -> TaskBoard {
        let mut board = TaskBoard::default();
        board.add(new_task("engine", &[]), now()).unwrap();
        board.add(new_task("console", &["engine"]), now()).unwrap();
        board
    }

    #[test]
    fn tasks_are_added_once_with_known_dependencies() {
        let mut board = board();
        assert!(matches!(board.add(new_task("engine", &[]), now()), Err(Error::DuplicateTask { .. })));
        assert!(matches!(board.add(new_task("delivery", &["nope"]), now()), Err(Error::UnknownTask { .. })));
        let untitled = NewTask { title: "  ".into(), ..new_task("delivery", &[]) };
        assert!(board.add(untitled, now()).unwrap_err().is_usage());
        assert_eq!(board.tasks.len(), 2);
        assert!(board.problems().is_empty());
    }

    #[test]
    fn a_claim_takes_a_free_task_and_starts_it() {
        let mut board = board();
        let task = board.claim(&id("engine"), &name("alice"), now()).unwrap();
        assert_eq!(task.owner, Some(name("alice")));
        assert_eq!(task.status, TaskStatus::InProgress);
        assert_eq!(board.get(&id("engine")).unwrap(), &task);
        assert!(board.claim(&id("engine"), &name("alice"), now()).is_ok(), "claiming again is harmless");
    }

    #[test]
    fn a_claim_is_refused_when_taken_done_or_waiting() {
        let mut board = board();
        assert!(matches!(
            board.claim(&id("console"), &name("alice"), now()),
            Err(Error::TaskBlocked { waiting_on, .. }) if waiting_on == [id("engine")]
        ));
        board.claim(&id("engine"), &name("alice"), now()).unwrap();
        assert!(matches!(
            board.claim(&id("engine"), &name("bob"), now()),
            Err(Error::TaskTaken { owner, .. }) if owner == name("alice")
        ));
        let done = TaskChange { status: Some(TaskStatus::Done), owner: Some(None), note: None };
        board.update(&id("engine"), &name("alice"), done, now()).unwrap();
        assert!(matches!(board.claim(&id("engine"), &name("bob"), now()), Err(Error::TaskDone { .. })));
        assert!(board.claim(&id("console"), &name("bob"), now()).is_ok(), "its dependency is done now");
        assert!(matches!(board.claim(&id("nope"), &name("bob"), now()), Err(Error::UnknownTask { .. })));
    }

    #[test]
    fn only_the_owner_updates_an_owned_task_and_may_hand_it_over() {
        let mut board = board();
        board.claim(&id("engine"), &name("alice"), now()).unwrap();
        let review = TaskChange {
            status: Some(TaskStatus::Review),
            owner: Some(Some(name("carol"))),
            note: Some("ready for review".into()),
        };
        assert!(matches!(
            board.update(&id("engine"), &name("bob"), review.clone(), now()),
            Err(Error::NotTaskOwner { owner, actor, .. }) if owner == name("alice") && actor == name("bob")
        ));
        let later = now() + chrono::Duration::minutes(5);
        let task = board.update(&id("engine"), &name("alice"), review, later).unwrap();
        assert_eq!(
            (task.status, task.owner.as_ref(), task.note.as_deref(), task.updated_at),
            (TaskStatus::Review, Some(&name("carol")), Some("ready for review"), later)
        );
        let note = TaskChange { note: Some("looks good".into()), ..TaskChange::default() };
        assert!(board.update(&id("engine"), &name("carol"), note, now()).is_ok());
    }

    #[test]
    fn an_update_must_change_something() {
        let mut board = board();
        let error = board.update(&id("engine"), &name("alice"), TaskChange::default(), now()).unwrap_err();
        assert!(error.is_usage());
    }

    #[test]
    fn problems_name_repeated_ids_and_unknown_dependencies() {
        let mut board = board();
        let mut copy = board.tasks[0].clone();
        copy.depends_on = vec![id("ghost")];
        board.tasks.push(copy);
        assert_eq!(
            board.problems(),
            ["task engine appears more than once", "task engine depends on unknown task ghost"]
        );
    }

    #[test]
    fn statuses_parse_from_their_names() {
        assert_eq!("in_progress".parse::<TaskStatus>().unwrap(), TaskStatus::InProgress);
        assert_eq!(TaskStatus::Blocked.to_string(), "blocked");
        assert!("finished".parse::<TaskStatus>().unwrap_err().is_usage());
    }
}
