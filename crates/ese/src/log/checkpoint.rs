//! The checkpoint file (ESE: the .chk file): where recovery must start
//! reading the log, and which databases were attached there.
//!
//! Everything the log holds before the checkpoint is in the database files
//! and no transaction still open began before it. The file is replaced
//! whole (written beside, synced, renamed over), so a crash leaves the old
//! checkpoint or the new one, never a mixture.

use std::path::{Path, PathBuf};

use super::files::sync_directory;
use super::format::{crc, display, LogPosition, LogSignature};
use crate::codes::*;
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::{Error, Result};

const MAGIC: &[u8; 8] = b"ESERSCHK";
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub signature: LogSignature,
    /// Where redo starts.
    pub position: LogPosition,
    /// The databases attached at `position`, by the number the log gives
    /// them.
    pub databases: Vec<(u32, PathBuf)>,
}

impl Checkpoint {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![0u8; 4];
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        self.signature.encode(&mut out);
        out.extend_from_slice(&self.position.to_le_bytes());
        out.extend_from_slice(&(self.databases.len() as u32).to_le_bytes());
        for (number, path) in &self.databases {
            let path = path.as_os_str().as_encoded_bytes();
            out.extend_from_slice(&number.to_le_bytes());
            out.extend_from_slice(&(path.len() as u32).to_le_bytes());
            out.extend_from_slice(path);
        }
        let sum = crc(&out[4..]);
        out[..4].copy_from_slice(&sum.to_le_bytes());
        out
    }

    pub fn decode(bytes: &[u8]) -> std::result::Result<Self, &'static str> {
        let take = |at: &mut usize, n: usize| -> std::result::Result<&[u8], &'static str> {
            let slice = bytes.get(*at..*at + n).ok_or("the file ends early")?;
            *at += n;
            Ok(slice)
        };
        let mut at = 0;
        let stored = take(&mut at, 4)?;
        if take(&mut at, 8)? != MAGIC {
            return Err("not a checkpoint file of this engine");
        }
        if u32::from_le_bytes(stored.try_into().map_err(|_| "short")?) != crc(&bytes[4..]) {
            return Err("the checksum does not match");
        }
        let u32_of = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if u32_of(take(&mut at, 4)?) != VERSION {
            return Err("an unknown checkpoint version");
        }
        let signature =
            LogSignature::decode(take(&mut at, LogSignature::SIZE)?).ok_or("a short signature")?;
        let mut position = [0u8; 8];
        position.copy_from_slice(take(&mut at, 8)?);
        let count = u32_of(take(&mut at, 4)?);
        let mut databases = Vec::new();
        for _ in 0..count {
            let number = u32_of(take(&mut at, 4)?);
            let length = u32_of(take(&mut at, 4)?) as usize;
            let path = std::str::from_utf8(take(&mut at, length)?)
                .map_err(|_| "a database path that is not UTF-8")?;
            databases.push((number, PathBuf::from(path)));
        }
        if at != bytes.len() {
            return Err("bytes left over");
        }
        Ok(Checkpoint {
            signature,
            position: u64::from_le_bytes(position),
            databases,
        })
    }

    /// Reads the checkpoint file; `Ok(None)` when there is none.
    pub fn read(path: &Path) -> Result<Option<Self>> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::storage::io::jet_error_from_io(&e).with_file(path)),
        };
        Checkpoint::decode(&bytes).map(Some).map_err(|why| {
            Error::new(JET_errCheckpointCorrupt)
                .with_file(path)
                .with_detail(why)
        })
    }

    /// Replaces the checkpoint file atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut beside = path.as_os_str().to_owned();
        beside.push(".new");
        let beside = PathBuf::from(beside);
        let _ = std::fs::remove_file(&beside);
        let file = OsFile::open(&beside, OpenMode::CreateNew)?;
        file.write_at(&self.encode(), 0)?;
        file.sync_data()?;
        drop(file);
        std::fs::rename(&beside, path)
            .map_err(|e| crate::storage::io::jet_error_from_io(&e).with_file(path))?;
        sync_directory(path.parent().unwrap_or(Path::new(".")))
    }

    /// A line for dumps.
    pub fn describe(&self) -> String {
        format!("checkpoint {}", display(self.position))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_round_trips_through_its_file_and_a_damaged_one_is_refused() {
        let dir = std::env::temp_dir().join(format!("ese-chk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("edb.chk");
        let checkpoint = Checkpoint {
            signature: LogSignature {
                random: 9,
                ..LogSignature::default()
            },
            position: super::super::format::position(3, 532),
            databases: vec![(1, PathBuf::from("/x/a.edb")), (4, PathBuf::from("b.edb"))],
        };
        assert_eq!(Checkpoint::read(&path).unwrap(), None);
        checkpoint.write(&path).unwrap();
        assert_eq!(Checkpoint::read(&path).unwrap(), Some(checkpoint.clone()));
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[20] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            Checkpoint::read(&path).unwrap_err().code(),
            JET_errCheckpointCorrupt
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
