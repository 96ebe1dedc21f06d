//! The version store (ESE: ver, its RCEs and the transaction table):
//! every change a transaction makes to a B+tree node, kept in memory with
//! what it replaced, so that
//!
//! - a rollback can undo it (the pages are changed in place at once, as
//!   ESE changes them),
//! - a reader whose snapshot predates the change sees the node as it was
//!   (snapshot isolation: readers never wait for writers),
//! - a second writer finds the first one's change and fails with
//!   `JET_errWriteConflict` (first writer wins).
//!
//! Time is a counter. A transaction reads as of the counter's value when it
//! began; its outermost commit advances the counter and stamps every one
//! of its versions at once (they share one commit cell), so a reader sees
//! all of a transaction or none of it. A change committed at `c` is visible
//! to a snapshot taken at `s` when `c <= s`.
//!
//! A version is needed until every open transaction began after its
//! commit; the cleanup then drops it, removing the node for good when the
//! change was a delete. Nodes carry the versioned flag while they may have
//! versions, so a reader consults the store only for those.
//!
//! A component of its own (see `docs/ARCHITECTURE.md`): it uses `storage`
//! only; the log, the instance's transactions and the cursors build on it,
//! and nothing here may import them.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::btree_write::{
    add_to_field, Access, NodeChange, NodeVersioning, VersionedNode,
};
use crate::storage::cache::DatabaseId;
use crate::storage::page_source::NodeView;
use crate::{Error, Result};
// The hot lookups (cached pages, versioned nodes) hash with foldhash:
// std's SipHash cost more than the rest of a lookup on these short keys.
use foldhash::HashMap as FastMap;
use smallvec::SmallVec;

/// The commit time of a transaction that has not committed.
pub const UNCOMMITTED: u64 = u64::MAX;

/// Bytes one version costs beyond its before-image (the chain entry, the
/// map key, the undo record): a deliberate over-estimate, so that the
/// limit is reached before memory is.
const VERSION_OVERHEAD: usize = 128;

/// ESE's version page on 64-bit systems (JET_paramMaxVerPages counts
/// them).
pub const VERSION_PAGE_BYTES: usize = 32 * 1024;

/// JET_paramMaxVerPages' default.
pub const DEFAULT_MAX_VERSION_PAGES: usize = 64;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What every version of one transaction shares.
#[derive(Debug)]
pub struct TransactionId {
    /// Unique in the instance.
    pub id: u64,
    /// The snapshot it reads: the clock when it began.
    pub begin: u64,
    /// The clock its outermost commit took, or [`UNCOMMITTED`].
    commit: AtomicU64,
    /// Versions of it the store holds.
    held: AtomicUsize,
}

impl TransactionId {
    pub fn commit_time(&self) -> u64 {
        self.commit.load(Ordering::Acquire)
    }

    /// Versions of this transaction the store holds.
    pub fn versions_held(&self) -> usize {
        self.held.load(Ordering::Acquire)
    }
}

/// A node as the store keys it: its database, its tree's object id, and
/// its key (with the data that orders duplicates in a non-unique tree).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeKey {
    pub database: DatabaseId,
    pub object: u32,
    /// The key's length (2 bytes, big-endian), the key, then the order
    /// data: one buffer, so that a lookup hashes one slice.
    /// Shared: the store and the transaction's undo list hold the same
    /// key.
    bytes: Arc<[u8]>,
}

impl NodeKey {
    pub fn new(database: DatabaseId, object: u32, key: &[u8], order: &[u8]) -> Self {
        // Put together on the stack, then copied into the shared buffer
        // (one allocation; collecting an iterator into it goes byte by
        // byte).
        let mut buffer: SmallVec<[u8; 128]> = SmallVec::with_capacity(2 + key.len() + order.len());
        buffer.extend_from_slice(&(key.len() as u16).to_be_bytes());
        buffer.extend_from_slice(key);
        buffer.extend_from_slice(order);
        let bytes: Arc<[u8]> = Arc::from(&buffer[..]);
        NodeKey {
            database,
            object,
            bytes,
        }
    }

    /// The same node in `database` (its bytes shared).
    pub fn in_database(&self, database: DatabaseId) -> Self {
        NodeKey {
            database,
            ..self.clone()
        }
    }

    pub fn key(&self) -> &[u8] {
        let len = u16::from_be_bytes([self.bytes[0], self.bytes[1]]) as usize;
        &self.bytes[2..2 + len]
    }

    pub fn order(&self) -> &[u8] {
        let len = u16::from_be_bytes([self.bytes[0], self.bytes[1]]) as usize;
        &self.bytes[2 + len..]
    }
}

