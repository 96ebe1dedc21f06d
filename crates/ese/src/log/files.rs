//! The files of a log sequence and their names, as ESE names them
//! (extensible-storage-engine-files.md): `<base>.log` is the generation
//! being written, `<base>XXXXX.log` the full ones (five hexadecimal digits,
//! eight from generation 0x100000 on), `<base>tmp.log` the next one being
//! prepared, reserve files for a full disk, `<base>.chk` the checkpoint.
//! Without JET_bitESE98FileNames (JET_paramLegacyFileNames 0) the
//! extensions are `.jtx` / `.jcp` and reserves `<base>RESXXXXX.jrs`.

use std::path::{Path, PathBuf};

use crate::codes::*;
use crate::{Error, Result};

/// Where a log sequence's files live and what they are called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogNames {
    /// JET_paramLogFilePath.
    pub log_directory: PathBuf,
    /// JET_paramSystemPath (the checkpoint file).
    pub system_directory: PathBuf,
    /// JET_paramBaseName: three characters.
    pub base: String,
    /// JET_paramLegacyFileNames has JET_bitESE98FileNames (ESE's default).
    pub legacy: bool,
}

impl LogNames {
    /// Checks the base name (JET_paramBaseName is three characters).
    pub fn new(
        log_directory: impl Into<PathBuf>,
        system_directory: impl Into<PathBuf>,
        base: &str,
        legacy: bool,
    ) -> Result<Self> {
        if base.chars().count() != 3 || base.contains(['/', '\\', '.']) {
            return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
                "the log base name {base:?} must be three characters"
            )));
        }
        Ok(LogNames {
            log_directory: log_directory.into(),
            system_directory: system_directory.into(),
            base: base.to_string(),
            legacy,
        })
    }

    fn extension(&self) -> &'static str {
        if self.legacy {
            "log"
        } else {
            "jtx"
        }
    }

    /// The generation being written (`edb.log`).
    pub fn current(&self) -> PathBuf {
        self.log_directory
            .join(format!("{}.{}", self.base, self.extension()))
    }

    /// A full generation (`edb0000A.log`).
    pub fn generation(&self, generation: u32) -> PathBuf {
        let digits = if generation < 0x10_0000 { 5 } else { 8 };
        self.log_directory.join(format!(
            "{}{:0digits$X}.{}",
            self.base,
            generation,
            self.extension()
        ))
    }

    /// The next generation while it is prepared (`edbtmp.log`).
    pub fn temporary(&self) -> PathBuf {
        self.log_directory
            .join(format!("{}tmp.{}", self.base, self.extension()))
    }

    /// Reserve file `n` (1 or 2).
    pub fn reserve(&self, n: u32) -> PathBuf {
        if self.legacy {
            self.log_directory.join(format!("res{n}.log"))
        } else {
            self.log_directory
                .join(format!("{}RES{n:05X}.jrs", self.base))
        }
    }

    /// The checkpoint file (`edb.chk`), in the system directory.
    pub fn checkpoint(&self) -> PathBuf {
        let extension = if self.legacy { "chk" } else { "jcp" };
        self.system_directory
            .join(format!("{}.{extension}", self.base))
    }

    /// The double-write file (not an ESE file: see
    /// `storage::double_write`), beside the checkpoint.
    pub fn double_write(&self) -> PathBuf {
        self.system_directory.join(format!("{}.jdw", self.base))
    }

    /// The generation a full log file's name gives, if it is one of ours.
    pub fn parse_generation(&self, name: &str) -> Option<u32> {
        let stem = name.strip_suffix(&format!(".{}", self.extension()))?;
        let digits = stem.strip_prefix(&self.base)?;
        if !(digits.len() == 5 || digits.len() == 8) {
            return None;
        }
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }

    /// The full generations present, ascending.
    pub fn archived(&self) -> Result<Vec<u32>> {
        let entries = match std::fs::read_dir(&self.log_directory) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(crate::storage::io::jet_error_from_io(&e).with_file(&self.log_directory))
            }
        };
        let mut generations: Vec<u32> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| self.parse_generation(n))
            })
            .collect();
        generations.sort_unstable();
        Ok(generations)
    }
}

/// Makes a rename or a new file in `directory` durable.
pub fn sync_directory(directory: &Path) -> Result<()> {
    match std::fs::File::open(directory) {
        Ok(dir) => dir
            .sync_all()
            .map_err(|e| crate::storage::io::jet_error_from_io(&e).with_file(directory)),
        // Some platforms cannot open a directory; nothing more to do there.
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_ese() {
        let legacy = LogNames::new("/l", "/s", "edb", true).unwrap();
        assert_eq!(legacy.current(), PathBuf::from("/l/edb.log"));
        assert_eq!(legacy.generation(1), PathBuf::from("/l/edb00001.log"));
        assert_eq!(legacy.generation(0xff), PathBuf::from("/l/edb000FF.log"));
        assert_eq!(
            legacy.generation(0x10_0000),
            PathBuf::from("/l/edb00100000.log")
        );
        assert_eq!(legacy.temporary(), PathBuf::from("/l/edbtmp.log"));
        assert_eq!(legacy.reserve(2), PathBuf::from("/l/res2.log"));
        assert_eq!(legacy.checkpoint(), PathBuf::from("/s/edb.chk"));
        assert_eq!(legacy.parse_generation("edb000FF.log"), Some(0xff));
        assert_eq!(legacy.parse_generation("edb00100000.log"), Some(0x10_0000));
        assert_eq!(legacy.parse_generation("edb.log"), None);
        assert_eq!(legacy.parse_generation("edbtmp.log"), None);
        assert_eq!(legacy.parse_generation("abc00001.log"), None);
        let modern = LogNames::new("/l", "/s", "abc", false).unwrap();
        assert_eq!(modern.current(), PathBuf::from("/l/abc.jtx"));
        assert_eq!(modern.generation(2), PathBuf::from("/l/abc00002.jtx"));
        assert_eq!(modern.reserve(1), PathBuf::from("/l/abcRES00001.jrs"));
        assert_eq!(modern.checkpoint(), PathBuf::from("/s/abc.jcp"));
        assert!(LogNames::new("/l", "/s", "ed", true).is_err());
    }
}
