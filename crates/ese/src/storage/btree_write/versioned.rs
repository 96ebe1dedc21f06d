//! The B+tree writer's side of versioning (ESE: the node operations that
//! create RCEs): before a change the version store checks it (a write
//! conflict, a full store), after it records what the change replaced, so
//! that a rollback can undo it and older snapshots can see past it.

use ese_format::page::tag_flags;

use super::{FoundNode, Located, TreeWriter};
use crate::storage::btree::Tree;
use crate::Result;

/// What a versioned change did to a node, with what it needs to be undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeChange {
    /// A new node (undo: remove it).
    Insert,
    /// A node flagged deleted took the entry again (undo: put back its
    /// data and the deleted flag).
    Reinsert {
        before: Vec<u8>,
    },
    /// The data changed (undo: put back `before`).
    Replace {
        before: Vec<u8>,
    },
    /// The node was flagged deleted (undo: clear the flag).
    Delete,
    /// The 4-byte little-endian integer at `offset` of the data grew by
    /// `delta` (an escrow update; undo: subtract it). Deltas of several
    /// transactions may be pending on one node at once.
    Delta {
        offset: u32,
        delta: i32,
    },
    /// No change: a lock (JetGetLock) that makes other transactions'
    /// changes to the node conflict.
    ReadLock,
    WriteLock,
}

/// What a transaction wants to do to a node, for the conflict rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Change it (or hold a write lock on it).
    Write,
    /// Add to an escrow column: other transactions' deltas do not conflict.
    Delta,
    /// Hold a read lock: other read locks do not conflict.
    ReadLock,
}

/// A node of a tree, as the version store identifies it.
#[derive(Clone, Copy, Debug)]
pub struct VersionedNode<'k> {
    pub tree: Tree,
    /// The tree orders duplicates by data (a non-unique index), so the
    /// data is part of the node's identity.
    pub non_unique: bool,
    /// The tree's density, for reopening it to undo a change.
    pub density: u32,
    pub key: &'k [u8],
    /// The data in a non-unique tree; empty otherwise.
    pub order: &'k [u8],
}

/// The version store as one transaction's writer sees it.
pub trait NodeVersioning {
    /// May the change to `node` go ahead? `JET_errWriteConflict` when
    /// another transaction's change to it is uncommitted or committed after
    /// this transaction began, `JET_errVersionStoreOutOfMemory` when the
    /// store is full. Called before any page changes.
    /// `before_len`: the bytes of data the change replaces.
    fn check(&mut self, node: VersionedNode<'_>, access: Access, before_len: usize) -> Result<()>;

    /// Records a change made (after its pages changed).
    fn record(&mut self, node: VersionedNode<'_>, change: NodeChange);
}

/// Adds `delta` (wrapping) to the 4-byte little-endian integer at
/// `offset` of `data` and returns the value it had; `None` when the data is
/// too short. The arithmetic of escrow columns and of their deltas' undo.
pub fn add_to_field(data: &mut [u8], offset: usize, delta: i32) -> Option<i32> {
    let field = data.get_mut(offset..offset.checked_add(4)?)?;
    let old = i32::from_le_bytes([field[0], field[1], field[2], field[3]]);
    field.copy_from_slice(&old.wrapping_add(delta).to_le_bytes());
    Some(old)
}

impl<'a> TreeWriter<'a> {
    /// Versions every change this writer makes from now on.
    pub fn set_versioning(&mut self, versioning: &'a mut dyn NodeVersioning) {
        self.versioning = Some(versioning);
    }

    /// The part of an entry's data that identifies it: all of it in a
    /// non-unique tree, none in a unique one.
    pub(super) fn order_of<'d>(&self, data: &'d [u8]) -> &'d [u8] {
        if self.non_unique {
            data
        } else {
            &[]
        }
    }

    /// The flags a node this writer creates or changes carries.
    pub(super) fn new_node_flags(&self) -> u8 {
        if self.versioning.is_some() {
            tag_flags::VERSIONED
        } else {
            0
        }
    }

    fn node<'k>(&self, key: &'k [u8], order: &'k [u8]) -> VersionedNode<'k> {
        VersionedNode {
            tree: self.tree,
            non_unique: self.non_unique,
            density: self.density,
            key,
            order,
        }
    }

