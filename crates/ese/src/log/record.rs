//! Log records: what the log says happened, in the order it happened.
//!
//! A change to pages is logged as one [`Unit`]: every page one update (or
//! DDL step, rollback step, cleanup pass) changed, as a full image when the
//! page was clean before it (so that a torn write of the page can be
//! repaired: redo starts at or before that image) or as the byte ranges that
//! changed otherwise, together with what the version store needs to undo
//! the update if its transaction never commits. A unit is written whole or
//! not at all, so recovery never sees half a B+tree split.
//!
//! Encoding: `length u32 | kind u8 | body`, little-endian, `length` counting
//! the kind and body. Decoding is total: damaged bytes give an error, never
//! a panic.

use std::path::PathBuf;

use crate::storage::btree_write::NodeChange;
use crate::storage::cache::DatabaseId;
use crate::version::NodeKey;

/// A transaction as the log names it (unique within one run of the engine).
pub type LoggedTransaction = u64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogRecord {
    /// The engine began writing this log (JetInit, or the end of a recovery).
    Start {
        unix_seconds: u64,
    },
    /// `database` (a number the log uses until the matching detach) names
    /// the file at `path`.
    Attach {
        database: u32,
        path: PathBuf,
    },
    Detach {
        database: u32,
    },
    Unit(Unit),
    /// The outermost commit of a transaction: its units are permanent.
    Commit {
        transaction: LoggedTransaction,
    },
    /// A transaction ended rolled back: every change it logged was undone
    /// (by units marked `undo_to`).
    Rollback {
        transaction: LoggedTransaction,
    },
    /// DDL a transaction is about to make (or, for a deletion, will make
    /// at its commit), with what undoes or finishes it (`change`: the API
    /// layer's description, opaque here); it follows the transaction's
    /// first `after_nodes` node changes.
    Schema {
        transaction: LoggedTransaction,
        database: u32,
        after_nodes: u32,
        change: Vec<u8>,
    },
    /// The transaction's DDL steps number `remaining` from now on (the
    /// newest were undone by a rollback, or failed).
    SchemaUndone {
        transaction: LoggedTransaction,
        remaining: u32,
    },
    /// The deletions a committed transaction put off are done.
    SchemaFinished {
        transaction: LoggedTransaction,
    },
    /// A streaming backup began (ESE's backup mark): a restore of it redoes
    /// from `checkpoint`, the checkpoint when the backup began, with the
    /// databases the log named there. Recovery passes over it.
    BackupStart {
        checkpoint: u64,
        databases: Vec<(u32, PathBuf)>,
    },
    /// The last record of generation `generation`, the last one a backup
    /// listed: a restore whose newest generation lacks it is missing some.
    BackupLogsEnd {
        generation: u32,
    },
}

/// One atomic change to a database's pages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Unit {
    pub database: u32,
    /// The database time stamped on every page the unit changed (it grows
    /// with every unit of the database): redo applies a change to a page
    /// whose time is older.
    pub db_time: u64,
    /// The highest object id handed out so far (for the header at recovery).
    pub last_object_id: u32,
    /// The file's length in bytes after the unit.
    pub file_length: u64,
    /// The transaction whose update this is; 0 for a change no rollback
    /// touches (cleanup, space, an update made without versions).
    pub transaction: LoggedTransaction,
    /// A rollback step of `transaction`: after it, the transaction's logged
    /// node changes number `undo_to` (the newest ones were undone).
    pub undo_to: Option<u32>,
    /// The unit goes on in the next unit record of the same database (a
    /// unit too large for one record); recovery applies the parts together,
    /// or none of them.
    pub continued: bool,
    /// The node changes the update made, oldest first, with their undo.
    pub nodes: Vec<LoggedNode>,
    pub pages: Vec<PageChange>,
}

/// A versioned node change, as recovery needs it to undo it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedNode {
    pub root: u32,
    pub object: u32,
    pub non_unique: bool,
    pub density: u32,
    /// The node's key and order data, shared with the version store's
    /// record of the change (its database is not logged: the unit names
    /// it).
    pub node: NodeKey,
    pub change: NodeChange,
}

/// A page's change in a unit: the cache's description of it, logged as is.
pub use crate::storage::cache::UnitPage as PageChange;

/// Why a record could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

const START: u8 = 1;
const ATTACH: u8 = 2;
const DETACH: u8 = 3;
const UNIT: u8 = 4;
const COMMIT: u8 = 5;
const ROLLBACK: u8 = 6;
const SCHEMA: u8 = 7;
const SCHEMA_UNDONE: u8 = 8;
const SCHEMA_FINISHED: u8 = 9;
const BACKUP_START: u8 = 10;
const BACKUP_LOGS_END: u8 = 11;

