//! File access for the layers above, with operating-system errors turned
//! into JET errors.
//!
//! Today this is the read-only access that database inspection needs. The
//! storage-core work replaces it with a trait that also writes, syncs,
//! locks, and lets tests inject faults; callers already go through
//! [`ReadOnlyFile`] so that the change stays local.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::codes::*;
use crate::{Error, Result};

/// Maps an operating-system error to the JET error ESE reports for it.
pub fn jet_error_from_io(error: &std::io::Error) -> Error {
    let code = match error.kind() {
        ErrorKind::NotFound => JET_errFileNotFound,
        ErrorKind::PermissionDenied => JET_errFileAccessDenied,
        ErrorKind::UnexpectedEof => JET_errFileIOBeyondEOF,
        ErrorKind::OutOfMemory => JET_errOutOfMemory,
        ErrorKind::StorageFull => JET_errDiskFull,
        ErrorKind::InvalidInput | ErrorKind::InvalidFilename => JET_errInvalidPath,
        ErrorKind::IsADirectory => JET_errFileInvalidType,
        _ => JET_errDiskIO,
    };
    Error::new(code).with_detail(error.to_string())
}

/// A file opened for reading at explicit offsets.
#[derive(Debug)]
pub struct ReadOnlyFile {
    file: File,
    path: PathBuf,
    size: u64,
}

impl ReadOnlyFile {
    /// Opens `path` for reading; the file is never modified.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let fail = |e: std::io::Error| {
            jet_error_from_io(&e)
                .with_operation("opening the file")
                .with_file(&path)
        };
        let file = File::open(&path).map_err(fail)?;
        let metadata = file.metadata().map_err(fail)?;
        if metadata.is_dir() {
            return Err(Error::new(JET_errFileInvalidType)
                .with_operation("opening the file")
                .with_file(&path)
                .with_detail("it is a directory"));
        }
        Ok(ReadOnlyFile {
            file,
            path,
            size: metadata.len(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's length when it was opened.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Fills `buffer` from `offset`. Reading past the end of the file fails
    /// with `JET_errFileIOBeyondEOF`.
    pub fn read_exact_at(&self, buffer: &mut [u8], offset: u64) -> Result<()> {
        read_exact_at(&self.file, buffer, offset).map_err(|e| {
            jet_error_from_io(&e)
                .with_operation(format!("reading {} bytes at offset {offset}", buffer.len()))
                .with_file(&self.path)
        })
    }

    /// Reads up to `buffer.len()` bytes from `offset`, stopping early only at
    /// the end of the file; returns the count read.
    pub fn read_at_most(&self, buffer: &mut [u8], offset: u64) -> Result<usize> {
        let available = self.size.saturating_sub(offset);
        let wanted = buffer
            .len()
            .min(usize::try_from(available).unwrap_or(usize::MAX));
        self.read_exact_at(&mut buffer[..wanted], offset)?;
        Ok(wanted)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
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