/// Sorts nodes by tree, then key, then order data. Each node's key lives
/// behind its own pointer, so the sort compares a copy of each node's
/// first key bytes held in one array (no pointer chased for most
/// comparisons: hundreds of thousands of nodes after a mass delete), and
/// the whole keys only where those are equal.
fn sort_in_tree_order<T>(nodes: &mut Vec<(NodeKey, T)>) {
    // The first 16 key bytes as two big-endian words (zero-padded): the
    // words order as the bytes do, and compare in two instructions where
    // a byte array compared byte by byte.
    let mut order: Vec<(u32, u64, u64, usize)> = nodes
        .iter()
        .enumerate()
        .map(|(at, (node, _))| {
            let mut prefix = [0u8; 16];
            let key = node.key();
            let take = key.len().min(prefix.len());
            prefix[..take].copy_from_slice(&key[..take]);
            let (high, low) = prefix.split_at(8);
            let word = |bytes: &[u8]| u64::from_be_bytes(bytes.try_into().unwrap_or_default());
            (node.object, word(high), word(low), at)
        })
        .collect();
    order.sort_unstable_by(|a, b| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| {
            let (x, y) = (&nodes[a.3].0, &nodes[b.3].0);
            (x.key(), x.order()).cmp(&(y.key(), y.order()))
        })
    });
    let mut taken: Vec<Option<(NodeKey, T)>> = nodes.drain(..).map(Some).collect();
    nodes.extend(
        order
            .into_iter()
            .filter_map(|(_, _, _, at)| taken[at].take()),
    );
}

/// Enough about a tree to open a writer on it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeInfo {
    pub tree: Tree,
    pub non_unique: bool,
    pub density: u32,
}

#[derive(Debug)]
struct Version {
    transaction: Arc<TransactionId>,
    change: NodeChange,
    bytes: usize,
}

/// A node's versions, oldest first.
#[derive(Debug)]
struct Chain {
    tree: TreeInfo,
    versions: Vec<Version>,
    /// A delete was recorded: when the chain empties the node may be left
    /// flagged deleted, for the caller to remove.
    deleted: bool,
}

/// A version recorded but not yet in the map: a transaction's versions
/// are appended here in the order it makes them and enter the map only
/// when something looks a node up (see [`Chains`]).
#[derive(Debug)]
struct PendingVersion {
    node: NodeKey,
    tree: TreeInfo,
    version: Version,
}

/// The versions held, by node. A version is appended to `pending` and
/// enters `map` at the first look-up after it (any look-up folds all of
/// `pending` in, oldest first, so a node's versions in the map stay older
/// than its pending ones). A large transaction nobody reads beside (a bulk
/// load, alone on its database) never builds the map: its versions are
/// appended in order and dropped in order after its commit, where
/// inserting each into a hash map of millions of nodes cost a cache miss
/// and a share of the rehashes, and dropping them a sweep over the map.
#[derive(Debug, Default)]
struct Chains {
    map: FastMap<NodeKey, Chain>,
    pending: Vec<PendingVersion>,
}

impl Chains {
    /// Moves every pending version into the map.
    fn fold(&mut self) {
        for PendingVersion {
            node,
            tree,
            version,
        } in self.pending.drain(..)
        {
            let chain = self.map.entry(node).or_insert_with(|| Chain {
                tree,
                versions: Vec::new(),
                deleted: false,
            });
            chain.deleted |= version.change == NodeChange::Delete;
            chain.versions.push(version);
        }
    }
}

/// A committed transaction's nodes, waiting for cleanup.
#[derive(Debug)]
struct Committed {
    commit: u64,
    nodes: Vec<NodeKey>,
}

/// Open transactions by begin time (several may share one).
#[derive(Debug, Default)]
struct Active {
    by_begin: BTreeMap<u64, usize>,
}

/// What the store holds, for counters and for the tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VersionStats {
    /// Versions held.
    pub versions: usize,
    /// Bytes they are charged (before-images plus overhead).
    pub bytes: usize,
    /// The limit (JET_paramMaxVerPages × 32 KiB).
    pub limit: usize,
    /// Open transactions.
    pub active_transactions: usize,
    /// Clock ticks between the oldest open transaction's begin and now:
    /// how far a long-running transaction holds cleanup back.
    pub oldest_transaction_age: u64,
    /// Committed transactions whose versions cleanup cannot drop yet
    /// because an older transaction is still open.
    pub cleanup_waiting: usize,
    /// Versions cleanup has dropped since the instance started.
    pub cleaned: u64,
}

/// The version store of one instance.
#[derive(Debug)]
pub struct VersionStore {
    clock: AtomicU64,
    next_transaction: AtomicU64,
    /// Taken to begin, commit and compute the cleanup horizon, so that a
    /// snapshot and the horizon never cross.
    active: Mutex<Active>,
    /// Open transactions (what `active` counts), readable without its
    /// lock: a transaction alone since it began skips conflict checks.
    open: AtomicUsize,
    /// A rolled-back transaction left versions behind (see
    /// `end_rolled_back`).
    orphans: std::sync::atomic::AtomicBool,
    chains: parking_lot::RwLock<Chains>,
    /// Versions held, readable without the lock: readers skip the store
    /// while it is empty.
    count: AtomicUsize,
    bytes: AtomicUsize,
    limit: AtomicUsize,
    committed: Mutex<VecDeque<Committed>>,
    cleaned: AtomicU64,
}

