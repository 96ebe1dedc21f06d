//! The io layer (ESE: os file API): files with positional reads and writes,
//! data syncs and an exclusive lock, behind the [`FileIo`] trait so that
//! tests can put a fault-injecting file ([`faulty::FaultyFile`]) where the
//! engine expects a real one.
//!
//! Operating-system errors become JET errors here, once: a failed read,
//! write or sync is `JET_errDiskIO`, a full disk `JET_errDiskFull`, a file
//! locked by another process `JET_errFileAccessDenied`.

use std::fmt::Debug;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::codes::*;
use crate::{Error, Result};

pub mod faulty;

/// The machine's physical memory, from /proc/meminfo (`None` where it
/// cannot be read).
pub fn physical_memory_bytes() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Maps an operating-system error to the JET error ESE reports for it.
pub fn jet_error_from_io(error: &std::io::Error) -> Error {
    let code = match error.kind() {
        ErrorKind::NotFound => JET_errFileNotFound,
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => JET_errFileAccessDenied,
        ErrorKind::UnexpectedEof => JET_errFileIOBeyondEOF,
        ErrorKind::OutOfMemory => JET_errOutOfMemory,
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            JET_errDiskFull
        }
        ErrorKind::InvalidInput | ErrorKind::InvalidFilename => JET_errInvalidPath,
        ErrorKind::IsADirectory => JET_errFileInvalidType,
        ErrorKind::AlreadyExists => JET_errDatabaseDuplicate,
        _ => JET_errDiskIO,
    };
    Error::new(code).with_detail(error.to_string())
}

/// A file the engine reads and writes at explicit offsets.
///
/// Implementations are shared between threads: every method takes `&self`
/// and positional I/O needs no shared cursor.
pub trait FileIo: Debug + Send + Sync {
    fn path(&self) -> &Path;

    /// The file's current length in bytes.
    fn len(&self) -> Result<u64>;

    fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Fills `buffer` from `offset`; past the end is `JET_errFileIOBeyondEOF`.
    fn read_at(&self, buffer: &mut [u8], offset: u64) -> Result<()>;

    /// Writes all of `data` at `offset`, growing the file if needed.
    fn write_at(&self, data: &[u8], offset: u64) -> Result<()>;

    /// Makes written data durable (fdatasync).
    fn sync_data(&self) -> Result<()>;

    /// Grows or shrinks the file.
    fn set_len(&self, len: u64) -> Result<()>;
}

/// A shared file is a file (so that a wrapper can own one the engine
/// shares).
impl FileIo for std::sync::Arc<dyn FileIo> {
    fn path(&self) -> &Path {
        (**self).path()
    }
    fn len(&self) -> Result<u64> {
        (**self).len()
    }
    fn read_at(&self, buffer: &mut [u8], offset: u64) -> Result<()> {
        (**self).read_at(buffer, offset)
    }
    fn write_at(&self, data: &[u8], offset: u64) -> Result<()> {
        (**self).write_at(data, offset)
    }
    fn sync_data(&self) -> Result<()> {
        (**self).sync_data()
    }
    fn set_len(&self, len: u64) -> Result<()> {
        (**self).set_len(len)
    }
}

/// Wraps a file (tests put a fault-injecting file around the engine's).
pub type FileWrapper =
    dyn Fn(std::sync::Arc<dyn FileIo>) -> std::sync::Arc<dyn FileIo> + Send + Sync;

/// How a file is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// Reading only; the file is never modified and not locked.
    ReadOnly,
    /// Reading and writing an existing file, locked exclusively.
    ReadWrite,
    /// Creating a new file (it must not exist), locked exclusively.
    CreateNew,
}

/// A real file of the operating system.
#[derive(Debug)]
pub struct OsFile {
    file: File,
    path: PathBuf,
    writable: bool,
}

/// How long a contended lock is retried before the file is reported in use.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_millis(250);

/// Takes the file's exclusive lock, retrying a contended lock for
/// [`LOCK_PATIENCE`]. The lock belongs to the open file description, which
/// a process started by another thread here shares from its fork until its
/// exec: a file closed a moment ago can look locked for that long. A real
/// holder keeps it far longer, and is reported after the wait.
fn lock_exclusively(file: &File) -> std::result::Result<(), TryLockError> {
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Err(TryLockError::WouldBlock) if started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            outcome => return outcome,
        }
    }
}

