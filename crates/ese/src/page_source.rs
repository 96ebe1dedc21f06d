//! Where the layers above the file get their pages.
//!
//! The read path (B+tree walks, catalog, records) asks a [`PageSource`] for
//! verified pages by number. Today the source is the file itself; the buffer
//! cache of the storage core will implement the same trait, so nothing above
//! changes when it arrives.

use std::sync::Arc;

use crate::database_file::DatabaseFile;
use crate::Result;

/// An immutable, verified copy of one page.
pub type PageBytes = Arc<[u8]>;

/// A supplier of verified database pages.
pub trait PageSource {
    /// The database's page size in bytes.
    fn page_size(&self) -> usize;

    /// The highest database page number that exists.
    fn last_page(&self) -> u32;

    /// Reads database page `page_number` (from 1), verified: a bad checksum
    /// is `JET_errReadVerifyFailure`, a never-written page
    /// `JET_errPageNotInitialized`, a page past the end
    /// `JET_errFileIOBeyondEOF`.
    fn read_page(&self, page_number: u32) -> Result<PageBytes>;
}

impl PageSource for DatabaseFile {
    fn page_size(&self) -> usize {
        DatabaseFile::page_size(self)
    }

    fn last_page(&self) -> u32 {
        self.database_page_count()
    }

    fn read_page(&self, page_number: u32) -> Result<PageBytes> {
        let mut buffer = vec![0u8; DatabaseFile::page_size(self)];
        DatabaseFile::read_page_into(self, page_number, &mut buffer)?;
        Ok(buffer.into())
    }
}
