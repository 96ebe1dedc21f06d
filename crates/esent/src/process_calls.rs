//! Calls on the process as a whole: JetEnableMultiInstance (global
//! parameters set atomically with the switch to multi-instance mode),
//! JetInit3 (a start with a restore map), JetGetInstanceInfo and the
//! JetFreeBuffer that gives its memory back.
//!
//! Memory the library hands a program to free with JetFreeBuffer is
//! recorded here by address, so that JetFreeBuffer frees only what the
//! library allocated: an address it never gave out is refused with
//! `JET_errInvalidParameter` instead of corrupting the heap.

use std::collections::HashMap;
use std::ffi::c_char;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use ese::api::Jet;
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::instance_calls::instance_of;
use crate::types::*;

/// Blocks given to programs: address to length in 8-byte words (so that
/// the structures at their start are aligned). Each is a leaked
/// `Box<[u64]>` until JetFreeBuffer takes it back.
static BUFFERS: LazyLock<Mutex<HashMap<usize, usize>>> = LazyLock::new(Default::default);

/// Gives out a block of `len` zeroed bytes, to be freed by JetFreeBuffer.
fn allocate(len: usize) -> *mut u8 {
    let words = len.div_ceil(8).max(1);
    let block: *mut [u64] = Box::into_raw(vec![0u64; words].into_boxed_slice());
    let address = block.cast::<u8>();
    BUFFERS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(address as usize, words);
    address
}

/// JetFreeBuffer: NULL is ignored, as its page says.
#[no_mangle]
pub extern "C" fn JetFreeBuffer(pbBuf: *mut c_char) -> JET_ERR {
    call("JetFreeBuffer", || {
        if pbBuf.is_null() {
            return Ok(0);
        }
        let gone = BUFFERS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(pbBuf as usize));
        match gone {
            Some(words) => {
                let block = std::ptr::slice_from_raw_parts_mut(pbBuf.cast::<u64>(), words);
                // SAFETY: `block` is the Box this library leaked for this
                // address with this length (removed from the table above,
                // so it is given back once).
                drop(unsafe { Box::from_raw(block) });
                Ok(0)
            }
            None => Err(Error::new(JET_errInvalidParameter)
                .with_detail("JetFreeBuffer: memory the library did not allocate")),
        }
    })
}

