//! State files on disk: read with an ETag, replaced only by a writer that presents the current one.
//!
//! A write takes an exclusive advisory lock on a sidecar file (`.NAME.lock`), compares the
//! file's current hash with the expected ETag, writes the new bytes to a temporary file in the
//! same directory, `fsync`s it, renames it over the target and `fsync`s the directory. Readers
//! take no lock: a rename is atomic, so they see the old bytes or the new ones, never a mix.

use std::{
    fmt,
    fs::{self, File, OpenOptions},
    io::Write,
    path::{Path, PathBuf},
    str::FromStr,
};

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// The lowercase hex SHA-256 of a state file's bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Etag(String);

impl Etag {
    /// The ETag of these bytes.
    pub fn of(bytes: &[u8]) -> Self {
        Self(format!("{:x}", Sha256::digest(bytes)))
    }

    /// The hex digest.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Etag {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        if value.len() == 64 && value.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(Self(value.to_owned()))
        } else {
            Err(Error::Invalid { what: "ETag", value: value.to_owned(), rule: "64 lowercase hex digits" })
        }
    }
}

impl fmt::Display for Etag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value read from a state file, with the ETag of the bytes it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct Versioned<T> {
    pub etag: Etag,
    #[serde(flatten)]
    pub value: T,
}

/// One JSON state file.
#[derive(Debug, Clone)]
pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads and parses the file, with the ETag of the bytes read.
    pub fn read<T: DeserializeOwned>(&self) -> Result<Versioned<T>> {
        let bytes = fs::read(&self.path).map_err(Error::io(&self.path))?;
        let value = serde_json::from_slice(&bytes)
            .map_err(|source| Error::Corrupt { path: self.path.clone(), source })?;
        Ok(Versioned { etag: Etag::of(&bytes), value })
    }

    /// Replaces the file with `value` if its bytes still hash to `expected`; returns the new ETag.
    pub fn write<T: Serialize>(&self, value: &T, expected: &Etag) -> Result<Etag> {
        self.lock()?.compare_and_swap(value, expected)
    }

    /// Writes `value` only if the file does not exist yet; returns whether it wrote.
    pub fn create<T: Serialize>(&self, value: &T) -> Result<bool> {
        let _lock = self.lock()?;
        if self.path.exists() {
            return Ok(false);
        }
        stage(&self.path, &to_bytes(&self.path, value)?)?.commit()?;
        Ok(true)
    }

    /// Waits for the exclusive write lock; other writers wait until the guard is dropped.
    pub fn lock(&self) -> Result<WriteLock<'_>> {
        let lock_path = sibling(&self.path, ".", ".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(Error::io(&lock_path))?;
        file.lock().map_err(Error::io(&lock_path))?;
        Ok(WriteLock { state: self, _lock: file })
    }
}

/// Holds a state file's write lock (released when dropped, as the lock file is closed).
pub struct WriteLock<'a> {
    state: &'a StateFile,
    _lock: File,
}

impl WriteLock<'_> {
    /// The compare-and-swap itself: refused with [`Error::StaleEtag`] when the file changed.
    pub fn compare_and_swap<T: Serialize>(&self, value: &T, expected: &Etag) -> Result<Etag> {
        let path = self.state.path();
        let actual = Etag::of(&fs::read(path).map_err(Error::io(path))?);
        if actual != *expected {
            return Err(Error::StaleEtag { path: path.to_owned(), expected: expected.clone(), actual });
        }
        let bytes = to_bytes(path, value)?;
        stage(path, &bytes)?.commit()?;
        Ok(Etag::of(&bytes))
    }
}

/// Pretty JSON with a final newline: the form the files are committed in.
fn to_bytes<T: Serialize>(path: &Path, value: &T) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|source| Error::Corrupt { path: path.to_owned(), source })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `dir/{prefix}{file name}{suffix}`, beside `path`.
fn sibling(path: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default();
    path.with_file_name(format!("{prefix}{name}{suffix}"))
}

/// New bytes written and flushed to a temporary file beside the target, not yet in place.
struct StagedWrite {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

fn stage(target: &Path, bytes: &[u8]) -> Result<StagedWrite> {
    let temp = sibling(target, ".", &format!(".{}.tmp", uuid::Uuid::now_v7().simple()));
    let staged = StagedWrite { temp, target: target.to_owned(), committed: false };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&staged.temp)
        .map_err(Error::io(&staged.temp))?;
    file.write_all(bytes).map_err(Error::io(&staged.temp))?;
    file.sync_all().map_err(Error::io(&staged.temp))?;
    Ok(staged)
}

impl StagedWrite {
    /// Renames the temporary file over the target and makes the rename durable.
    fn commit(mut self) -> Result<()> {
        fs::rename(&self.temp, &self.target).map_err(Error::io(&self.target))?;
        self.committed = true;
        let dir = self.target.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
        File::open(dir).and_then(|dir| dir.sync_all()).map_err(Error::io(dir))
    }
}

