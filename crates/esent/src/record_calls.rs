//! More of a cursor's calls: JetRetrieveColumns, JetSetColumns,
//! JetEscrowUpdate, JetRetrieveKey, JetDupCursor, JetIndexRecordCount,
//! JetGetRecordPosition, JetGotoPosition, JetGetLock,
//! JetGetSecondaryIndexBookmark, JetGotoSecondaryIndexBookmark.

use std::ffi::c_void;

use ese::api::{RetrieveColumn, SetColumn};
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::handles::{self, with_cursor};
use crate::types::*;

/// The `count` structures at `first`, which may be NULL only for 0.
///
/// # Safety
/// `first` is NULL or points to `count` structures the caller owns.
unsafe fn array<'a, T>(first: *mut T, count: ULONG, what: &str) -> Result<&'a mut [T]> {
    if count == 0 {
        return Ok(&mut []);
    }
    if first.is_null() {
        return Err(null(what));
    }
    // SAFETY: not NULL; `count` structures by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(first, count as usize) })
}

/// JetRetrieveColumns: each JET_RETRIEVECOLUMN gets its value (as much as
/// its buffer holds), `cbActual`, and its outcome in `err`; an
/// `itagSequence` of 0 asks the number of values, which comes back in
/// `itagSequence`. The first error ends the call with that error.
#[no_mangle]
pub unsafe extern "C" fn JetRetrieveColumns(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pretrievecolumn: *mut JET_RETRIEVECOLUMN,
    cretrievecolumn: ULONG,
) -> JET_ERR {
    call("JetRetrieveColumns", || {
        // SAFETY: the caller's array (crate contract).
        let given = unsafe { array(pretrievecolumn, cretrievecolumn, "pretrievecolumn")? };
        for column in given.iter() {
            if column.pvData.is_null() && column.cbData != 0 {
                return Err(null("a JET_RETRIEVECOLUMN's pvData"));
            }
        }
        let table = handles::table(sesid, tableid)?;
        if let Some(list) = table.list()? {
            for column in given.iter_mut() {
                let itag = column.itagSequence.max(1);
                let value = match list.value(column.columnid, itag, column.ibLongValue) {
                    Ok(value) => value,
                    Err(e) => {
                        column.err = e.code();
                        return Err(e);
                    }
                };
                if column.itagSequence == 0 {
                    column.itagSequence = u32::from(value.is_some());
                    column.cbActual = 0;
                    column.err = 0;
                    continue;
                }
                // SAFETY: the column's buffer of cbData bytes (crate contract).
                let out = unsafe { buffer(column.pvData, column.cbData) };
                (column.cbActual, column.err) = match value {
                    None => (0, JET_wrnColumnNull),
                    Some(v) if copy_out(v, out) => (v.len() as ULONG, 0),
                    Some(v) => (v.len() as ULONG, JET_wrnBufferTruncated),
                };
            }
            return Ok(0);
        }
        let mut requests: Vec<RetrieveColumn> = given
            .iter()
            .map(|c| RetrieveColumn {
                column_id: c.columnid,
                buffer_size: c.cbData as usize,
                grbit: c.grbit,
                ib_long_value: c.ibLongValue,
                itag_sequence: c.itagSequence,
                ..Default::default()
            })
            .collect();
        let outcome = table.cursor()?.retrieve_columns(&mut requests);
        for (column, done) in given.iter_mut().zip(&requests) {
            // SAFETY: the column's buffer of cbData bytes (crate contract).
            copy_out(&done.data, unsafe { buffer(column.pvData, column.cbData) });
            column.cbActual = done.actual_size as ULONG;
            column.err = done.err;
            if column.itagSequence == 0 {
                column.itagSequence = done.itag_sequence;
            }
        }
        outcome.map(|()| 0)
    })
}