/// JetEnableMultiInstance: each JET_SETSYSPARAM's `err` receives its
/// parameter's outcome (those after a failed one are not tried), and
/// `pcsetsucceed` how many were set.
unsafe fn enable_multi_instance<F: Form>(
    params: *mut JET_SETSYSPARAM<F::Char>,
    count: ULONG,
    succeeded: *mut ULONG,
) -> Result<i32> {
    let mut given = Vec::new();
    if count > 0 {
        if params.is_null() {
            return Err(null("psetsysparam"));
        }
        for i in 0..count as usize {
            // SAFETY: within the caller's `count` entries.
            let entry = unsafe { params.add(i).read_unaligned() };
            // SAFETY: the entry's string (caller's contract).
            let text = unsafe { F::text(entry.sz)? };
            given.push((entry.paramid, entry.lParam as u64, text));
        }
    }
    let borrowed: Vec<(u32, u64, Option<&str>)> = given
        .iter()
        .map(|(id, number, text)| (*id, *number, text.as_deref()))
        .collect();
    let (done, outcome) = Jet::global().enable_multi_instance(&borrowed);
    for i in 0..(done + 1).min(count as usize) {
        let err = if i < done {
            0
        } else {
            outcome.as_ref().err().map_or(0, Error::code)
        };
        // SAFETY: within the caller's entries, checked not NULL above.
        unsafe { (*params.add(i)).err = err };
    }
    // SAFETY: NULL allowed (not wanted).
    unsafe { put_opt(succeeded, done as ULONG) };
    outcome.map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetEnableMultiInstanceA(
    psetsysparam: *mut JET_SETSYSPARAM<c_char>,
    csetsysparam: ULONG,
    pcsetsucceed: *mut ULONG,
) -> JET_ERR {
    call("JetEnableMultiInstance", || {
        // SAFETY: forwarded contract.
        unsafe { enable_multi_instance::<A>(psetsysparam, csetsysparam, pcsetsucceed) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetEnableMultiInstanceW(
    psetsysparam: *mut JET_SETSYSPARAM<WCHAR>,
    csetsysparam: ULONG,
    pcsetsucceed: *mut ULONG,
) -> JET_ERR {
    call("JetEnableMultiInstance", || {
        // SAFETY: forwarded contract.
        unsafe { enable_multi_instance::<W>(psetsysparam, csetsysparam, pcsetsucceed) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetEnableMultiInstance(
    psetsysparam: *mut JET_SETSYSPARAM<c_char>,
    csetsysparam: ULONG,
    pcsetsucceed: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetEnableMultiInstanceA(psetsysparam, csetsysparam, pcsetsucceed) }
}

/// JetInit3: JetInit2 with a JET_RSTINFO, whose restore map names where
/// each database the log changes is now. A stopping point (`lgposStop`,
/// `logtimeStop`) is refused with `JET_errInvalidParameter`: recovery
/// here always replays the whole log. `pfnStatus` is not called (recovery
/// reports no progress yet).
pub(crate) unsafe fn init3<F: Form>(
    pinstance: *mut JET_INSTANCE,
    prstInfo: *const JET_RSTINFO<F::Char>,
    grbit: JET_GRBIT,
) -> Result<i32> {
    let given = if pinstance.is_null() {
        None
    } else {
        // SAFETY: not NULL; readable by the caller's contract.
        instance_of(unsafe { get(pinstance, "pinstance")? })
    };
    let map: Option<Vec<(PathBuf, PathBuf)>> = if prstInfo.is_null() {
        None
    } else {
        // SAFETY: not NULL; readable by the caller's contract.
        let info = unsafe { get(prstInfo, "prstInfo")? };
        let size = std::mem::size_of::<JET_RSTINFO<F::Char>>() as ULONG;
        if info.cbStruct != size {
            return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
                "JET_RSTINFO: cbStruct {} is not its size {size}",
                info.cbStruct
            )));
        }
        if info.lgposStop.lGeneration != 0 || info.logtimeStop.bYear != 0 {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail("JET_RSTINFO: recovery to a stopping point is not offered"));
        }
        // SAFETY: the caller's map (crate contract).
        Some(unsafe { crate::restore_calls::restore_map::<F>(info.rgrstmap, info.crstmap)? })
    };
    let handle = Jet::global().init3_with(given, map.as_deref(), grbit)?;
    // SAFETY: NULL is allowed (nothing written).
    unsafe { put_opt(pinstance, handle as JET_INSTANCE) };
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetInit3A(
    pinstance: *mut JET_INSTANCE,
    prstInfo: *const JET_RSTINFO<c_char>,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetInit3", || unsafe {
        init3::<A>(pinstance, prstInfo, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetInit3W(
    pinstance: *mut JET_INSTANCE,
    prstInfo: *const JET_RSTINFO<WCHAR>,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetInit3", || unsafe {
        init3::<W>(pinstance, prstInfo, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetInit3(
    pinstance: *mut JET_INSTANCE,
    prstInfo: *const JET_RSTINFO<c_char>,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetInit3A(pinstance, prstInfo, grbit) }
}

/// JetGetInstanceInfo: one block, freed with JetFreeBuffer, holding the
/// JET_INSTANCE_INFO array, then each instance's arrays of string
/// pointers, then the strings. A database's display name is its path.
unsafe fn get_instance_info<F: Form>(
    pcInstanceInfo: *mut ULONG,
    paInstanceInfo: *mut *mut JET_INSTANCE_INFO<F::Char>,
) -> Result<i32> {
    if pcInstanceInfo.is_null() {
        return Err(null("pcInstanceInfo"));
    }
    if paInstanceInfo.is_null() {
        return Err(null("paInstanceInfo"));
    }
    let infos = Jet::global().get_instance_info()?;
    let record = std::mem::size_of::<JET_INSTANCE_INFO<F::Char>>();
    let word = std::mem::size_of::<usize>();
    let names: Vec<Vec<u8>> = infos
        .iter()
        .map(|i| F::encode(i.name.as_deref().unwrap_or(&i.display_name)))
        .collect();
    let paths: Vec<Vec<Vec<u8>>> = infos
        .iter()
        .map(|i| {
            i.databases
                .iter()
                .map(|p| F::encode(&p.to_string_lossy()))
                .collect()
        })
        .collect();
    let pointer_words: usize = infos.iter().map(|i| 2 * i.databases.len()).sum();
    let text_bytes: usize = names.iter().map(Vec::len).sum::<usize>()
        + paths.iter().flatten().map(Vec::len).sum::<usize>();
    let total = infos.len() * record + pointer_words * word + text_bytes;
    let block = allocate(total);
    // The pointer arrays follow the records, then the strings; every
    // offset stays inside `total` by construction.
    let mut pointers = infos.len() * record;
    let mut text = pointers + pointer_words * word;
    let place = |bytes: &[u8], text: &mut usize| -> *mut F::Char {
        // SAFETY: `*text + bytes.len()` is within the block (sized above).
        let at = unsafe { block.add(*text) };
        // SAFETY: as above; the block is writable and not yet shared.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), at, bytes.len()) };
        *text += bytes.len();
        at.cast()
    };
    for (i, info) in infos.iter().enumerate() {
        let name = place(&names[i], &mut text);
        let count = info.databases.len();
        // SAFETY: the two arrays of `count` pointers are within the block.
        let files = unsafe { block.add(pointers) }.cast::<*mut F::Char>();
        // SAFETY: as above.
        let displays = unsafe { block.add(pointers + count * word) }.cast::<*mut F::Char>();
        pointers += 2 * count * word;
        for (d, path) in paths[i].iter().enumerate() {
            let at = place(path, &mut text);
            // SAFETY: index `d` < `count`, within the arrays.
            unsafe {
                files.add(d).write_unaligned(at);
                displays.add(d).write_unaligned(at);
            }
        }
        let entry = JET_INSTANCE_INFO::<F::Char> {
            hInstanceId: info.instance as JET_INSTANCE,
            szInstanceName: name,
            cDatabases: count,
            szDatabaseFileName: if count == 0 {
                std::ptr::null_mut()
            } else {
                files
            },
            szDatabaseDisplayName: if count == 0 {
                std::ptr::null_mut()
            } else {
                displays
            },
            szDatabaseSLVFileName_Obsolete: std::ptr::null_mut(),
        };
        // SAFETY: record `i` is within the block.
        unsafe {
            block
                .add(i * record)
                .cast::<JET_INSTANCE_INFO<F::Char>>()
                .write_unaligned(entry)
        };
    }
    // SAFETY: both checked not NULL above.
    unsafe {
        put(pcInstanceInfo, infos.len() as ULONG, "pcInstanceInfo")?;
        put(paInstanceInfo, block.cast(), "paInstanceInfo")?;
    }
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetInstanceInfoA(
    pcInstanceInfo: *mut ULONG,
    paInstanceInfo: *mut *mut JET_INSTANCE_INFO<c_char>,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetGetInstanceInfo", || unsafe {
        get_instance_info::<A>(pcInstanceInfo, paInstanceInfo)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetInstanceInfoW(
    pcInstanceInfo: *mut ULONG,
    paInstanceInfo: *mut *mut JET_INSTANCE_INFO<WCHAR>,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetGetInstanceInfo", || unsafe {
        get_instance_info::<W>(pcInstanceInfo, paInstanceInfo)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetInstanceInfo(
    pcInstanceInfo: *mut ULONG,
    paInstanceInfo: *mut *mut JET_INSTANCE_INFO<c_char>,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetInstanceInfoA(pcInstanceInfo, paInstanceInfo) }
}