impl Default for VersionStore {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_VERSION_PAGES)
    }
}

impl VersionStore {
    pub fn new(max_version_pages: usize) -> Self {
        VersionStore {
            clock: AtomicU64::new(1),
            next_transaction: AtomicU64::new(1),
            active: Mutex::new(Active::default()),
            open: AtomicUsize::new(0),
            orphans: std::sync::atomic::AtomicBool::new(false),
            chains: parking_lot::RwLock::new(Chains::default()),
            count: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            limit: AtomicUsize::new(max_version_pages.saturating_mul(VERSION_PAGE_BYTES)),
            committed: Mutex::new(VecDeque::new()),
            cleaned: AtomicU64::new(0),
        }
    }

    /// Sets JET_paramMaxVerPages.
    pub fn set_max_version_pages(&self, pages: usize) {
        self.limit
            .store(pages.saturating_mul(VERSION_PAGE_BYTES), Ordering::Release);
    }

    /// The map of versions by node, with every pending version in it, for
    /// reading.
    fn indexed(&self) -> parking_lot::RwLockReadGuard<'_, Chains> {
        let chains = self.chains.read();
        if chains.pending.is_empty() {
            return chains;
        }
        drop(chains);
        parking_lot::RwLockWriteGuard::downgrade(self.indexed_mut())
    }

    /// The map of versions by node, with every pending version in it, for
    /// changing.
    fn indexed_mut(&self) -> parking_lot::RwLockWriteGuard<'_, Chains> {
        let mut chains = self.chains.write();
        chains.fold();
        chains
    }

    /// The clock now: a snapshot of everything committed so far.
    pub fn now(&self) -> u64 {
        self.clock.load(Ordering::Acquire)
    }

    /// True when no version is held (and so no node needs resolving).
    pub fn is_empty(&self) -> bool {
        self.count.load(Ordering::Acquire) == 0
    }

    /// True when a transaction is open.
    pub fn has_active(&self) -> bool {
        !lock(&self.active).by_begin.is_empty()
    }

    /// Starts a transaction reading as of now.
    pub fn begin(&self) -> Arc<TransactionId> {
        let mut active = lock(&self.active);
        let begin = self.now();
        *active.by_begin.entry(begin).or_default() += 1;
        self.open.fetch_add(1, Ordering::AcqRel);
        Arc::new(TransactionId {
            id: self.next_transaction.fetch_add(1, Ordering::Relaxed),
            begin,
            commit: AtomicU64::new(UNCOMMITTED),
            held: AtomicUsize::new(0),
        })
    }

    fn leave(&self, active: &mut Active, begin: u64) {
        if let Some(count) = active.by_begin.get_mut(&begin) {
            *count -= 1;
            if *count == 0 {
                active.by_begin.remove(&begin);
            }
            self.open.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// Commits `transaction`: its versions become visible to snapshots
    /// taken from now on, all at once, and wait for cleanup.
    pub fn commit(&self, transaction: &TransactionId, nodes: Vec<NodeKey>) {
        let mut active = lock(&self.active);
        let commit = self.now() + 1;
        transaction.commit.store(commit, Ordering::Release);
        self.clock.store(commit, Ordering::Release);
        self.leave(&mut active, transaction.begin);
        if !nodes.is_empty() {
            lock(&self.committed).push_back(Committed { commit, nodes });
        }
    }

    /// Ends a transaction that was rolled back (its versions are gone).
    /// One whose rollback failed half way leaves versions of no open and
    /// no committed transaction: from then on every conflict check looks
    /// (see `check_conflict`).
    pub fn end_rolled_back(&self, transaction: &TransactionId) {
        if transaction.versions_held() > 0 {
            self.orphans.store(true, Ordering::Release);
        }
        self.leave(&mut lock(&self.active), transaction.begin);
    }

    /// Versions committed at or before this are seen by every open and
    /// future transaction.
    pub fn horizon(&self) -> u64 {
        let active = lock(&self.active);
        active
            .by_begin
            .keys()
            .next()
            .copied()
            .unwrap_or_else(|| self.now())
    }

    /// `JET_errWriteConflict` when `transaction` may not have `access` to
    /// `node` (first writer wins, as ESE decides it):
    ///
    /// - another transaction's uncommitted version conflicts, except a
    ///   delta with a delta and a read lock with a read lock;
    /// - a change committed after `transaction` began conflicts, except a
    ///   delta with a delta (committed read locks are released locks).
    pub fn check_conflict(
        &self,
        transaction: &TransactionId,
        node: &NodeKey,
        access: Access,
    ) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        // Alone since it began: no other transaction is open (one that
        // begins now cannot reach this node before the caller, who holds
        // the database's write lock, records its change), none has
        // committed since and no rollback left versions behind, so every
        // version held is this one's own or committed before it began:
        // none conflicts. A bulk load skips the look-up of each of its
        // nodes in a store it alone fills.
        if self.open.load(Ordering::Acquire) == 1
            && self.now() == transaction.begin
            && !self.orphans.load(Ordering::Acquire)
        {
            return Ok(());
        }
        let chains = self.indexed();
        let Some(chain) = chains.map.get(node) else {
            return Ok(());
        };
        for version in chain.versions.iter().rev() {
            if version.transaction.id == transaction.id {
                continue;
            }
            let shares = match (&version.change, access) {
                (NodeChange::Delta { .. }, Access::Delta) => true,
                (NodeChange::ReadLock, Access::ReadLock) => true,
                (NodeChange::ReadLock, _) => version.transaction.commit_time() != UNCOMMITTED,
                _ => false,
            };
            if shares {
                continue;
            }
            let commit = version.transaction.commit_time();
            if commit == UNCOMMITTED {
                return Err(Error::new(JET_errWriteConflict).with_detail(
                    "another session's transaction changed or locked the record and has not \
                     committed",
                ));
            }
            if commit > transaction.begin {
                return Err(Error::new(JET_errWriteConflict).with_detail(
                    "another session committed a change to the record after this transaction \
                     began",
                ));
            }
            // Versions older than a committed change this transaction may
            // see are older still.
            if !matches!(version.change, NodeChange::Delta { .. }) {
                break;
            }
        }
        Ok(())
    }

    /// `JET_errVersionStoreOutOfMemory` when `bytes` more would pass the
    /// limit.
    pub fn reserve(&self, bytes: usize) -> Result<()> {
        let limit = self.limit.load(Ordering::Acquire);
        let held = self.bytes.load(Ordering::Acquire);
        if held + bytes + VERSION_OVERHEAD > limit {
            return Err(
                Error::new(JET_errVersionStoreOutOfMemory).with_detail(format!(
                    "the version store holds {held} of its {limit} bytes (JET_paramMaxVerPages); \
                 commit or roll back long transactions"
                )),
            );
        }
        Ok(())
    }

    fn change_bytes(change: &NodeChange) -> usize {
        VERSION_OVERHEAD
            + match change {
                NodeChange::Reinsert { before } | NodeChange::Replace { before } => before.len(),
                _ => 0,
            }
    }

    /// Records a change `transaction` made to `node`.
    pub fn record(
        &self,
        transaction: &Arc<TransactionId>,
        node: NodeKey,
        tree: TreeInfo,
        change: NodeChange,
    ) {
        let bytes = Self::change_bytes(&change);
        self.chains.write().pending.push(PendingVersion {
            node,
            tree,
            version: Version {
                transaction: transaction.clone(),
                change,
                bytes,
            },
        });
        transaction.held.fetch_add(1, Ordering::AcqRel);
        self.count.fetch_add(1, Ordering::AcqRel);
        self.bytes.fetch_add(bytes, Ordering::AcqRel);
    }

    fn forget(&self, version: &Version) {
        version.transaction.held.fetch_sub(1, Ordering::AcqRel);
        self.count.fetch_sub(1, Ordering::AcqRel);
        self.bytes.fetch_sub(version.bytes, Ordering::AcqRel);
    }

    /// Versions held, of every transaction.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    /// Takes back `transaction`'s newest version of `node` for a rollback
    /// (other transactions' deltas may have come after it): the change to
    /// undo, the node's tree, and whether the node has no versions left
    /// (`Some(true)` when one of them was a delete, so that the node may be
    /// left flagged deleted and must then be removed).
    pub fn take_newest(
        &self,
        transaction: &TransactionId,
        node: &NodeKey,
    ) -> Option<(NodeChange, TreeInfo, Option<bool>)> {
        let mut chains = self.indexed_mut();
        let chains = &mut chains.map;
        let chain = chains.get_mut(node)?;
        let at = chain
            .versions
            .iter()
            .rposition(|v| v.transaction.id == transaction.id)?;
        let version = chain.versions.remove(at);
        self.forget(&version);
        let tree = chain.tree;
        let empty = chain.versions.is_empty().then_some(chain.deleted);
        if empty.is_some() {
            chains.remove(node);
        }
        Some((version.change, tree, empty))
    }

    /// Puts nodes a cleanup pass could not finish back in the queue, to be
    /// tried again.
    pub fn requeue(&self, nodes: Vec<NodeKey>, commit: u64) {
        if !nodes.is_empty() {
            lock(&self.committed).push_front(Committed { commit, nodes });
        }
    }

    /// Committed transactions every snapshot now sees, oldest first: their
    /// nodes are ready for [`Self::trim`].
    pub fn take_cleanable(&self, horizon: u64) -> Vec<NodeKey> {
        let mut committed = lock(&self.committed);
        let mut nodes = Vec::new();
        while committed.front().is_some_and(|c| c.commit <= horizon) {
            if let Some(batch) = committed.pop_front() {
                // The first list is taken as it is (a large transaction's
                // millions of nodes are not copied).
                if nodes.is_empty() {
                    nodes = batch.nodes;
                } else {
                    nodes.extend(batch.nodes);
                }
            }
        }
        nodes
    }

    /// True when the oldest committed transaction's versions are seen by
    /// every snapshot, so a cleanup pass would drop them now.
    pub fn cleanable_now(&self) -> bool {
        let oldest = lock(&self.committed).front().map(|c| c.commit);
        oldest.is_some_and(|commit| commit <= self.horizon())
    }

    /// Committed transactions waiting for cleanup.
    pub fn waiting(&self) -> usize {
        lock(&self.committed).len()
    }

    /// Drops the versions of `node` committed at or before `horizon`.
    /// Returns the node's tree when it has no versions left and one of
    /// them was a delete: the node, if still flagged deleted, is then
    /// removed for good.
    pub fn trim(&self, node: &NodeKey, horizon: u64) -> Option<TreeInfo> {
        let mut chains = self.indexed_mut();
        let chains = &mut chains.map;
        let chain = chains.get_mut(node)?;
        if self.drop_passed(chain, horizon) {
            let (tree, deleted) = (chain.tree, chain.deleted);
            chains.remove(node);
            return deleted.then_some(tree);
        }
        None
    }

    /// Drops `chain`'s versions committed at or before `horizon`; true
    /// when none is left.
    fn drop_passed(&self, chain: &mut Chain, horizon: u64) -> bool {
        let keep_from = chain
            .versions
            .iter()
            .position(|v| v.transaction.commit_time() > horizon)
            .unwrap_or(chain.versions.len());
        for version in chain.versions.drain(..keep_from) {
            self.forget(&version);
            self.cleaned.fetch_add(1, Ordering::Relaxed);
        }
        chain.versions.is_empty()
    }

    /// [`Self::trim`] of every node of `database`, in one pass over the
    /// store: after a large transaction most of the store is cleaned at
    /// once, and a pass in memory order costs far less than a lookup per
    /// node at random. Returns the nodes whose chain emptied after a
    /// delete, with their trees, in key order within each tree (so that
    /// their removal walks the leaves in order).
    pub fn trim_database(&self, database: DatabaseId, horizon: u64) -> Vec<(NodeKey, TreeInfo)> {
        let mut emptied = Vec::new();
        self.indexed_mut().map.retain(|node, chain| {
            if node.database != database {
                return true;
            }
            if !self.drop_passed(chain, horizon) {
                return true;
            }
            if chain.deleted {
                emptied.push((node.clone(), chain.tree));
            }
            false
        });
        sort_in_tree_order(&mut emptied);
        emptied
    }

    /// Drops every pending version at once when all of them are of
    /// `database`, committed at or before `horizon`, and of nodes without
    /// versions in the map: the versions of transactions nobody looked up
    /// (a bulk load, or any transaction alone on its database), dropped in
    /// the order they were made, with no look-up. Returns the nodes among
    /// them with a delete (every one of their versions is gone: the node,
    /// if still flagged deleted, is removed for good), in key order within
    /// each tree. Otherwise the pending versions join the map, for
    /// [`Self::trim`] and [`Self::trim_database`], and nothing is
    /// returned.
    pub fn trim_pending(&self, database: DatabaseId, horizon: u64) -> Vec<(NodeKey, TreeInfo)> {
        let mut chains = self.chains.write();
        let all_droppable = {
            let Chains { map, pending } = &*chains;
            pending.iter().all(|p| {
                p.node.database == database
                    && p.version.transaction.commit_time() <= horizon
                    && (map.is_empty() || !map.contains_key(&p.node))
            })
        };
        if !all_droppable {
            chains.fold();
            return Vec::new();
        }
        // A large list is taken away and dropped outside the lock; a small
        // one is drained in place, keeping its capacity for the next
        // transaction.
        const DRAIN_IN_PLACE: usize = 4096;
        if chains.pending.len() > DRAIN_IN_PLACE {
            let taken = std::mem::take(&mut chains.pending);
            drop(chains);
            self.drop_pending(taken)
        } else {
            self.drop_pending(chains.pending.drain(..))
        }
    }

    /// Forgets `pending` (their counters taken down once per run of one
    /// transaction's versions) and returns the nodes with a delete among
    /// them, sorted and without repeats.
    fn drop_pending(
        &self,
        pending: impl IntoIterator<Item = PendingVersion>,
    ) -> Vec<(NodeKey, TreeInfo)> {
        let (mut versions, mut bytes) = (0usize, 0usize);
        let mut deleted = Vec::new();
        let mut run: Option<(Arc<TransactionId>, usize)> = None;
        for PendingVersion {
            node,
            tree,
            version,
        } in pending
        {
            versions += 1;
            bytes += version.bytes;
            match &mut run {
                Some((transaction, count)) if Arc::ptr_eq(transaction, &version.transaction) => {
                    *count += 1
                }
                _ => {
                    if let Some((transaction, count)) = run.take() {
                        transaction.held.fetch_sub(count, Ordering::AcqRel);
                    }
                    run = Some((version.transaction.clone(), 1));
                }
            }
            if version.change == NodeChange::Delete {
                deleted.push((node, tree));
            }
        }
        if let Some((transaction, count)) = run {
            transaction.held.fetch_sub(count, Ordering::AcqRel);
        }
        self.count.fetch_sub(versions, Ordering::AcqRel);
        self.bytes.fetch_sub(bytes, Ordering::AcqRel);
        self.cleaned.fetch_add(versions as u64, Ordering::Relaxed);
        sort_in_tree_order(&mut deleted);
        deleted.dedup_by(|a, b| a.0 == b.0);
        deleted
    }

    /// Nodes with versions, of every database.
    pub fn node_count(&self) -> usize {
        self.indexed().map.len()
    }

    /// Forgets every version of `database` (it is being detached; no
    /// transaction may still use it).
    pub fn forget_database(&self, database: DatabaseId) {
        self.indexed_mut().map.retain(|node, chain| {
            if node.database != database {
                return true;
            }
            for version in &chain.versions {
                self.forget(version);
            }
            false
        });
        for batch in lock(&self.committed).iter_mut() {
            batch.nodes.retain(|n| n.database != database);
        }
    }

    /// True when a version of `database` is held (a transaction still
    /// open, or an older snapshot still needing a committed change).
    pub fn has_versions_of(&self, database: DatabaseId) -> bool {
        !self.is_empty() && self.indexed().map.keys().any(|n| n.database == database)
    }

    /// Forgets every version on the trees `objects` of `database` (they
    /// are being deleted, and no one else can read them).
    pub fn forget_objects(&self, database: DatabaseId, objects: &[u32]) {
        if self.is_empty() {
            return;
        }
        self.indexed_mut().map.retain(|node, chain| {
            if node.database != database || !objects.contains(&node.object) {
                return true;
            }
            for version in &chain.versions {
                self.forget(version);
            }
            false
        });
    }

    /// True when a node of one of the trees `objects` of `database` has a
    /// version of a transaction other than `except`.
    pub fn has_foreign_versions_in(
        &self,
        database: DatabaseId,
        objects: &[u32],
        except: u64,
    ) -> bool {
        if self.is_empty() {
            return false;
        }
        self.indexed().map.iter().any(|(node, chain)| {
            node.database == database
                && objects.contains(&node.object)
                && chain.versions.iter().any(|v| v.transaction.id != except)
        })
    }

    /// True when a node of one of the trees `objects` of `database` has a
    /// version.
    pub fn has_versions_in(&self, database: DatabaseId, objects: &[u32]) -> bool {
        if self.is_empty() {
            return false;
        }
        self.indexed()
            .map
            .keys()
            .any(|node| node.database == database && objects.contains(&node.object))
    }

    pub fn stats(&self) -> VersionStats {
        let (active_transactions, oldest) = {
            let active = lock(&self.active);
            (
                active.by_begin.values().sum(),
                active.by_begin.keys().next().copied(),
            )
        };
        let horizon = oldest.unwrap_or_else(|| self.now());
        VersionStats {
            versions: self.count.load(Ordering::Acquire),
            bytes: self.bytes.load(Ordering::Acquire),
            limit: self.limit.load(Ordering::Acquire),
            active_transactions,
            oldest_transaction_age: oldest.map_or(0, |b| self.now() - b),
            cleanup_waiting: lock(&self.committed)
                .iter()
                .filter(|c| c.commit > horizon)
                .count(),
            cleaned: self.cleaned.load(Ordering::Relaxed),
        }
    }
}

