//! Checks the collaboration directory against its JSON Schemas (draft 2020-12, in `schemas/`).

use std::{
    fs,
    path::{Path, PathBuf},
};

use boon::{Compiler, Draft, SchemaIndex, Schemas, ValidationError};
use serde::Serialize;
use serde_json::Value;

use crate::{AgentRoster, EVENT_SCHEMA, EVENTS_FILE, Error, Event, LockTable, Result, State, TaskBoard};

/// Whether every file passed, and what is wrong with each that did not.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationReport {
    pub valid: bool,
    pub files: Vec<FileReport>,
}

/// One file's findings.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file, relative to the collaboration directory.
    pub file: &'static str,
    /// Documents checked: 1 for a state file, one per line of the event log.
    pub documents: usize,
    pub errors: Vec<String>,
}

/// Validates each state file and every event line against its schema, then parses them into
/// their types and checks what a schema cannot (unique task ids, known dependencies).
///
/// Fails only when a schema cannot be loaded; findings in the files go into the report.
pub fn validate(dir: &Path) -> Result<ValidationReport> {
    let mut validator = Validator::new(dir);
    let files = vec![
        validator.state::<TaskBoard>()?,
        validator.state::<LockTable>()?,
        validator.state::<AgentRoster>()?,
        validator.events()?,
    ];
    Ok(ValidationReport { valid: files.iter().all(|file| file.errors.is_empty()), files })
}

struct Validator<'a> {
    dir: &'a Path,
    compiler: Compiler,
    schemas: Schemas,
}

impl<'a> Validator<'a> {
    fn new(dir: &'a Path) -> Self {
        let mut compiler = Compiler::new();
        compiler.set_default_draft(Draft::V2020_12);
        compiler.enable_format_assertions();
        Self { dir, compiler, schemas: Schemas::new() }
    }

    fn compile(&mut self, schema: &str) -> Result<SchemaIndex> {
        let path = self.dir.join(schema);
        let absolute = fs::canonicalize(&path).map_err(Error::io(&path))?;
        self.compiler
            .compile(&absolute.to_string_lossy(), &mut self.schemas)
            .map_err(|error| Error::Schema { path, message: format!("{error:#}") })
    }

    fn state<S: State>(&mut self) -> Result<FileReport> {
        let schema = self.compile(S::SCHEMA)?;
        let mut errors = Vec::new();
        match read_json(&self.dir.join(S::FILE)) {
            Err(error) => errors.push(error),
            Ok(value) => {
                errors.extend(self.schema_errors(&value, schema));
                match serde_json::from_value::<S>(value) {
                    Ok(state) => errors.extend(state.problems()),
                    Err(error) => errors.push(format!("does not parse: {error}")),
                }
            }
        }
        Ok(FileReport { file: S::FILE, documents: 1, errors })
    }

    fn events(&mut self) -> Result<FileReport> {
        let schema = self.compile(EVENT_SCHEMA)?;
        let path = self.dir.join(EVENTS_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                return Ok(FileReport { file: EVENTS_FILE, documents: 0, errors: vec![error.to_string()] });
            }
        };
        let mut errors = Vec::new();
        let mut documents = 0;
        for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
            documents += 1;
            let at_line = |message: String| format!("line {}: {message}", index + 1);
            match serde_json::from_str::<Value>(line) {
                Err(error) => errors.push(at_line(format!("not JSON: {error}"))),
                Ok(value) => {
                    errors.extend(self.schema_errors(&value, schema).into_iter().map(at_line));
                    if let Err(error) = serde_json::from_value::<Event>(value) {
                        errors.push(at_line(format!("does not parse: {error}")));
                    }
                }
            }
        }
        if !text.is_empty() && !text.ends_with('\n') {
            errors.push("the last line does not end with a newline".to_owned());
        }
        Ok(FileReport { file: EVENTS_FILE, documents, errors })
    }

    fn schema_errors(&self, value: &Value, schema: SchemaIndex) -> Vec<String> {
        let mut errors = Vec::new();
        if let Err(error) = self.schemas.validate(value, schema) {
            leaf_errors(&error, &mut errors);
        }
        errors
    }
}

fn read_json(path: &PathBuf) -> Result<Value, String> {
    let bytes = fs::read(path).map_err(|error| error.to_string())?;
    serde_json::from_slice(&bytes).map_err(|error| format!("not JSON: {error}"))
}

/// The innermost causes: the ones that name a value and what is wrong with it.
fn leaf_errors(error: &ValidationError<'_, '_>, out: &mut Vec<String>) {
    if error.causes.is_empty() {
        out.push(format!("at '{}': {}", error.instance_location, error.kind));
    } else {
        for cause in &error.causes {
            leaf_errors(cause, out);
        }
    }
}
