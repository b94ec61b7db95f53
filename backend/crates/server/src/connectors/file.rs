//! The `file` connector: each occurrence becomes one JSON file in a local outbox.

use std::path::PathBuf;

use super::{Connector, Publication, PublishError};

#[derive(Debug, Clone)]
pub struct FileConnector {
    pub outbox: PathBuf,
}

impl FileConnector {
    /// `<outbox>/<owner>/<occurrence>-<schedule>.json`: the same occurrence always lands on
    /// the same file, so a retry overwrites rather than duplicates.
    pub fn path_for(&self, publication: &Publication) -> PathBuf {
        self.outbox.join(publication.owner_id.to_string()).join(format!(
            "{}-{}.json",
            publication.occurrence_at.format("%Y%m%dT%H%M%SZ"),
            publication.schedule_id
        ))
    }
}

impl Connector for FileConnector {
    async fn publish(&self, publication: &Publication) -> Result<String, PublishError> {
        let path = self.path_for(publication);
        let body = serde_json::to_vec_pretty(publication)
            .map_err(|error| PublishError::Permanent(error.to_string()))?;
        let directory = path.parent().map(PathBuf::from).unwrap_or_default();
        let temporary = path.with_extension("json.tmp");
        let written = async {
            tokio::fs::create_dir_all(&directory).await?;
            tokio::fs::write(&temporary, &body).await?;
            // Readers of the outbox never see a half-written post.
            tokio::fs::rename(&temporary, &path).await
        };
        written
            .await
            .map_err(|error| PublishError::Transient(format!("writing {}: {error}", path.display())))?;
        Ok(format!("written to {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::connectors::PublishedVariant;

    #[tokio::test]
    async fn writes_one_file_per_occurrence_and_overwrites_on_retry() {
        let dir = tempfile::tempdir().unwrap();
        let connector = FileConnector { outbox: dir.path().to_path_buf() };
        let publication = Publication {
            idempotency_key: "k".into(),
            schedule_id: Uuid::now_v7(),
            occurrence_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
            owner_id: Uuid::now_v7(),
            variant: PublishedVariant {
                id: Uuid::now_v7(),
                job_id: Uuid::now_v7(),
                channel: engine::Channel::X,
                content: "Hello".into(),
                metadata: serde_json::json!({}),
            },
        };
        connector.publish(&publication).await.unwrap();
        connector.publish(&publication).await.unwrap();
        let path = connector.path_for(&publication);
        assert!(path.ends_with(format!("20261201T080000Z-{}.json", publication.schedule_id)));
        let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(written["variant"]["content"], "Hello");
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }
}
