//! `kyros`: one binary for the API, workers, migrations, seeding and the engine.

mod admin;
mod collab;
mod eval;
mod seed;

use std::{io::Read, path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use engine::{Channel, GenerationOptions};
use sea_orm_migration::MigratorTrait;
use server::{
    Config,
    clock::{Clock, SystemClock},
    migration::Migrator,
    runtime, telemetry,
};

#[derive(Parser)]
#[command(name = "kyros", version, about = "Repurpose one source into channel-ready posts.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Configured(ConfiguredCommand),
    /// Shared collaboration state: tasks, lease locks, agents and the event log.
    Collab(collab::CollabArgs),
}

/// The commands that read the configuration and log.
#[derive(Subcommand)]
enum ConfiguredCommand {
    /// Run the API (and, unless KYROS_EMBEDDED_WORKER=false, a worker) on HOST:PORT.
    Serve,
    /// Process queued jobs until SIGTERM.
    Worker,
    /// Publish due scheduled posts until SIGTERM (one active scheduler; others stand by).
    Scheduler,
    /// Apply, revert or list schema migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Create the demo user and example jobs.
    Seed,
    /// Seal connected accounts' tokens again under the current KYROS_SECRET_KEY (after a key
    /// rotation; docs/RUNBOOKS.md).
    Secrets {
        #[command(subcommand)]
        action: SecretsAction,
    },
    /// Manage accounts: create users (the first administrator), change roles.
    Admin {
        #[command(subcommand)]
        action: admin::AdminAction,
    },
    /// Score the engine on a summarisation dataset (ACLSum JSONL) against LEAD-3.
    Eval {
        /// ACLSum: the dataset file, e.g. test.jsonl from the `aclsum` package. Marketing: the
        /// folder holding `manifest.json` (backend/crates/kyros/tests/fixtures/marketing).
        dataset: PathBuf,
        /// Which evaluation: `aclsum` (ROUGE against LEAD-3) or `marketing` (defect classes,
        /// lead share and section coverage on real marketing pieces).
        #[arg(long, value_enum, default_value_t = EvalSet::Aclsum)]
        set: EvalSet,
        /// Evaluate only the first N documents (ACLSum).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Print the OpenAPI document (what `GET /openapi.json` serves) for client code generation.
    Openapi,
    /// Run the engine on a file (or `-` for stdin) and print the variants.
    Repurpose {
        /// A file path, or `-` for standard input. Read exactly as an upload to the API is.
        input: String,
        /// The source's format (text, markdown, html, srt, vtt, transcript, pdf, docx); by default
        /// the file's extension, or text (Markdown recognised) for standard input.
        #[arg(long)]
        format_in: Option<ingest::SourceFormat>,
        /// Comma-separated channels.
        #[arg(long, value_delimiter = ',', default_value = "linkedin,x,newsletter,blog")]
        channels: Vec<String>,
        /// A JSON file of generation options (tone, hashtags, emoji, call_to_action, x_format, seed).
        #[arg(long)]
        preset: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
        format: OutputFormat,
    },
}

impl ConfiguredCommand {
    /// The trace's `service.name` unless `OTEL_SERVICE_NAME` sets one: each long-running
    /// process its own, so a trace shows which process did what.
    fn service_name(&self) -> &'static str {
        match self {
            Self::Serve => "kyros-api",
            Self::Worker => "kyros-worker",
            Self::Scheduler => "kyros-scheduler",
            _ => "kyros",
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum EvalSet {
    Aclsum,
    Marketing,
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Revert the last migration (or `--steps N`).
    Down {
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Subcommand)]
enum SecretsAction {
    /// Reseal everything sealed under an earlier key (KYROS_SECRET_KEYS_PREVIOUS) with the
    /// current one; then the earlier key can be removed.
    Rotate,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Json,
    Md,
}

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    return_large_blocks_to_the_system();
    match Cli::parse().command {
        // The collaboration commands touch only their files: no configuration, logging or database.
        Command::Collab(args) => Ok(collab::run(args)),
        Command::Configured(command) => {
            let outcome = run_configured(command).await;
            // Spans still buffered go out before the process exits.
            telemetry::shutdown();
            outcome
        }
    }
}

/// Large allocations (an Argon2 hash's 19 MiB block, a big upload) get pages of their own that
/// go back to the system when freed. glibc otherwise raises its mmap threshold after the first
/// such block is freed and serves the next ones from per-thread heaps, which it keeps: a burst
/// of logins left over 1 GiB resident for good (docs/PERFORMANCE.md).
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const LARGE_BLOCK_BYTES: libc::c_int = 512 * 1024;
        // SAFETY: mallopt only sets an allocator parameter, under glibc's own lock.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES);
        }
    }
}