impl Drop for StagedWrite {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a write that failed before its rename leaves no litter behind.
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn state_with(value: &Value) -> (tempfile::TempDir, StateFile) {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("tasks.json"));
        assert!(file.create(value).unwrap());
        (dir, file)
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_etag_is_the_hex_sha256_of_the_bytes() {
        let (_dir, file) = state_with(&json!({ "n": 1 }));
        let read = file.read::<Value>().unwrap();
        assert_eq!(read.etag, Etag::of(&fs::read(file.path()).unwrap()));
        assert_eq!(read.etag.as_str().len(), 64);
        assert_eq!(read.etag.as_str().parse::<Etag>().unwrap(), read.etag);
        assert!("ABC".parse::<Etag>().unwrap_err().is_usage());
    }

    #[test]
    fn a_write_with_the_current_etag_replaces_the_file_and_returns_the_new_etag() {
        let (dir, file) = state_with(&json!({ "n": 1 }));
        let before = file.read::<Value>().unwrap();
        let etag = file.write(&json!({ "n": 2 }), &before.etag).unwrap();
        let after = file.read::<Value>().unwrap();
        assert_eq!(after.value, json!({ "n": 2 }));
        assert_eq!(after.etag, etag);
        assert_ne!(after.etag, before.etag);
        assert!(fs::read(file.path()).unwrap().ends_with(b"}\n"), "committed form ends with a newline");
        assert_eq!(entries(dir.path()), [".tasks.json.lock", "tasks.json"], "no temporary file is left");
    }

    #[test]
    fn a_write_with_a_stale_etag_is_refused_and_changes_nothing() {
        let (_dir, file) = state_with(&json!({ "n": 1 }));
        let first = file.read::<Value>().unwrap();
        let second = file.write(&json!({ "n": 2 }), &first.etag).unwrap();
        let error = file.write(&json!({ "n": 3 }), &first.etag).unwrap_err();
        match error {
            Error::StaleEtag { expected, actual, .. } => {
                assert_eq!(expected, first.etag);
                assert_eq!(actual, second);
            }
            other => panic!("expected a stale ETag, got {other}"),
        }
        assert_eq!(file.read::<Value>().unwrap().value, json!({ "n": 2 }));
    }

    #[test]
    fn create_never_overwrites() {
        let (_dir, file) = state_with(&json!({ "n": 1 }));
        assert!(!file.create(&json!({ "n": 9 })).unwrap());
        assert_eq!(file.read::<Value>().unwrap().value, json!({ "n": 1 }));
    }

    #[test]
    fn a_crash_between_staging_and_rename_leaves_the_previous_state_and_etag() {
        let (dir, file) = state_with(&json!({ "n": 1 }));
        let before = file.read::<Value>().unwrap();

        // The process dies after the new bytes are flushed to the temporary file but before the
        // rename: forgetting the staged write skips its clean-up, as a killed process would.
        std::mem::forget(stage(file.path(), b"{\"n\": 2}\n").unwrap());
        // Another dies halfway through writing its temporary file.
        fs::write(dir.path().join(".tasks.json.torn.tmp"), b"{\"n\": 3, \"ta").unwrap();

        let after = file.read::<Value>().unwrap();
        assert_eq!(after.value, json!({ "n": 1 }));
        assert_eq!(after.etag, before.etag);
        assert_eq!(entries(dir.path()).iter().filter(|name| name.ends_with(".tmp")).count(), 2);
        // The next writer holding the old ETag still succeeds; the litter does not get in its way.
        file.write(&json!({ "n": 4 }), &before.etag).unwrap();
        assert_eq!(file.read::<Value>().unwrap().value, json!({ "n": 4 }));
    }

    #[test]
    fn a_failed_stage_removes_its_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-dir").join("tasks.json");
        assert!(matches!(stage(&target, b"{}"), Err(Error::Io { .. })));
        let staged = stage(&dir.path().join("tasks.json"), b"{}").unwrap();
        drop(staged);
        assert!(entries(dir.path()).is_empty(), "an uncommitted stage cleans up after itself");
    }

    #[test]
    fn concurrent_writers_with_the_same_etag_have_exactly_one_winner() {
        let (_dir, file) = state_with(&json!({ "n": 0 }));
        let etag = file.read::<Value>().unwrap().etag;
        let results: Vec<Result<Etag>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..=8)
                .map(|n| {
                    let (file, etag) = (file.clone(), etag.clone());
                    scope.spawn(move || file.write(&json!({ "n": n }), &etag))
                })
                .collect();
            handles.into_iter().map(|handle| handle.join().unwrap()).collect()
        });
        assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1);
        assert!(
            results
                .iter()
                .filter_map(|result| result.as_ref().err())
                .all(|error| matches!(error, Error::StaleEtag { .. }))
        );
    }

    #[test]
    fn reading_a_missing_or_broken_file_says_which() {
        let dir = tempfile::tempdir().unwrap();
        let missing = StateFile::new(dir.path().join("nope.json"));
        assert!(matches!(missing.read::<Value>(), Err(Error::Io { .. })));
        fs::write(dir.path().join("broken.json"), "{").unwrap();
        let error = StateFile::new(dir.path().join("broken.json")).read::<Value>().unwrap_err();
        assert!(matches!(error, Error::Corrupt { .. }));
        assert!(error.to_string().contains("broken.json"), "{error}");
    }
}
