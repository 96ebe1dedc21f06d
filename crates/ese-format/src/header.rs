//! The database file header (ESE: DBFILEHDR), held in the first page of the
//! file and copied into the second (the shadow).
//!
//! The header is 748 bytes of fields followed by zeros up to the page size;
//! its checksum covers the whole page. Every field ESE defines is decoded
//! and encoded here, including the ones this engine does not interpret yet,
//! so that a header read and written back is byte-identical.

use std::fmt;

use crate::bytes::{LeReader, LeWriter};
use crate::codes::*;
use crate::constants::*;
use crate::error::{Error, Result};

/// Bytes of the header that carry fields; the rest of the page is zero.
pub const HEADER_SIZE: usize = 748;
/// Offset of the page-size field, which ESE reads before it knows the page size.
pub const PAGE_SIZE_OFFSET: usize = 236;
/// Offset of the file-type field, the same in database, log and checkpoint headers.
pub const FILE_TYPE_OFFSET: usize = 667;
/// Offset of the magic number.
pub const MAGIC_OFFSET: usize = 4;

/// A timestamp as ESE logs it (ESE: LOGTIME): calendar fields in one byte
/// each, kept raw so that unusual values survive a round trip.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LogTime(pub [u8; 8]);

impl LogTime {
    pub fn seconds(&self) -> u8 {
        self.0[0]
    }
    pub fn minutes(&self) -> u8 {
        self.0[1]
    }
    pub fn hours(&self) -> u8 {
        self.0[2]
    }
    pub fn day(&self) -> u8 {
        self.0[3]
    }
    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.0[4]
    }
    /// The full year (the field counts from 1900).
    pub fn year(&self) -> u32 {
        1900 + u32::from(self.0[5])
    }
    /// Whether the time is in UTC rather than local time.
    pub fn is_utc(&self) -> bool {
        self.0[6] & 1 != 0
    }
    pub fn milliseconds(&self) -> u16 {
        u16::from(self.0[6] >> 1) | (u16::from((self.0[7] >> 1) & 0x7) << 7)
    }
    /// True when no time was recorded (all fields zero).
    pub fn is_unset(&self) -> bool {
        self.0 == [0; 8]
    }
}

impl fmt::Display for LogTime {
    /// Formats as `esentutl /mh` does: `MM/DD/YYYY HH:MM:SS.mmm`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}/{:02}/{:04} {:02}:{:02}:{:02}.{:03}",
            self.month(),
            self.day(),
            self.year(),
            self.hours(),
            self.minutes(),
            self.seconds(),
            self.milliseconds()
        )?;
        if self.is_utc() {
            f.write_str(" UTC")?;
        }
        Ok(())
    }
}

impl fmt::Debug for LogTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LogTime({self})")
    }
}

/// A position in the transaction log (ESE: LGPOS): generation, sector and
/// byte offset in the sector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogPosition {
    pub generation: i32,
    pub sector: u16,
    pub byte_offset: u16,
}

impl LogPosition {
    fn read(reader: &mut LeReader<'_>) -> Self {
        let byte_offset = reader.u16();
        let sector = reader.u16();
        let generation = reader.i32();
        LogPosition {
            generation,
            sector,
            byte_offset,
        }
    }

    fn write(&self, writer: &mut LeWriter<'_>) {
        writer.u16(self.byte_offset);
        writer.u16(self.sector);
        writer.i32(self.generation);
    }
}

impl fmt::Display for LogPosition {
    /// `(0xGEN,SECTOR,OFFSET)` in hexadecimal, as ESE's tools print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "(0x{:X},{:X},{:X})",
            self.generation, self.sector, self.byte_offset
        )
    }
}

/// The identity of a database or a log stream (ESE: SIGNATURE): a random
/// number, the creation time and the creating computer's name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Signature {
    pub random: u32,
    pub created: LogTime,
    /// NUL-padded computer name (ESE leaves it empty on modern builds).
    pub computer_name: [u8; 16],
}

impl Signature {
    pub const SIZE: usize = 28;

