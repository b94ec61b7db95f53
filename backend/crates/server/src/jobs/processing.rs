//! What a worker does with a queued job. Idempotent: a duplicate message, or a second
//! worker picking up a job whose first worker died, ends with exactly one set of variants.

use std::{sync::Arc, time::Instant};

use sea_orm::{DatabaseConnection, DbErr};
use uuid::Uuid;

use super::{model::JobStatus, store};
use crate::{
    clock::Clock,
    error_reporting::FailedJob,
    generation::{Generated, GenerationError, Generator},
    jobs::variants,
    presets,
    queue::JobHandler,
    tools, usage,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessOutcome {
    /// Variants stored, job waits for review.
    Generated,
    /// The source cannot be repurposed; the job failed with a reason.
    Failed,
    /// Nothing to do: the job is gone, finished, or another worker finished it.
    Skipped,
}

impl ProcessOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Generated => "generated",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone)]
pub struct JobProcessor {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    generator: Generator,
}

impl JobProcessor {
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, generator: Generator) -> Self {
        Self { db, clock, generator }
    }

    /// Runs the engine for one job. Database errors are returned so the queue retries them.
    pub async fn process(&self, job_id: Uuid) -> Result<ProcessOutcome, DbErr> {
        let started = Instant::now();
        let result = self.generate(job_id).await;
        match &result {
            Ok(outcome) => {
                crate::metrics::record_job(outcome.as_str(), *outcome != ProcessOutcome::Skipped, started)
            }
            Err(_) => crate::metrics::record_job("error", true, started),
        }
        result
    }

    async fn generate(&self, job_id: Uuid) -> Result<ProcessOutcome, DbErr> {
        if !store::claim(&self.db, job_id, self.clock.now()).await? {
            return Ok(ProcessOutcome::Skipped);
        }
        let Some(job) = store::find(&self.db, job_id).await? else {
            return Ok(ProcessOutcome::Skipped);
        };
        let Some(source) = job.source_payload.as_ref().map(|payload| &payload.0) else {
            return self.fail(&job, Failure::NoSource, None, "The job has no source to repurpose.").await;
        };
        let options = generation_options(&self.db, &job).await?;
        let requested = &job.channels.0;
        // Read for every job, so a provider switched off applies to the very next one.
        let writers = tools::service::writers(&self.db).await?;
        let provider = self.generator.first_writer(&writers);
        match self.generator.generate(&source.content, requested, &options, &writers).await {
            Ok(generated) => self.store_variants(&job, generated).await,
            Err(GenerationError::NoWriter(reason)) => {
                self.fail(&job, Failure::NoWriter, provider, &reason).await
            }
            Err(error) => {
                let message = format!("We could not repurpose this source: {error}.");
                self.fail(&job, Failure::Generation, provider, &message).await
            }
        }
    }

    /// Replaces the job's variants and marks it for review in one transaction. The status
    /// update goes first so a concurrent worker blocks on the row and then finds nothing to do.
    /// The generated characters count against the owner's monthly quota in the same transaction.
    async fn store_variants(
        &self,
        job: &super::entity::Model,
        mut generated: Generated,
    ) -> Result<ProcessOutcome, DbErr> {
        generated.variants.iter_mut().for_each(variants::sanitize::sanitize_generated);
        let job_id = job.id;
        let now = self.clock.now();
        let txn = crate::db::begin_write(&self.db).await?;
        if !store::finish(&txn, job_id, generated.provider, generated.note.as_deref(), now).await? {
            txn.rollback().await?;
            return Ok(ProcessOutcome::Skipped);
        }
        variants::service::replace_for_job(&txn, job_id, &generated.variants, now).await?;
        let chars = usage::model::generated_chars(generated.variants.iter().map(|v| v.content.as_str()));
        usage::service::record_generated_chars(&txn, job.owner_id, chars, now).await?;
        txn.commit().await?;
        crate::metrics::record_generations(
            generated.provider,
            generated.variants.iter().map(|variant| variant.channel.as_str()),
        );
        tracing::info!(%job_id, variants = generated.variants.len(), provider = generated.provider, "job generated");
        Ok(ProcessOutcome::Generated)
    }

    /// Fails the job for good; `provider` is the writer tried first, if any was.
    async fn fail(
        &self,
        job: &super::entity::Model,
        failure: Failure,
        provider: Option<&'static str>,
        reason: &str,
    ) -> Result<ProcessOutcome, DbErr> {
        let job_id = job.id;
        let failed = store::transition(
            &self.db,
            job_id,
            &[JobStatus::Running],
            JobStatus::Failed,
            Some(reason),
            self.clock.now(),
        )
        .await?;
        tracing::info!(%job_id, reason, "job failed");
        if failed {
            crate::metrics::record_job_failure(failure.as_str());
            let failed_job = FailedJob { id: job.id, owner_id: job.owner_id, attempts: job.attempts };
            crate::error_reporting::job_failed(&failed_job, failure.as_str(), provider, reason);
        }
        Ok(if failed { ProcessOutcome::Failed } else { ProcessOutcome::Skipped })
    }
}

/// What the worker runs each queued job with.
impl JobHandler for JobProcessor {
    async fn handle(&self, job_id: Uuid) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.process(job_id).await.map(drop).map_err(Into::into)
    }
}

/// Why a job failed, as the low-cardinality label of `kyros_job_failures_total`; the message
/// the owner reads is stored with the job.
#[derive(Debug, Clone, Copy)]
enum Failure {
    /// The stored source could not be read back.
    NoSource,
    /// No writer may generate: the model is switched off and the local engine with it.
    NoWriter,
    /// The engine or the model refused or failed.
    Generation,
}

impl Failure {
    fn as_str(self) -> &'static str {
        match self {
            Self::NoSource => "no_source",
            Self::NoWriter => "no_writer",
            Self::Generation => "generation",
        }
    }
}

/// The engine options a job asks for: its preset's, or the defaults when it has none
/// (or the preset was deleted since).
pub async fn generation_options(
    db: &impl sea_orm::ConnectionTrait,
    job: &super::entity::Model,
) -> Result<engine::GenerationOptions, DbErr> {
    let Some(preset_id) = job.preset_id else {
        return Ok(engine::GenerationOptions::default());
    };
    Ok(presets::service::find_owned(db, job.owner_id, preset_id)
        .await?
        .map(|preset| preset.generation_options())
        .unwrap_or_default())
}
