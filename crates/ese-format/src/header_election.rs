//! Finding the database header in the first bytes of a file.
//!
//! The header is written twice, in the first and second page, so that a
//! torn write of one copy never loses it. The page size is not known before
//! the header is read, so (as ESE does) every page size is tried: a copy is
//! good when its checksum holds over a page of that size and its page-size
//! field names that same size. The primary copy wins when both are good,
//! even if they differ; the other is then reported as bad so that a writer
//! can repair it.

use crate::bytes::u32_at;
use crate::checksum::{check_page, ChecksumOutcome, PageKind};
use crate::codes::*;
use crate::constants::{is_valid_page_size, DATABASE_MAGIC, PAGE_SIZES};
use crate::error::{Error, Result};
use crate::header::{DatabaseHeader, MAGIC_OFFSET, PAGE_SIZE_OFFSET};

/// How many leading bytes of a file [`elect_header`] may look at: two pages
/// of the largest size.
pub const ELECTION_PREFIX: usize = 2 * 32768;

/// Which copies of the header are usable (ESE: ShadowedHeaderStatus).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShadowStatus {
    /// Both copies are good and identical.
    BothGood,
    /// The primary copy is bad or missing; the shadow was used.
    PrimaryBad,
    /// The shadow copy is bad, missing, or differs from the good primary.
    ShadowBad,
}

/// The header chosen from a file and what was learnt choosing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectedHeader {
    pub header: DatabaseHeader,
    /// The page size both the checksum and the header agree on.
    pub page_size: usize,
    pub status: ShadowStatus,
}

fn copy_is_good(prefix: &[u8], index: usize, page_size: usize) -> bool {
    let Some(page) = prefix.get(index * page_size..(index + 1) * page_size) else {
        return false;
    };
    let checksum_holds = matches!(
        check_page(page, PageKind::DatabaseHeader, 0),
        Ok(ChecksumOutcome::Valid)
    );
    checksum_holds && declared_page_size(page) == Some(page_size)
}

/// The page size a header page declares (0 meaning 4 KiB), if readable.
fn declared_page_size(page: &[u8]) -> Option<usize> {
    let raw = u32_at(page, PAGE_SIZE_OFFSET)?;
    Some(if raw == 0 {
        4096
    } else {
        usize::try_from(raw).ok()?
    })
}

/// Elects the database header from `prefix`, the first bytes of a file (at
/// most [`ELECTION_PREFIX`] are used). `file_size` is the whole file's
/// length, for messages. When `expected_page_size` is given, a database of
/// another page size is refused with `JET_errPageSizeMismatch`.
pub fn elect_header(
    prefix: &[u8],
    file_size: u64,
    expected_page_size: Option<usize>,
) -> Result<ElectedHeader> {
    let prefix = &prefix[..prefix.len().min(ELECTION_PREFIX)];
    let mut primary = None;
    let mut shadow = None;
    for &size in &PAGE_SIZES {
        if copy_is_good(prefix, 0, size) {
            primary = Some(size);
        }
        if copy_is_good(prefix, 1, size) {
            shadow = Some(size);
        }
    }

    let (page_size, index, status) = match (primary, shadow) {
        (Some(p), Some(s)) => {
            let same = p == s && prefix.get(..p) == prefix.get(p..2 * p);
            (
                p,
                0,
                if same {
                    ShadowStatus::BothGood
                } else {
                    ShadowStatus::ShadowBad
                },
            )
        }
        (Some(p), None) => (p, 0, ShadowStatus::ShadowBad),
        (None, Some(s)) => (s, 1, ShadowStatus::PrimaryBad),
        (None, None) => return Err(diagnose_unreadable_header(prefix, file_size)),
    };

    let page = &prefix[index * page_size..(index + 1) * page_size];
    let header = DatabaseHeader::decode(page)?;
    header.validate()?;
    if let Some(expected) = expected_page_size {
        if expected != page_size {
            return Err(Error::new(JET_errPageSizeMismatch)
                .with_operation("reading the database header")
                .with_detail(format!(
                    "the database has {page_size}-byte pages, {expected} were expected"
                )));
        }
    }
    Ok(ElectedHeader {
        header,
        page_size,
        status,
    })
}

