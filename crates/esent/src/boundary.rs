//! What every exported function does at the C boundary: it turns the Rust
//! API's outcome into a JET_ERR (0, a warning, or an error), and it never
//! lets a panic unwind into C: a panic becomes `JET_errInternalError`, and
//! its message goes to standard error so that it is not lost.
//!
//! The pointer helpers check what a C caller hands over (NULL where a value
//! is required, a length without a buffer) and read strings in both of
//! ESENT's forms: A (`char *`, taken as UTF-8) and W (`WCHAR *`, UTF-16).

use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use ese::codes::*;
use ese::{Error, Result};

use crate::types::JET_ERR;

/// Runs one exported call. `body` returns the warning to report (0 for
/// none) or the error.
pub(crate) fn call(function: &str, body: impl FnOnce() -> Result<i32>) -> JET_ERR {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(warning)) => warning,
        Ok(Err(error)) => error.code(),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            eprintln!("libesent: {function} failed inside the engine: {message}");
            JET_errInternalError
        }
    }
}

/// `JET_errInvalidParameter` for a NULL pointer where the function needs
/// one.
pub(crate) fn null(what: &str) -> Error {
    Error::new(JET_errInvalidParameter).with_detail(format!("{what} is NULL"))
}

/// Stores `value` through an out-pointer the caller must supply.
///
/// # Safety
/// `target` is NULL or points to writable memory for a `T`.
pub(crate) unsafe fn put<T>(target: *mut T, value: T, what: &str) -> Result<()> {
    if target.is_null() {
        return Err(null(what));
    }
    // SAFETY: not NULL, and the caller's contract makes it writable.
    unsafe { target.write_unaligned(value) };
    Ok(())
}

/// Stores `value` through an optional out-pointer (NULL: not wanted).
///
/// # Safety
/// As for [`put`].
pub(crate) unsafe fn put_opt<T>(target: *mut T, value: T) {
    if !target.is_null() {
        // SAFETY: not NULL, and the caller's contract makes it writable.
        unsafe { target.write_unaligned(value) };
    }
}

/// Reads a value the caller must supply.
///
/// # Safety
/// `source` is NULL or points to a readable `T`.
pub(crate) unsafe fn get<T: Copy>(source: *const T, what: &str) -> Result<T> {
    if source.is_null() {
        return Err(null(what));
    }
    // SAFETY: not NULL, and the caller's contract makes it readable.
    Ok(unsafe { source.read_unaligned() })
}

/// An A string (`char *`, NUL-terminated, taken as UTF-8); NULL is `None`.
///
/// # Safety
/// `text` is NULL or points to a NUL-terminated string.
pub(crate) unsafe fn a_text(text: *const c_char) -> Result<Option<String>> {
    if text.is_null() {
        return Ok(None);
    }
    // SAFETY: not NULL and NUL-terminated by the caller's contract.
    let bytes = unsafe { CStr::from_ptr(text) }.to_bytes();
    std::str::from_utf8(bytes)
        .map(|s| Some(s.to_string()))
        .map_err(|_| Error::new(JET_errInvalidParameter).with_detail("a string that is not UTF-8"))
}

/// A W string (`WCHAR *`, UTF-16, NUL-terminated); NULL is `None`.
///
/// # Safety
/// `text` is NULL or points to a NUL-terminated UTF-16 string.
pub(crate) unsafe fn w_text(text: *const u16) -> Result<Option<String>> {
    if text.is_null() {
        return Ok(None);
    }
    let mut units = Vec::new();
    for i in 0.. {
        // SAFETY: the string goes on at least to its NUL, which ends the
        // loop before any read past it.
        let unit = unsafe { text.add(i).read_unaligned() };
        if unit == 0 {
            break;
        }
        units.push(unit);
    }
    String::from_utf16(&units)
        .map(Some)
        .map_err(|_| Error::new(JET_errInvalidParameter).with_detail("a string that is not UTF-16"))
}

/// A required string in either form.
pub(crate) fn required(text: Option<String>, what: &str) -> Result<String> {
    text.ok_or_else(|| null(what))
}

/// `len` bytes at `data`; NULL with a length of 0 is empty.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes that outlive the call.
pub(crate) unsafe fn bytes<'a>(data: *const c_void, len: u32, what: &str) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(null(what));
    }
    // SAFETY: not NULL, and `len` bytes are readable by the caller's
    // contract.
    Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len as usize) })
}

/// A caller's output buffer of `len` bytes; NULL (or 0 bytes) is empty.
///
/// # Safety
/// `data` is NULL or points to `len` writable bytes that outlive the call.
pub(crate) unsafe fn buffer<'a>(data: *mut c_void, len: u32) -> &'a mut [u8] {
    if len == 0 || data.is_null() {
        return &mut [];
    }
    // SAFETY: not NULL, and `len` bytes are writable by the caller's
    // contract.
    unsafe { std::slice::from_raw_parts_mut(data.cast::<u8>(), len as usize) }
}

/// Copies as much of `value` as `out` holds; true when all of it fit.
pub(crate) fn copy_out(value: &[u8], out: &mut [u8]) -> bool {
    let n = value.len().min(out.len());
    out[..n].copy_from_slice(&value[..n]);
    n == value.len()
}

/// `len` bytes of a key string given in the A form (`char *`, UTF-8).
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn a_key(data: *const c_char, len: u32) -> Result<String> {
    // SAFETY: forwarded contract.
    let raw = unsafe { bytes(data.cast(), len, "the key")? };
    String::from_utf8(raw.to_vec())
        .map_err(|_| Error::new(JET_errInvalidParameter).with_detail("a key that is not UTF-8"))
}

