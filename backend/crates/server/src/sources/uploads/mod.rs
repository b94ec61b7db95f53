//! `POST /uploads`: a file (.txt .md .html .srt .vtt .pdf .docx, up to 10 MB) turned into text
//! that a job can use as `{"type": "upload", "upload_id": …}`.

mod entity;

use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State, multipart::MultipartError},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use ingest::SourceFormat;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::model::{Source, SourceKind};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::ValidPath,
    state::AppState,
};

pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
const PREVIEW_CHARS: usize = 500;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_upload))
        .routes(routes!(get_upload))
        // Multipart framing adds a little to the file itself.
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024))
}

/// An ingested upload.
#[derive(Debug, Serialize, ToSchema)]
pub struct Upload {
    pub id: Uuid,
    pub file_name: String,
    #[schema(value_type = String, example = "pdf")]
    pub format: String,
    pub size_bytes: i64,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub language: Option<String>,
    pub speakers: Vec<String>,
    /// Characters of text extracted.
    pub characters: usize,
    /// The first characters of the text.
    pub preview: String,
    pub created_at: DateTime<Utc>,
}

impl From<entity::Model> for Upload {
    fn from(model: entity::Model) -> Self {
        Self {
            id: model.id,
            file_name: model.file_name,
            format: model.format,
            size_bytes: model.size_bytes,
            title: model.title,
            byline: model.byline,
            language: model.language,
            speakers: model.speakers.0,
            characters: model.text.chars().count(),
            preview: model.text.chars().take(PREVIEW_CHARS).collect(),
            created_at: model.created_at,
        }
    }
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct UploadForm {
    /// The file.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Uploads a file and extracts its text.
#[utoipa::path(post, path = "/uploads", tag = "uploads", security(("bearer" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = Upload),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 10 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a supported file type", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `file` field, or no readable text", body = Problem, content_type = "application/problem+json")))]
async fn create_upload(
    State(state): State<AppState>,
    user: AuthUser,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Upload>), ApiError> {
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(multipart_error)?;
            file = Some((name, bytes));
        }
    }
    let (file_name, bytes) =
        file.ok_or_else(|| ApiError::field("file", "attach the file as a form field named `file`"))?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let format = SourceFormat::from_file_name(&file_name).ok_or_else(|| {
        ApiError::UnsupportedMediaType(format!(
            "`{file_name}` is not a supported file; upload one of {}.",
            SourceFormat::UPLOAD_EXTENSIONS.join(" ")
        ))
    })?;
    let size_bytes = bytes.len() as i64;
    let ingested = crate::cpu::CONTENT
        .run(move || ingest::ingest(&bytes, format, super::LIMITS))
        .await?
        .map_err(|error| ApiError::field("file", error.to_string()))?;
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(user.id),
        org_id: Set(None),
        file_name: Set(file_name.chars().take(255).collect()),
        format: Set(serde_json::to_value(format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()),
        size_bytes: Set(size_bytes),
        title: Set(ingested.title),
        byline: Set(ingested.byline),
        language: Set(ingested.language),
        speakers: Set(entity::Speakers(ingested.speakers)),
        text: Set(ingested.text),
        created_at: Set(state.clock.now()),
    };
    let saved = entity::Entity::insert(model).exec_with_returning(&state.db).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// An upload's details.
#[utoipa::path(get, path = "/uploads/{id}", tag = "uploads", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Upload id")),
    responses((status = 200, body = Upload), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_upload(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<Upload>, ApiError> {
    let model = find_owned(&state, user.id, id).await?.ok_or(ApiError::NotFound("upload"))?;
    Ok(Json(model.into()))
}

async fn find_owned(state: &AppState, owner_id: Uuid, id: Uuid) -> Result<Option<entity::Model>, ApiError> {
    Ok(entity::Entity::find_by_id(id).filter(entity::Column::OwnerId.eq(owner_id)).one(&state.db).await?)
}

/// The source a job gets from one of the owner's uploads.
pub async fn source_from_upload(
    state: &AppState,
    owner_id: Uuid,
    upload_id: Uuid,
) -> Result<Source, ApiError> {
    let upload = find_owned(state, owner_id, upload_id)
        .await?
        .ok_or_else(|| ApiError::field("source.upload_id", "no such upload"))?;
    Ok(Source {
        kind: SourceKind::Upload,
        content: upload.text,
        title: upload.title,
        byline: upload.byline,
        url: None,
        upload_id: Some(upload.id),
        file_name: Some(upload.file_name),
        language: upload.language,
        speakers: upload.speakers.0,
    })
}

fn multipart_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest(format!("The multipart body could not be read: {}", error.body_text()))
    }
}