/// Explains why no copy of the header is usable, with the most specific
/// error the bytes allow.
fn diagnose_unreadable_header(prefix: &[u8], file_size: u64) -> Error {
    let error = |code: i32, detail: String| {
        Error::new(code)
            .with_operation("reading the database header")
            .with_detail(detail)
    };
    if file_size == 0 {
        return error(JET_errDatabaseCorrupted, "the file is empty".into());
    }
    if prefix.iter().all(|&b| b == 0) {
        return error(
            JET_errDatabaseCorrupted,
            format!(
                "the first {} bytes are all zero: no database header",
                prefix.len()
            ),
        );
    }
    if u32_at(prefix, MAGIC_OFFSET) != Some(DATABASE_MAGIC) {
        return error(
            JET_errDatabaseCorrupted,
            "no ESE database magic number: not a database file".into(),
        );
    }
    let declared = declared_page_size(prefix).unwrap_or(0);
    if !is_valid_page_size(declared) {
        return error(
            JET_errDatabaseCorrupted,
            format!("the header declares a page size of {declared} bytes, which ESE never uses"),
        );
    }
    if (prefix.len() as u64) < declared as u64 {
        return error(
            JET_errDatabaseCorrupted,
            format!(
                "the file is truncated: {file_size} bytes, less than one {declared}-byte header page"
            ),
        );
    }
    // A copy whose checksum holds at one size but which declares another
    // was written for a different page size.
    for &size in &PAGE_SIZES {
        for index in 0..2 {
            if let Some(page) = prefix.get(index * size..(index + 1) * size) {
                let holds = matches!(
                    check_page(page, PageKind::DatabaseHeader, 0),
                    Ok(ChecksumOutcome::Valid)
                );
                if holds {
                    return error(
                        JET_errPageSizeMismatch,
                        format!(
                            "the header checksums as a {size}-byte page but declares {}-byte pages",
                            declared_page_size(page).unwrap_or(0)
                        ),
                    );
                }
            }
        }
    }
    error(
        JET_errReadVerifyFailure,
        "both copies of the database header fail checksum verification".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::set_page_checksum;
    use crate::constants::{JET_filetypeDatabase, FORMAT_REVISION, FORMAT_VERSION};

    /// A two-page file prefix holding a header for `page_size`-byte pages.
    fn file_with_header(page_size: usize) -> Vec<u8> {
        let header = DatabaseHeader {
            magic: DATABASE_MAGIC,
            format_version: FORMAT_VERSION,
            format_revision: FORMAT_REVISION,
            page_size: page_size as u32,
            file_type: JET_filetypeDatabase,
            state: 3,
            ..Default::default()
        };
        let mut file = vec![0u8; 3 * page_size];
        for copy in 0..2 {
            let page = &mut file[copy * page_size..(copy + 1) * page_size];
            header.encode(page).unwrap();
            set_page_checksum(page, PageKind::DatabaseHeader, 0).unwrap();
        }
        file
    }

    #[test]
    fn every_page_size_is_detected() {
        for size in PAGE_SIZES {
            let file = file_with_header(size);
            let elected = elect_header(&file, file.len() as u64, None).unwrap();
            assert_eq!(elected.page_size, size);
            assert_eq!(elected.status, ShadowStatus::BothGood);
            assert_eq!(elected.header.state, 3);
        }
    }

    #[test]
    fn a_bad_primary_elects_the_shadow_and_a_bad_shadow_the_primary() {
        let mut file = file_with_header(8192);
        file[100] ^= 1;
        let elected = elect_header(&file, file.len() as u64, None).unwrap();
        assert_eq!(elected.status, ShadowStatus::PrimaryBad);

        let mut file = file_with_header(8192);
        file[8192 + 100] ^= 1;
        let elected = elect_header(&file, file.len() as u64, None).unwrap();
        assert_eq!(elected.status, ShadowStatus::ShadowBad);
    }

    #[test]
    fn two_good_but_different_copies_prefer_the_primary() {
        let mut file = file_with_header(4096);
        // A shadow with another database time, correctly checksummed.
        file[4096 + 16] = 7;
        set_page_checksum(&mut file[4096..8192], PageKind::DatabaseHeader, 0).unwrap();
        let elected = elect_header(&file, file.len() as u64, None).unwrap();
        assert_eq!(elected.status, ShadowStatus::ShadowBad);
        assert_eq!(elected.header.db_time, 0);
    }

    #[test]
    fn unreadable_prefixes_get_specific_errors() {
        let code = |bytes: &[u8]| {
            elect_header(bytes, bytes.len() as u64, None)
                .unwrap_err()
                .code()
        };
        assert_eq!(code(&[]), JET_errDatabaseCorrupted);
        assert_eq!(code(&[0; 9000]), JET_errDatabaseCorrupted);
        assert_eq!(
            code(b"PK\x03\x04 a zip file, not a database"),
            JET_errDatabaseCorrupted
        );

        let good = file_with_header(4096);
        assert_eq!(code(&good[..3000]), JET_errDatabaseCorrupted);
        let mut both_bad = good.clone();
        both_bad[50] ^= 0xff;
        both_bad[4096 + 50] ^= 0xff;
        assert_eq!(code(&both_bad), JET_errReadVerifyFailure);
    }

    #[test]
    fn an_expected_page_size_is_enforced() {
        let file = file_with_header(16384);
        let error = elect_header(&file, file.len() as u64, Some(4096)).unwrap_err();
        assert_eq!(error.code(), JET_errPageSizeMismatch);
        assert!(elect_header(&file, file.len() as u64, Some(16384)).is_ok());
    }
}