    fn read(reader: &mut LeReader<'_>) -> Self {
        Signature {
            random: reader.u32(),
            created: LogTime(reader.array()),
            computer_name: reader.array(),
        }
    }

    fn write(&self, writer: &mut LeWriter<'_>) {
        writer.u32(self.random);
        writer.bytes(&self.created.0);
        writer.bytes(&self.computer_name);
    }

    /// True when the whole signature is zero (never set).
    pub fn is_unset(&self) -> bool {
        *self == Signature::default()
    }
}

impl fmt::Display for Signature {
    /// `Create time:MM/DD/YYYY HH:MM:SS.mmm Rand:N Computer:NAME`, like `esentutl /mh`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = self
            .computer_name
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.computer_name.len());
        let name = String::from_utf8_lossy(&self.computer_name[..end]);
        write!(
            f,
            "Create time:{} Rand:{} Computer:{}",
            self.created, self.random, name
        )
    }
}

/// What the header records of one backup (ESE: BKINFO).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BackupInfo {
    /// The log position that identifies the backup.
    pub mark: LogPosition,
    /// When that position was logged.
    pub mark_time: LogTime,
    /// The lowest and highest log generation in the backup set.
    pub generation_low: u32,
    pub generation_high: u32,
}

impl BackupInfo {
    pub const SIZE: usize = 24;

    fn read(reader: &mut LeReader<'_>) -> Self {
        BackupInfo {
            mark: LogPosition::read(reader),
            mark_time: LogTime(reader.array()),
            generation_low: reader.u32(),
            generation_high: reader.u32(),
        }
    }

    fn write(&self, writer: &mut LeWriter<'_>) {
        self.mark.write(writer);
        writer.bytes(&self.mark_time.0);
        writer.u32(self.generation_low);
        writer.u32(self.generation_high);
    }

    /// True when no such backup was ever taken.
    pub fn is_unset(&self) -> bool {
        *self == BackupInfo::default()
    }
}

/// Kind of a recorded backup (ESE: BKINFOTYPE).
pub mod backup_type {
    pub const NORMAL: u32 = 0;
    pub const OS_SNAPSHOT: u32 = 1;
    pub const SNAPSHOT: u32 = 2;
    pub const SURROGATE: u32 = 3;
}

/// Bits of the first byte of [`DatabaseHeader::db_flags`].
pub mod db_flags {
    /// The shadow header copy is not maintained.
    pub const SHADOWING_DISABLED: u32 = 0x01;
    /// The database needs a format upgrade.
    pub const UPGRADE_DB: u32 = 0x02;
}

