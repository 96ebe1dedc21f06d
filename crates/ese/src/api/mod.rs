//! The JET API's data surface in Rust: instances, sessions, databases,
//! tables, columns, indexes and cursors, with ESE's documented semantics
//! and error codes.
//!
//! Every JET function has one counterpart here, named after it:
//!
//! | JET | Rust |
//! |---|---|
//! | JetCreateInstance + JetInit, JetTerm | [`Instance::new`], [`Instance::term`] |
//! | JetCreateInstance(2), JetEnableMultiInstance, JetInit(3), JetTerm(2) by handle | [`Jet::create_instance2`], [`Jet::enable_multi_instance`], [`Jet::init3`] ([`Jet::init3_with`] with a JET_RSTINFO's map), [`Jet::term2`] ([`Jet::global`] is the process's registry) |
//! | JetSetSystemParameter, JetGetSystemParameter | [`Jet::set_system_parameter`], [`Jet::get_system_parameter`] ([`params`] is the table) |
//! | JetGetInstanceInfo | [`Jet::get_instance_info`] |
//! | JetStopService, JetStopServiceInstance(2) | [`Jet::stop_service`], [`Instance::stop_service_instance`], [`Instance::stop_service`] |
//! | JetTerm2 | [`Instance::term2`] |
//! | JetBeginExternalBackupInstance, JetGetAttachInfoInstance | [`Instance::begin_external_backup`], [`Instance::get_attach_info`] |
//! | JetOpenFileInstance, JetReadFileInstance, JetCloseFileInstance | [`Instance::open_backup_file`], [`Instance::read_backup_file`], [`Instance::close_backup_file`] |
//! | JetGetLogInfoInstance(2), JetGetTruncateLogInfoInstance, JetTruncateLogInstance | [`Instance::get_log_info`], [`Instance::get_truncate_log_info`], [`Instance::truncate_log`] |
//! | JetEndExternalBackupInstance(2), JetStopBackupInstance, JetStopBackup | [`Instance::end_external_backup`], [`Instance::stop_backup`], [`Jet::stop_backup`] ([`Jet::stop_backup_instance`] by handle) |
//! | JetBackupInstance, JetRestoreInstance / JetRestore2, JetExternalRestore2 | [`Instance::backup`], [`Instance::restore`], [`Instance::external_restore`] |
//! | JetBeginSession, JetEndSession, JetDupSession | [`Instance::begin_session`], [`Session::end`], [`Session::dup_session`] |
//! | JetSetSessionContext, JetResetSessionContext | [`Session::set_session_context`], [`Session::reset_session_context`] |
//! | JetDefragment, JetDefragment2 | [`Session::defragment`], [`Session::defragment2`] ([`Session::defragment_progress`] to watch it) |
//! | JetCreateDatabase, JetAttachDatabase, JetDetachDatabase | [`Session::create_database`], [`Session::attach_database`], [`Session::detach_database`] |
//! | JetOpenDatabase, JetCloseDatabase | [`Session::open_database`], [`Session::close_database`] |
//! | JetCreateTable, JetCreateTableColumnIndex | [`Session::create_table`], [`Session::create_table_column_index`] |
//! | JetOpenTable, JetCloseTable, JetDupCursor | [`Session::open_table`], [`Cursor::close`], [`Cursor::dup_cursor`] |
//! | JetAddColumn, JetCreateIndex | [`Cursor::add_column`], [`Cursor::create_index`] |
//! | JetDeleteColumn, JetRenameColumn, JetDeleteIndex | [`Cursor::delete_column`], [`Cursor::rename_column`], [`Cursor::delete_index`] |
//! | JetDeleteTable, JetRenameTable | [`Session::delete_table`], [`Session::rename_table`] |
//! | JetGetTableColumnInfo, JetGetTableIndexInfo | [`Cursor::get_table_column_info`], [`Cursor::get_table_index_info`] |
//! | JetGetColumnInfo, JetGetIndexInfo, JetGetTableInfo | [`Session::get_column_info`], [`Session::get_index_info`], [`Cursor::get_table_info`] |
//! | JetGetObjectInfo, JetGetDatabaseInfo | [`Session::get_object_info`] ([`Session::table_names`] for the list), [`Session::get_database_info`] |
//! | JetMove, JetSeek, JetMakeKey, JetSetIndexRange | [`Cursor::move_`], [`Cursor::seek`], [`Cursor::make_key`], [`Cursor::set_index_range`] |
//! | JetSetCurrentIndex, JetGetCurrentIndex | [`Cursor::set_current_index`], [`Cursor::current_index`] |
//! | JetGetBookmark, JetGotoBookmark | [`Cursor::get_bookmark`], [`Cursor::goto_bookmark`] |
//! | JetGetSecondaryIndexBookmark, JetGotoSecondaryIndexBookmark | [`Cursor::get_secondary_index_bookmark`], [`Cursor::goto_secondary_index_bookmark`] |
//! | JetRetrieveColumn(s), JetEnumerateColumns, JetRetrieveKey | [`Cursor::retrieve_column`] ([`Cursor::retrieve`]), [`Cursor::retrieve_columns`], [`Cursor::enumerate_columns`], [`Cursor::retrieve_key`] |
//! | JetPrepareUpdate, JetSetColumn(s), JetUpdate, JetDelete | [`Cursor::prepare_update`], [`Cursor::set_column`], [`Cursor::set_columns`], [`Cursor::update`], [`Cursor::delete`] |
//! | JetEscrowUpdate | [`Cursor::escrow_update`] |
//! | JetGetRecordPosition, JetGotoPosition, JetIndexRecordCount, JetGetRecordSize | [`Cursor::get_record_position`], [`Cursor::goto_position`], [`Cursor::index_record_count`], [`Cursor::get_record_size`] |
//!
//! Option bits keep their `esent.h` names ([`grbit`]); functions that can
//! end with a warning return its code (0 for none). Handles are Rust
//! values: a [`DbId`] names a database a session opened, a [`Cursor`] is
//! a JET_TABLEID.
//!
//! Transactions (`instance/transaction.rs`, over [`crate::version`]): a
//! session's transaction reads as of its begin, versions what it changes,
//! nests up to [`MAX_TRANSACTION_LEVELS`] save points, and conflicts with
//! other transactions as ESE decides (`JET_errWriteConflict`, first writer
//! wins). An update outside a transaction runs in one of its own. Every
//! check of an update (unique keys, NOT NULL, the primary key) is made
//! before its first page change, and an update that fails undoes what it
//! changed. Readers share the database for the length of one call and
//! writers hold it alone while they change pages, so no reader meets a
//! tree between two page changes; a reader never waits for a writer's
//! transaction, only for its page changes.
//!
//! | JET function | Rust |
//! |---|---|
//! | JetBeginTransaction, JetBeginTransaction2 | [`Session::begin_transaction`], [`Session::begin_transaction2`] |
//! | JetCommitTransaction(2) | [`Session::commit_transaction`] |
//! | JetRollback | [`Session::rollback`] |
//! | JetGetLock | [`Cursor::get_lock`] |
//!
//! Some functions have no JET counterpart: [`Session::flush_database`]
//! writes a database's changed pages and fdatasyncs it (durability comes
//! from the log; this makes the file itself current),
//! [`Instance::checkpoint`] writes every changed page and moves the
//! checkpoint to the log's end now (dropping the generations behind it
//! under circular logging; JetIdle's JET_bitIdleFlushBuffers will be its
//! JET face), and [`Instance::statistics`] reports the background work (cleanup,
//! checkpoints, defragmentation) that ESE shows as performance counters.
//!
//! Column ids are JET_COLUMNIDs: a template table's columns carry
//! [`crate::catalog::TEMPLATE_COLUMN_BIT`], in the template and in its
//! derived tables.

