//! `esentutl info`: the database header, field by field.

use std::path::Path;

use ese::database_file::DatabaseFile;
use ese::format::constants::{database_state_name, file_type_name, DATABASE_MAGIC};
use ese::format::header::{BackupInfo, DatabaseHeader, LogTime};
use ese::format::header_election::ShadowStatus;
use ese::Result;

pub fn run(path: &Path) -> Result<()> {
    let database = crate::open_database(path)?;
    crate::write_stdout(format_args!("{}", render(&database)));
    Ok(())
}

fn time(t: &LogTime) -> String {
    if t.is_unset() {
        "00/00/1900 00:00:00.000".into()
    } else {
        t.to_string()
    }
}

fn generations(low: i64, high: i64) -> String {
    format!("{low}-{high} (0x{low:x}-0x{high:x})")
}

fn backup(out: &mut String, title: &str, info: &BackupInfo) {
    out.push_str(&format!("\n{title}:\n"));
    out.push_str(&format!(
        "        Log Gen: {}\n",
        generations(info.generation_low.into(), info.generation_high.into())
    ));
    out.push_str(&format!("           Mark: {}\n", info.mark));
    out.push_str(&format!("           Mark: {}\n", time(&info.mark_time)));
}

/// The header as text, one `name: value` line per field that an operator
/// reads, in the order `esentutl /mh` uses.
pub fn render(database: &DatabaseFile) -> String {
    let h: &DatabaseHeader = database.header();
    let mut out = String::new();
    let mut line = |name: &str, value: String| {
        out.push_str(&format!("{name:>24}: {value}\n"));
    };
    line("Database", database.path().display().to_string());
    line(
        "File Type",
        file_type_name(h.file_type).unwrap_or("Unknown").to_string(),
    );
    line("Checksum", format!("0x{:08x}", h.checksum));
    line("Format ulMagic", format!("0x{:08x}", h.magic));
    line("Engine ulMagic", format!("0x{DATABASE_MAGIC:08x}"));
    line(
        "Format ulVersion",
        format!("0x{:x},{}", h.format_version, h.format_revision),
    );
    line(
        "Created ulVersion",
        format!(
            "0x{:x},{}",
            h.create_format_version, h.create_format_revision
        ),
    );
    line("Format update minor", h.format_update_minor.to_string());
    line("DB Signature", h.db_signature.to_string());
    line("cbDbPage", database.page_size().to_string());
    line("dbtime", format!("{} (0x{:x})", h.db_time, h.db_time));
    line(
        "State",
        database_state_name(h.state)
            .map_or_else(|| format!("Unknown ({})", h.state), str::to_string),
    );
    line(
        "Log Required",
        generations(
            h.min_required_generation.into(),
            h.max_required_generation.into(),
        ),
    );
    line(
        "Log Committed",
        generations(0, h.max_committed_generation.into()),
    );
    line(
        "Log Recovering",
        format!(
            "{} (0x{:x})",
            h.recovering_generation, h.recovering_generation
        ),
    );
    line("GenMax Creation", time(&h.max_required_generation_time));
    line(
        "Shadowed",
        match (h.shadowing_disabled(), database.shadow_status()) {
            (true, _) => "No".into(),
            (false, ShadowStatus::BothGood) => "Yes".into(),
            (false, ShadowStatus::PrimaryBad) => "Yes (primary copy damaged, shadow used)".into(),
            (false, ShadowStatus::ShadowBad) => "Yes (shadow copy damaged or different)".into(),
        },
    );
    line("Last Objid", h.last_object_id.to_string());
    line(
        "Scrub Dbtime",
        format!("{} (0x{:x})", h.scrub_db_time, h.scrub_db_time),
    );
    line("Scrub Date", time(&h.scrub_time));
    line("Repair Count", h.repair_count.to_string());
    line("Repair Date", time(&h.repair_time));
    line("Old Repair Count", h.repair_count_old.to_string());
    line(
        "Last Consistent",
        format!("{} {}", h.consistent_position, time(&h.consistent_time)),
    );
    line(
        "Last Attach",
        format!("{} {}", h.attach_position, time(&h.attach_time)),
    );
    line(
        "Last Detach",
        format!("{} {}", h.detach_position, time(&h.detach_time)),
    );
    line("Dbid", h.dbid.to_string());
    line("Log Signature", h.log_signature.to_string());
    line(
        "OS Version",
        format!(
            "({}.{}.{} SP {})",
            h.os_major_version, h.os_minor_version, h.os_build_number, h.os_service_pack
        ),
    );
    line(
        "ECC Fix Success Count",
        format!(
            "{} {}",
            h.ecc_fix_success_count,
            time(&h.ecc_fix_success_time)
        ),
    );
    line(
        "ECC Fix Error Count",
        format!("{} {}", h.ecc_fix_fail_count, time(&h.ecc_fix_fail_time)),
    );
    line(
        "Bad Checksum Error Count",
        format!("{} {}", h.bad_checksum_count, time(&h.bad_checksum_time)),
    );
    line(
        "Database file size",
        format!("{} bytes", database.file_size()),
    );
    line(
        "Pages in file",
        format!(
            "{} ({} database pages after the 2 header pages)",
            database.file_page_count(),
            database.database_page_count()
        ),
    );
    backup(&mut out, "Previous Full Backup", &h.previous_full_backup);
    backup(
        &mut out,
        "Previous Incremental Backup",
        &h.previous_incremental_backup,
    );
    backup(&mut out, "Previous Copy Backup", &h.previous_copy_backup);
    backup(
        &mut out,
        "Previous Differential Backup",
        &h.previous_differential_backup,
    );
    backup(&mut out, "Current Full Backup", &h.current_full_backup);
    backup(
        &mut out,
        "Current Shadow copy backup",
        &h.current_snapshot_backup,
    );
    out
}
