//! `kyros admin`: create accounts and change roles from the command line (the first
//! administrator has no one to promote them), through the same services as the API.
//!
//! Exit codes: 0 done, 1 unexpected failure (e.g. the database), 2 invalid input (as for
//! clap's usage errors), 3 conflict (the email is taken, or the last administrator would
//! be demoted), 4 no such account.

use std::{io::BufRead, process::ExitCode};

use clap::{Subcommand, ValueEnum};
use server::{
    Config,
    admin::service::{self as admin_service, RoleChanger},
    auth::{model::Credentials, service as auth_service},
    clock::SystemClock,
    users::{
        model::{Email, Role},
        service::{self as users_service, UserError},
    },
};

#[derive(Subcommand)]
pub enum AdminAction {
    /// Create an account, e.g. the first administrator.
    CreateUser {
        #[arg(long)]
        email: String,
        /// At least 8 characters; `-` reads it from the first line of standard input.
        #[arg(long)]
        password: String,
        #[arg(long, value_enum, default_value_t = RoleArg::User)]
        role: RoleArg,
    },
    /// Give an existing account another role.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    User,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::User => Self::User,
            RoleArg::Admin => Self::Admin,
        }
    }
}

/// Why a command failed, and the exit code that says so.
struct Failure {
    code: u8,
    message: String,
}

impl From<UserError> for Failure {
    fn from(error: UserError) -> Self {
        match error {
            UserError::Invalid(errors) => Self {
                code: 2,
                message: errors
                    .iter()
                    .map(|error| format!("--{} {}", error.field, error.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            },
            UserError::DuplicateEmail | UserError::LastAdmin { .. } => {
                Self { code: 3, message: error.to_string() }
            }
            UserError::NotFound => Self { code: 4, message: error.to_string() },
            UserError::Store(_) | UserError::Internal(_) => Self::unexpected(error),
        }
    }
}

impl Failure {
    fn unexpected(error: impl std::fmt::Display) -> Self {
        // `:#` prints an `anyhow` error with its causes ("connecting to …: refused").
        Self { code: 1, message: format!("{error:#}") }
    }
}

/// Runs the command, printing what it did or why it failed.
pub async fn run(config: Config, action: AdminAction) -> ExitCode {
    match execute(config, action).await {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

async fn execute(config: Config, action: AdminAction) -> Result<String, Failure> {
    let db = server::db::connect(&config).await.map_err(Failure::unexpected)?;
    server::db::migrate_up(&db).await.map_err(Failure::unexpected)?;
    match action {
        AdminAction::CreateUser { email, password, role } => {
            let password = if password == "-" { read_password()? } else { password };
            let user =
                auth_service::create_account(&db, &SystemClock, Credentials { email, password }, role.into())
                    .await?;
            Ok(format!("created {} {} (id {})", user.role, user.email, user.id))
        }
        AdminAction::SetRole { email, role } => {
            let parsed = Email::parse(&email)
                .map_err(|message| Failure { code: 2, message: format!("--email {message}") })?;
            let account = users_service::find_by_email(&db, &parsed).await.map_err(|error| match error {
                UserError::NotFound => {
                    Failure { code: 4, message: format!("no account with the email {}", parsed.as_str()) }
                }
                other => other.into(),
            })?;
            let user = admin_service::change_role(
                &db,
                &SystemClock,
                RoleChanger::CommandLine,
                account.id,
                role.into(),
            )
            .await?;
            Ok(format!("{} is now {}", user.email, user.role))
        }
    }
}

fn read_password() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(Failure::unexpected)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