async fn run_configured(command: ConfiguredCommand) -> anyhow::Result<ExitCode> {
    let config = Config::from_env()?;
    // Held until the command returns, which flushes what is still queued.
    let _error_reporting = server::error_reporting::init(&config);
    telemetry::init(config.log_format, command.service_name())?;
    match command {
        ConfiguredCommand::Serve => runtime::serve(config).await,
        ConfiguredCommand::Worker => runtime::worker(config).await,
        ConfiguredCommand::Scheduler => runtime::scheduler(config).await,
        ConfiguredCommand::Migrate { action } => migrate(config, action).await,
        ConfiguredCommand::Seed => seed::run(config).await,
        ConfiguredCommand::Secrets { action: SecretsAction::Rotate } => rotate_secrets(config).await,
        ConfiguredCommand::Admin { action } => return Ok(admin::run(config, action).await),
        ConfiguredCommand::Eval { dataset, set, limit } => {
            let report = match set {
                EvalSet::Aclsum => eval::run(&dataset, limit)?,
                EvalSet::Marketing => eval::marketing::run(&dataset)?,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        ConfiguredCommand::Openapi => {
            println!("{}", server::app::openapi_document().to_pretty_json()?);
            Ok(())
        }
        ConfiguredCommand::Repurpose { input, format_in, channels, preset, format } => {
            repurpose(&input, format_in, &channels, preset, format)
        }
    }?;
    Ok(ExitCode::SUCCESS)
}

async fn rotate_secrets(config: Config) -> anyhow::Result<()> {
    let db = server::db::connect(&config).await?;
    let resealed = server::connections::service::reseal_all(&db, &config.secret_keys, SystemClock.now())
        .await
        .context("resealing the stored secrets")?;
    println!(
        "resealed {} connected account(s) and {} Mastodon app(s) under key `{}`",
        resealed.connections,
        resealed.mastodon_apps,
        config.secret_keys.current_key_id()
    );
    Ok(())
}

async fn migrate(config: Config, action: MigrateAction) -> anyhow::Result<()> {
    let db = server::db::connect(&config).await?;
    match action {
        MigrateAction::Up => Migrator::up(&db, None).await.context("applying migrations")?,
        MigrateAction::Down { steps } => {
            Migrator::down(&db, Some(steps)).await.context("reverting migrations")?
        }
        MigrateAction::Status => {
            for migration in
                Migrator::get_migration_with_status(&db).await.context("reading the migrations' status")?
            {
                println!("{:<9} {}", migration.status().to_string(), migration.name());
            }
        }
    }
    Ok(())
}

fn repurpose(
    input: &str,
    format_in: Option<ingest::SourceFormat>,
    channel_names: &[String],
    preset: Option<PathBuf>,
    format: OutputFormat,
) -> anyhow::Result<()> {
    let channels = channel_names.iter().map(|name| name.parse::<Channel>()).collect::<Result<Vec<_>, _>>()?;
    let options: GenerationOptions = match preset {
        Some(path) => serde_json::from_str(
            &std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?,
        )
        .with_context(|| format!("parsing {}", path.display()))?,
        None => GenerationOptions::default(),
    };
    let (bytes, guessed) = if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
        (bytes, Some(ingest::SourceFormat::Text))
    } else {
        (
            std::fs::read(input).with_context(|| format!("reading {input}"))?,
            ingest::SourceFormat::from_file_name(input),
        )
    };
    let source_format = format_in
        .or(guessed)
        .with_context(|| format!("`{input}` has no known extension; name its format with --format-in"))?;
    let source = ingest::ingest(&bytes, source_format, server::sources::LIMITS)
        .with_context(|| format!("reading {input} as {source_format:?}"))?
        .text;
    let variants = engine::repurpose(&source, &channels, &options)?;
    match format {
        OutputFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "variants": variants }))?)
        }
        OutputFormat::Md => {
            for variant in variants {
                println!("## {}\n\n{}\n", variant.channel, variant.content);
            }
        }
    }
    Ok(())
}