/// JetSetColumns: each JET_SETCOLUMN's outcome goes to its `err`; the
/// first error ends the call with that error.
#[no_mangle]
pub unsafe extern "C" fn JetSetColumns(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    psetcolumn: *mut JET_SETCOLUMN,
    csetcolumn: ULONG,
) -> JET_ERR {
    call("JetSetColumns", || {
        // SAFETY: the caller's array (crate contract).
        let given = unsafe { array(psetcolumn, csetcolumn, "psetcolumn")? };
        let mut columns = Vec::with_capacity(given.len());
        for c in given.iter() {
            // SAFETY: the column's cbData bytes (crate contract).
            let data = unsafe { bytes(c.pvData, c.cbData, "a JET_SETCOLUMN's pvData")? };
            columns.push(SetColumn {
                column_id: c.columnid,
                data: (!(c.pvData.is_null() && c.cbData == 0)).then(|| data.to_vec()),
                grbit: c.grbit,
                ib_long_value: c.ibLongValue,
                itag_sequence: c.itagSequence,
                err: 0,
            });
        }
        let outcome = with_cursor(sesid, tableid, |c| c.set_columns(&mut columns));
        for (c, done) in given.iter_mut().zip(&columns) {
            c.err = done.err;
        }
        outcome.map(|()| 0)
    })
}

/// JetEscrowUpdate: `pv` is the 4-byte delta; the value before it goes to
/// `pvOld` when one is given.
#[no_mangle]
pub unsafe extern "C" fn JetEscrowUpdate(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnid: JET_COLUMNID,
    pv: *const c_void,
    cbMax: ULONG,
    pvOld: *mut c_void,
    cbOldMax: ULONG,
    pcbOldActual: *mut ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetEscrowUpdate", || {
        // SAFETY: the caller's cbMax bytes (crate contract).
        let delta = unsafe { bytes(pv, cbMax, "pv")? };
        let delta: [u8; 4] = delta.try_into().map_err(|_| {
            Error::new(JET_errInvalidBufferSize).with_detail("an escrow delta takes 4 bytes")
        })?;
        let old = with_cursor(sesid, tableid, |c| {
            c.escrow_update(columnid, i32::from_le_bytes(delta), grbit)
        })?;
        let old = old.to_le_bytes();
        // SAFETY: the caller's buffer and optional out-pointer.
        unsafe {
            copy_out(&old, buffer(pvOld, cbOldMax));
            put_opt(pcbOldActual, 4);
        }
        Ok(0)
    })
}