    pub(super) fn check_version(
        &mut self,
        key: &[u8],
        order: &[u8],
        before_len: usize,
    ) -> Result<()> {
        let node = self.node(key, order);
        match self.versioning.as_deref_mut() {
            Some(versioning) => versioning.check(node, Access::Write, before_len),
            None => Ok(()),
        }
    }

    pub(super) fn record_version(&mut self, key: &[u8], order: &[u8], change: NodeChange) {
        let node = self.node(key, order);
        if let Some(versioning) = self.versioning.as_deref_mut() {
            versioning.record(node, change);
        }
    }
}

impl TreeWriter<'_> {
    /// Adds `delta` to the 4-byte little-endian integer at `offset` of the
    /// data of entry `key` (JetEscrowUpdate) and returns the value it had.
    /// Versioned as a delta: other transactions' deltas to the same entry
    /// do not conflict with it. A missing entry is `JET_errRecordNotFound`.
    pub fn add_to(&mut self, key: &[u8], offset: usize, delta: i32) -> Result<i32> {
        let Located {
            leaf,
            path,
            position,
            node: existing,
        } = self.locate(key, &[])?;
        if let Some(versioning) = self.versioning.as_deref_mut() {
            if existing.is_some() {
                let node = VersionedNode {
                    tree: self.tree,
                    non_unique: self.non_unique,
                    density: self.density,
                    key,
                    order: &[],
                };
                versioning.check(node, Access::Delta, 0)?;
            }
        }
        let Some((flags, mut data)) = existing.filter(|(f, _)| f & tag_flags::DELETED == 0) else {
            return Err(super::no_entry());
        };
        let old = add_to_field(&mut data, offset, delta).ok_or_else(|| {
            crate::Error::new(crate::codes::JET_errInvalidOperation)
                .with_detail(format!("no 4-byte value at offset {offset} of the data"))
        })?;
        let flags = flags | self.new_node_flags();
        self.rewrite_at(leaf, path, position, key, &data, flags)?;
        self.record_version(
            key,
            &[],
            NodeChange::Delta {
                offset: offset as u32,
                delta,
            },
        );
        Ok(old)
    }

    /// Removes the entry (key, data) if it is flagged deleted (the version
    /// store's cleanup of a committed delete); true when it did.
    pub fn purge_deleted(&mut self, key: &[u8], data: &[u8]) -> Result<bool> {
        let Located {
            leaf,
            path,
            position,
            node: existing,
        } = self.locate(key, data)?;
        match existing {
            Some((flags, _)) if flags & tag_flags::DELETED != 0 => {
                self.purge_at(leaf, path, position)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// [`Self::purge_deleted`] of each of `entries` (key, data), with one
    /// descent per leaf rather than per entry when they come in the tree's
    /// order: the entries after one found in a leaf are looked for in that
    /// leaf while they fall within its nodes and it needs no merge. Calls
    /// [`Self::bound_unit`] after each removal. Returns how many it removed.
    pub fn purge_deleted_in_order(&mut self, entries: &[(&[u8], &[u8])]) -> Result<usize> {
        let deleted = |node: &Option<FoundNode>| matches!(node, Some((flags, _)) if flags & tag_flags::DELETED != 0);
        let mut purged = 0;
        let mut next = 0;
        while let Some(&(key, data)) = entries.get(next) {
            next += 1;
            let Located {
                leaf,
                path,
                mut position,
                node,
            } = self.locate(key, data)?;
            if !deleted(&node) {
                continue;
            }
            loop {
                let left = self.delete_in_leaf(leaf, position)?;
                purged += 1;
                if self.leaf_to_settle(leaf, &left)? {
                    self.settle_leaf(leaf, path, left)?;
                    self.bound_unit()?;
                    break;
                }
                self.bound_unit()?;
                // The next entries, while they lie in this leaf (whose node
                // count only the removals change).
                let count = left.nodes;
                let mut found = None;
                while let Some(&(key, data)) = entries.get(next) {
                    let page = self.cache.read(self.id(leaf))?;
                    let (at, node) = self.find_node_in_page(page.bytes(), leaf, key, data)?;
                    // Past this leaf's last node, or before its first: in
                    // another leaf, if anywhere (a descent finds it).
                    if at >= count || (at == 0 && node.is_none()) {
                        break;
                    }
                    next += 1;
                    if deleted(&node) {
                        found = Some(at);
                        break;
                    }
                }
                match found {
                    Some(at) => position = at,
                    None => break,
                }
            }
        }
        Ok(purged)
    }
}