pub use ese_format::grbit;

mod info;
pub use crate::instance::params;

use crate::database::DdlLockKind;
use crate::instance::transaction_state::SchemaChange;

pub use crate::backup::directory::{Progress, StatusCallback};
pub use crate::backup::restore::RestoreReport;
pub use crate::backup::streaming::{BackupFile, FileSize, LogInfo};
pub use crate::cursor::retrieve::{
    EnumeratedColumn, RecordSize, RetInfo, RetrieveColumn, Retrieved,
};
// Where they were before the option bits moved beside the codes.
pub use crate::cursor::update::{SetColumn, SetInfo};
pub use crate::cursor::{Cursor, SeekWarning};
pub use crate::database::{DatabaseFileHook, DbId};
pub use crate::ddl::definitions::{
    ColumnCreate, ConditionalColumn, IndexCreate, TableCreate, TupleLimits, DEFAULT_DENSITY,
    DEFAULT_LCMAP_FLAGS,
};
pub use crate::grbit::{
    JET_bitEnumerateCopy, JET_bitEnumerateIgnoreDefault, JET_bitEnumerateTaggedOnly,
};
pub use crate::instance::defrag_tasks::{DefragCallback, DefragProgress};
pub use crate::instance::inner::{InstanceOptions, RecoveryReport, DEFAULT_PAGE_SIZE};
pub use crate::instance::lifecycle::Instance;
pub use crate::instance::registry::{
    InstanceInfo, JET_bitLogStreamMustExist, JET_bitRecoveryWithoutUndo,
    JET_bitReplayIgnoreLostLogs, JET_bitReplayIgnoreMissingDB, JET_bitReplayMissingMapEntryDB,
    JET_bitTruncateLogsAfterRecovery, JET_instanceNil, Jet, JetInstance, RunMode,
};
pub use crate::instance::session::Session;
pub use crate::instance::statistics::InstanceStatistics;
pub use crate::instance::transaction::MAX_TRANSACTION_LEVELS;
pub use crate::log::format::LogSignature;
pub use crate::log::units::LogOptions;
pub use crate::maintenance::defrag::Defragment;
pub use crate::version::VersionStats;
pub use info::{ColumnInfo, DatabaseInfo, IndexInfo, IndexSegmentInfo, TableInfo};

