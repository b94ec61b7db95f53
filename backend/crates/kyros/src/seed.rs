//! `kyros seed`: a demo account with example jobs, safe to run twice.

use anyhow::Context;
use engine::Channel;
use server::{
    AppState, Config,
    auth::{model::Credentials, service as auth_service},
    jobs::{
        model::{JobStatus, NewJob},
        service as jobs_service,
    },
    runtime,
    sources::{self, model::SourceInput},
    users::{model::Role, service::UserError},
};

pub const DEMO_EMAIL: &str = "demo@kyros.local";
pub const DEMO_PASSWORD: &str = "kyros-demo-password";

const EXAMPLES: [(&str, &str); 2] = [
    ("Four-day week at Rye & Crumb", include_str!("../examples/four-day-week.md")),
    ("Why we compost our coffee grounds", include_str!("../examples/coffee-grounds.md")),
];

pub async fn run(config: Config) -> anyhow::Result<()> {
    let state = AppState::connect(config, true).await?;
    let credentials = Credentials { email: DEMO_EMAIL.to_owned(), password: DEMO_PASSWORD.to_owned() };
    let user =
        match auth_service::create_account(&state.db, state.clock.as_ref(), credentials, Role::User).await {
            Ok(user) => user,
            Err(UserError::DuplicateEmail) => {
                println!("{DEMO_EMAIL} already exists; nothing to do.");
                return Ok(());
            }
            Err(error) => return Err(error).context("creating the demo account"),
        };
    let processor = runtime::job_processor(&state);
    for (name, article) in EXAMPLES {
        let source = sources::resolve(&state, user.id, SourceInput::Markdown { content: article.to_owned() })
            .await
            .with_context(|| format!("reading the example `{name}`"))?;
        let job = jobs_service::insert(
            &state.db,
            NewJob {
                owner_id: user.id,
                name: name.to_owned(),
                source: Some(source),
                channels: Channel::DEFAULT.to_vec(),
                preset_id: None,
                status: JobStatus::Queued,
                now: state.clock.now(),
            },
        )
        .await
        .with_context(|| format!("creating the example job `{name}`"))?;
        let outcome = processor
            .process(job.id)
            .await
            .with_context(|| format!("processing the example job `{name}`"))?;
        println!("seeded job `{name}`: {outcome:?}");
    }
    jobs_service::insert(
        &state.db,
        NewJob {
            owner_id: user.id,
            name: "Draft: spring menu launch".to_owned(),
            source: None,
            channels: Channel::DEFAULT.to_vec(),
            preset_id: None,
            status: JobStatus::Draft,
            now: state.clock.now(),
        },
    )
    .await
    .context("creating the example draft")?;
    println!("Seeded {DEMO_EMAIL} (password: {DEMO_PASSWORD}) with example jobs and a draft.");
    Ok(())
}
