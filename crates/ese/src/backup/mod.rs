//! Backup and restore (ESE: backup, restore).
//!
//! - `streaming`: JetBeginExternalBackupInstance and the calls that read
//!   its files, log truncation, JetStopBackup;
//! - `directory`: JetBackupInstance, a backup written into a directory
//!   (atomic layout included) on top of the streaming calls;
//! - `restore`: JetRestoreInstance and JetExternalRestore, which copy a
//!   backup back and recover it with an instance of their own.
//!
//! Uses the instance (its databases, log and sessions) and everything
//! below it. Only the API calls it.

pub(crate) mod directory;
pub(crate) mod restore;
pub(crate) mod streaming;