use crate::codes::*;
use crate::{Error, Result};

impl Session {
    /// JetCreateTable: an empty table with no columns; returns a cursor on
    /// it.
    pub fn create_table(&self, dbid: DbId, name: &str, pages: u32, density: u32) -> Result<Cursor> {
        let _call = self.enter()?;
        let mut create = TableCreate {
            name: name.into(),
            pages,
            density,
            ..Default::default()
        };
        self.create_table_column_index(dbid, &mut create)
    }

    /// JetCreateTableColumnIndex: the table with its columns and indexes
    /// (the column ids come back in `create.columns[i].column_id`);
    /// returns a cursor on it.
    pub fn create_table_column_index(
        &self,
        dbid: DbId,
        create: &mut TableCreate,
    ) -> Result<Cursor> {
        let _call = self.enter()?;
        let database = self.database(dbid)?;
        self.check_updatable()?;
        let intent = SchemaChange::CreatingTable {
            name: create.name.clone(),
        };
        self.logged_ddl(&database, intent, || {
            crate::ddl::schema::create_table(&database, create)
        })?;
        if self.transaction_level() > 0 {
            if let Some(table) = database.schema().table(&create.name) {
                let table = table.object_id;
                self.record_ddl(&database, SchemaChange::CreatedTable { table });
                self.lock_for_ddl(&database, table, DdlLockKind::Created)?;
            }
        }
        // ESE opens the new table exclusively for its creator.
        Cursor::open(
            self.clone(),
            database,
            &create.name,
            grbit::JET_bitTableDenyRead,
        )
    }

    /// JetOpenTable.
    pub fn open_table(&self, dbid: DbId, name: &str, grbit: u32) -> Result<Cursor> {
        let _call = self.enter()?;
        use grbit::*;
        crate::grbit::check_grbit(
            grbit,
            JET_bitTableDenyWrite
                | JET_bitTableDenyRead
                | JET_bitTableReadOnly
                | JET_bitTableUpdatable
                | JET_bitTablePermitDDL
                | JET_bitTableNoCache
                | JET_bitTablePreread
                | JET_bitTableOpportuneRead
                | JET_bitTableSequential,
            "JetOpenTable",
        )?;
        if grbit & JET_bitTablePermitDDL != 0 && grbit & JET_bitTableDenyRead == 0 {
            return Err(Error::new(JET_errInvalidGrbit)
                .with_detail("JET_bitTablePermitDDL needs JET_bitTableDenyRead"));
        }
        let database = self.database(dbid)?;
        Cursor::open(self.clone(), database, name, grbit)
    }
}