/// A reader's view: the store as of one snapshot, with the reader's own
/// transaction.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub store: Arc<VersionStore>,
    pub database: DatabaseId,
    pub as_of: u64,
    pub own: Option<u64>,
}

impl NodeView for Snapshot {
    /// Undoes, on a copy, every change to the node this snapshot must not
    /// see: those of other transactions not committed by its time, newest
    /// first. The reader's own changes, and all older ones, it sees.
    fn resolve(
        &self,
        object: u32,
        key: &[u8],
        order: &[u8],
        deleted: bool,
        data: &[u8],
    ) -> Option<Vec<u8>> {
        if self.store.is_empty() {
            return (!deleted).then(|| data.to_vec());
        }
        let probe = NodeKey::new(self.database, object, key, order);
        let chains = self.store.indexed();
        let Some(chain) = chains.map.get(&probe) else {
            return (!deleted).then(|| data.to_vec());
        };
        let mut exists = !deleted;
        let mut image: Option<&[u8]> = None;
        // Deltas of other transactions pending on the page, to take out.
        let mut deltas: Vec<(usize, i32)> = Vec::new();
        for version in chain.versions.iter().rev() {
            let seen = Some(version.transaction.id) == self.own
                || version.transaction.commit_time() <= self.as_of;
            match &version.change {
                // Locks change nothing; a delta seen still leaves older
                // ones of other transactions to look at.
                NodeChange::ReadLock | NodeChange::WriteLock => continue,
                NodeChange::Delta { .. } if seen => continue,
                _ if seen => break,
                NodeChange::Insert => exists = false,
                NodeChange::Reinsert { before } => {
                    exists = false;
                    image = Some(before);
                    deltas.clear();
                }
                NodeChange::Replace { before } => {
                    image = Some(before);
                    deltas.clear();
                }
                NodeChange::Delete => exists = true,
                // Older deltas are inside any before-image taken above.
                NodeChange::Delta { offset, delta } => deltas.push((*offset as usize, *delta)),
            }
        }
        if !exists {
            return None;
        }
        let mut out = image.unwrap_or(data).to_vec();
        for (offset, delta) in deltas {
            add_to_field(&mut out, offset, delta.wrapping_neg());
        }
        Some(out)
    }
}