struct Out<'a>(&'a mut Vec<u8>);

impl Out<'_> {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, v: &[u8]) {
        self.u32(v.len() as u32);
        self.0.extend_from_slice(v);
    }
    /// An unsigned LEB128 varint: seven bits a byte, low first, the top
    /// bit set on every byte but the last (what a unit's integers use:
    /// most are small, and a unit is the log's most frequent record).
    fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    /// A byte string with a varint length.
    fn var_bytes(&mut self, v: &[u8]) {
        self.var(v.len() as u64);
        self.0.extend_from_slice(v);
    }
}

struct In<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        let end = self
            .at
            .checked_add(n)
            .ok_or(Malformed("a length overflows"))?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(Malformed("the record ends early"))?;
        self.at = end;
        Ok(slice)
    }
    fn u8(&mut self) -> Result<u8, Malformed> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, Malformed> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, Malformed> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, Malformed> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn bytes(&mut self) -> Result<Vec<u8>, Malformed> {
        let n = self.u32()? as usize;
        Ok(self.take(n)?.to_vec())
    }
    fn path(&mut self) -> Result<PathBuf, Malformed> {
        let path = String::from_utf8(self.bytes()?)
            .map_err(|_| Malformed("a database path that is not UTF-8"))?;
        Ok(PathBuf::from(path))
    }
    /// A count of items each at least `least` bytes long, checked against
    /// what is left (so a damaged count cannot ask for a huge allocation).
    fn count(&mut self, least: usize) -> Result<usize, Malformed> {
        let n = self.u32()? as usize;
        if n.saturating_mul(least) > self.bytes.len() - self.at {
            return Err(Malformed("a count larger than the record"));
        }
        Ok(n)
    }
    fn var(&mut self) -> Result<u64, Malformed> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(Malformed("a varint beyond 64 bits"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Malformed("a varint beyond 64 bits"))
    }
    fn var_u32(&mut self) -> Result<u32, Malformed> {
        u32::try_from(self.var()?).map_err(|_| Malformed("a varint beyond 32 bits"))
    }
    fn var_bytes(&mut self) -> Result<Vec<u8>, Malformed> {
        let n = usize::try_from(self.var()?).map_err(|_| Malformed("a length overflows"))?;
        Ok(self.take(n)?.to_vec())
    }
    /// [`Self::count`] with a varint count.
    fn var_count(&mut self, least: usize) -> Result<usize, Malformed> {
        let n = usize::try_from(self.var()?).map_err(|_| Malformed("a length overflows"))?;
        if n.saturating_mul(least) > self.bytes.len() - self.at {
            return Err(Malformed("a count larger than the record"));
        }
        Ok(n)
    }
}

const CHANGE_INSERT: u8 = 1;
const CHANGE_REINSERT: u8 = 2;
const CHANGE_REPLACE: u8 = 3;
const CHANGE_DELETE: u8 = 4;
const CHANGE_DELTA: u8 = 5;
const CHANGE_READ_LOCK: u8 = 6;
const CHANGE_WRITE_LOCK: u8 = 7;

