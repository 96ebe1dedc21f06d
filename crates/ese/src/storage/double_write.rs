//! The double-write file: torn-page protection without whole pages in the
//! log (InnoDB's doublewrite buffer; ESE itself only detects a torn page,
//! by its checksum).
//!
//! A page write the power cuts half way leaves the page neither old nor
//! new, and the log's edits of a page need the old bytes to be redone.
//! So every batch of page writes goes here first: the pages, with their
//! files and numbers, are written to this file and synced, and only then
//! written in place. A crash during the in-place writes leaves every torn
//! page whole in this file; a crash before them leaves the pages in place
//! untouched. Recovery puts back the copy of each page whose bytes in
//! place fail their checksum (torn) or are older than the copy (its write
//! never happened: the copy completes the batch), then redoes the log on
//! it. A sound page as new as its copy is never overwritten from here.
//!
//! The file holds one batch, always at offset 0; before a batch overwrites
//! it, the files the previous batch wrote in place are synced, so that no
//! page whose in-place write may still be in flight loses its copy.
//!
//! Layout (integers little-endian, CRC-32 as zlib computes it):
//!
//! | field | encoding |
//! |---|---|
//! | magic | `ESEDWBT1` |
//! | header CRC | u32, of the header's bytes after this field |
//! | header length | u32: where the pages start (a multiple of 512) |
//! | files | u32 count, then each path as u32 length + UTF-8 bytes |
//! | pages | u32 count, then each: file index u32, page number u32, page size u32, CRC of the page's bytes u32 |
//!
//! The pages follow the header, in order, each as written in place (page
//! number `n` of a file sits at offset `(n + 1) * page size` there).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::codes::*;
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::Result;

const MAGIC: &[u8; 8] = b"ESEDWBT1";
const ALIGN: usize = 512;

/// The most pages one batch carries (4 MiB of 8 KiB pages); callers split
/// larger sets of writes.
pub const BATCH_PAGES: usize = 512;

/// The pages a batch holds, by the path of the file they belong to:
/// (page number, bytes).
pub type Copies = HashMap<PathBuf, Vec<(u32, Vec<u8>)>>;

/// A page to write in place, already checksummed.
pub struct PageToWrite<'a> {
    pub file: &'a Arc<dyn FileIo>,
    pub page: u32,
    pub bytes: &'a [u8],
}

/// The double-write file of an instance.
#[derive(Debug)]
pub struct DoubleWrite {
    file: Arc<dyn FileIo>,
    /// Files written in place by the last batch and not synced since.
    unsynced: Mutex<Vec<Arc<dyn FileIo>>>,
}

impl DoubleWrite {
    /// Opens (creating it when missing) the double-write file at `path`,
    /// emptied: call it after recovery has used what it held.
    pub fn create(path: &Path) -> Result<Self> {
        let file = match OsFile::open(path, OpenMode::ReadWrite) {
            Ok(file) => file,
            Err(e) if e.code() == JET_errFileNotFound => OsFile::open(path, OpenMode::CreateNew)?,
            Err(e) => return Err(e),
        };
        file.set_len(0)?;
        file.sync_data()?;
        Ok(DoubleWrite {
            file: Arc::new(file),
            unsynced: Mutex::new(Vec::new()),
        })
    }

    /// Writes `pages` (at most [`BATCH_PAGES`]) here, syncs, then writes
    /// them in place (without syncing them: the next batch or the caller's
    /// sync does).
    pub fn write(&self, pages: &[PageToWrite<'_>]) -> Result<()> {
        debug_assert!(pages.len() <= BATCH_PAGES);
        if pages.is_empty() {
            return Ok(());
        }
        let mut unsynced = self.unsynced.lock();
        // The previous batch's copies are about to go: its pages in place
        // must be durable first.
        for file in unsynced.drain(..) {
            file.sync_data()?;
        }
        self.file.write_at(&encode_batch(pages), 0)?;
        self.file.sync_data()?;
        for page in pages {
            let offset = (u64::from(page.page) + 1) * page.bytes.len() as u64;
            page.file
                .write_at(page.bytes, offset)
                .map_err(|e| e.in_page(page.page))?;
            if !unsynced.iter().any(|f| Arc::ptr_eq(f, page.file)) {
                unsynced.push(page.file.clone());
            }
        }
        Ok(())
    }

    /// Lets go of `file` (being closed): what the last batch wrote in it
    /// is synced first, since its copies here are about to go with the
    /// next batch and nothing would sync it then.
    pub fn release(&self, file: &Arc<dyn FileIo>) -> Result<()> {
        let mut unsynced = self.unsynced.lock();
        if let Some(at) = unsynced.iter().position(|f| Arc::ptr_eq(f, file)) {
            unsynced[at].sync_data()?;
            unsynced.swap_remove(at);
        }
        Ok(())
    }

    /// Syncs what the last batch wrote in place and empties this file:
    /// nothing is left that recovery could need (a clean shutdown).
    pub fn clear(&self) -> Result<()> {
        let mut unsynced = self.unsynced.lock();
        for file in unsynced.drain(..) {
            file.sync_data()?;
        }
        self.file.set_len(0)?;
        self.file.sync_data()
    }
}

/// The pages of the batch the file at `path` holds, whole ones only. A missing or
/// empty file, or a batch whose header is damaged (its write was cut short,
/// so nothing was written in place after it), holds none.
pub fn read_batch(path: &Path) -> Result<Copies> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => {
            return Err(crate::storage::io::jet_error_from_io(&e).with_file(path));
        }
    };
    Ok(decode_batch(&bytes).unwrap_or_default())
}