impl OsFile {
    /// Opens `path`. Writable modes take an exclusive lock for as long as
    /// the file stays open, so a second process (or a second open in this
    /// one) gets `JET_errFileAccessDenied`, as ESE refuses a database
    /// attached elsewhere.
    pub fn open(path: impl AsRef<Path>, mode: OpenMode) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let fail = |e: std::io::Error| {
            jet_error_from_io(&e)
                .with_operation("opening the file")
                .with_file(&path)
        };
        let mut options = OpenOptions::new();
        options.read(true);
        match mode {
            OpenMode::ReadOnly => {}
            OpenMode::ReadWrite => {
                options.write(true);
            }
            OpenMode::CreateNew => {
                options.write(true).create_new(true);
            }
        }
        let file = options.open(&path).map_err(fail)?;
        if file.metadata().map_err(fail)?.is_dir() {
            return Err(Error::new(JET_errFileInvalidType)
                .with_operation("opening the file")
                .with_file(&path)
                .with_detail("it is a directory"));
        }
        let writable = mode != OpenMode::ReadOnly;
        if writable {
            lock_exclusively(&file).map_err(|e| match e {
                TryLockError::WouldBlock => Error::new(JET_errFileAccessDenied)
                    .with_operation("locking the file")
                    .with_file(&path)
                    .with_detail("another process (or another open here) holds it"),
                TryLockError::Error(e) => fail(e),
            })?;
        }
        Ok(OsFile {
            file,
            path,
            writable,
        })
    }

    fn fail(&self, operation: String, error: &std::io::Error) -> Error {
        jet_error_from_io(error)
            .with_operation(operation)
            .with_file(&self.path)
    }

    /// Reads up to `buffer.len()` bytes from `offset`, stopping early only at
    /// the end of the file; returns the count read.
    pub fn read_at_most(&self, buffer: &mut [u8], offset: u64) -> Result<usize> {
        let available = self.len()?.saturating_sub(offset);
        let wanted = buffer
            .len()
            .min(usize::try_from(available).unwrap_or(usize::MAX));
        self.read_at(&mut buffer[..wanted], offset)?;
        Ok(wanted)
    }

    /// Makes the file `len` bytes long with its space really taken (so that
    /// writing it later cannot find the disk full): the file system
    /// allocates the blocks where it can (fallocate), else zeros are
    /// written.
    pub fn allocate(&self, len: u64) -> Result<()> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{fallocate, FallocateFlags};
            match fallocate(&self.file, FallocateFlags::empty(), 0, len) {
                Ok(()) => return Ok(()),
                Err(rustix::io::Errno::NOSPC) => {
                    return Err(Error::new(JET_errDiskFull)
                        .with_operation(format!("allocating {len} bytes"))
                        .with_file(&self.path))
                }
                // Not supported here: write the zeros.
                Err(_) => {}
            }
        }
        let chunk = vec![0u8; 1 << 20];
        let mut at = 0;
        while at < len {
            let n = chunk.len().min((len - at) as usize);
            self.write_at(&chunk[..n], at)?;
            at += n as u64;
        }
        Ok(())
    }
}

impl FileIo for OsFile {
    fn path(&self) -> &Path {
        &self.path
    }

    fn len(&self) -> Result<u64> {
        self.file
            .metadata()
            .map(|m| m.len())
            .map_err(|e| self.fail("reading the file size".into(), &e))
    }

    fn read_at(&self, buffer: &mut [u8], offset: u64) -> Result<()> {
        platform::read_exact_at(&self.file, buffer, offset).map_err(|e| {
            self.fail(
                format!("reading {} bytes at offset {offset}", buffer.len()),
                &e,
            )
        })
    }

    fn write_at(&self, data: &[u8], offset: u64) -> Result<()> {
        if !self.writable {
            return Err(Error::new(JET_errFileAccessDenied)
                .with_file(&self.path)
                .with_detail("the file was opened read-only"));
        }
        platform::write_all_at(&self.file, data, offset).map_err(|e| {
            let mut error = self.fail(
                format!("writing {} bytes at offset {offset}", data.len()),
                &e,
            );
            // Any write failure that is not a full disk is an I/O error.
            if error.code() != JET_errDiskFull {
                error = Error::new(JET_errDiskIO)
                    .with_operation(format!("writing {} bytes at offset {offset}", data.len()))
                    .with_file(&self.path)
                    .with_detail(e.to_string());
            }
            error
        })
    }

    fn sync_data(&self) -> Result<()> {
        self.file.sync_data().map_err(|e| {
            Error::new(JET_errDiskIO)
                .with_operation("syncing the file")
                .with_file(&self.path)
                .with_detail(e.to_string())
        })
    }

    fn set_len(&self, len: u64) -> Result<()> {
        if !self.writable {
            return Err(Error::new(JET_errFileAccessDenied)
                .with_file(&self.path)
                .with_detail("the file was opened read-only"));
        }
        self.file
            .set_len(len)
            .map_err(|e| self.fail(format!("resizing the file to {len} bytes"), &e))
    }
}

#[cfg(unix)]
mod platform {
    use std::fs::File;
    use std::os::unix::fs::FileExt;

    pub fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
        file.read_exact_at(buffer, offset)
    }

    pub fn write_all_at(file: &File, data: &[u8], offset: u64) -> std::io::Result<()> {
        file.write_all_at(data, offset)
    }
}

#[cfg(windows)]
mod platform {
    use std::fs::File;
    use std::io::ErrorKind;
    use std::os::windows::fs::FileExt;

    pub fn read_exact_at(
        file: &File,
        mut buffer: &mut [u8],
        mut offset: u64,
    ) -> std::io::Result<()> {
        while !buffer.is_empty() {
            match file.seek_read(buffer, offset)? {
                0 => return Err(ErrorKind::UnexpectedEof.into()),
                n => {
                    buffer = &mut buffer[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }

    pub fn write_all_at(file: &File, mut data: &[u8], mut offset: u64) -> std::io::Result<()> {
        while !data.is_empty() {
            match file.seek_write(data, offset)? {
                0 => return Err(ErrorKind::WriteZero.into()),
                n => {
                    data = &data[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }
}