impl Session {
    /// JetDeleteTable: `JET_errTableInUse` while a cursor is open on it.
    pub fn delete_table(&self, dbid: DbId, name: &str) -> Result<()> {
        let _call = self.enter()?;
        let database = self.database(dbid)?;
        self.check_updatable()?;
        let schema = database.schema();
        let Some(table) = schema.table(name) else {
            return crate::ddl::schema_change::delete_table(&database, name);
        };
        if database
            .ddl_lock(table.object_id)
            .is_some_and(|l| l.session == self.id() && l.kind == DdlLockKind::Deleted)
        {
            return Err(Error::new(JET_errObjectNotFound).with_detail(name.to_string()));
        }
        let mut objects = vec![table.object_id];
        objects.extend(table.indexes.iter().map(|i| i.object_id));
        objects.extend(table.long_values.map(|t| t.object_id));
        if self.transaction_level() == 0 {
            // Another session's open transaction may hold the table.
            self.lock_for_ddl(&database, table.object_id, DdlLockKind::Deleted)?;
            self.check_no_versions(&database, &objects)?;
            return crate::ddl::schema_change::delete_table(&database, name);
        }
        // In a transaction the deletion waits for the commit; the checks
        // a deletion makes are made now.
        if database.cursors_on(table.object_id) > 0 {
            return Err(Error::new(JET_errTableInUse)
                .with_detail(format!("a cursor is open on table {name:?}")));
        }
        if table.flags & crate::catalog::table_flags::SYSTEM != 0 || table.name.starts_with("MSys")
        {
            return Err(Error::new(JET_errCannotDeleteSystemTable).with_detail(name.to_string()));
        }
        if table.is_template() {
            return Err(Error::new(JET_errCannotDeleteTemplateTable).with_detail(name.to_string()));
        }
        self.check_foreign_versions(&database, &objects)?;
        let created_here = database
            .ddl_lock(table.object_id)
            .is_some_and(|l| l.kind == DdlLockKind::Created);
        if !created_here {
            self.lock_for_ddl(&database, table.object_id, DdlLockKind::Deleted)?;
        } else {
            database.take_ddl_lock(table.object_id, self.id(), DdlLockKind::Deleted)?;
        }
        let change = SchemaChange::DeleteTable {
            table: table.object_id,
            objects,
        };
        self.logged_ddl(&database, change.clone(), || Ok(()))?;
        self.record_ddl(&database, change);
        Ok(())
    }

    /// JetRenameTable.
    pub fn rename_table(&self, dbid: DbId, old_name: &str, new_name: &str) -> Result<()> {
        let _call = self.enter()?;
        let database = self.database(dbid)?;
        self.check_updatable()?;
        let table = database.schema().table(old_name).map(|t| t.object_id);
        if let Some(table) = table {
            self.lock_for_ddl(&database, table, DdlLockKind::Changed)?;
        }
        match table {
            Some(table) => {
                let intent = SchemaChange::RenamedTable {
                    table,
                    from: old_name.to_string(),
                };
                self.logged_ddl(&database, intent, || {
                    crate::ddl::schema_change::rename_table(&database, old_name, new_name)
                })?
            }
            None => crate::ddl::schema_change::rename_table(&database, old_name, new_name)?,
        }
        if let Some(table) = table {
            self.record_ddl(
                &database,
                SchemaChange::RenamedTable {
                    table,
                    from: old_name.to_string(),
                },
            );
        }
        Ok(())
    }
}

impl Cursor {
    /// Inside a transaction, DDL on this cursor's table holds it against
    /// other sessions until the transaction ends.
    fn lock_table_for_ddl(&self) -> Result<()> {
        self.session
            .lock_for_ddl(&self.database, self.table.object_id, DdlLockKind::Changed)
    }

    /// JetDeleteColumn (JetDeleteColumn2 without options).
    pub fn delete_column(&mut self, name: &str) -> Result<()> {
        let _call = self.session.enter()?;
        if self.read_only {
            return Err(Error::new(JET_errPermissionDenied));
        }
        self.session.check_updatable()?;
        self.lock_table_for_ddl()?;
        let table_name = self.table.name.clone();
        let (original, deleted) = if self.session.transaction_level() > 0 {
            let (old, new) =
                crate::ddl::schema_change::column_deletion_rows(&self.database, &table_name, name)?;
            let intent = SchemaChange::DeletedColumn {
                original: Box::new(old),
                deleted: Box::new(new),
            };
            self.session.logged_ddl(&self.database, intent, || {
                crate::ddl::schema_change::delete_column(&self.database, &table_name, name)
            })?
        } else {
            crate::ddl::schema_change::delete_column(&self.database, &table_name, name)?
        };
        self.session.record_ddl(
            &self.database,
            SchemaChange::DeletedColumn {
                original: Box::new(original),
                deleted: Box::new(deleted),
            },
        );
        self.refresh()
    }