/// JetRetrieveKey: the key of the current entry (or the search key with
/// JET_bitRetrieveCopy): `JET_wrnBufferTruncated` when it is cut.
#[no_mangle]
pub unsafe extern "C" fn JetRetrieveKey(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvKey: *mut c_void,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetRetrieveKey", || {
        let key = with_cursor(sesid, tableid, |c| c.retrieve_key(grbit))?;
        // SAFETY: the caller's buffer and optional out-pointer.
        let out = unsafe { buffer(pvKey, cbMax) };
        let n = key.len().min(out.len());
        out[..n].copy_from_slice(&key[..n]);
        // SAFETY: as above.
        unsafe { put_opt(pcbActual, key.len() as ULONG) };
        Ok(if n < key.len() {
            JET_wrnBufferTruncated
        } else {
            0
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDupCursor(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    ptableid: *mut JET_TABLEID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetDupCursor", || {
        if ptableid.is_null() {
            return Err(null("ptableid"));
        }
        let copy = with_cursor(sesid, tableid, |c| c.dup_cursor(grbit))?;
        let new = handles::add_table(sesid, copy);
        // SAFETY: checked not NULL; writable by the caller's contract.
        unsafe { put(ptableid, new, "ptableid")? };
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetIndexRecordCount(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pcrec: *mut ULONG,
    crecMax: ULONG,
) -> JET_ERR {
    call("JetIndexRecordCount", || {
        if pcrec.is_null() {
            return Err(null("pcrec"));
        }
        let count = with_cursor(sesid, tableid, |c| c.index_record_count(crecMax))?;
        // SAFETY: checked not NULL; writable by the caller's contract.
        unsafe { put(pcrec, count, "pcrec")? };
        Ok(0)
    })
}

/// JetGetRecordPosition: the entries before the current one and the
/// entries in the index, counted exactly.
#[no_mangle]
pub unsafe extern "C" fn JetGetRecordPosition(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    precpos: *mut JET_RECPOS,
    cbRecpos: ULONG,
) -> JET_ERR {
    call("JetGetRecordPosition", || {
        if precpos.is_null() {
            return Err(null("precpos"));
        }
        if (cbRecpos as usize) < std::mem::size_of::<JET_RECPOS>() {
            return Err(Error::new(JET_errInvalidParameter).with_detail("cbRecpos is too small"));
        }
        let (before, total) = with_cursor(sesid, tableid, |c| c.get_record_position())?;
        let position = JET_RECPOS {
            cbStruct: std::mem::size_of::<JET_RECPOS>() as ULONG,
            centriesLT: before,
            centriesInRange: 1,
            centriesTotal: total,
        };
        // SAFETY: checked not NULL; writable by the caller's contract.
        unsafe { put(precpos, position, "precpos")? };
        Ok(0)
    })
}

/// JetGotoPosition: the entry at `centriesLT / centriesTotal` of the
/// index.
#[no_mangle]
pub unsafe extern "C" fn JetGotoPosition(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    precpos: *const JET_RECPOS,
) -> JET_ERR {
    call("JetGotoPosition", || {
        // SAFETY: the caller's structure (crate contract).
        let position = unsafe { get(precpos, "precpos")? };
        with_cursor(sesid, tableid, |c| {
            c.goto_position(position.centriesLT, position.centriesTotal)
        })
        .map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetGetLock(sesid: JET_SESID, tableid: JET_TABLEID, grbit: JET_GRBIT) -> JET_ERR {
    call("JetGetLock", || {
        with_cursor(sesid, tableid, |c| c.get_lock(grbit)).map(|()| 0)
    })
}

/// JetGetSecondaryIndexBookmark: the secondary key and the primary
/// bookmark of the current entry; `JET_errBufferTooSmall` when either does
/// not fit (with what fits and both sizes).
#[no_mangle]
pub unsafe extern "C" fn JetGetSecondaryIndexBookmark(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvSecondaryKey: *mut c_void,
    cbSecondaryKeyMax: ULONG,
    pcbSecondaryKeyActual: *mut ULONG,
    pvPrimaryBookmark: *mut c_void,
    cbPrimaryBookmarkMax: ULONG,
    pcbPrimaryBookmarkActual: *mut ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetGetSecondaryIndexBookmark", || {
        if grbit != 0 {
            return Err(Error::new(JET_errInvalidGrbit));
        }
        let (key, bookmark) = with_cursor(sesid, tableid, |c| c.get_secondary_index_bookmark())?;
        let mut whole = true;
        // SAFETY: the caller's buffers and optional out-pointers.
        unsafe {
            for (value, out, max, actual) in [
                (
                    &key,
                    pvSecondaryKey,
                    cbSecondaryKeyMax,
                    pcbSecondaryKeyActual,
                ),
                (
                    &bookmark,
                    pvPrimaryBookmark,
                    cbPrimaryBookmarkMax,
                    pcbPrimaryBookmarkActual,
                ),
            ] {
                whole &= copy_out(value, buffer(out, max));
                put_opt(actual, value.len() as ULONG);
            }
        }
        if !whole {
            return Err(Error::new(JET_errBufferTooSmall));
        }
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGotoSecondaryIndexBookmark(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvSecondaryKey: *const c_void,
    cbSecondaryKey: ULONG,
    pvPrimaryBookmark: *const c_void,
    cbPrimaryBookmark: ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetGotoSecondaryIndexBookmark", || {
        if grbit != 0 {
            return Err(Error::new(JET_errInvalidGrbit));
        }
        // SAFETY: the caller's byte ranges (crate contract).
        let (key, bookmark) = unsafe {
            (
                bytes(pvSecondaryKey, cbSecondaryKey, "pvSecondaryKey")?,
                bytes(pvPrimaryBookmark, cbPrimaryBookmark, "pvPrimaryBookmark")?,
            )
        };
        with_cursor(sesid, tableid, |c| {
            c.goto_secondary_index_bookmark(key, bookmark)
        })
        .map(|()| 0)
    })
}