/// `len` bytes (not characters) of a key string in the W form.
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn w_key(data: *const u16, len: u32) -> Result<String> {
    // SAFETY: forwarded contract.
    let raw = unsafe { bytes(data.cast(), len, "the key")? };
    if raw.len() % 2 != 0 {
        return Err(Error::new(JET_errInvalidParameter).with_detail("an odd cbKey for a WCHAR key"));
    }
    let units: Vec<u16> = raw
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units)
        .map_err(|_| Error::new(JET_errInvalidParameter).with_detail("a key that is not UTF-16"))
}

/// Copies `text` into a caller's A buffer of `max` bytes, NUL-terminated;
/// `JET_wrnBufferTruncated` when it had to be cut.
pub(crate) fn write_a(text: &str, out: &mut [u8]) -> i32 {
    write_units(text.as_bytes(), out, 1)
}

/// Copies `text` into a caller's W buffer of `max` bytes, NUL-terminated.
pub(crate) fn write_w(text: &str, out: &mut [u8]) -> i32 {
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    write_units(&bytes, out, 2)
}

fn write_units(text: &[u8], out: &mut [u8], unit: usize) -> i32 {
    if out.len() < unit {
        return if text.is_empty() {
            0
        } else {
            JET_wrnBufferTruncated
        };
    }
    let room = (out.len() / unit - 1) * unit;
    let n = text.len().min(room);
    out[..n].copy_from_slice(&text[..n]);
    out[n..n + unit].fill(0);
    if n < text.len() {
        JET_wrnBufferTruncated
    } else {
        0
    }
}

/// ESENT's two forms of a function: A (`char *`, UTF-8) and W (`WCHAR *`,
/// UTF-16), for the calls written once for both.
pub(crate) trait Form {
    type Char: Copy + Default + Into<i32>;
    /// # Safety
    /// NULL or a NUL-terminated string.
    unsafe fn text(p: *const Self::Char) -> Result<Option<String>>;
    /// # Safety
    /// NULL (with `cb` 0) or `cb` readable bytes.
    unsafe fn key(p: *const Self::Char, cb: u32) -> Result<String>;
    /// True for W (UTF-16).
    const WIDE: bool;
    /// `text` in this form as the bytes of a text column's value (no
    /// terminator): UTF-8 for A, UTF-16 for W.
    fn column_text(text: &str) -> Vec<u8> {
        let mut bytes = Self::encode(text);
        bytes.truncate(bytes.len() - if Self::WIDE { 2 } else { 1 });
        bytes
    }
    /// `text` in a fixed array of this form's characters, cut to leave
    /// room for its terminator (ESENT's name fields).
    fn fill<const N: usize>(text: &str) -> [Self::Char; N] {
        let mut out = [Self::Char::default(); N];
        let units = Self::encode(text);
        let unit = if Self::WIDE { 2 } else { 1 };
        for (slot, chunk) in out.iter_mut().take(N - 1).zip(units.chunks_exact(unit)) {
            let value = if Self::WIDE {
                u16::from_le_bytes([chunk[0], chunk[1]])
            } else {
                u16::from(chunk[0])
            };
            *slot = Self::from_unit(value);
        }
        out
    }
    /// One code unit (a byte for A, a UTF-16 unit for W) as a character.
    fn from_unit(unit: u16) -> Self::Char;
    /// `text` in this form, NUL-terminated, as bytes.
    fn encode(text: &str) -> Vec<u8> {
        if Self::WIDE {
            text.encode_utf16()
                .chain([0])
                .flat_map(u16::to_le_bytes)
                .collect()
        } else {
            text.bytes().chain([0]).collect()
        }
    }
}

pub(crate) struct A;
pub(crate) struct W;

impl Form for A {
    type Char = c_char;
    const WIDE: bool = false;
    fn from_unit(unit: u16) -> c_char {
        unit as u8 as c_char
    }
    unsafe fn text(p: *const c_char) -> Result<Option<String>> {
        // SAFETY: forwarded contract.
        unsafe { a_text(p) }
    }
    unsafe fn key(p: *const c_char, cb: u32) -> Result<String> {
        // SAFETY: forwarded contract.
        unsafe { a_key(p, cb) }
    }
}

impl Form for W {
    type Char = u16;
    const WIDE: bool = true;
    fn from_unit(unit: u16) -> u16 {
        unit
    }
    unsafe fn text(p: *const u16) -> Result<Option<String>> {
        // SAFETY: forwarded contract.
        unsafe { w_text(p) }
    }
    unsafe fn key(p: *const u16, cb: u32) -> Result<String> {
        // SAFETY: forwarded contract.
        unsafe { w_key(p, cb) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let code = call("JetTest", || panic!("boom"));
        assert_eq!(code, JET_errInternalError);
    }

    #[test]
    fn strings_are_cut_with_their_terminator_and_a_warning() {
        let mut out = [0xffu8; 4];
        assert_eq!(write_a("abcdef", &mut out), JET_wrnBufferTruncated);
        assert_eq!(&out, b"abc\0");
        let mut out = [0xffu8; 8];
        assert_eq!(write_a("ab", &mut out), 0);
        assert_eq!(&out[..3], b"ab\0");
        let mut wide = [0xffu8; 6];
        assert_eq!(write_w("xyz", &mut wide), JET_wrnBufferTruncated);
        assert_eq!(wide, [b'x', 0, b'y', 0, 0, 0]);
    }
}
