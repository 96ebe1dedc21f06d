//! Creating a new database (ESE: JetCreateDatabase), laid out as Windows'
//! ESE lays out a new database (see `docs/research/new-database-layout.md`).
//!
//! A new database holds seven objects on fixed pages:
//!
//! | objid | object | pages |
//! |---|---|---|
//! | 1 | database root | 1 (OE 2, AE 3), owns all 254 database pages |
//! | 2 | MSysObjects (the catalog) | 4..=23 (OE 5, AE 6) |
//! | 4 | its Name index | 7..=9 (OE 8, AE 9), from the catalog's extent |
//! | 5 | its RootObjects index | 10..=12 (OE 11, AE 12), idem |
//! | 3 | MSysObjectsShadow | 24..=28 (OE 25, AE 26) |
//! | 6 | MSysObjids | 29, single extent |
//! | 7 | MSysLocales | 30, single extent |
//!
//! Pages 31..=254 are free in the root's available-extent tree; the file is
//! 256 pages (two header pages and 254 database pages) at every page size.
//!
//! The system tables' schema is data in `rows.rs` ([`catalog_rows`],
//! re-exported here with the other row functions); the
//! rows are generated with the record encoder and the key normalizer, and
//! inserted through [`TreeWriter`], which splits the catalog into leaves at
//! 4 KiB. Split pages come from the owning object's extent (an
//! [`ExtentAllocator`]), and the available-extent trees written at the end
//! record what is left.
//!
//! We have no log yet: the database is created and immediately detached
//! cleanly, so the header says `JET_dbstateCleanShutdown` with zero log
//! positions and log signature, as ESE writes a database created without
//! logging and then detached.
//!
//! Differences from Windows' layout, none visible to readers: the catalog
//! leaves at 4 KiB (pages 13/14 and 27/28, as Windows uses) are cut where
//! [`TreeWriter`]'s density rule says, 49/23 rows where Windows puts 59/13;
//! the shadow's available-extent page holds no node where Windows leaves a
//! flag-deleted one; nodes are packed in key order, not insertion order,
//! and carry no versioned flag; dbtimes are a simple increasing counter.

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use ese_format::checksum::{set_page_checksum, PageKind};
use ese_format::constants::*;
use ese_format::header::{DatabaseHeader, Signature};
use ese_format::page::PageFlags;
use ese_format::space::{ExtentNode, SPLIT_BUFFER_SIZE};

use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::btree_write::{PageAllocator, TreeWriter};
use crate::storage::cache::{BufferCache, DatabaseId, PageId};
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::{Error, Result};

pub use crate::storage::attach::log_time_now;

// The rows' definitions live in `rows.rs`; their public names stay here,
// where callers have always found them.
use super::rows::*;
pub use super::rows::{
    catalog_key, catalog_rows, encode_catalog_row, locales_rows, name_index_key, objids_rows,
    root_objects_key, CatalogRow, NEW_DATABASE_PAGES,
};

/// The highest object id in a new database.
pub const NEW_DATABASE_LAST_OBJECT_ID: u32 = 7;
/// The first database time (ESE: dbtimeStart).
const DB_TIME_START: u64 = 64;
/// Flush type 1 ("rock"), as on every page written once.
const FLUSH_TYPE_1: u32 = 0x8000;

/// Format version and revision of the databases we create.
pub const FORMAT_VERSION: u32 = 0x620;
pub const FORMAT_REVISION: u32 = 20;

/// Hands out the free pages of one object's extent in order and remembers
/// how far it got.
#[derive(Debug)]
pub struct ExtentAllocator {
    next: u32,
    last: u32,
}

impl ExtentAllocator {
    /// Free pages `first..=last` (none when `first > last`).
    pub fn new(first: u32, last: u32) -> Self {
        ExtentAllocator { next: first, last }
    }

    /// The pages still free, as one extent (first, count).
    pub fn remaining(&self) -> (u32, u32) {
        (self.next, (self.last + 1).saturating_sub(self.next))
    }
}

impl PageAllocator for ExtentAllocator {
    fn allocate(&mut self) -> Result<u32> {
        if self.next > self.last {
            return Err(Error::new(JET_errOutOfDatabaseSpace)
                .with_detail("a system object outgrew its primary extent at creation"));
        }
        self.next += 1;
        Ok(self.next - 1)
    }

    fn release(&mut self, page: u32) -> Result<()> {
        // Creation only inserts; a release would break the contiguous
        // free range the extent trees record.
        Err(Error::new(JET_errInternalError)
            .with_page(page)
            .with_detail("a page was released while creating the database"))
    }
}

/// The database-wide time counter.
struct Clock(u64);

