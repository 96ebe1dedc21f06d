//! Changing the catalog (ESE: cat): the rows of user tables, columns,
//! indexes and long-value trees, written as ESE writes them.
//!
//! Every row goes into four trees: MSysObjects (keyed by table object id,
//! row type and id), its Name index (table, type, name), its RootObjects
//! index (tables only: RootFlag, name) and the shadow copy
//! MSysObjectsShadow. Rows that stand for a B+tree of their own (a table,
//! a secondary index, a long-value tree) also get a row in MSysObjids,
//! keyed by object id, as Windows' ESE keeps them.
//!
//! The caller holds the database's write lock; each call changes all the
//! trees or fails before the first change where it can (a duplicate name
//! is found in the Name index before anything is written).

use ese_format::page::PageFlags;

use crate::catalog::create::{
    catalog_key, encode_catalog_row, name_index_key, root_objects_key, CatalogRow,
};
use crate::catalog::rows::objids_entry;
use crate::catalog::{row_type, CATALOG_TREE, SHADOW_CATALOG_TREE};
use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::btree_write::TreeWriter;
use crate::storage::cache::{BufferCache, CachedDatabase, DatabaseId};
use crate::storage::space::SpaceManager;
use crate::{Error, Result};

/// The catalog's Name and RootObjects indexes and MSysObjids.
const NAME_INDEX_TREE: Tree = Tree {
    root: 7,
    object_id: 4,
};
const ROOT_OBJECTS_TREE: Tree = Tree {
    root: 10,
    object_id: 5,
};
const OBJIDS_TREE: Tree = Tree {
    root: 29,
    object_id: 6,
};
/// The density of the catalog trees (ESE: the system tables' 80 %).
const CATALOG_DENSITY: u32 = 80;

/// Writes catalog rows of one attached database.
pub struct CatalogWriter<'a> {
    cache: &'a BufferCache,
    database: DatabaseId,
    page_size: usize,
    space: &'a mut SpaceManager,
}

impl<'a> CatalogWriter<'a> {
    pub fn new(cache: &'a BufferCache, database: DatabaseId, space: &'a mut SpaceManager) -> Self {
        let page_size = space.page_size();
        CatalogWriter {
            cache,
            database,
            page_size,
            space,
        }
    }

