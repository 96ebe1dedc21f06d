//! Checkpoints (ESE: the checkpoint maintenance task): the checkpoint is
//! the oldest log position recovery could need, the least of the log's
//! end, the oldest change of a dirty page and the first change of a
//! transaction still open. A background thread writes it as it moves and,
//! when the oldest dirty page's change lies more than half of
//! JET_paramCheckpointDepthMax behind the log's end, writes the pages
//! whose changes are older than a quarter of it, so that the checkpoint
//! can move (the pages changed since stay in the cache: writing them too
//! would only make their next change log a whole image again). With
//! JET_paramCircularLog, log generations wholly behind the checkpoint are
//! deleted. The same thread flushes the log each period, so a lazy commit
//! (JET_bitCommitLazyFlush) is durable within that time.

use std::sync::Arc;

use crate::codes::*;
use crate::instance::inner::InstanceInner;
use crate::log::format::generation_of;
use crate::log::LogPosition;
use crate::{Error, Result};

/// Moves the checkpoint as far as it can go; with `flush`, every dirty page
/// is written first. Returns the checkpoint.
pub(crate) fn advance_checkpoint(instance: &InstanceInner, flush: bool) -> Result<LogPosition> {
    let Some(log) = &instance.log else {
        return Ok(0);
    };
    // One pass at a time (see `InstanceLog::checkpointing`).
    let _one_pass = log.checkpointing.lock();
    let databases = instance.attached_databases();
    if flush {
        for database in &databases {
            database.flush()?;
        }
    } else {
        let depth = instance.checkpoint_depth_target();
        let end = log.writer.end();
        let behind = |position: LogPosition| log.distance(position, end);
        // Pages are written only when they hold the checkpoint back: not
        // while an open transaction's first change is older (a long
        // transaction keeps the checkpoint anyway, and a page written now
        // would log a whole image at its next change for nothing).
        let active = log.oldest_active();
        let holding = |oldest: LogPosition| {
            // While quiescing (depth 0) every dirty page goes.
            behind(oldest) > depth / 4 && (depth == 0 || active.is_none_or(|first| oldest < first))
        };
        if instance
            .cache
            .oldest_dirty_position()
            .is_some_and(|oldest| behind(oldest) > depth / 2 && holding(oldest))
        {
            let written = instance.cache.write_old_pages(holding)?;
            instance.counters.add_checkpoint_pages(written);
        }
    }
    let position = {
        // No unit between its record and its pages' dirty mark meanwhile.
        let _quiet = instance.cache.quiesce_units();
        let end = log.writer.end();
        [
            Some(end),
            instance.cache.oldest_dirty_position(),
            log.oldest_active(),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(end)
    };
    let previous = log.checkpoint();
    if position <= previous {
        // Generations a pass could not delete (see below) go now.
        if log.options.circular_log {
            delete_behind(instance, previous)?;
        }
        return Ok(previous);
    }
    // Pages written before the position was read (by eviction, without a
    // sync) must be durable before the checkpoint says so.
    for database in &databases {
        if !database.is_read_only() {
            instance.cache.sync(database.id())?;
        }
    }
    log.write_checkpoint(position)?;
    instance.counters.add_checkpoint();
    if log.options.circular_log {
        delete_behind(instance, position)?;
    }
    Ok(position)
}

/// JET_paramCircularLog: deletes the full generations wholly behind the
/// checkpoint.
fn delete_behind(instance: &InstanceInner, position: LogPosition) -> Result<()> {
    let Some(log) = &instance.log else {
        return Ok(());
    };
    let names = &log.writer.config().names;
    // A streaming backup in progress keeps the generations it will copy.
    let keep_from = log.backup_floor().map_or(generation_of(position), |floor| {
        floor.min(generation_of(position))
    });
    for generation in names.archived()? {
        if generation >= keep_from {
            break;
        }
        let path = names.generation(generation);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            // Gone already (a restore or an operator, say): that is this
            // pass's aim, not a reason to stop and leave the rest.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(crate::storage::io::jet_error_from_io(&e).with_file(&path)),
        }
    }
    Ok(())
}

/// Starts the instance's checkpoint thread; it holds the instance weakly
/// and ends with it.
pub(crate) fn start_checkpoint_thread(
    instance: &Arc<InstanceInner>,
) -> Result<Option<std::thread::JoinHandle<()>>> {
    if instance.log.is_none() {
        return Ok(None);
    }
    let weak = Arc::downgrade(instance);
    let signal = instance.checkpoints.clone();
    std::thread::Builder::new()
        .name("ese-checkpoint".into())
        .spawn(move || {
            while signal.wait() {
                let Some(instance) = weak.upgrade() else {
                    return;
                };
                let Some(log) = &instance.log else {
                    return;
                };
                // Lazy commits become durable within a period.
                let _ = log.writer.flush_all();
                // A failure (a full disk, say) is retried next time; the
                // updates that need the space report it themselves.
                let _ = advance_checkpoint(&instance, false);
            }
        })
        .map(Some)
        .map_err(|e| {
            Error::new(JET_errOutOfThreads)
                .with_detail(format!("starting the checkpoint thread: {e}"))
        })
}