/// One change made under a transaction, for its rollback.
#[derive(Clone, Debug)]
pub struct UndoRecord {
    /// The save point (nesting level, from 1) it was made in.
    pub level: u32,
    pub node: NodeKey,
}

/// A transaction's writer: checks and records each node change, and
/// remembers it for rollback.
pub struct Recorder<'t> {
    pub store: &'t VersionStore,
    pub transaction: &'t Arc<TransactionId>,
    pub database: DatabaseId,
    pub level: u32,
    pub undo: &'t mut Vec<UndoRecord>,
    /// The key the last check built, for the record that follows it.
    checked: Option<NodeKey>,
    /// Told of every change recorded (the log's undo information).
    sink: Option<&'t ChangeSink<'t>>,
}

/// Where a recorder reports each change it records, after the store.
pub type ChangeSink<'t> = dyn Fn(&TreeInfo, &NodeKey, &NodeChange) + Sync + 't;

impl<'t> Recorder<'t> {
    pub fn new(
        store: &'t VersionStore,
        transaction: &'t Arc<TransactionId>,
        database: DatabaseId,
        level: u32,
        undo: &'t mut Vec<UndoRecord>,
    ) -> Self {
        Recorder {
            store,
            transaction,
            database,
            level,
            undo,
            checked: None,
            sink: None,
        }
    }