    /// Runs `change` with a writer on `tree`, pages from the tree's own
    /// space.
    fn with_tree<T>(
        &mut self,
        tree: Tree,
        density: u32,
        change: impl FnOnce(&mut TreeWriter<'_>) -> Result<T>,
    ) -> Result<T> {
        let db_time = self.space.tick();
        let mut allocator = self.space.allocator(tree.root);
        let mut writer =
            TreeWriter::open(self.cache, self.database, tree, density, &mut allocator)?;
        writer.set_time(db_time, 1);
        change(&mut writer)
    }

    /// True when a row of `row_type` named `name` exists for the table
    /// `objid_table` (names compare as the Name index normalizes them:
    /// case-insensitively).
    pub fn name_exists(&self, source: &CachedDatabase, row: &CatalogRow) -> Result<bool> {
        let key = name_index_key(row)?;
        let found = NAME_INDEX_TREE.seek(source, &key)?.next().transpose()?;
        Ok(found.is_some_and(|entry| entry.key == key))
    }

    /// Adds a row to every catalog tree.
    pub fn insert(&mut self, row: &CatalogRow) -> Result<()> {
        let key = catalog_key(row)?;
        let data = encode_catalog_row(row, self.page_size)?;
        let name_key = name_index_key(row)?;
        self.with_tree(NAME_INDEX_TREE, CATALOG_DENSITY, |w| {
            w.insert(&name_key, &key)
        })
        .map_err(|e| duplicate_as(e, duplicate_code(row.row_type)))?;
        self.with_tree(CATALOG_TREE, CATALOG_DENSITY, |w| w.insert(&key, &data))?;
        if let Some(root_key) = root_objects_key(row)? {
            self.with_tree(ROOT_OBJECTS_TREE, CATALOG_DENSITY, |w| {
                w.insert(&root_key, &key)
            })?;
        }
        self.with_tree(SHADOW_CATALOG_TREE, CATALOG_DENSITY, |w| {
            w.insert(&key, &data)
        })?;
        if let Some(object) = object_of(row) {
            let (objid_key, record) = objids_entry(object, self.page_size)?;
            self.with_tree(OBJIDS_TREE, 100, |w| w.insert(&objid_key, &record))?;
        }
        Ok(())
    }

    /// Replaces a row by a new version of it (same table, type and id): a
    /// rename moves its Name and RootObjects entries.
    pub fn replace(&mut self, old: &CatalogRow, new: &CatalogRow) -> Result<()> {
        let key = catalog_key(new)?;
        if catalog_key(old)? != key {
            return Err(Error::new(JET_errInternalError)
                .with_detail("a catalog replace that changes the row's identity"));
        }
        let data = encode_catalog_row(new, self.page_size)?;
        let old_name = name_index_key(old)?;
        let new_name = name_index_key(new)?;
        if old_name != new_name {
            self.with_tree(NAME_INDEX_TREE, CATALOG_DENSITY, |w| {
                w.insert(&new_name, &key)
            })?;
            self.with_tree(NAME_INDEX_TREE, CATALOG_DENSITY, |w| w.delete(&old_name))?;
        }
        let old_root = root_objects_key(old)?;
        let new_root = root_objects_key(new)?;
        if old_root != new_root {
            if let Some(root_key) = &old_root {
                self.with_tree(ROOT_OBJECTS_TREE, CATALOG_DENSITY, |w| w.delete(root_key))?;
            }
            if let Some(root_key) = &new_root {
                self.with_tree(ROOT_OBJECTS_TREE, CATALOG_DENSITY, |w| {
                    w.insert(root_key, &key)
                })?;
            }
        }
        self.with_tree(CATALOG_TREE, CATALOG_DENSITY, |w| w.replace(&key, &data))?;
        self.with_tree(SHADOW_CATALOG_TREE, CATALOG_DENSITY, |w| {
            w.replace(&key, &data)
        })
    }

    /// Removes a row from every catalog tree.
    pub fn delete(&mut self, row: &CatalogRow) -> Result<()> {
        let key = catalog_key(row)?;
        let name_key = name_index_key(row)?;
        self.with_tree(NAME_INDEX_TREE, CATALOG_DENSITY, |w| w.delete(&name_key))?;
        if let Some(root_key) = root_objects_key(row)? {
            self.with_tree(ROOT_OBJECTS_TREE, CATALOG_DENSITY, |w| w.delete(&root_key))?;
        }
        self.with_tree(CATALOG_TREE, CATALOG_DENSITY, |w| w.delete(&key))?;
        self.with_tree(SHADOW_CATALOG_TREE, CATALOG_DENSITY, |w| w.delete(&key))?;
        if let Some(object) = object_of(row) {
            let (objid_key, _) = objids_entry(object, self.page_size)?;
            self.with_tree(OBJIDS_TREE, 100, |w| w.delete(&objid_key))?;
        }
        Ok(())
    }
}

/// The MSysObjids row of a catalog row that owns a tree: (objid, table
/// objid, type). A primary index shares its table's tree and has none.
fn object_of(row: &CatalogRow) -> Option<(i32, i32, i16)> {
    match row.row_type {
        row_type::TABLE | row_type::LONG_VALUE => Some((row.id, row.objid_table, row.row_type)),
        row_type::INDEX if row.id != row.objid_table => {
            Some((row.id, row.objid_table, row.row_type))
        }
        _ => None,
    }
}

/// The error for a name already taken, by row type.
fn duplicate_code(kind: i16) -> i32 {
    match kind {
        row_type::TABLE => JET_errTableDuplicate,
        row_type::COLUMN => JET_errColumnDuplicate,
        row_type::INDEX => JET_errIndexDuplicate,
        _ => JET_errKeyDuplicate,
    }
}

/// A duplicate in the Name index means the name is taken.
fn duplicate_as(error: Error, code: i32) -> Error {
    if error.code() == JET_errKeyDuplicate {
        Error::new(code).with_detail("the name is already used")
    } else {
        error
    }
}

/// Page flags of a new user object's tree by row type.
pub fn tree_flags(row_type: i16) -> u32 {
    match row_type {
        row_type::INDEX => PageFlags::INDEX,
        row_type::LONG_VALUE => PageFlags::LONG_VALUE,
        _ => 0,
    }
}