impl Clock {
    fn tick(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

struct Builder<'a> {
    cache: &'a BufferCache,
    database: DatabaseId,
    page_size: usize,
    clock: Clock,
}

impl Builder<'_> {
    /// Writes a root page of a space tree or an empty FDP directly.
    fn write_page(
        &mut self,
        page_number: u32,
        object_id: u32,
        flags: u32,
        line0: &[u8],
        lines: &[Vec<u8>],
    ) -> Result<()> {
        let db_time = self.clock.tick();
        let mut page = self.cache.new_page(PageId {
            database: self.database,
            page: page_number,
        })?;
        let mut edit = page.init(object_id, PageFlags(flags | FLUSH_TYPE_1), db_time)?;
        edit.set_external_header(line0)?;
        for (index, line) in lines.iter().enumerate() {
            edit.insert_line(index + 1, line, 0)?;
        }
        page.mark_dirty(1);
        Ok(())
    }

    /// Writes an object's owned- and available-extent tree roots.
    fn write_extent_trees(&mut self, object: &SystemObject, available: (u32, u32)) -> Result<()> {
        let flags = PageFlags::ROOT | PageFlags::LEAF | PageFlags::SPACE_TREE | object.tree_flags;
        let node = |last: u32, count: u32| {
            let extent = ExtentNode {
                last,
                count: count as i32,
                pool: ese_format::space::pool::GENERAL,
            };
            let key = extent.key();
            let mut line = (key.len() as u16).to_le_bytes().to_vec();
            line.extend_from_slice(&key);
            line.extend_from_slice(&extent.data());
            line
        };
        let split_buffer = [0u8; SPLIT_BUFFER_SIZE];
        let owned = vec![node(object.last_page(), object.pages)];
        self.write_page(
            object.root + 1,
            object.object_id,
            flags,
            &split_buffer,
            &owned,
        )?;
        let (first, count) = available;
        let free = if count == 0 {
            Vec::new()
        } else {
            debug_assert_eq!(first + count - 1, object.last_page());
            vec![node(first + count - 1, count)]
        };
        self.write_page(
            object.root + 2,
            object.object_id,
            flags,
            &split_buffer,
            &free,
        )
    }

    /// Creates an object's B+tree with `entries`, taking split pages from
    /// `allocator`.
    fn write_tree(
        &mut self,
        object: &SystemObject,
        allocator: &mut ExtentAllocator,
        entries: &[(Vec<u8>, Vec<u8>)],
    ) -> Result<()> {
        let header = object.space_header().encode();
        let mut writer = TreeWriter::create(
            self.cache,
            self.database,
            Tree {
                root: object.root,
                object_id: object.object_id,
            },
            object.tree_flags | FLUSH_TYPE_1,
            object.density,
            &header,
            allocator,
        )?;
        for (key, data) in entries {
            writer.set_time(self.clock.tick(), 1);
            writer.insert(key, data)?;
        }
        Ok(())
    }
}

fn invalid(detail: String) -> Error {
    Error::new(JET_errInvalidParameter).with_detail(detail)
}

/// Creates a new, empty database at `path` with `page_size`-byte pages
/// (4, 8, 16 or 32 KiB), laid out as Windows' ESE lays out a new database,
/// and leaves it cleanly shut down.
///
/// # Errors
///
/// `JET_errInvalidParameter` for another page size, `JET_errDatabaseDuplicate`
/// when the file exists, I/O errors as JET errors. A failed creation
/// removes the partial file.
pub fn create_database(path: &Path, page_size: usize) -> Result<()> {
    if ![4096, 8192, 16384, 32768].contains(&page_size) {
        return Err(invalid(format!(
            "{page_size} bytes is not a page size for new databases (4096, 8192, 16384 or 32768)"
        )));
    }
    let file = Arc::new(OsFile::open(path, OpenMode::CreateNew)?);
    let outcome = write_new_database(file.clone(), page_size);
    if outcome.is_err() {
        drop(file);
        let _ = std::fs::remove_file(path);
    }
    outcome.map_err(|e| e.with_operation("creating the database").with_file(path))
}

fn write_new_database(file: Arc<OsFile>, page_size: usize) -> Result<()> {
    let file_pages = u64::from(NEW_DATABASE_PAGES) + 2;
    file.set_len(file_pages * page_size as u64)?;
    let cache = BufferCache::new(16, 64)?;
    let database = cache.attach(file.clone() as Arc<dyn FileIo>, page_size);
    let mut builder = Builder {
        cache: &cache,
        database,
        page_size,
        clock: Clock(DB_TIME_START),
    };
    let outcome = build(&mut builder);
    let detached = cache.detach(database);
    outcome?;
    detached?;
    let db_time = builder.clock.0 + 1;
    write_header(file.as_ref(), page_size, db_time)?;
    file.sync_data()
}