    /// Reports every recorded change to `sink` as well.
    pub fn with_sink(mut self, sink: &'t ChangeSink<'t>) -> Self {
        self.sink = Some(sink);
        self
    }

    /// The store's key of `node`: the one the check built when it is the
    /// same node, else a new one.
    fn key_of(&mut self, node: &VersionedNode<'_>) -> NodeKey {
        match self.checked.take() {
            Some(key)
                if key.object == node.tree.object_id
                    && key.key() == node.key
                    && key.order() == node.order =>
            {
                key
            }
            _ => NodeKey::new(self.database, node.tree.object_id, node.key, node.order),
        }
    }
}

impl NodeVersioning for Recorder<'_> {
    fn check(&mut self, node: VersionedNode<'_>, access: Access, before_len: usize) -> Result<()> {
        let key = self.key_of(&node);
        let checked = self.store.check_conflict(self.transaction, &key, access);
        self.checked = Some(key);
        checked?;
        self.store.reserve(before_len)
    }

    fn record(&mut self, node: VersionedNode<'_>, change: NodeChange) {
        let key = self.key_of(&node);
        let tree = TreeInfo {
            tree: node.tree,
            non_unique: node.non_unique,
            density: node.density,
        };
        if let Some(sink) = self.sink {
            sink(&tree, &key, &change);
        }
        self.store
            .record(self.transaction, key.clone(), tree, change);
        self.undo.push(UndoRecord {
            level: self.level,
            node: key,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: &[u8]) -> NodeKey {
        NodeKey::new(DatabaseId::default(), 7, key, &[])
    }

    fn tree() -> TreeInfo {
        TreeInfo {
            tree: Tree::new(5, 7),
            non_unique: false,
            density: 80,
        }
    }

    fn conflicts(store: &VersionStore, transaction: &TransactionId, key: &[u8]) -> bool {
        store
            .check_conflict(transaction, &node(key), Access::Write)
            .is_err_and(|e| e.code() == JET_errWriteConflict)
    }

    /// A transaction alone since it began skips the look-up, and each
    /// condition of that short cut, when it fails, brings the check back:
    /// another open transaction's change, a change committed after the
    /// transaction began, and versions a failed rollback left behind.
    #[test]
    fn a_transaction_alone_meets_no_conflict_and_every_other_case_still_does() {
        let store = VersionStore::new(64);
        // Alone: its own change never conflicts.
        let alone = store.begin();
        store.record(&alone, node(b"a"), tree(), NodeChange::Insert);
        assert!(!conflicts(&store, &alone, b"a"));
        store.commit(&alone, vec![node(b"a")]);

        // Another open transaction's uncommitted change.
        let first = store.begin();
        let second = store.begin();
        store.record(&second, node(b"b"), tree(), NodeChange::Insert);
        assert!(conflicts(&store, &first, b"b"));

        // The other one commits: the first is alone again, but the change
        // came after it began.
        store.commit(&second, vec![node(b"b")]);
        assert!(conflicts(&store, &first, b"b"));
        store.end_rolled_back(&first);

        // Versions of a transaction whose rollback stopped half way.
        let failed = store.begin();
        store.record(&failed, node(b"c"), tree(), NodeChange::Insert);
        store.end_rolled_back(&failed);
        let later = store.begin();
        assert!(conflicts(&store, &later, b"c"));
        // A node nobody changed: no conflict either way.
        assert!(!conflicts(&store, &later, b"d"));
    }

    /// Versions recorded without a look-up stay out of the map and are
    /// dropped at once after their commit, with the nodes they deleted
    /// returned once each, in key order; a look-up from another
    /// transaction still sees them; and whenever the fast drop cannot
    /// apply (an uncommitted version pending, a node with versions in the
    /// map) the versions go through the map and are trimmed there, the
    /// uncommitted ones kept.
    #[test]
    fn pending_versions_are_dropped_in_order_or_trimmed_through_the_map() {
        let store = VersionStore::new(64);
        let database = DatabaseId::default();
        let replace = || NodeChange::Replace {
            before: b"old".to_vec(),
        };

        // Alone: nothing enters the map.
        let load = store.begin();
        store.record(&load, node(b"c"), tree(), NodeChange::Insert);
        store.record(&load, node(b"b"), tree(), replace());
        store.record(&load, node(b"b"), tree(), NodeChange::Delete);
        store.record(&load, node(b"a"), tree(), NodeChange::Delete);
        assert_eq!(store.chains.read().map.len(), 0);
        assert_eq!(load.versions_held(), 4);
        store.commit(&load, vec![node(b"c"), node(b"b"), node(b"a")]);
        let horizon = store.horizon();
        let emptied = store.trim_pending(database, horizon);
        let keys: Vec<&[u8]> = emptied.iter().map(|(n, _)| n.key()).collect();
        assert_eq!(keys, [b"a".as_slice(), b"b"]);
        assert_eq!(store.count(), 0);
        assert_eq!(store.stats().bytes, 0);
        assert_eq!(load.versions_held(), 0);
        assert_eq!(store.stats().cleaned, 4);

        // Another transaction's look-up sees a pending version.
        let writer = store.begin();
        let other = store.begin();
        store.record(&writer, node(b"d"), tree(), NodeChange::Delete);
        assert!(conflicts(&store, &other, b"d"));
        assert_eq!(store.chains.read().pending.len(), 0);

        // A node in the map with a newer pending version, and an
        // uncommitted version pending: no fast drop.
        store.record(&writer, node(b"d"), tree(), NodeChange::Insert);
        store.commit(&writer, vec![node(b"d")]);
        store.record(&other, node(b"e"), tree(), NodeChange::Insert);
        assert!(store.trim_pending(database, store.now()).is_empty());
        assert_eq!(store.chains.read().pending.len(), 0);
        let emptied = store.trim_database(database, store.now());
        let keys: Vec<&[u8]> = emptied.iter().map(|(n, _)| n.key()).collect();
        assert_eq!(keys, [b"d".as_slice()]);
        assert_eq!(store.count(), 1, "the open transaction's version stays");
        assert_eq!(other.versions_held(), 1);
    }

    /// The prefix-first sort gives the order of comparing whole (tree,
    /// key, order) triples, with keys shorter and longer than the prefix,
    /// keys that are prefixes of others, and zero bytes where the padding
    /// goes.
    #[test]
    fn nodes_sort_in_tree_order_as_whole_keys_compare() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut nodes = Vec::new();
        for i in 0..2000usize {
            let length = (next() % 24) as usize;
            let key: Vec<u8> = (0..length).map(|_| (next() % 3) as u8).collect();
            let order: Vec<u8> = (0..(next() % 3)).map(|_| (next() % 2) as u8).collect();
            let object = (next() % 3) as u32;
            nodes.push((NodeKey::new(DatabaseId::default(), object, &key, &order), i));
        }
        let mut expected = nodes.clone();
        expected.sort_by(|(a, _), (b, _)| {
            (a.object, a.key(), a.order()).cmp(&(b.object, b.key(), b.order()))
        });
        sort_in_tree_order(&mut nodes);
        let triple = |n: &NodeKey| (n.object, n.key().to_vec(), n.order().to_vec());
        let got: Vec<_> = nodes.iter().map(|(n, _)| triple(n)).collect();
        let want: Vec<_> = expected.iter().map(|(n, _)| triple(n)).collect();
        assert_eq!(got, want);
        assert_eq!(nodes.len(), 2000);
    }
}