/// The database file header: every field of ESE's DBFILEHDR, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatabaseHeader {
    /// The stored legacy checksum of the header page (bytes 0..4).
    pub checksum: u32,
    /// Must be [`DATABASE_MAGIC`].
    pub magic: u32,
    /// Format major version, 0x620 for every ESE since ESE97.
    pub format_version: u32,
    /// Attribute bits (ESE: attrib; unused by modern ESE).
    pub attributes: i32,
    /// The database time: bumped on every page modification.
    pub db_time: u64,
    pub db_signature: Signature,
    /// One of the JET_dbstate* values.
    pub state: u32,
    pub consistent_position: LogPosition,
    pub consistent_time: LogTime,
    pub attach_time: LogTime,
    pub attach_position: LogPosition,
    pub detach_time: LogTime,
    pub detach_position: LogPosition,
    /// The database id of the last attachment (ESE: dbid).
    pub dbid: u32,
    pub log_signature: Signature,
    pub previous_full_backup: BackupInfo,
    pub previous_incremental_backup: BackupInfo,
    pub current_full_backup: BackupInfo,
    /// Four flag bytes; see [`db_flags`] (byte 0) and ESE's build flags (byte 3).
    pub db_flags: u32,
    /// The highest object id handed out.
    pub last_object_id: u32,
    /// The OS version that last updated the indexes (for sort-order changes).
    pub os_major_version: u32,
    pub os_minor_version: u32,
    pub os_build_number: u32,
    pub os_service_pack: i32,
    /// Format revision (ESE: ulDaeUpdateMajor), 20 for the corpus.
    pub format_revision: u32,
    /// Page size in bytes; 0 in very old files means 4096.
    pub page_size: u32,
    pub repair_count: u32,
    pub repair_time: LogTime,
    /// The obsolete streaming-file signature slot, kept verbatim.
    pub reserved_slv_signature: [u8; 28],
    pub scrub_db_time: u64,
    pub scrub_time: LogTime,
    /// The log generations recovery needs (min is usually the checkpoint).
    pub min_required_generation: i32,
    pub max_required_generation: i32,
    pub upgrade_exchange55_pages: i32,
    pub upgrade_free_pages: i32,
    pub upgrade_space_map_pages: i32,
    pub current_snapshot_backup: BackupInfo,
    /// Format version and revision of the engine that created the database.
    pub create_format_version: u32,
    pub create_format_revision: u32,
    pub max_required_generation_time: LogTime,
    pub previous_full_backup_type: u32,
    pub previous_incremental_backup_type: u32,
    pub repair_count_old: u32,
    pub ecc_fix_success_count: u32,
    pub ecc_fix_success_time: LogTime,
    pub ecc_fix_success_count_old: u32,
    pub ecc_fix_fail_count: u32,
    pub ecc_fix_fail_time: LogTime,
    pub ecc_fix_fail_count_old: u32,
    pub bad_checksum_count: u32,
    pub bad_checksum_time: LogTime,
    pub bad_checksum_count_old: u32,
    /// The last generation holding committed changes to this database.
    pub max_committed_generation: i32,
    pub previous_copy_backup: BackupInfo,
    pub previous_differential_backup: BackupInfo,
    pub previous_copy_backup_type: u32,
    pub previous_differential_backup_type: u32,
    pub incremental_reseed_count: u32,
    pub incremental_reseed_time: LogTime,
    pub incremental_reseed_count_old: u32,
    pub page_patch_count: u32,
    pub page_patch_time: LogTime,
    pub page_patch_count_old: u32,
    /// Deprecated sort-order version.
    pub sort_version: u64,
    pub db_scan_previous_time: LogTime,
    pub db_scan_start_time: LogTime,
    pub db_scan_highest_continuous_page: u32,
    pub recovering_generation: i32,
    pub extend_count: u32,
    pub last_extend_time: LogTime,
    pub shrink_count: u32,
    pub last_shrink_time: LogTime,
    pub last_reattach_time: LogTime,
    pub last_reattach_position: LogPosition,
    pub trim_count: u32,
    pub header_flush_signature: Signature,
    pub flush_map_flush_signature: Signature,
    pub min_consistent_generation: i32,
    /// Forward-compatible format updates (ESE: ulDaeUpdateMinor).
    pub format_update_minor: u32,
    /// Newest engine format version that attached the database (diagnostic).
    pub max_engine_format_attached: u32,
    pub db_scan_highest_page: u32,
    pub last_resize_position: LogPosition,
    pub reserved1: [u8; 3],
    /// One of the JET_filetype* values.
    pub file_type: u32,
    pub reserved2: u8,
    pub max_required_generation_log_time: LogTime,
    pub pre_redo_min_consistent_generation: i32,
    pub pre_redo_min_required_generation: i32,
    pub revert_snapshot_flush_signature: Signature,
    pub revert_count: u32,
    pub revert_from_time: LogTime,
    pub revert_to_time: LogTime,
    pub revert_page_count: u32,
    pub commit_before_revert_position: LogPosition,
}

