//! The integrity check behind `esentutl check` (Windows: `esentutl /k`).
//!
//! Today it verifies the file page by page: both header copies, then every
//! database page's checksum and layout (header fields, tag array). Pages
//! never written (all zero) are counted apart, as ESE does, since a freshly
//! extended file holds many. Later layers add the B+tree, space-tree,
//! catalog and long-value checks the brief asks for.

use std::path::Path;

use ese_format::checksum::{check_page, ChecksumOutcome, PageKind};
use ese_format::header_election::ShadowStatus;
use ese_format::page::Page;

use crate::codes::*;
use crate::storage::database_file::{
    verify_database_page, DatabaseFile, PageLocation, PageReadOutcome,
};
use crate::{Error, Result};

/// Pages read per I/O: large reads keep the check disk-bound, not
/// syscall-bound.
const PAGES_PER_READ: usize = 64;

/// A page the check found damaged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadPage {
    pub location: PageLocation,
    pub error: Error,
}

/// What the check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntegrityReport {
    pub page_size: usize,
    /// Whole pages in the file, the two header pages included.
    pub file_pages: u64,
    /// Pages whose checksum and layout are good (header pages included).
    pub valid_pages: u64,
    /// All-zero pages: allocated to the file but never written.
    pub uninitialized_pages: u64,
    /// Pages with one flipped bit that ECC can repair: (location, bit).
    pub correctable_pages: Vec<(PageLocation, usize)>,
    /// Damaged pages, in file order.
    pub bad_pages: Vec<BadPage>,
    /// Bytes after the last whole page (a truncated file).
    pub trailing_bytes: u64,
    /// The highest page database time seen, and the page holding it.
    pub highest_db_time: Option<(u64, u32)>,
}

impl IntegrityReport {
    /// True when nothing is damaged: no bad page and no partial page.
    /// Correctable pages do not count against this, as in ESE.
    pub fn is_clean(&self) -> bool {
        self.bad_pages.is_empty() && self.trailing_bytes == 0
    }
}

/// Checks the database at `path`. Fails only when the file cannot be opened
/// or its header is unreadable; page damage is reported, not returned.
pub fn check_database(path: impl AsRef<Path>) -> Result<IntegrityReport> {
    let database = DatabaseFile::open(path)?;
    check_open_database(&database, |_, _| {})
}

/// Checks an open database, calling `progress(done, total)` in file pages.
pub fn check_open_database(
    database: &DatabaseFile,
    mut progress: impl FnMut(u64, u64),
) -> Result<IntegrityReport> {
    let page_size = database.page_size();
    let file_pages = database.file_page_count();
    let mut report = IntegrityReport {
        page_size,
        file_pages,
        trailing_bytes: database.trailing_bytes(),
        ..Default::default()
    };

    let mut buffer = vec![0u8; page_size * PAGES_PER_READ];
    let mut index = 0u64;
    while index < file_pages {
        let count = (file_pages - index).min(PAGES_PER_READ as u64) as usize;
        let chunk = &mut buffer[..count * page_size];
        database.read_raw_pages(index, chunk)?;
        for (offset, page) in chunk.chunks_exact_mut(page_size).enumerate() {
            let file_index = index + offset as u64;
            let is_last = file_index + 1 == file_pages;
            check_one_page(&mut report, database, file_index, is_last, page);
        }
        index += count as u64;
        progress(index, file_pages);
    }

    if file_pages < 2 && report.trailing_bytes == 0 {
        report.bad_pages.push(BadPage {
            location: PageLocation::ShadowHeader,
            error: Error::new(JET_errFileIOBeyondEOF)
                .with_file(database.path())
                .with_detail("the file ends before the shadow header page"),
        });
    }
    if report.trailing_bytes != 0 {
        let location = PageLocation::from_file_index(file_pages).unwrap_or(PageLocation::Header);
        report.bad_pages.push(BadPage {
            location,
            error: Error::new(JET_errFileIOBeyondEOF)
                .with_file(database.path())
                .with_detail(format!(
                    "the file ends {} bytes into {location}: it is truncated",
                    report.trailing_bytes
                )),
        });
    }
    Ok(report)
}

fn check_one_page(
    report: &mut IntegrityReport,
    database: &DatabaseFile,
    file_index: u64,
    is_last: bool,
    page: &mut [u8],
) {
    let Some(location) = PageLocation::from_file_index(file_index) else {
        return;
    };
    let bad = |error: Error| BadPage {
        location,
        error: error.in_file(database.path()),
    };
    match location {
        PageLocation::Header | PageLocation::ShadowHeader => {
            let primary = location == PageLocation::Header;
            let elected_bad = match database.shadow_status() {
                ShadowStatus::BothGood => false,
                ShadowStatus::PrimaryBad => primary,
                ShadowStatus::ShadowBad => !primary,
            };
            if elected_bad {
                report.bad_pages.push(bad(header_copy_error(page, primary)));
            } else {
                report.valid_pages += 1;
            }
        }
        PageLocation::Database(page_number) => {
            if page.iter().all(|&b| b == 0) {
                report.uninitialized_pages += 1;
                return;
            }
            if is_last && looks_like_trailer(page) {
                // Newer ESE versions end the file with a copy of the header
                // format (a "trailer"); it checksums as a header page.
                match check_page(page, PageKind::DatabaseHeader, page_number) {
                    Ok(ChecksumOutcome::Valid) => report.valid_pages += 1,
                    _ => report
                        .bad_pages
                        .push(bad(Error::new(JET_errReadVerifyFailure)
                            .with_page(page_number)
                            .with_detail("the trailer page fails checksum verification"))),
                }
                return;
            }
            match verify_database_page(page, page_number, false) {
                Ok(outcome) => {
                    if let PageReadOutcome::SingleBitError { bit, .. } = outcome {
                        report.correctable_pages.push((location, bit));
                        // The layout check below needs the repaired bytes.
                        let mut repaired = page.to_vec();
                        let _ = verify_database_page(&mut repaired, page_number, true);
                        record_layout(report, &repaired, page_number, location, database);
                    } else {
                        record_layout(report, page, page_number, location, database);
                    }
                }
                Err(error) => report.bad_pages.push(bad(error)),
            }
        }
    }
}

fn record_layout(
    report: &mut IntegrityReport,
    page: &[u8],
    page_number: u32,
    location: PageLocation,
    database: &DatabaseFile,
) {
    match Page::parse(page, page_number) {
        Ok(parsed) => {
            report.valid_pages += 1;
            let db_time = parsed.header().db_time;
            if report
                .highest_db_time
                .is_none_or(|(best, _)| db_time > best)
            {
                report.highest_db_time = Some((db_time, page_number));
            }
        }
        Err(error) => report.bad_pages.push(BadPage {
            location,
            error: error.in_file(database.path()),
        }),
    }
}

/// ESE's test for a trailer page: the high checksum word, the database time
/// and the object id are all zero.
fn looks_like_trailer(page: &[u8]) -> bool {
    let word = |i: usize| page.get(i * 4..i * 4 + 4).is_some_and(|w| w == [0; 4]);
    word(1) && word(2) && word(3) && word(6)
}

fn header_copy_error(page: &[u8], primary: bool) -> Error {
    let which = if primary { "primary" } else { "shadow" };
    let detail = match check_page(page, PageKind::DatabaseHeader, 0) {
        Ok(ChecksumOutcome::Valid) => {
            format!("the {which} header copy differs from the one in use")
        }
        _ => format!("the {which} header copy fails checksum verification"),
    };
    Error::new(JET_errReadVerifyFailure).with_detail(detail)
}