fn encode_batch(pages: &[PageToWrite<'_>]) -> Vec<u8> {
    let mut paths: Vec<&Path> = Vec::new();
    let mut entries = Vec::with_capacity(pages.len());
    for page in pages {
        let path = page.file.path();
        let index = match paths.iter().position(|p| *p == path) {
            Some(index) => index,
            None => {
                paths.push(path);
                paths.len() - 1
            }
        };
        entries.push((index as u32, page));
    }
    let mut body = Vec::new();
    body.extend_from_slice(&(paths.len() as u32).to_le_bytes());
    for path in &paths {
        let text = path.to_string_lossy();
        body.extend_from_slice(&(text.len() as u32).to_le_bytes());
        body.extend_from_slice(text.as_bytes());
    }
    body.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (index, page) in &entries {
        body.extend_from_slice(&index.to_le_bytes());
        body.extend_from_slice(&page.page.to_le_bytes());
        body.extend_from_slice(&(page.bytes.len() as u32).to_le_bytes());
        body.extend_from_slice(&crc32fast::hash(page.bytes).to_le_bytes());
    }
    // magic, CRC, header length, body; padded.
    let header_length = (16 + body.len()).div_ceil(ALIGN) * ALIGN;
    let mut after_crc = Vec::with_capacity(header_length);
    after_crc.extend_from_slice(&(header_length as u32).to_le_bytes());
    after_crc.extend_from_slice(&body);
    after_crc.resize(header_length - 12, 0);
    let total: usize = header_length + pages.iter().map(|p| p.bytes.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&crc32fast::hash(&after_crc).to_le_bytes());
    out.extend_from_slice(&after_crc);
    for page in pages {
        out.extend_from_slice(page.bytes);
    }
    out
}

fn decode_batch(bytes: &[u8]) -> Option<Copies> {
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Option<&[u8]> {
        let slice = bytes.get(*at..at.checked_add(n)?)?;
        *at += n;
        Some(slice)
    };
    let u32_of = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
    if take(&mut at, 8)? != MAGIC {
        return None;
    }
    let crc = u32_of(take(&mut at, 4)?);
    let header_length = u32_of(bytes.get(12..16)?) as usize;
    if header_length < 16 || crc32fast::hash(bytes.get(12..header_length)?) != crc {
        return None;
    }
    at = 16;
    let file_count = u32_of(take(&mut at, 4)?) as usize;
    let mut paths = Vec::with_capacity(file_count.min(64));
    for _ in 0..file_count {
        let length = u32_of(take(&mut at, 4)?) as usize;
        paths.push(PathBuf::from(
            String::from_utf8_lossy(take(&mut at, length)?).into_owned(),
        ));
    }
    let page_count = u32_of(take(&mut at, 4)?) as usize;
    let mut entries = Vec::with_capacity(page_count.min(BATCH_PAGES));
    for _ in 0..page_count {
        let entry = take(&mut at, 16)?;
        entries.push((
            u32_of(&entry[0..4]) as usize,
            u32_of(&entry[4..8]),
            u32_of(&entry[8..12]) as usize,
            u32_of(&entry[12..16]),
        ));
    }
    let mut out = Copies::new();
    let mut offset = header_length;
    for (file, page, size, crc) in entries {
        let Some(bytes) = bytes.get(offset..offset + size) else {
            break;
        };
        offset += size;
        // A copy cut short (the batch's own write torn) is no copy.
        if crc32fast::hash(bytes) != crc {
            continue;
        }
        if let Some(path) = paths.get(file) {
            out.entry(path.clone())
                .or_default()
                .push((page, bytes.to_vec()));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_reads_back_and_a_torn_copy_is_left_out() {
        let scratch = ese_testkit::scratch_dir();
        let dir = scratch.path();
        let dw_path = dir.join("edb.jdw");
        let a: Arc<dyn FileIo> =
            Arc::new(OsFile::open(dir.join("a.edb"), OpenMode::CreateNew).unwrap());
        let b: Arc<dyn FileIo> =
            Arc::new(OsFile::open(dir.join("b.edb"), OpenMode::CreateNew).unwrap());
        let double_write = DoubleWrite::create(&dw_path).unwrap();
        let pages: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i + 1; 8192]).collect();
        double_write
            .write(&[
                PageToWrite {
                    file: &a,
                    page: 4,
                    bytes: &pages[0],
                },
                PageToWrite {
                    file: &b,
                    page: 2,
                    bytes: &pages[1],
                },
                PageToWrite {
                    file: &a,
                    page: 9,
                    bytes: &pages[2],
                },
            ])
            .unwrap();
        // Written in place too.
        let mut in_place = vec![0u8; 8192];
        a.read_at(&mut in_place, 10 * 8192).unwrap();
        assert_eq!(in_place, pages[2]);
        let read = read_batch(&dw_path).unwrap();
        assert_eq!(
            read[a.path()],
            vec![(4, pages[0].clone()), (9, pages[2].clone())]
        );
        assert_eq!(read[b.path()], vec![(2, pages[1].clone())]);
        // The second copy torn: the others stay.
        let mut file = std::fs::read(&dw_path).unwrap();
        let header_length = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
        file[header_length + 8192 + 100] ^= 0xff;
        std::fs::write(&dw_path, &file).unwrap();
        let read = read_batch(&dw_path).unwrap();
        assert_eq!(read[a.path()].len(), 2);
        assert!(!read.contains_key(b.path()));
        // The header torn: nothing.
        file[20] ^= 0xff;
        std::fs::write(&dw_path, &file).unwrap();
        assert!(read_batch(&dw_path).unwrap().is_empty());
        // Cleared: nothing, and a missing file is nothing too.
        double_write.clear().unwrap();
        assert!(read_batch(&dw_path).unwrap().is_empty());
        assert!(read_batch(&dir.join("none.jdw")).unwrap().is_empty());
    }
}
