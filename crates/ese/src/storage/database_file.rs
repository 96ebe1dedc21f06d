//! A database file opened without an instance, read-only: the header is
//! elected from its two copies and pages are read with their checksums
//! verified. Forensic and migration tools work this way, and so does the
//! integrity checker; the engine proper will read through the buffer cache.

use std::path::Path;

use ese_format::constants::HEADER_PAGES;
use ese_format::header::DatabaseHeader;
use ese_format::header_election::{elect_header, ElectedHeader, ShadowStatus, ELECTION_PREFIX};

use crate::codes::*;
use std::sync::Arc;

use crate::storage::cache::{BufferCache, CachedDatabase, DatabaseId};
use crate::storage::io::{FileIo, OpenMode, OsFile};
pub use crate::storage::page_source::{verify_database_page, PageReadOutcome};
use crate::storage::page_source::{PageBytes, PageSource};
use crate::{Error, Result};

/// Where a page sits in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageLocation {
    /// The primary header copy (file page 0).
    Header,
    /// The shadow header copy (file page 1).
    ShadowHeader,
    /// Database page `n` (file page `n + 1`); numbering starts at 1.
    Database(u32),
}

impl PageLocation {
    /// The location of the page at `index` pages into the file.
    pub fn from_file_index(index: u64) -> Option<Self> {
        match index {
            0 => Some(PageLocation::Header),
            1 => Some(PageLocation::ShadowHeader),
            n => u32::try_from(n - 1).ok().map(PageLocation::Database),
        }
    }

    pub fn file_index(self) -> u64 {
        match self {
            PageLocation::Header => 0,
            PageLocation::ShadowHeader => 1,
            PageLocation::Database(n) => u64::from(n) + 1,
        }
    }
}

impl std::fmt::Display for PageLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageLocation::Header => f.write_str("header"),
            PageLocation::ShadowHeader => f.write_str("shadow header"),
            PageLocation::Database(n) => write!(f, "page {n}"),
        }
    }
}

/// Something worth telling the user about a database that still opened:
/// the JET error ESE would give where it refuses, downgraded because a
/// read-only, instance-less open can still read the pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenWarning {
    pub code: i32,
    pub detail: String,
}

impl std::fmt::Display for OpenWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            crate::codes::name_of(self.code),
            self.code,
            self.detail
        )
    }
}

/// Bytes of buffer cache a read-only open gives itself.
const READ_CACHE_BYTES: usize = 16 << 20;

/// A database file open for reading. Page reads go through a buffer cache
/// of its own (16 MiB); the integrity check reads the file
/// directly, in large sequential chunks.
pub struct DatabaseFile {
    file: Arc<OsFile>,
    pages: CachedDatabase,
    /// The file's length when opened.
    size: u64,
    elected: ElectedHeader,
}

impl std::fmt::Debug for DatabaseFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseFile")
            .field("path", &self.file.path())
            .field("size", &self.size)
            .field("page_size", &self.elected.page_size)
            .finish()
    }
}