    /// JetDeleteIndex.
    pub fn delete_index(&mut self, name: &str) -> Result<()> {
        let _call = self.session.enter()?;
        if self.read_only {
            return Err(Error::new(JET_errPermissionDenied));
        }
        self.session.check_updatable()?;
        let index = self
            .table
            .index_by_name(name)
            .filter(|i| !self.database.index_hidden(i.object_id, self.session.id()))
            .cloned()
            .ok_or_else(|| Error::new(JET_errIndexNotFound).with_detail(name.to_string()))?;
        if self.session.transaction_level() == 0 {
            self.session
                .check_no_versions(&self.database, &[index.object_id])?;
        } else {
            self.session
                .check_foreign_versions(&self.database, &[index.object_id])?;
            if index.is_primary() {
                return Err(Error::new(JET_errIndexMustStay)
                    .with_detail("the primary (clustered) index cannot be deleted"));
            }
        }
        if self
            .index
            .as_ref()
            .is_some_and(|i| i.name.eq_ignore_ascii_case(name))
        {
            // The cursor leaves the index it stood on for the primary one.
            self.set_current_index(None, 0)?;
        }
        if self.session.transaction_level() > 0 {
            // Put off until the commit; the updates of the transaction keep
            // the index up to date, so a rollback finds it whole.
            self.lock_table_for_ddl()?;
            let change = SchemaChange::DeleteIndex {
                table: self.table.object_id,
                index: index.name.clone(),
                object: index.object_id,
            };
            self.session
                .logged_ddl(&self.database, change.clone(), || Ok(()))?;
            self.database.hide_index(index.object_id, self.session.id());
            self.session.record_ddl(&self.database, change);
            return self.refresh();
        }
        crate::ddl::schema_change::delete_index(&self.database, &self.table.name.clone(), name)?;
        self.refresh()
    }

    /// JetRenameColumn.
    pub fn rename_column(&mut self, old_name: &str, new_name: &str) -> Result<()> {
        let _call = self.session.enter()?;
        if self.read_only {
            return Err(Error::new(JET_errPermissionDenied));
        }
        self.session.check_updatable()?;
        self.session.refuse_in_transaction("JetRenameColumn")?;
        crate::ddl::schema_change::rename_column(
            &self.database,
            &self.table.name.clone(),
            old_name,
            new_name,
        )?;
        self.refresh()
    }

    /// JetAddColumn: returns the new column's id.
    pub fn add_column(&mut self, create: &ColumnCreate) -> Result<u32> {
        let _call = self.session.enter()?;
        if self.read_only {
            return Err(Error::new(JET_errPermissionDenied));
        }
        self.session.check_updatable()?;
        if create.grbit & grbit::JET_bitColumnUnversioned != 0 {
            self.session
                .refuse_in_transaction("JetAddColumn with JET_bitColumnUnversioned")?;
        }
        self.lock_table_for_ddl()?;
        let intent = SchemaChange::AddedColumn {
            table: self.table.object_id,
            column: create.name.clone(),
        };
        let table_name = self.table.name.clone();
        let id = self.session.logged_ddl(&self.database, intent, || {
            crate::ddl::schema::add_column(&self.database, &table_name, create, self.permit_ddl)
        })?;
        self.session.record_ddl(
            &self.database,
            SchemaChange::AddedColumn {
                table: self.table.object_id,
                column: create.name.clone(),
            },
        );
        self.refresh()?;
        Ok(id)
    }

    /// JetCreateIndex / JetCreateIndex2: one or several indexes.
    pub fn create_index(&mut self, creates: &[IndexCreate]) -> Result<()> {
        let _call = self.session.enter()?;
        if self.read_only {
            return Err(Error::new(JET_errPermissionDenied));
        }
        self.session.check_updatable()?;
        if creates
            .iter()
            .any(|c| c.grbit & grbit::JET_bitIndexUnversioned != 0)
        {
            self.session
                .refuse_in_transaction("JetCreateIndex with JET_bitIndexUnversioned")?;
        }
        if self.session.transaction_level() == 0 {
            self.session
                .check_no_versions(&self.database, &[self.table.object_id])?;
        } else {
            self.session
                .check_foreign_versions(&self.database, &[self.table.object_id])?;
        }
        self.lock_table_for_ddl()?;
        let intent = SchemaChange::CreatedIndexes {
            table: self.table.object_id,
            indexes: creates.iter().map(|c| c.name.clone()).collect(),
        };
        let table_name = self.table.name.clone();
        self.session.logged_ddl(&self.database, intent, || {
            crate::ddl::schema::create_indexes(
                &self.database,
                &table_name,
                creates,
                self.permit_ddl,
            )
        })?;
        self.session.record_ddl(
            &self.database,
            SchemaChange::CreatedIndexes {
                table: self.table.object_id,
                indexes: creates.iter().map(|c| c.name.clone()).collect(),
            },
        );
        self.refresh()
    }
}
