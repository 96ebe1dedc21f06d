//! Where the layers above the file get their pages.
//!
//! The read path (B+tree walks, catalog, records) asks a [`PageSource`] for
//! verified pages by number. The buffer cache's view of a database
//! (`CachedDatabase`), a file opened read-only (`DatabaseFile`) and an
//! image in memory ([`InMemoryDatabase`]) are sources. The verification
//! every source applies to a page it reads ([`verify_database_page`]) is
//! here too, so that the cache and the file both build on this module and
//! it on neither.

use std::sync::Arc;

use ese_format::checksum::{verify_page, ChecksumOutcome, PageKind};

use crate::codes::*;
use crate::{Error, Result};

/// An immutable, verified copy of one page.
pub type PageBytes = Arc<[u8]>;

/// What one reader sees of nodes flagged versioned (the version store as
/// of the reader's snapshot).
pub trait NodeView {
    /// The node's data as the reader sees it, or `None` when the node does
    /// not exist for it. `order` is the data of a node in a non-unique
    /// tree (part of its identity), empty otherwise; `deleted` and `data`
    /// are the node as the page holds it.
    fn resolve(
        &self,
        object: u32,
        key: &[u8],
        order: &[u8],
        deleted: bool,
        data: &[u8],
    ) -> Option<Vec<u8>>;
}

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

    /// The reader's view of versioned nodes; `None` reads every node as
    /// the page holds it (a node flagged deleted is gone).
    fn node_view(&self) -> Option<&dyn NodeView> {
        None
    }
}

/// A whole database image held in memory: for tests, fuzzing, and files
/// already read by other means. Pages are verified on every read, exactly as
/// from a file.
#[derive(Clone, Debug)]
pub struct InMemoryDatabase {
    bytes: Vec<u8>,
    elected: ese_format::header_election::ElectedHeader,
}

impl InMemoryDatabase {
    /// Takes a database image (header pages included) and elects its header.
    pub fn new(bytes: Vec<u8>) -> Result<Self> {
        let elected = ese_format::header_election::elect_header(&bytes, bytes.len() as u64, None)?;
        Ok(InMemoryDatabase { bytes, elected })
    }

    pub fn header(&self) -> &ese_format::header::DatabaseHeader {
        &self.elected.header
    }
}

impl PageSource for InMemoryDatabase {
    fn page_size(&self) -> usize {
        self.elected.page_size
    }

    fn last_page(&self) -> u32 {
        let pages = self.bytes.len() / self.elected.page_size;
        u32::try_from(pages.saturating_sub(2)).unwrap_or(u32::MAX)
    }

    fn read_page(&self, page_number: u32) -> Result<PageBytes> {
        let size = self.elected.page_size;
        if page_number == 0 || page_number > self.last_page() {
            return Err(Error::new(JET_errFileIOBeyondEOF)
                .with_page(page_number)
                .with_detail(format!("the image holds pages 1 to {}", self.last_page())));
        }
        let start = (page_number as usize + 1) * size;
        let mut page = self.bytes[start..start + size].to_vec();
        verify_database_page(&mut page, page_number, true)?;
        Ok(page.into())
    }
}

/// How a page read went when it succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageReadOutcome {
    Valid,
    /// ECC located one flipped bit (`bit` counts from the page start). When
    /// `fixed`, the copy in memory was repaired; the file is never touched.
    SingleBitError {
        bit: usize,
        fixed: bool,
    },
}

/// Verifies one database page in memory, repairing a single flipped bit
/// when `correct` is set. Shared by page reads and the integrity checker.
pub fn verify_database_page(
    page: &mut [u8],
    page_number: u32,
    correct: bool,
) -> Result<PageReadOutcome> {
    if page.iter().all(|&b| b == 0) {
        return Err(Error::new(JET_errPageNotInitialized)
            .with_page(page_number)
            .with_detail("the page was never written"));
    }
    let outcome = verify_page(page, PageKind::DatabasePage, page_number, correct).map_err(|e| {
        Error::new(JET_errInvalidParameter)
            .with_page(page_number)
            .with_detail(format!("{e:?}"))
    })?;
    match outcome {
        ChecksumOutcome::Valid => Ok(PageReadOutcome::Valid),
        ChecksumOutcome::Correctable { bit, fixed } => {
            Ok(PageReadOutcome::SingleBitError { bit, fixed })
        }
        ChecksumOutcome::Mismatch { expected, actual } => Err(Error::new(JET_errReadVerifyFailure)
            .with_operation("verifying the page checksum")
            .with_page(page_number)
            .with_detail(format!(
                "stored checksum {} but the contents give {}",
                format_checksum(&actual),
                format_checksum(&expected)
            ))),
    }
}

fn format_checksum(checksum: &ese_format::checksum::PageChecksum) -> String {
    let used = checksum
        .0
        .iter()
        .rposition(|&c| c != 0)
        .map_or(1, |last| last + 1);
    checksum.0[..used]
        .iter()
        .map(|c| format!("0x{c:016x}"))
        .collect::<Vec<_>>()
        .join(",")
}
