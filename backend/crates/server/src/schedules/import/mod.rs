//! Scheduling many posts from a CSV file (all rows or none), and the template to fill in: one
//! row per accepted post, named by its job, its channel and its link, the date left empty.

mod csv;
mod post;
mod wording;

use std::collections::HashMap;

use engine::Channel;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub use self::csv::{MAX_IMPORT_ROWS, parse_csv};
use self::{
    csv::{ImportRow, TemplateRow},
    post::{PostRef, job_key},
    wording::{post_of, row_error},
};
use super::{
    model::{MAX_SCHEDULES_PER_USER, PostPreview, Schedule},
    recurrence,
    service::{self, ConnectorRefusal, NotSchedulable, ScheduleFields, validate_fields},
    store,
};
use crate::{
    audit, auth::AuthUser, connectors::ConnectorKind, error::ApiError, error::FieldError, jobs,
    jobs::variants, state::AppState,
};

/// What an import did: the schedules made, and how many rows without a date it left out.
#[derive(Debug)]
pub struct Imported {
    pub created: Vec<Schedule>,
    pub skipped: usize,
}

/// Schedules every row that has a date, or none: every row is checked first and all their
/// errors are reported together, each naming its row.
pub async fn schedule_rows(
    state: &AppState,
    user: AuthUser,
    rows: Vec<ImportRow>,
) -> Result<Imported, ApiError> {
    let now = state.clock.now();
    let (dated, undated): (Vec<ImportRow>, Vec<ImportRow>) = rows.into_iter().partition(ImportRow::is_dated);
    if dated.is_empty() {
        return Err(ApiError::field(
            "body",
            "No row has a date in run_at. Fill in when each post should go out.",
        ));
    }
    let mut posts = PostFinder::new(&state.db, user.id);
    let mut connectors = ConnectorCheck::new(&state.db, user.id);
    let mut errors = Vec::new();
    let mut valid_rows = Vec::new();
    for row in &dated {
        let variant = posts.find(row).await?.map_err(|error| errors.push(error)).ok();
        // A zone written in another case is the zone; the check below then passes.
        let timezone = recurrence::parse_zone_loosely(&row.timezone)
            .map_or_else(|_| row.timezone.clone(), |zone| zone.name().to_owned());
        let fields = ScheduleFields {
            run_at: &row.run_at,
            timezone: &timezone,
            recurrence: row.recurrence.as_deref(),
            exdates: &[],
            connector: row.connector.as_deref(),
        };
        match validate_fields(&fields, now, true) {
            Err(invalid) => errors.extend(
                invalid
                    .iter()
                    .map(|field| row_error(row.row, &field.field, wording::field_problem(field, row))),
            ),
            Ok(valid) if valid.connector == ConnectorKind::Account => {
                errors.push(row_error(row.row, "connector", wording::ACCOUNT_CONNECTOR.to_owned()));
            }
            Ok(valid) => match connectors.refusal(valid.connector).await? {
                Some(refusal) => {
                    errors.push(row_error(row.row, "connector", wording::connector_refusal(refusal)));
                }
                None => valid_rows.extend(variant.map(|variant| (variant, valid))),
            },
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if store::count_for_owner(&state.db, user.id).await? + valid_rows.len() as u64 > MAX_SCHEDULES_PER_USER {
        return Err(ApiError::Conflict(format!(
            "An import may not take you past {MAX_SCHEDULES_PER_USER} schedules; delete some first."
        )));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut created = Vec::with_capacity(valid_rows.len());
    for (variant, valid) in valid_rows {
        let model = store::insert(&txn, service::new_model(user.id, variant.id, &valid, None, now)).await?;
        audit::record(&txn, now, service::created_event(&model, "import")).await?;
        created.push(service::present(model, PostPreview::of(Some(&variant))));
    }
    txn.commit().await?;
    let skipped = undated.iter().filter(|row| row.post != csv::PostCells::default()).count();
    Ok(Imported { created, skipped })
}

/// Finds each row's post among the owner's, and says why when it cannot be scheduled.
struct PostFinder<'a, C> {
    db: &'a C,
    owner_id: Uuid,
    /// The owner's job ids by [`job_key`], read when a row first names a job.
    jobs_by_name: Option<HashMap<String, Vec<Uuid>>>,
}

impl<'a, C: ConnectionTrait> PostFinder<'a, C> {
    fn new(db: &'a C, owner_id: Uuid) -> Self {
        Self { db, owner_id, jobs_by_name: None }
    }

    /// The row's post, or the row's error; `Err` only when the database fails.
    async fn find(
        &mut self,
        row: &ImportRow,
    ) -> Result<Result<variants::model::VariantRecord, FieldError>, ApiError> {
        let named = match post::read(&row.post) {
            Ok(named) => named,
            Err(problem) => return Ok(Err(row_error(row.row, problem.column(), wording::unnamed(&problem)))),
        };
        let found = match named.id {
            Some((id, column)) => self.by_id(row.row, id, column, &named).await?,
            None => self.by_name(row.row, &named).await?,
        };
        let (variant, job_name, column) = match found {
            Ok(found) => found,
            Err(error) => return Ok(Err(error)),
        };
        let post = post_of(variant.channel.as_str(), &job_name);
        Ok(match service::schedulability(&variant)? {
            Ok(()) => Ok(variant),
            Err(NotSchedulable::NotAccepted) => {
                Err(row_error(row.row, column, format!("Accept {post} before scheduling it.")))
            }
            Err(NotSchedulable::FailsChecks { detail, .. }) => {
                Err(row_error(row.row, column, format!("Fix {post} before scheduling it: {detail}")))
            }
        })
    }

    /// The post a link or id names; a job or channel the row also gives must be its.
    async fn by_id(
        &self,
        row: usize,
        id: Uuid,
        column: &'static str,
        named: &PostRef,
    ) -> Result<Result<(variants::model::VariantRecord, String, &'static str), FieldError>, ApiError> {
        let Some((variant, job)) = variants::service::find_owned(self.db, self.owner_id, id).await? else {
            let what = if column == "post" { "link" } else { "id" };
            return Ok(Err(row_error(
                row,
                column,
                format!("None of your posts has this {what}. Copy the link from the post's card again."),
            )));
        };
        let other_channel = named.channel.filter(|channel| *channel != variant.channel);
        let other_job = named.job.as_deref().filter(|name| job_key(name) != job_key(&job.name));
        if other_channel.is_some() || other_job.is_some() {
            let says = match (named.channel, named.job.as_deref()) {
                (Some(channel), Some(name)) => post_of(channel.as_str(), name),
                (Some(channel), None) => format!("a {} post", channel.display_name()),
                (None, name) => format!("a post of “{}”", name.unwrap_or_default()),
            };
            return Ok(Err(row_error(
                row,
                column,
                format!(
                    "The link is to {}, but the row says {says}. Correct job and channel, or leave them empty.",
                    post_of(variant.channel.as_str(), &job.name)
                ),
            )));
        }
        Ok(Ok((variant, job.name, column)))
    }

    /// The post a job's name and a channel name, among the owner's jobs only.
    async fn by_name(
        &mut self,
        row: usize,
        named: &PostRef,
    ) -> Result<Result<(variants::model::VariantRecord, String, &'static str), FieldError>, ApiError> {
        let (Some(job), Some(channel)) = (named.job.as_deref(), named.channel) else {
            return Ok(Err(row_error(row, "post", wording::unnamed(&post::Unnamed::Nothing))));
        };
        let job_id = match self.jobs_named(job).await? {
            [] => return Ok(Err(row_error(row, "job", format!("You have no job called “{job}”.")))),
            [only] => *only,
            several => {
                return Ok(Err(row_error(
                    row,
                    "job",
                    format!("{} jobs are called “{job}”; use the post link instead.", several.len()),
                )));
            }
        };
        match variants::service::on_channel(self.db, job_id, channel).await? {
            Some(variant) => Ok(Ok((variant, job.to_owned(), "job"))),
            None => {
                Ok(Err(row_error(row, "channel", format!("“{job}” has no {} post.", channel.display_name()))))
            }
        }
    }

    async fn jobs_named(&mut self, name: &str) -> Result<&[Uuid], ApiError> {
        if self.jobs_by_name.is_none() {
            let mut by_name: HashMap<String, Vec<Uuid>> = HashMap::new();
            for (id, job_name) in jobs::service::names(self.db, self.owner_id).await? {
                by_name.entry(job_key(&job_name)).or_default().push(id);
            }
            self.jobs_by_name = Some(by_name);
        }
        Ok(self
            .jobs_by_name
            .as_ref()
            .and_then(|by_name| by_name.get(&job_key(name)))
            .map_or(&[], Vec::as_slice))
    }
}

/// Whether each connector can take new schedules, asked once per import.
struct ConnectorCheck<'a, C> {
    db: &'a C,
    owner_id: Uuid,
    known: Vec<(ConnectorKind, Option<ConnectorRefusal>)>,
}

impl<'a, C: ConnectionTrait> ConnectorCheck<'a, C> {
    fn new(db: &'a C, owner_id: Uuid) -> Self {
        Self { db, owner_id, known: Vec::new() }
    }

    async fn refusal(&mut self, connector: ConnectorKind) -> Result<Option<ConnectorRefusal>, ApiError> {
        if let Some((_, refusal)) = self.known.iter().find(|(kind, _)| *kind == connector) {
            return Ok(*refusal);
        }
        let refusal = service::connector_refusal(self.db, self.owner_id, connector).await?;
        self.known.push((connector, refusal));
        Ok(refusal)
    }
}

/// The template: the header, then a row for each of the owner's accepted posts (at most
/// [`MAX_IMPORT_ROWS`], the newest jobs first) with the time zone filled in and no date.
/// `timezone` defaults to UTC; the console sends the reader's.
pub async fn template(state: &AppState, user: AuthUser, timezone: Option<&str>) -> Result<String, ApiError> {
    let zone = match timezone.map(str::trim).filter(|name| !name.is_empty()) {
        None => chrono_tz::UTC,
        Some(name) => recurrence::parse_zone_loosely(name)
            .map_err(|_| ApiError::field("timezone", wording::unknown_zone(name)))?,
    };
    let mut posts = variants::service::accepted_posts(&state.db, user.id, MAX_IMPORT_ROWS as u64).await?;
    // The jobs stay in the order read (newest first); their posts in the console's order.
    let mut job_order: HashMap<Uuid, usize> = HashMap::new();
    for post in &posts {
        let next = job_order.len();
        job_order.entry(post.job_id).or_insert(next);
    }
    let channel_order = |post: Channel| Channel::ALL.iter().position(|channel| *channel == post);
    posts.sort_by_key(|post| (job_order.get(&post.job_id).copied(), channel_order(post.channel)));
    let console = state.config.console_url();
    let rows: Vec<TemplateRow> = posts
        .into_iter()
        .map(|post| TemplateRow {
            channel: post.channel.display_name().to_owned(),
            link: format!("{console}/jobs/{}#variant-{}", post.job_id, post.variant_id),
            job: post.job_name,
            timezone: zone.name().to_owned(),
        })
        .collect();
    csv::render_template(&rows)
}
