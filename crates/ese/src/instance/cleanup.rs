//! The version store's cleanup (ESE: the RCE clean task): dropping the
//! versions every snapshot has passed and removing for good the nodes their
//! committed deletes left flagged. An ending transaction runs it itself
//! when it was the oldest (cheaper than waking a thread, and the next
//! updates can then go unversioned); otherwise a thread of the instance
//! runs it, woken by a backlog or every half second.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::codes::*;
use crate::database::{Database, WriteGuard};
use crate::instance::inner::InstanceInner;
use crate::instance::mutex::lock;
use crate::storage::cache::DatabaseId;
use crate::version::{NodeKey, TreeInfo, VersionStore};
use crate::{Error, Result};

/// Committed transactions waiting before the cleanup thread is woken.
pub(crate) const CLEANUP_BACKLOG: usize = 64;

/// Nodes a pass must clean before it trims the store in one sweep rather
/// than node by node (see `clean_database`).
const BULK_TRIM_NODES: usize = 4096;

/// After a transaction ends: when its versions (or older ones it held
/// back) are already seen by every snapshot, the ending session drops
/// them itself, which costs less than waking the cleanup thread and lets
/// the next updates go unversioned; otherwise the thread is woken once
/// enough is waiting (it also looks on its own every half second).
pub(crate) fn settle(instance: &InstanceInner) -> Result<()> {
    let versions = &instance.versions;
    if versions.cleanable_now() {
        clean_versions(instance)?;
    } else if versions.waiting() >= CLEANUP_BACKLOG {
        instance.cleanup.signal();
    }
    Ok(())
}

/// Starts the instance's version cleanup thread (ESE: the RCE clean
/// task). It holds the instance weakly and ends with it.
pub(crate) fn start_cleanup_thread(
    instance: &Arc<InstanceInner>,
) -> Result<std::thread::JoinHandle<()>> {
    let weak = Arc::downgrade(instance);
    let signal = instance.cleanup.clone();
    std::thread::Builder::new()
        .name("ese-version-cleanup".into())
        .spawn(move || {
            while signal.wait() {
                let Some(instance) = weak.upgrade() else {
                    return;
                };
                let _ = clean_versions(&instance);
            }
        })
        .map_err(|e| {
            Error::new(JET_errOutOfThreads)
                .with_detail(format!("starting the version cleanup thread: {e}"))
        })
}

/// Drops every version all snapshots have passed, removing for good the
/// nodes they deleted. Returns how many nodes it looked at.
pub(crate) fn clean_versions(instance: &InstanceInner) -> Result<usize> {
    let _running = lock(&instance.cleanup.running);
    let versions = &instance.versions;
    let horizon = versions.horizon();
    let nodes = versions.take_cleanable(horizon);
    let count = nodes.len();
    let mut by_database: BTreeMap<DatabaseId, Vec<NodeKey>> = BTreeMap::new();
    match nodes.first().map(|n| n.database) {
        // Nearly always one database: the list as it is.
        Some(only) if nodes.iter().all(|n| n.database == only) => {
            by_database.insert(only, nodes);
        }
        _ => {
            for node in nodes {
                by_database.entry(node.database).or_default().push(node);
            }
        }
    }
    instance.counters.add_cleanup_pass(count);
    let mut outcome = Ok(count);
    for (id, nodes) in by_database {
        let Some(database) = instance.database_by_id(id) else {
            continue;
        };
        if let Err(error) = clean_database(&database, versions, &nodes, horizon) {
            // What this pass could not finish is tried again by the next.
            versions.requeue(nodes, horizon);
            if outcome.is_ok() {
                outcome = Err(error);
            }
        }
    }
    outcome
}

/// Trims `nodes` of `database` and removes the nodes their committed
/// deletes left, under the database's write lock (which readers' calls
/// exclude: a reader outside a transaction takes its snapshot inside its
/// call). Trimming twice is harmless, so a retry may start over.
fn clean_database(
    database: &Database,
    versions: &VersionStore,
    nodes: &[NodeKey],
    horizon: u64,
) -> Result<()> {
    let mut guard = database.write()?;
    // Versions nobody looked up are dropped as they were made, without the
    // map; the nodes they deleted are removed in key order.
    let emptied = versions.trim_pending(database.id(), horizon);
    purge_in_order(database, &mut guard, &emptied)?;
    let indexed = versions.node_count();
    if indexed == 0 {
        // Nothing left to trim: every node of the pass was pending.
    } else if nodes.len() >= BULK_TRIM_NODES && nodes.len() * 2 >= indexed {
        // Most of the store at once (a large transaction's nodes): one
        // pass over the store instead of a lookup per node.
        let emptied = versions.trim_database(database.id(), horizon);
        purge_in_order(database, &mut guard, &emptied)?;
    } else {
        for node in nodes {
            if let Some(tree) = versions.trim(node, horizon) {
                database.with_tree_writer(guard.state(), tree.tree, tree.density, None, |w| {
                    w.purge_deleted(node.key(), node.order())?;
                    // A long pass is logged in parts, each a whole purge.
                    w.bound_unit()
                })?;
            }
        }
    }
    guard.changed();
    Ok(())
}

/// Removes for good the nodes `emptied` lists (in key order within each
/// tree, so that the removal walks each tree's leaves once), where they are
/// still flagged deleted.
fn purge_in_order(
    database: &Database,
    guard: &mut WriteGuard<'_>,
    emptied: &[(NodeKey, TreeInfo)],
) -> Result<()> {
    for run in emptied.chunk_by(|(a, _), (b, _)| a.object == b.object) {
        let tree = run[0].1;
        let entries: Vec<(&[u8], &[u8])> = run
            .iter()
            .map(|(node, _)| (node.key(), node.order()))
            .collect();
        database.with_tree_writer(guard.state(), tree.tree, tree.density, None, |w| {
            w.purge_deleted_in_order(&entries)
        })?;
    }
    Ok(())
}
