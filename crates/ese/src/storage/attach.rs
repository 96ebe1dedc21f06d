//! Attaching a database for writing, and detaching it (ESE:
//! JetAttachDatabase / JetDetachDatabase at the storage level).
//!
//! Attaching opens the file with an exclusive lock (another process gets
//! `JET_errDatabaseInUse`), elects and judges its header, refuses a
//! database that was not shut down cleanly (`JET_errDatabaseDirtyShutdown`:
//! it needs recovery first), registers the file with the buffer cache and,
//! for a writable attach, marks the header dirty on disk before any page
//! changes: a crash from then on leaves a database that says so. Detaching
//! writes every dirty page, syncs, and marks the header clean again.
//!
//! With a log, the header also names the log sequence (its signature) and
//! the log positions of the attachment and of the clean detachment, as
//! ESE's header does.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use ese_format::checksum::{set_page_checksum, PageKind};
use ese_format::constants::*;
use ese_format::header::{DatabaseHeader, LogTime};
use ese_format::header_election::{elect_header, ELECTION_PREFIX};

use crate::codes::*;
use crate::storage::cache::{BufferCache, CachedDatabase, DatabaseId};
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::{Error, Result};

/// Writes `header` into both header pages of `file` and syncs it.
pub fn write_header_pages(
    file: &dyn FileIo,
    page_size: usize,
    header: &DatabaseHeader,
) -> Result<()> {
    let mut page = vec![0u8; page_size];
    header.encode(&mut page)?;
    set_page_checksum(&mut page, PageKind::DatabaseHeader, 0)
        .map_err(|e| Error::new(JET_errInvalidBufferSize).with_detail(e.to_string()))?;
    file.write_at(&page, 0)?;
    file.write_at(&page, page_size as u64)?;
    file.sync_data()
}

/// A database attached to a buffer cache.
pub struct AttachedDatabase {
    path: PathBuf,
    pub(crate) file: Arc<OsFile>,
    cache: Arc<BufferCache>,
    id: DatabaseId,
    pub(crate) header: DatabaseHeader,
    pub(crate) page_size: usize,
    read_only: bool,
}

impl std::fmt::Debug for AttachedDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachedDatabase")
            .field("path", &self.path)
            .field("page_size", &self.page_size)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl AttachedDatabase {
    /// Attaches `path` to `cache`, for writing unless `read_only`.
    pub fn attach(
        cache: Arc<BufferCache>,
        path: impl AsRef<Path>,
        read_only: bool,
    ) -> Result<Self> {
        Self::attach_as(cache, path, read_only, false)
    }

    /// [`Self::attach`]; `recovering`: recovery attaches a database it has
    /// just redone, whose header still says dirty shutdown.
    pub fn attach_as(
        cache: Arc<BufferCache>,
        path: impl AsRef<Path>,
        read_only: bool,
        recovering: bool,
    ) -> Result<Self> {
        Self::attach_wrapped(cache, path, read_only, recovering, None)
    }

    /// [`Self::attach_as`], the cache writing the file through `wrap`
    /// (tests inject faults there).
    pub fn attach_wrapped(
        cache: Arc<BufferCache>,
        path: impl AsRef<Path>,
        read_only: bool,
        recovering: bool,
        wrap: Option<Arc<crate::storage::io::FileWrapper>>,
    ) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let mode = if read_only {
            OpenMode::ReadOnly
        } else {
            OpenMode::ReadWrite
        };
        let file = OsFile::open(&path, mode).map_err(|e| {
            // The lock is how another process's attach shows.
            if e.code() == JET_errFileAccessDenied && !read_only {
                Error::new(JET_errDatabaseInUse)
                    .with_file(&path)
                    .with_detail("the database file is already opened by another process")
            } else {
                e
            }
        })?;
        let size = file.len()?;
        let mut prefix = vec![0u8; ELECTION_PREFIX];
        let read = file.read_at_most(&mut prefix, 0)?;
        prefix.truncate(read);
        let elected = elect_header(&prefix, size, None).map_err(|e| e.in_file(&path))?;
        let mut header = elected.header;
        if header.state != JET_dbstateCleanShutdown
            && !(recovering && header.state == JET_dbstateDirtyShutdown)
        {
            return Err(Error::new(JET_errDatabaseDirtyShutdown)
                .with_file(&path)
                .with_detail(format!(
                    "the database is in state {} ({}); recovery must run before it is attached",
                    header.state,
                    database_state_name(header.state).unwrap_or("unknown")
                )));
        }
        let page_size = elected.page_size;
        if !read_only {
            header.state = JET_dbstateDirtyShutdown;
            header.attach_time = log_time_now();
            write_header_pages(&file, page_size, &header)?;
        }
        let file = Arc::new(file);
        let cached: Arc<dyn FileIo> = match wrap {
            Some(wrap) => wrap(file.clone()),
            None => file.clone(),
        };
        let id = cache.attach(cached, page_size);
        Ok(AttachedDatabase {
            path,
            file,
            cache,
            id,
            header,
            page_size,
            read_only,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn header(&self) -> &DatabaseHeader {
        &self.header
    }

    pub fn page_size(&self) -> usize {
        self.page_size
    }

    pub fn id(&self) -> DatabaseId {
        self.id
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The file, for the layers that grow it (space management).
    pub fn file(&self) -> Arc<OsFile> {
        self.file.clone()
    }

    /// The buffer cache the database is attached to.
    pub fn cache(&self) -> &Arc<BufferCache> {
        &self.cache
    }

    /// Changes the header and writes it at once (the backup information
    /// a finished backup records).
    pub fn update_header(&mut self, change: impl FnOnce(&mut DatabaseHeader)) -> Result<()> {
        change(&mut self.header);
        write_header_pages(self.file.as_ref(), self.page_size, &self.header)
    }

    /// Records what the header must say at detach: the highest object id
    /// handed out and a database time at least that of every page written.
    pub fn record_progress(&mut self, last_object_id: u32, db_time: u64) {
        self.header.last_object_id = self.header.last_object_id.max(last_object_id);
        self.header.db_time = self.header.db_time.max(db_time);
    }

    /// The database's pages through the cache, for the read path.
    pub fn pages(&self) -> Result<CachedDatabase> {
        let last = (self.file.len()? / self.page_size as u64).saturating_sub(2);
        Ok(CachedDatabase::new(
            self.cache.clone(),
            self.id,
            u32::try_from(last).unwrap_or(u32::MAX),
        ))
    }

    /// Writes every dirty page, marks the header clean and releases the file.
    pub fn detach(mut self) -> Result<()> {
        self.cache.detach(self.id)?;
        if !self.read_only {
            let now = log_time_now();
            self.header.state = JET_dbstateCleanShutdown;
            self.header.detach_time = now;
            self.header.consistent_time = now;
            write_header_pages(self.file.as_ref(), self.page_size, &self.header)?;
        }
        Ok(())
    }
}

/// The current time as a UTC LOGTIME.
pub fn log_time_now() -> LogTime {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = since.as_secs();
    let milliseconds = since.subsec_millis() as u16;
    let days = (seconds / 86_400) as i64;
    let of_day = seconds % 86_400;
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    LogTime([
        (of_day % 60) as u8,
        (of_day / 60 % 60) as u8,
        (of_day / 3600) as u8,
        day,
        month,
        (year - 1900).clamp(0, 255) as u8,
        1 | (((milliseconds & 0x7f) as u8) << 1),
        (((milliseconds >> 7) & 0x7) as u8) << 1,
    ])
}