/// Writes every database page of the new database.
fn build(b: &mut Builder<'_>) -> Result<()> {
    let page_size = b.page_size;
    // The root owns everything; pages 1..=30 go to the system objects.
    let root_free_first = MSYS_LOCALES.last_page() + 1;
    b.write_page(
        ROOT.root,
        ROOT.object_id,
        PageFlags::ROOT | PageFlags::LEAF,
        &ROOT.space_header().encode(),
        &[],
    )?;
    b.write_extent_trees(
        &ROOT,
        (root_free_first, ROOT.last_page() + 1 - root_free_first),
    )?;

    let rows = catalog_rows();
    let mut catalog_entries = Vec::with_capacity(rows.len());
    let mut name_entries = Vec::with_capacity(rows.len());
    let mut root_entries = Vec::new();
    for row in &rows {
        let key = catalog_key(row)?;
        catalog_entries.push((key.clone(), encode_catalog_row(row, page_size)?));
        name_entries.push((name_index_key(row)?, key.clone()));
        if let Some(root_key) = root_objects_key(row)? {
            root_entries.push((root_key, key));
        }
    }

    // The catalog's indexes sit right after its extent trees, in its own
    // extent; the rest of that extent is what its leaves may take.
    let catalog_free_first = ROOT_OBJECTS_INDEX.last_page() + 1;
    let mut catalog_space = ExtentAllocator::new(catalog_free_first, MSYS_OBJECTS.last_page());
    b.write_tree(&MSYS_OBJECTS, &mut catalog_space, &catalog_entries)?;
    b.write_extent_trees(&MSYS_OBJECTS, catalog_space.remaining())?;

    for index in [NAME_INDEX, ROOT_OBJECTS_INDEX] {
        let entries = if index.object_id == NAME_INDEX.object_id {
            &name_entries
        } else {
            &root_entries
        };
        let mut space = ExtentAllocator::new(index.root + 3, index.last_page());
        b.write_tree(&index, &mut space, entries)?;
        b.write_extent_trees(&index, space.remaining())?;
    }

    let mut shadow_space = ExtentAllocator::new(
        MSYS_OBJECTS_SHADOW.root + 3,
        MSYS_OBJECTS_SHADOW.last_page(),
    );
    b.write_tree(&MSYS_OBJECTS_SHADOW, &mut shadow_space, &catalog_entries)?;
    b.write_extent_trees(&MSYS_OBJECTS_SHADOW, shadow_space.remaining())?;

    let objids = objids_rows()
        .into_iter()
        .map(|row| objids_entry(row, page_size))
        .collect::<Result<Vec<_>>>()?;
    let mut none = ExtentAllocator::new(1, 0);
    b.write_tree(&MSYS_OBJIDS, &mut none, &objids)?;

    let locales = locales_rows()
        .into_iter()
        .map(|row| locales_entry(row, page_size))
        .collect::<Result<Vec<_>>>()?;
    let mut none = ExtentAllocator::new(1, 0);
    b.write_tree(&MSYS_LOCALES, &mut none, &locales)
}

/// A random 32-bit value from the clock and the process id (splitmix64).
fn random_u32() -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut z = nanos ^ (u64::from(std::process::id()) << 32) ^ 0x9e37_79b9_7f4a_7c15;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) as u32
}

/// The header of a new database, created and then detached cleanly.
pub fn new_database_header(page_size: usize, db_time: u64) -> DatabaseHeader {
    let now = log_time_now();
    DatabaseHeader {
        magic: DATABASE_MAGIC,
        format_version: FORMAT_VERSION,
        format_revision: FORMAT_REVISION,
        create_format_version: FORMAT_VERSION,
        create_format_revision: FORMAT_REVISION,
        db_time,
        db_signature: Signature {
            random: random_u32(),
            created: now,
            computer_name: [0; 16],
        },
        state: JET_dbstateCleanShutdown,
        consistent_time: now,
        attach_time: now,
        detach_time: now,
        dbid: 1,
        last_object_id: NEW_DATABASE_LAST_OBJECT_ID,
        os_major_version: 6,
        os_minor_version: 2,
        os_build_number: 9200,
        page_size: page_size as u32,
        sort_version: u64::MAX,
        file_type: JET_filetypeDatabase,
        ..Default::default()
    }
}

fn write_header(file: &dyn FileIo, page_size: usize, db_time: u64) -> Result<()> {
    let header = new_database_header(page_size, db_time);
    let mut page = vec![0u8; page_size];
    header.encode(&mut page)?;
    set_page_checksum(&mut page, PageKind::DatabaseHeader, 0)
        .map_err(|e| Error::new(JET_errInvalidBufferSize).with_detail(e.to_string()))?;
    // The header and its shadow copy.
    file.write_at(&page, 0)?;
    file.write_at(&page, page_size as u64)
}