impl LogRecord {
    /// Appends the record's encoding (length included) to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        let mut o = Out(out);
        o.u32(0);
        match self {
            LogRecord::Start { unix_seconds } => {
                o.u8(START);
                o.u64(*unix_seconds);
            }
            LogRecord::Attach { database, path } => {
                o.u8(ATTACH);
                o.u32(*database);
                o.bytes(path.as_os_str().as_encoded_bytes());
            }
            LogRecord::Detach { database } => {
                o.u8(DETACH);
                o.u32(*database);
            }
            LogRecord::Commit { transaction } => {
                o.u8(COMMIT);
                o.u64(*transaction);
            }
            LogRecord::Rollback { transaction } => {
                o.u8(ROLLBACK);
                o.u64(*transaction);
            }
            LogRecord::Unit(unit) => {
                o.u8(UNIT);
                encode_unit(unit, &mut o);
            }
            LogRecord::Schema {
                transaction,
                database,
                after_nodes,
                change,
            } => {
                o.u8(SCHEMA);
                o.u64(*transaction);
                o.u32(*database);
                o.u32(*after_nodes);
                o.bytes(change);
            }
            LogRecord::SchemaUndone {
                transaction,
                remaining,
            } => {
                o.u8(SCHEMA_UNDONE);
                o.u64(*transaction);
                o.u32(*remaining);
            }
            LogRecord::SchemaFinished { transaction } => {
                o.u8(SCHEMA_FINISHED);
                o.u64(*transaction);
            }
            LogRecord::BackupStart {
                checkpoint,
                databases,
            } => {
                o.u8(BACKUP_START);
                o.u64(*checkpoint);
                o.u32(databases.len() as u32);
                for (number, path) in databases {
                    o.u32(*number);
                    o.bytes(path.as_os_str().as_encoded_bytes());
                }
            }
            LogRecord::BackupLogsEnd { generation } => {
                o.u8(BACKUP_LOGS_END);
                o.u32(*generation);
            }
        }
        let length = (out.len() - start - 4) as u32;
        out[start..start + 4].copy_from_slice(&length.to_le_bytes());
    }

    /// Decodes a record's kind and body (without the length).
    pub fn decode(body: &[u8]) -> Result<LogRecord, Malformed> {
        let mut i = In { bytes: body, at: 0 };
        let record = match i.u8()? {
            START => LogRecord::Start {
                unix_seconds: i.u64()?,
            },
            ATTACH => LogRecord::Attach {
                database: i.u32()?,
                path: i.path()?,
            },
            DETACH => LogRecord::Detach { database: i.u32()? },
            COMMIT => LogRecord::Commit {
                transaction: i.u64()?,
            },
            ROLLBACK => LogRecord::Rollback {
                transaction: i.u64()?,
            },
            UNIT => LogRecord::Unit(decode_unit(&mut i)?),
            SCHEMA => LogRecord::Schema {
                transaction: i.u64()?,
                database: i.u32()?,
                after_nodes: i.u32()?,
                change: i.bytes()?,
            },
            SCHEMA_UNDONE => LogRecord::SchemaUndone {
                transaction: i.u64()?,
                remaining: i.u32()?,
            },
            SCHEMA_FINISHED => LogRecord::SchemaFinished {
                transaction: i.u64()?,
            },
            BACKUP_START => {
                let checkpoint = i.u64()?;
                // Each database takes at least its number and a length.
                let count = i.count(8)?;
                let mut databases = Vec::with_capacity(count);
                for _ in 0..count {
                    databases.push((i.u32()?, i.path()?));
                }
                LogRecord::BackupStart {
                    checkpoint,
                    databases,
                }
            }
            BACKUP_LOGS_END => LogRecord::BackupLogsEnd {
                generation: i.u32()?,
            },
            _ => return Err(Malformed("an unknown record kind")),
        };
        if i.at != body.len() {
            return Err(Malformed("bytes left over after the record"));
        }
        Ok(record)
    }
}

fn encode_unit(unit: &Unit, o: &mut Out<'_>) {
    o.var(u64::from(unit.database));
    o.var(unit.db_time);
    o.var(u64::from(unit.last_object_id));
    o.var(unit.file_length);
    o.var(unit.transaction);
    match unit.undo_to {
        Some(n) => {
            o.u8(1);
            o.var(u64::from(n));
        }
        None => o.u8(0),
    }
    o.u8(u8::from(unit.continued));
    o.var(unit.nodes.len() as u64);
    for node in &unit.nodes {
        o.var(u64::from(node.root));
        o.var(u64::from(node.object));
        o.u8(u8::from(node.non_unique));
        o.var(u64::from(node.density));
        o.var_bytes(node.node.key());
        o.var_bytes(node.node.order());
        match &node.change {
            NodeChange::Insert => o.u8(CHANGE_INSERT),
            NodeChange::Reinsert { before } => {
                o.u8(CHANGE_REINSERT);
                o.var_bytes(before);
            }
            NodeChange::Replace { before } => {
                o.u8(CHANGE_REPLACE);
                o.var_bytes(before);
            }
            NodeChange::Delete => o.u8(CHANGE_DELETE),
            NodeChange::Delta { offset, delta } => {
                o.u8(CHANGE_DELTA);
                o.var(u64::from(*offset));
                o.u32(*delta as u32);
            }
            NodeChange::ReadLock => o.u8(CHANGE_READ_LOCK),
            NodeChange::WriteLock => o.u8(CHANGE_WRITE_LOCK),
        }
    }
    o.var(unit.pages.len() as u64);
    for page in &unit.pages {
        match page {
            PageChange::Image { page, bytes } => {
                o.u8(0);
                o.var(u64::from(*page));
                o.var_bytes(bytes);
            }
            PageChange::Ranges { page, ranges } => {
                o.u8(1);
                o.var(u64::from(*page));
                o.var(ranges.len() as u64);
                for (offset, bytes) in ranges {
                    o.u16(*offset as u16);
                    o.var_bytes(bytes);
                }
            }
            PageChange::Edits { page, journal } => {
                o.u8(2);
                o.var(u64::from(*page));
                o.var_bytes(journal);
            }
        }
    }
}

