//! What a session's open transaction is made of: its id in the version
//! store, its save points, its undo list, the DDL steps it made and who
//! owns it. Data only: beginning, committing and rolling back are
//! `transaction`, `undo` and `schema_transaction`; the session core holds
//! this state so that JetTerm can roll it back.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::catalog::create::CatalogRow;
use crate::storage::cache::DatabaseId;
use crate::version::{TransactionId, UndoRecord};

/// A session's open transaction.
pub(crate) struct TransactionState {
    pub(crate) id: Arc<TransactionId>,
    /// The current save point, from 1.
    pub(crate) level: u32,
    /// JET_bitTransactionReadOnly: updates are `JET_errTransReadOnly`.
    pub(crate) read_only: bool,
    /// Every change made, oldest first, with the level it belongs to.
    pub(crate) undo: Vec<UndoRecord>,
    /// Per level (index `level - 1`), the close flags of the cursors
    /// opened in it: a rollback of the level closes them.
    pub(crate) cursors: Vec<Vec<Arc<AtomicBool>>>,
    /// DDL made in the transaction, oldest first.
    pub(crate) schema: Vec<SchemaStep>,
    /// Databases where the transaction holds DDL locks.
    pub(crate) ddl_databases: Vec<DatabaseId>,
    /// The transaction's name in the log.
    pub(crate) log_id: u64,
    /// Recovery rebuilt it from the log to roll it back.
    pub(crate) recovered: bool,
    /// Who may use it (see `session_context.rs`).
    pub(crate) owner: Owner,
}

/// DDL to undo at rollback, or to finish at commit. Tables are named by
/// object id: a name can change (or be taken by another table) meanwhile.
/// Logged (as JSON) before the DDL is made, for recovery.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) enum SchemaChange {
    CreatedTable {
        table: u32,
    },
    /// The log's form of `CreatedTable`: the table's id is not known
    /// before it is created, its name is (and the transaction holds it).
    CreatingTable {
        name: String,
    },
    AddedColumn {
        table: u32,
        column: String,
    },
    CreatedIndexes {
        table: u32,
        indexes: Vec<String>,
    },
    RenamedTable {
        table: u32,
        from: String,
    },
    DeletedColumn {
        original: Box<CatalogRow>,
        deleted: Box<CatalogRow>,
    },
    /// Put off until the outermost commit; `objects`: the table's trees.
    DeleteTable {
        table: u32,
        objects: Vec<u32>,
    },
    /// `table` is the table's object id: the table may be renamed later in
    /// the transaction.
    DeleteIndex {
        table: u32,
        index: String,
        object: u32,
    },
}

/// One DDL step of a transaction.
#[derive(Clone, Debug)]
pub(crate) struct SchemaStep {
    pub(crate) level: u32,
    /// How many node changes the transaction had made before this step:
    /// a rollback undoes the later ones first.
    pub(crate) after_nodes: usize,
    pub(crate) database: DatabaseId,
    pub(crate) change: SchemaChange,
}

/// Who a transaction belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    /// The thread's token (`session_core::thread_token`: cheaper to get
    /// than std's `ThreadId`, on every call's check).
    Thread(u64),
    Context(usize),
}