impl DatabaseFile {
    /// Opens `path` and elects its header. The file is never written.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_page_size(path, None)
    }

    /// As [`DatabaseFile::open`], refusing a database whose page size is not
    /// `expected` with `JET_errPageSizeMismatch` (as an instance configured
    /// with JET_paramDatabasePageSize does).
    pub fn open_with_page_size(path: impl AsRef<Path>, expected: Option<usize>) -> Result<Self> {
        let file = OsFile::open(path, OpenMode::ReadOnly)?;
        let size = file.len()?;
        let mut prefix = vec![0u8; ELECTION_PREFIX];
        let read = file.read_at_most(&mut prefix, 0)?;
        prefix.truncate(read);
        let elected = elect_header(&prefix, size, expected).map_err(|e| e.in_file(file.path()))?;
        let file = Arc::new(file);
        let frames = (READ_CACHE_BYTES / elected.page_size).max(64);
        let cache = BufferCache::new(2, frames)?;
        let id: DatabaseId = cache.attach(file.clone(), elected.page_size);
        let last_page =
            u32::try_from((size / elected.page_size as u64).saturating_sub(2)).unwrap_or(u32::MAX);
        let pages = CachedDatabase::new(cache, id, last_page);
        Ok(DatabaseFile {
            file,
            pages,
            size,
            elected,
        })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The file's pages as seen through its buffer cache.
    pub fn cached(&self) -> &CachedDatabase {
        &self.pages
    }

    pub fn header(&self) -> &DatabaseHeader {
        &self.elected.header
    }

    pub fn page_size(&self) -> usize {
        self.elected.page_size
    }

    /// Conditions a read-only open accepts but a user should know: a
    /// database not shut down cleanly (its pages may lack committed changes
    /// still in the logs, or hold uncommitted ones), a damaged header copy.
    pub fn warnings(&self) -> Vec<OpenWarning> {
        use ese_format::constants::*;
        let mut warnings = Vec::new();
        let state = self.header().state;
        if state != JET_dbstateCleanShutdown {
            let name = database_state_name(state).unwrap_or("an unknown state");
            warnings.push(OpenWarning {
                code: JET_errDatabaseDirtyShutdown,
                detail: format!(
                    "the database is in state {state} ({name}), not cleanly shut down: \
                     it is read as it lies on disk, without recovery from its logs"
                ),
            });
        }
        match self.shadow_status() {
            ShadowStatus::BothGood => {}
            ShadowStatus::PrimaryBad => warnings.push(OpenWarning {
                code: JET_errReadVerifyFailure,
                detail: "the primary database header is damaged; its shadow copy was used".into(),
            }),
            ShadowStatus::ShadowBad => warnings.push(OpenWarning {
                code: JET_errReadVerifyFailure,
                detail: "the shadow copy of the database header is damaged or differs".into(),
            }),
        }
        warnings
    }

    /// Which header copies were usable.
    pub fn shadow_status(&self) -> ShadowStatus {
        self.elected.status
    }

    pub fn file_size(&self) -> u64 {
        self.size
    }

    /// Whole pages in the file, the two header pages included.
    pub fn file_page_count(&self) -> u64 {
        self.size / self.page_size() as u64
    }

    /// Bytes after the last whole page: non-zero means a truncated file.
    pub fn trailing_bytes(&self) -> u64 {
        self.size % self.page_size() as u64
    }

    /// Database pages in the file (file pages after the two header pages).
    pub fn database_page_count(&self) -> u32 {
        u32::try_from(self.file_page_count().saturating_sub(HEADER_PAGES)).unwrap_or(u32::MAX)
    }

    /// Reads file pages `first..first + buffer.len() / page_size` into
    /// `buffer` without verifying them (the caller verifies each).
    pub fn read_raw_pages(&self, first_file_index: u64, buffer: &mut [u8]) -> Result<()> {
        self.file
            .read_at(buffer, first_file_index * self.page_size() as u64)
    }

    /// Reads database page `page_number` into `buffer` (one page long) and
    /// verifies it: a bad checksum gives `JET_errReadVerifyFailure`, a
    /// never-written (all zero) page `JET_errPageNotInitialized`, a page past
    /// the end of the file `JET_errFileIOBeyondEOF`. A single flipped bit is
    /// corrected in `buffer`, as ESE does on read.
    pub fn read_page_into(&self, page_number: u32, buffer: &mut [u8]) -> Result<PageReadOutcome> {
        if buffer.len() != self.page_size() {
            return Err(Error::new(JET_errInvalidBufferSize).with_detail(format!(
                "a page buffer of {} bytes for {}-byte pages",
                buffer.len(),
                self.page_size()
            )));
        }
        if page_number == 0 || page_number > self.database_page_count() {
            return Err(Error::new(JET_errFileIOBeyondEOF)
                .with_file(self.path())
                .with_page(page_number)
                .with_detail(format!(
                    "the file holds database pages 1 to {}",
                    self.database_page_count()
                )));
        }
        let location = PageLocation::Database(page_number);
        self.read_raw_pages(location.file_index(), buffer)?;
        verify_database_page(buffer, page_number, true).map_err(|e| e.in_file(self.path()))
    }
}

impl PageSource for DatabaseFile {
    fn page_size(&self) -> usize {
        DatabaseFile::page_size(self)
    }

    fn last_page(&self) -> u32 {
        self.database_page_count()
    }

    fn read_page(&self, page_number: u32) -> Result<PageBytes> {
        self.cached().read_page(page_number)
    }
}