fn decode_unit(i: &mut In<'_>) -> Result<Unit, Malformed> {
    let mut unit = Unit {
        database: i.var_u32()?,
        db_time: i.var()?,
        last_object_id: i.var_u32()?,
        file_length: i.var()?,
        transaction: i.var()?,
        undo_to: match i.u8()? {
            0 => None,
            1 => Some(i.var_u32()?),
            _ => return Err(Malformed("a bad undo flag")),
        },
        continued: match i.u8()? {
            0 => false,
            1 => true,
            _ => return Err(Malformed("a bad continuation flag")),
        },
        ..Unit::default()
    };
    // The least a node change takes: root, object, flag, density, two
    // empty strings, kind.
    let nodes = i.var_count(7)?;
    for _ in 0..nodes {
        let root = i.var_u32()?;
        let object = i.var_u32()?;
        let non_unique = i.u8()? != 0;
        let density = i.var_u32()?;
        let key = i.var_bytes()?;
        if key.len() > usize::from(u16::MAX) {
            // (NodeKey keeps the key's length in two bytes.)
            return Err(Malformed("a node key longer than any key"));
        }
        let order = i.var_bytes()?;
        let change = match i.u8()? {
            CHANGE_INSERT => NodeChange::Insert,
            CHANGE_REINSERT => NodeChange::Reinsert {
                before: i.var_bytes()?,
            },
            CHANGE_REPLACE => NodeChange::Replace {
                before: i.var_bytes()?,
            },
            CHANGE_DELETE => NodeChange::Delete,
            CHANGE_DELTA => NodeChange::Delta {
                offset: i.var_u32()?,
                delta: i.u32()? as i32,
            },
            CHANGE_READ_LOCK => NodeChange::ReadLock,
            CHANGE_WRITE_LOCK => NodeChange::WriteLock,
            _ => return Err(Malformed("an unknown node change")),
        };
        unit.nodes.push(LoggedNode {
            root,
            object,
            non_unique,
            density,
            node: NodeKey::new(DatabaseId::default(), object, &key, &order),
            change,
        });
    }
    // The least a page change takes: kind, page, an empty string.
    let pages = i.var_count(3)?;
    for _ in 0..pages {
        let kind = i.u8()?;
        let page = i.var_u32()?;
        unit.pages.push(match kind {
            0 => PageChange::Image {
                page,
                bytes: i.var_bytes()?.into(),
            },
            1 => {
                let n = i.var_count(3)?;
                let mut ranges = Vec::with_capacity(n);
                for _ in 0..n {
                    let offset = u32::from(i.u16()?);
                    ranges.push((offset, i.var_bytes()?));
                }
                PageChange::Ranges { page, ranges }
            }
            2 => PageChange::Edits {
                page,
                journal: i.var_bytes()?,
            },
            _ => return Err(Malformed("an unknown page change")),
        });
    }
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(record: LogRecord) {
        let mut out = Vec::new();
        record.encode(&mut out);
        let length = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
        assert_eq!(length, out.len() - 4);
        assert_eq!(LogRecord::decode(&out[4..]), Ok(record));
    }

    #[test]
    fn every_record_round_trips() {
        round_trip(LogRecord::Start { unix_seconds: 5 });
        round_trip(LogRecord::Attach {
            database: 3,
            path: PathBuf::from("/tmp/a.edb"),
        });
        round_trip(LogRecord::Detach { database: 3 });
        round_trip(LogRecord::BackupStart {
            checkpoint: 0x0000_0002_0000_0400,
            databases: vec![
                (1, PathBuf::from("/a/one.edb")),
                (4, PathBuf::from("two.edb")),
            ],
        });
        round_trip(LogRecord::BackupLogsEnd { generation: 0x1f });
        round_trip(LogRecord::Commit { transaction: 77 });
        round_trip(LogRecord::Rollback { transaction: 78 });
        round_trip(LogRecord::Schema {
            transaction: 79,
            database: 2,
            after_nodes: 5,
            change: b"{}".to_vec(),
        });
        round_trip(LogRecord::SchemaUndone {
            transaction: 79,
            remaining: 1,
        });
        round_trip(LogRecord::SchemaFinished { transaction: 79 });
        let changes = [
            NodeChange::Insert,
            NodeChange::Reinsert { before: vec![1, 2] },
            NodeChange::Replace { before: vec![] },
            NodeChange::Delete,
            NodeChange::Delta {
                offset: 4,
                delta: -9,
            },
            NodeChange::ReadLock,
            NodeChange::WriteLock,
        ];
        round_trip(LogRecord::Unit(Unit {
            database: 1,
            db_time: 99,
            last_object_id: 12,
            file_length: 1 << 20,
            transaction: 4,
            undo_to: Some(2),
            continued: true,
            nodes: changes
                .into_iter()
                .map(|change| LoggedNode {
                    root: 4,
                    object: 5,
                    non_unique: true,
                    density: 80,
                    node: NodeKey::new(DatabaseId::default(), 5, b"key", b"o"),
                    change,
                })
                .collect(),
            pages: vec![
                PageChange::Image {
                    page: 9,
                    bytes: vec![7; 64].into(),
                },
                PageChange::Ranges {
                    page: 10,
                    ranges: vec![(0, vec![1]), (100, vec![2, 3])],
                },
                PageChange::Edits {
                    page: 11,
                    journal: vec![4, 1, 0],
                },
            ],
        }));
    }

    #[test]
    fn a_units_integers_round_trip_at_their_extremes() {
        for (small, large) in [(0u32, 0u64), (127, 127), (128, 128), (u32::MAX, u64::MAX)] {
            round_trip(LogRecord::Unit(Unit {
                database: small,
                db_time: large,
                last_object_id: small,
                file_length: large,
                transaction: large,
                undo_to: Some(small),
                continued: false,
                nodes: vec![LoggedNode {
                    root: small,
                    object: small,
                    non_unique: false,
                    density: small,
                    node: NodeKey::new(
                        DatabaseId::default(),
                        small,
                        &vec![9; (large % 300) as usize],
                        &[],
                    ),
                    change: NodeChange::Delta {
                        offset: small,
                        delta: i32::MIN,
                    },
                }],
                pages: vec![PageChange::Edits {
                    page: small,
                    journal: vec![6],
                }],
            }));
        }
        // A varint that never ends (every byte's top bit set) is an error.
        let mut body = vec![UNIT];
        body.extend_from_slice(&[0xff; 11]);
        assert!(LogRecord::decode(&body).is_err());
        // And one with more than 64 bits.
        let mut body = vec![UNIT];
        body.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
        assert!(LogRecord::decode(&body).is_err());
    }

    #[test]
    fn damaged_records_are_errors_not_panics() {
        let mut out = Vec::new();
        LogRecord::Unit(Unit {
            nodes: vec![LoggedNode {
                root: 1,
                object: 1,
                non_unique: false,
                density: 100,
                node: NodeKey::new(DatabaseId::default(), 1, &[1; 10], &[]),
                change: NodeChange::Replace {
                    before: vec![9; 30],
                },
            }],
            ..Unit::default()
        })
        .encode(&mut out);
        let body = &out[4..];
        for cut in 0..body.len() {
            assert!(LogRecord::decode(&body[..cut]).is_err(), "cut at {cut}");
        }
        // A key longer than any key (a NodeKey holds its length in two
        // bytes): refused, not truncated. The node's one-byte key is
        // spliced out for 70,000 bytes.
        let marker = [0x01, 0xEE];
        let mut small = Vec::new();
        LogRecord::Unit(Unit {
            nodes: vec![LoggedNode {
                root: 1,
                object: 1,
                non_unique: false,
                density: 100,
                node: NodeKey::new(DatabaseId::default(), 1, &[0xEE], &[]),
                change: NodeChange::Insert,
            }],
            ..Unit::default()
        })
        .encode(&mut small);
        let small = &small[4..];
        let at = small
            .windows(2)
            .position(|w| w == marker)
            .expect("the key's bytes");
        let mut long = small[..at].to_vec();
        let mut length = 70_000u64;
        while length >= 0x80 {
            long.push((length as u8) | 0x80);
            length >>= 7;
        }
        long.push(length as u8);
        long.extend(std::iter::repeat_n(0xEE, 70_000));
        long.extend_from_slice(&small[at + 2..]);
        assert!(LogRecord::decode(small).is_ok());
        assert_eq!(
            LogRecord::decode(&long).unwrap_err(),
            Malformed("a node key longer than any key")
        );
        let mut seed = 0x1234_5678u32;
        for _ in 0..2000 {
            let mut damaged = body.to_vec();
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let at = seed as usize % damaged.len();
            damaged[at] = (seed >> 8) as u8;
            let _ = LogRecord::decode(&damaged);
        }
    }
}
