//! System parameters that change on a running instance and take effect at
//! once (see `params.rs` for which ones may).

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use crate::instance::lifecycle::Instance;
use crate::instance::mutex::lock;
use crate::instance::params::*;
use crate::instance::registry::cache_pages;
use crate::Result;

impl Instance {
    /// Applies a dynamic parameter's new value to the running instance.
    /// Parameters the engine does not act on are only stored (by the
    /// caller).
    pub fn apply_parameter(&self, param: u32, value: &ParamValue) -> Result<()> {
        let inner = &self.inner;
        let cache = &inner.cache;
        match param {
            JET_paramCheckpointDepthMax => {
                inner
                    .checkpoint_depth
                    .store(value.integer(), Ordering::Release);
                inner.checkpoints.nudge();
            }
            JET_paramCacheSizeMax => {
                let page_size = inner.options.page_size;
                let max = cache_pages(value.integer(), page_size).max(2);
                cache.set_size_bounds(cache.min_pages().min(max), max)?;
            }
            JET_paramCacheSizeMin => {
                let min = value.integer() as usize;
                cache.set_size_bounds(min.min(cache.max_pages()), cache.max_pages())?;
            }
            JET_paramCacheSize => {
                // The cache is made to hold this many pages at most now.
                let size = (value.integer() as usize).max(2);
                cache.set_size_bounds(cache.min_pages().min(size), size)?;
            }
            JET_paramDbExtensionSize => {
                let pages = value.integer() as u32;
                inner.db_extension.store(pages, Ordering::Release);
                for database in inner.attached_databases() {
                    database.set_extension_pages(pages);
                }
            }
            JET_paramEnableOnlineDefrag => {
                inner
                    .online_defrag
                    .store(value.integer() as u32, Ordering::Release);
            }
            JET_paramCommitDefault => {
                inner
                    .commit_default
                    .store(value.integer() as u32, Ordering::Release);
            }
            _ => {}
        }
        Ok(())
    }

    /// JET_paramCacheSize as JetGetSystemParameter reports it: the pages
    /// the cache holds now.
    pub fn cache_size_pages(&self) -> usize {
        self.inner.cache.stats().resident
    }

    /// The files of the attached databases (JetGetInstanceInfo).
    pub fn attached_database_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = lock(&self.inner.databases).keys().cloned().collect();
        paths.sort();
        paths
    }
}
