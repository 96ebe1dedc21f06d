//! The objects the checker knows: the database root, the catalog's
//! tables, indexes and long-value trees, and the system objects at their
//! fixed places; both catalog copies, and the header's consistency with
//! them.

use std::collections::HashMap;

use ese_format::constants::database_state_name;
use ese_format::header::db_flags;
use ese_format::page::PageFlags;

use crate::catalog::{Catalog, TableDef, CATALOG_TREE, SHADOW_CATALOG_TREE};
use crate::codes::*;
use crate::Error;

use super::{error, Checker};

/// The database root.
const ROOT_PAGE: u32 = 1;
const ROOT_OBJECT: u32 = 1;

/// The objects ESE creates at fixed places (cat.hxx): (object, root page,
/// parent object, name).
const SYSTEM_OBJECTS: [(u32, u32, u32, &str); 4] = [
    (2, 4, ROOT_OBJECT, "MSysObjects"),
    (4, 7, 2, "MSysObjects/Name"),
    (5, 10, 2, "MSysObjects/RootObjects"),
    (3, 24, ROOT_OBJECT, "MSysObjectsShadow"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    DatabaseRoot,
    Table,
    Index,
    LongValue,
}

impl Kind {
    /// The page flags every page of such a tree carries.
    pub(super) fn page_bits(self) -> u32 {
        match self {
            Kind::Index => PageFlags::INDEX,
            Kind::LongValue => PageFlags::LONG_VALUE,
            Kind::DatabaseRoot | Kind::Table => 0,
        }
    }
}

/// A tree root with its own space (ESE: an FDP).
#[derive(Clone, Debug)]
pub(super) struct Fdp {
    pub(super) name: String,
    pub(super) object_id: u32,
    pub(super) root: u32,
    /// Index of the parent in `Checker::fdps` (none for the database root).
    pub(super) parent: Option<usize>,
    pub(super) kind: Kind,
    pub(super) unique: bool,
    /// Not walked: its root is unreadable, foreign, or being deleted.
    pub(super) skipped: bool,
    /// Its pages are not checked (the object is being deleted).
    pub(super) exempt: bool,
    /// Its space was read, so its pages' ownership is known.
    pub(super) space_ok: bool,
}

impl<'s> Checker<'s> {
    // ----------------------------------------------------------------
    // Header

    pub(super) fn check_header(&mut self) {
        let header = self.header;
        let declared = if header.page_size == 0 {
            4096
        } else {
            header.page_size as usize
        };
        if declared != self.source.page_size() {
            self.find(
                None,
                Error::new(JET_errPageSizeMismatch).with_detail(format!(
                    "the header declares {declared}-byte pages, the pages are {} bytes",
                    self.source.page_size()
                )),
            );
        }
        match database_state_name(header.state) {
            None => self.find(
                None,
                Error::new(JET_errDatabaseCorrupted).with_detail(format!(
                    "the header holds unknown database state {}",
                    header.state
                )),
            ),
            Some(name) if !self.clean => self.note(
                None,
                None,
                format!(
                    "the database is in state {} ({name}), not cleanly shut down: pages may \
                     lack changes its logs would complete, and page times may pass the header's",
                    header.state
                ),
            ),
            Some(_) => {}
        }
    }

    pub(super) fn check_object_ids(&mut self) {
        let highest = self
            .fdps
            .iter()
            .map(|f| f.object_id)
            .max()
            .unwrap_or(ROOT_OBJECT);
        if highest > self.header.last_object_id {
            let name = self.object_name(highest);
            self.find(
                None,
                Error::new(JET_errDatabaseCorrupted).with_detail(format!(
                    "the header's last object id is {}, but {name} exists: new objects \
                     would reuse its id",
                    self.header.last_object_id
                )),
            );
        }
    }

    // ----------------------------------------------------------------
    // Catalog

    fn add_fdp(&mut self, fdp: Fdp) -> Option<usize> {
        let catalog = |detail: String| Error::new(JET_errCatalogCorrupted).with_detail(detail);
        if fdp.root == 0 || fdp.root > self.last_page {
            let e = catalog(format!(
                "the catalog places object {} at page {}, outside the file's pages 1 to {}",
                fdp.object_id, fdp.root, self.last_page
            ));
            self.find(Some(&fdp.name), e);
            return None;
        }
        if let Some(&other) = self.by_object.get(&fdp.object_id) {
            let e = catalog(format!(
                "object id {} is used by both {} and {}",
                fdp.object_id, self.fdps[other].name, fdp.name
            ))
            .with_page(fdp.root);
            self.find(Some(&fdp.name), e);
            return None;
        }
        if let Some(&other) = self.by_root.get(&fdp.root) {
            let e = catalog(format!(
                "page {} is the root of both {} and {}",
                fdp.root, self.fdps[other].name, fdp.name
            ))
            .with_page(fdp.root);
            let name = fdp.name.clone();
            self.find(Some(&name), e);
            return None;
        }
        let index = self.fdps.len();
        self.by_object.insert(fdp.object_id, index);
        self.by_root.insert(fdp.root, index);
        self.fdps.push(fdp);
        Some(index)
    }

    fn new_fdp(name: String, object_id: u32, root: u32, parent: usize, kind: Kind) -> Fdp {
        Fdp {
            name,
            object_id,
            root,
            parent: Some(parent),
            kind,
            unique: true,
            skipped: false,
            exempt: false,
            space_ok: false,
        }
    }

    pub(super) fn load_objects(&mut self) {
        self.fdps.push(Fdp {
            name: "database root".into(),
            object_id: ROOT_OBJECT,
            root: ROOT_PAGE,
            parent: None,
            kind: Kind::DatabaseRoot,
            unique: true,
            skipped: false,
            exempt: false,
            space_ok: false,
        });
        self.by_object.insert(ROOT_OBJECT, 0);
        self.by_root.insert(ROOT_PAGE, 0);

        let shadowed = self.header.db_flags & db_flags::SHADOWING_DISABLED == 0;
        let source = self.source;
        let tables = match Catalog::load_from(source, CATALOG_TREE) {
            Ok(tables) => {
                let lists_shadow = tables
                    .iter()
                    .any(|t| t.object_id == SHADOW_CATALOG_TREE.object_id);
                if shadowed || lists_shadow {
                    match Catalog::load_from(source, SHADOW_CATALOG_TREE) {
                        Ok(shadow) => self.compare_catalogs(&tables, &shadow),
                        Err(e) => {
                            let page = e.context().and_then(|c| c.page).unwrap_or(24);
                            self.find(
                                Some("MSysObjectsShadow"),
                                error(
                                    JET_errCatalogCorrupted,
                                    page,
                                    format!("the shadow catalog cannot be read: {e}"),
                                ),
                            );
                        }
                    }
                }
                Some(tables)
            }
            Err(e) => {
                let page = e.context().and_then(|c| c.page).unwrap_or(4);
                self.find(
                    Some("MSysObjects"),
                    error(
                        JET_errCatalogCorrupted,
                        page,
                        format!("the catalog cannot be read: {e}"),
                    ),
                );
                if shadowed {
                    match Catalog::load_from(source, SHADOW_CATALOG_TREE) {
                        Ok(shadow) => {
                            self.note(
                                Some("MSysObjectsShadow"),
                                None,
                                "objects are taken from the shadow catalog",
                            );
                            Some(shadow)
                        }
                        Err(e) => {
                            let page = e.context().and_then(|c| c.page).unwrap_or(24);
                            self.find(
                                Some("MSysObjectsShadow"),
                                error(
                                    JET_errCatalogCorrupted,
                                    page,
                                    format!("the shadow catalog cannot be read either: {e}"),
                                ),
                            );
                            None
                        }
                    }
                } else {
                    None
                }
            }
        };
        if let Some(tables) = &tables {
            self.catalog_loaded = true;
            for table in tables {
                self.add_table(table);
            }
        } else {
            self.note(
                None,
                None,
                "without a catalog only the system trees are checked and pages are not \
                 accounted for",
            );
        }
        // The system objects live at fixed places whatever the catalog says.
        for (object_id, root, parent_object, name) in SYSTEM_OBJECTS {
            if object_id == SHADOW_CATALOG_TREE.object_id && !shadowed {
                continue;
            }
            match self.by_object.get(&object_id) {
                Some(&index) => {
                    if self.fdps[index].root != root {
                        let e = error(
                            JET_errCatalogCorrupted,
                            self.fdps[index].root,
                            format!(
                                "the catalog places {name} (object {object_id}) at page {}, \
                                 ESE always creates it at page {root}",
                                self.fdps[index].root
                            ),
                        );
                        self.find(Some(name), e);
                    }
                }
                None => {
                    if tables.is_some() {
                        let e = error(
                            JET_errCatalogCorrupted,
                            root,
                            format!("the catalog does not list {name} (object {object_id})"),
                        );
                        self.find(Some(name), e);
                    }
                    let Some(&parent) = self.by_object.get(&parent_object) else {
                        continue;
                    };
                    let kind = if parent_object == ROOT_OBJECT {
                        Kind::Table
                    } else {
                        Kind::Index
                    };
                    self.add_fdp(Self::new_fdp(name.into(), object_id, root, parent, kind));
                }
            }
        }
        // Parents come before their children: the order space is read in.
        let mut order: Vec<usize> = (0..self.fdps.len()).collect();
        order.sort_by_key(|&i| self.depth_of(i));
        if order.iter().enumerate().any(|(a, &b)| a != b) {
            let old = std::mem::take(&mut self.fdps);
            let remap: HashMap<usize, usize> = order
                .iter()
                .enumerate()
                .map(|(new, &old)| (old, new))
                .collect();
            self.fdps = order
                .iter()
                .map(|&i| {
                    let mut f = old[i].clone();
                    f.parent = f.parent.map(|p| remap[&p]);
                    f
                })
                .collect();
            self.by_object = self
                .fdps
                .iter()
                .enumerate()
                .map(|(i, f)| (f.object_id, i))
                .collect();
            self.by_root = self
                .fdps
                .iter()
                .enumerate()
                .map(|(i, f)| (f.root, i))
                .collect();
        }
    }

    fn depth_of(&self, mut index: usize) -> usize {
        let mut depth = 0;
        while let Some(parent) = self.fdps[index].parent {
            index = parent;
            depth += 1;
            if depth > self.fdps.len() {
                break;
            }
        }
        depth
    }

    fn add_table(&mut self, table: &TableDef) {
        let Some(t) = self.add_fdp(Self::new_fdp(
            table.name.clone(),
            table.object_id,
            table.root_page,
            0,
            Kind::Table,
        )) else {
            return;
        };
        if let Some(lv) = table.long_values {
            self.add_fdp(Self::new_fdp(
                format!("{}/long values", table.name),
                lv.object_id,
                lv.root,
                t,
                Kind::LongValue,
            ));
        }
        for index in &table.indexes {
            let name = format!("{}/{}", table.name, index.name);
            if index.root_page == table.root_page {
                if index.object_id != table.object_id {
                    let e = error(
                        JET_errCatalogCorrupted,
                        index.root_page,
                        format!(
                            "index {} shares the table's root page but claims object {}, \
                             the table is object {}",
                            index.name, index.object_id, table.object_id
                        ),
                    );
                    self.find(Some(&name), e);
                }
                continue;
            }
            let mut fdp = Self::new_fdp(name, index.object_id, index.root_page, t, Kind::Index);
            fdp.unique = index.is_unique();
            self.add_fdp(fdp);
        }
    }

    fn compare_catalogs(&mut self, primary: &[TableDef], shadow: &[TableDef]) {
        let objects = |tables: &[TableDef]| -> Vec<(u32, u32, String)> {
            let mut out = Vec::new();
            for t in tables {
                out.push((t.object_id, t.root_page, t.name.clone()));
                if let Some(lv) = t.long_values {
                    out.push((lv.object_id, lv.root, format!("{}/long values", t.name)));
                }
                for i in &t.indexes {
                    out.push((i.object_id, i.root_page, format!("{}/{}", t.name, i.name)));
                }
            }
            out.sort();
            out
        };
        let (a, b) = (objects(primary), objects(shadow));
        if a == b {
            return;
        }
        let difference = a
            .iter()
            .zip(&b)
            .find(|(x, y)| x != y)
            .map(|(x, y)| {
                format!(
                    "MSysObjects has {} (object {}, page {}) where the shadow has {} (object {}, page {})",
                    x.2, x.0, x.1, y.2, y.0, y.1
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "MSysObjects lists {} objects, the shadow {}",
                    a.len(),
                    b.len()
                )
            });
        self.find(
            Some("MSysObjectsShadow"),
            error(
                JET_errCatalogCorrupted,
                SHADOW_CATALOG_TREE.root,
                format!("the shadow catalog differs from the catalog: {difference}"),
            ),
        );
    }
}