impl DatabaseHeader {
    /// Decodes the fields of a header page. Only the length is checked
    /// here; [`DatabaseHeader::validate`] judges the values.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < HEADER_SIZE {
            return Err(Error::new(JET_errDatabaseCorrupted)
                .with_operation("decoding the database header")
                .with_detail(format!(
                    "{} bytes given, the header needs {HEADER_SIZE}",
                    bytes.len()
                )));
        }
        let mut r = LeReader::new(bytes);
        let header = DatabaseHeader {
            checksum: r.u32(),
            magic: r.u32(),
            format_version: r.u32(),
            attributes: r.i32(),
            db_time: r.u64(),
            db_signature: Signature::read(&mut r),
            state: r.u32(),
            consistent_position: LogPosition::read(&mut r),
            consistent_time: LogTime(r.array()),
            attach_time: LogTime(r.array()),
            attach_position: LogPosition::read(&mut r),
            detach_time: LogTime(r.array()),
            detach_position: LogPosition::read(&mut r),
            dbid: r.u32(),
            log_signature: Signature::read(&mut r),
            previous_full_backup: BackupInfo::read(&mut r),
            previous_incremental_backup: BackupInfo::read(&mut r),
            current_full_backup: BackupInfo::read(&mut r),
            db_flags: r.u32(),
            last_object_id: r.u32(),
            os_major_version: r.u32(),
            os_minor_version: r.u32(),
            os_build_number: r.u32(),
            os_service_pack: r.i32(),
            format_revision: r.u32(),
            page_size: r.u32(),
            repair_count: r.u32(),
            repair_time: LogTime(r.array()),
            reserved_slv_signature: r.array(),
            scrub_db_time: r.u64(),
            scrub_time: LogTime(r.array()),
            min_required_generation: r.i32(),
            max_required_generation: r.i32(),
            upgrade_exchange55_pages: r.i32(),
            upgrade_free_pages: r.i32(),
            upgrade_space_map_pages: r.i32(),
            current_snapshot_backup: BackupInfo::read(&mut r),
            create_format_version: r.u32(),
            create_format_revision: r.u32(),
            max_required_generation_time: LogTime(r.array()),
            previous_full_backup_type: r.u32(),
            previous_incremental_backup_type: r.u32(),
            repair_count_old: r.u32(),
            ecc_fix_success_count: r.u32(),
            ecc_fix_success_time: LogTime(r.array()),
            ecc_fix_success_count_old: r.u32(),
            ecc_fix_fail_count: r.u32(),
            ecc_fix_fail_time: LogTime(r.array()),
            ecc_fix_fail_count_old: r.u32(),
            bad_checksum_count: r.u32(),
            bad_checksum_time: LogTime(r.array()),
            bad_checksum_count_old: r.u32(),
            max_committed_generation: r.i32(),
            previous_copy_backup: BackupInfo::read(&mut r),
            previous_differential_backup: BackupInfo::read(&mut r),
            previous_copy_backup_type: r.u32(),
            previous_differential_backup_type: r.u32(),
            incremental_reseed_count: r.u32(),
            incremental_reseed_time: LogTime(r.array()),
            incremental_reseed_count_old: r.u32(),
            page_patch_count: r.u32(),
            page_patch_time: LogTime(r.array()),
            page_patch_count_old: r.u32(),
            sort_version: r.u64(),
            db_scan_previous_time: LogTime(r.array()),
            db_scan_start_time: LogTime(r.array()),
            db_scan_highest_continuous_page: r.u32(),
            recovering_generation: r.i32(),
            extend_count: r.u32(),
            last_extend_time: LogTime(r.array()),
            shrink_count: r.u32(),
            last_shrink_time: LogTime(r.array()),
            last_reattach_time: LogTime(r.array()),
            last_reattach_position: LogPosition::read(&mut r),
            trim_count: r.u32(),
            header_flush_signature: Signature::read(&mut r),
            flush_map_flush_signature: Signature::read(&mut r),
            min_consistent_generation: r.i32(),
            format_update_minor: r.u32(),
            max_engine_format_attached: r.u32(),
            db_scan_highest_page: r.u32(),
            last_resize_position: LogPosition::read(&mut r),
            reserved1: r.array(),
            file_type: r.u32(),
            reserved2: r.u8(),
            max_required_generation_log_time: LogTime(r.array()),
            pre_redo_min_consistent_generation: r.i32(),
            pre_redo_min_required_generation: r.i32(),
            revert_snapshot_flush_signature: Signature::read(&mut r),
            revert_count: r.u32(),
            revert_from_time: LogTime(r.array()),
            revert_to_time: LogTime(r.array()),
            revert_page_count: r.u32(),
            commit_before_revert_position: LogPosition::read(&mut r),
        };
        debug_assert_eq!(r.position(), HEADER_SIZE);
        debug_assert!(!r.overrun());
        Ok(header)
    }

    /// Writes every field into the first [`HEADER_SIZE`] bytes of `page`.
    /// The caller zeroes the rest of the page and stamps the checksum.
    pub fn encode(&self, page: &mut [u8]) -> Result<()> {
        if page.len() < HEADER_SIZE {
            return Err(Error::new(JET_errInvalidParameter)
                .with_operation("encoding the database header")
                .with_detail(format!(
                    "buffer of {} bytes, the header needs {HEADER_SIZE}",
                    page.len()
                )));
        }
        let mut w = LeWriter::new(page);
        w.u32(self.checksum);
        w.u32(self.magic);
        w.u32(self.format_version);
        w.i32(self.attributes);
        w.u64(self.db_time);
        self.db_signature.write(&mut w);
        w.u32(self.state);
        self.consistent_position.write(&mut w);
        w.bytes(&self.consistent_time.0);
        w.bytes(&self.attach_time.0);
        self.attach_position.write(&mut w);
        w.bytes(&self.detach_time.0);
        self.detach_position.write(&mut w);
        w.u32(self.dbid);
        self.log_signature.write(&mut w);
        self.previous_full_backup.write(&mut w);
        self.previous_incremental_backup.write(&mut w);
        self.current_full_backup.write(&mut w);
        w.u32(self.db_flags);
        w.u32(self.last_object_id);
        w.u32(self.os_major_version);
        w.u32(self.os_minor_version);
        w.u32(self.os_build_number);
        w.i32(self.os_service_pack);
        w.u32(self.format_revision);
        w.u32(self.page_size);
        w.u32(self.repair_count);
        w.bytes(&self.repair_time.0);
        w.bytes(&self.reserved_slv_signature);
        w.u64(self.scrub_db_time);
        w.bytes(&self.scrub_time.0);
        w.i32(self.min_required_generation);
        w.i32(self.max_required_generation);
        w.i32(self.upgrade_exchange55_pages);
        w.i32(self.upgrade_free_pages);
        w.i32(self.upgrade_space_map_pages);
        self.current_snapshot_backup.write(&mut w);
        w.u32(self.create_format_version);
        w.u32(self.create_format_revision);
        w.bytes(&self.max_required_generation_time.0);
        w.u32(self.previous_full_backup_type);
        w.u32(self.previous_incremental_backup_type);
        w.u32(self.repair_count_old);
        w.u32(self.ecc_fix_success_count);
        w.bytes(&self.ecc_fix_success_time.0);
        w.u32(self.ecc_fix_success_count_old);
        w.u32(self.ecc_fix_fail_count);
        w.bytes(&self.ecc_fix_fail_time.0);
        w.u32(self.ecc_fix_fail_count_old);
        w.u32(self.bad_checksum_count);
        w.bytes(&self.bad_checksum_time.0);
        w.u32(self.bad_checksum_count_old);
        w.i32(self.max_committed_generation);
        self.previous_copy_backup.write(&mut w);
        self.previous_differential_backup.write(&mut w);
        w.u32(self.previous_copy_backup_type);
        w.u32(self.previous_differential_backup_type);
        w.u32(self.incremental_reseed_count);
        w.bytes(&self.incremental_reseed_time.0);
        w.u32(self.incremental_reseed_count_old);
        w.u32(self.page_patch_count);
        w.bytes(&self.page_patch_time.0);
        w.u32(self.page_patch_count_old);
        w.u64(self.sort_version);
        w.bytes(&self.db_scan_previous_time.0);
        w.bytes(&self.db_scan_start_time.0);
        w.u32(self.db_scan_highest_continuous_page);
        w.i32(self.recovering_generation);
        w.u32(self.extend_count);
        w.bytes(&self.last_extend_time.0);
        w.u32(self.shrink_count);
        w.bytes(&self.last_shrink_time.0);
        w.bytes(&self.last_reattach_time.0);
        self.last_reattach_position.write(&mut w);
        w.u32(self.trim_count);
        self.header_flush_signature.write(&mut w);
        self.flush_map_flush_signature.write(&mut w);
        w.i32(self.min_consistent_generation);
        w.u32(self.format_update_minor);
        w.u32(self.max_engine_format_attached);
        w.u32(self.db_scan_highest_page);
        self.last_resize_position.write(&mut w);
        w.bytes(&self.reserved1);
        w.u32(self.file_type);
        w.u8(self.reserved2);
        w.bytes(&self.max_required_generation_log_time.0);
        w.i32(self.pre_redo_min_consistent_generation);
        w.i32(self.pre_redo_min_required_generation);
        self.revert_snapshot_flush_signature.write(&mut w);
        w.u32(self.revert_count);
        w.bytes(&self.revert_from_time.0);
        w.bytes(&self.revert_to_time.0);
        w.u32(self.revert_page_count);
        self.commit_before_revert_position.write(&mut w);
        debug_assert_eq!(w.position(), HEADER_SIZE);
        debug_assert!(!w.overrun());
        Ok(())
    }

    /// The page size the header declares, with ESE's reading of 0 as 4 KiB.
    pub fn effective_page_size(&self) -> usize {
        match self.page_size {
            0 => DEFAULT_PAGE_SIZE,
            size => usize::try_from(size).unwrap_or(usize::MAX),
        }
    }

    /// Whether the shadow copy in the second page is maintained.
    pub fn shadowing_disabled(&self) -> bool {
        self.db_flags & db_flags::SHADOWING_DISABLED != 0
    }

    /// Judges the values as ESE does when it attaches a database: the file
    /// must be a database, of a format this engine reads, with a page size
    /// the format defines.
    pub fn validate(&self) -> Result<()> {
        if self.magic != DATABASE_MAGIC {
            return Err(Error::new(JET_errDatabaseCorrupted)
                .with_operation("validating the database header")
                .with_detail(format!(
                    "magic number 0x{:08x}, a database has 0x{DATABASE_MAGIC:08x}",
                    self.magic
                )));
        }
        // Old headers left the file-type bytes zero; newer ones say what
        // the file is, so a log or checkpoint is never taken for a database.
        if !matches!(
            self.file_type,
            JET_filetypeUnknown | JET_filetypeDatabase | JET_filetypeTempDatabase
        ) {
            return Err(Error::new(JET_errFileInvalidType)
                .with_operation("validating the database header")
                .with_detail(format!(
                    "the header says this is a {} file (type {})",
                    file_type_name(self.file_type).unwrap_or("unknown"),
                    self.file_type
                )));
        }
        if self.format_version < FORMAT_VERSION {
            return Err(Error::new(JET_errInvalidDatabaseVersion)
                .with_operation("validating the database header")
                .with_detail(format!(
                    "format version 0x{:x} predates ESE97 (0x{FORMAT_VERSION:x})",
                    self.format_version
                )));
        }
        if !is_valid_page_size(self.effective_page_size()) {
            return Err(Error::new(JET_errPageSizeMismatch)
                .with_operation("validating the database header")
                .with_detail(format!(
                    "page size {} is not one ESE defines",
                    self.page_size
                )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_header() -> DatabaseHeader {
        DatabaseHeader {
            magic: DATABASE_MAGIC,
            format_version: FORMAT_VERSION,
            format_revision: FORMAT_REVISION,
            page_size: 8192,
            file_type: JET_filetypeDatabase,
            ..Default::default()
        }
    }

    #[test]
    fn log_time_fields() {
        // 2022-08-17 16:27:35.002 UTC: milliseconds 2 -> low 7 bits in
        // byte 6 above the UTC bit, high 3 bits in byte 7 above bit 0.
        let time = LogTime([35, 27, 16, 17, 8, 122, (2 << 1) | 1, 0]);
        assert_eq!(time.year(), 2022);
        assert_eq!((time.month(), time.day()), (8, 17));
        assert_eq!((time.hours(), time.minutes(), time.seconds()), (16, 27, 35));
        assert_eq!(time.milliseconds(), 2);
        assert!(time.is_utc());
        assert_eq!(time.to_string(), "08/17/2022 16:27:35.002 UTC");
        // 999 ms = 0b111_1100111: low 7 bits 0x67, high 3 bits 0b111.
        let late = LogTime([0, 0, 0, 1, 1, 100, 0x67 << 1, 0b111 << 1]);
        assert_eq!(late.milliseconds(), 999);
        assert!(!late.is_utc());
    }

    #[test]
    fn short_input_is_an_error_not_a_panic() {
        let error = DatabaseHeader::decode(&[0u8; HEADER_SIZE - 1]).unwrap_err();
        assert_eq!(error.code(), JET_errDatabaseCorrupted);
        let mut small = [0u8; 10];
        assert_eq!(
            valid_header().encode(&mut small).unwrap_err().code(),
            JET_errInvalidParameter
        );
    }

    #[test]
    fn fields_land_at_their_offsets() {
        let header = DatabaseHeader {
            state: 2,
            last_object_id: 0x1234,
            dbid: 9,
            file_type: JET_filetypeDatabase,
            commit_before_revert_position: LogPosition {
                generation: 0x0a0b0c0d,
                sector: 0x0102,
                byte_offset: 0x0304,
            },
            ..valid_header()
        };
        let mut page = [0u8; HEADER_SIZE];
        header.encode(&mut page).unwrap();
        let u32_at =
            |offset: usize| u32::from_le_bytes(page[offset..offset + 4].try_into().unwrap());
        // Offsets from ESE's DBFILEHDR (daedef.hxx).
        assert_eq!(u32_at(4), DATABASE_MAGIC);
        assert_eq!(u32_at(8), 0x620);
        assert_eq!(u32_at(52), 2);
        assert_eq!(u32_at(104), 9);
        assert_eq!(u32_at(212), 0x1234);
        assert_eq!(u32_at(232), FORMAT_REVISION);
        assert_eq!(u32_at(236), 8192);
        assert_eq!(u32_at(FILE_TYPE_OFFSET), JET_filetypeDatabase);
        assert_eq!(
            &page[740..748],
            &[0x04, 0x03, 0x02, 0x01, 0x0d, 0x0c, 0x0b, 0x0a]
        );
        assert_eq!(DatabaseHeader::decode(&page).unwrap(), header);
    }

    #[test]
    fn validation_gives_the_documented_errors() {
        assert!(valid_header().validate().is_ok());
        let code = |header: DatabaseHeader| header.validate().unwrap_err().code();
        assert_eq!(
            code(DatabaseHeader {
                magic: 0x1234_5678,
                ..valid_header()
            }),
            JET_errDatabaseCorrupted
        );
        assert_eq!(
            code(DatabaseHeader {
                file_type: JET_filetypeLog,
                ..valid_header()
            }),
            JET_errFileInvalidType
        );
        assert_eq!(
            code(DatabaseHeader {
                file_type: JET_filetypeCheckpoint,
                ..valid_header()
            }),
            JET_errFileInvalidType
        );
        assert_eq!(
            code(DatabaseHeader {
                format_version: 0x500,
                ..valid_header()
            }),
            JET_errInvalidDatabaseVersion
        );
        assert_eq!(
            code(DatabaseHeader {
                page_size: 12345,
                ..valid_header()
            }),
            JET_errPageSizeMismatch
        );
        let old = DatabaseHeader {
            page_size: 0,
            file_type: JET_filetypeUnknown,
            ..valid_header()
        };
        assert!(old.validate().is_ok());
        assert_eq!(old.effective_page_size(), 4096);
    }
}
