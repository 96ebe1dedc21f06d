//! The process and instance calls: JetGetVersion, JetCreateInstance(2),
//! JetInit(2), JetTerm(2), JetStopService(Instance)(2),
//! JetStopBackup(Instance), JetSetSystemParameter, JetGetSystemParameter.
//!
//! JET_INSTANCE values are the registry's handles ([`ese::api::Jet`]); 0
//! and `JET_instanceNil` name the legacy instance, as in ESENT.

use std::ffi::c_char;

use ese::api::params::ParamValue;
use ese::api::{JET_instanceNil as RUST_INSTANCE_NIL, Jet, JetInstance};
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::handles;
use crate::types::*;

/// The version JetGetVersion reports, in ESENT's layout: image major in
/// bits 28-31, image minor in 24-27, build in 8-23, service pack in 0-7.
/// The build is a current Windows' (26100), so that bindings which choose
/// their entry points by it (ManagedEsent) use the W functions and the
/// newer structures.
pub const ESENT_VERSION: u32 = (10 << 28) | (26100 << 8);

/// The registry handle a JET_INSTANCE names: 0 the legacy instance to
/// come (`None`), `JET_instanceNil` the legacy one, else itself.
pub(crate) fn instance_of(handle: JET_INSTANCE) -> Option<JetInstance> {
    match handle {
        0 => None,
        JET_instanceNil => Some(RUST_INSTANCE_NIL),
        h => Some(h as JetInstance),
    }
}

/// The registry handle a call on `handle` reaches (the legacy instance for
/// 0 and nil), for retiring its sessions after JetTerm.
fn resolved(handle: JET_INSTANCE) -> Option<JetInstance> {
    match instance_of(handle) {
        Some(h) if h != RUST_INSTANCE_NIL => Some(h),
        _ => {
            let infos = Jet::global().get_instance_info().ok()?;
            (infos.len() == 1).then(|| infos[0].instance)
        }
    }
}

fn running(instance: JetInstance) -> bool {
    Jet::global()
        .get_instance_info()
        .is_ok_and(|infos| infos.iter().any(|i| i.instance == instance))
}

#[no_mangle]
pub unsafe extern "C" fn JetGetVersion(sesid: JET_SESID, pwVersion: *mut ULONG) -> JET_ERR {
    call("JetGetVersion", || {
        handles::session(sesid)?;
        // SAFETY: the caller's out-pointer (crate contract).
        unsafe { put(pwVersion, ESENT_VERSION, "pwVersion")? };
        Ok(0)
    })
}

fn create_instance2(
    pinstance: *mut JET_INSTANCE,
    name: Option<String>,
    display: Option<String>,
    grbit: JET_GRBIT,
) -> Result<i32> {
    if pinstance.is_null() {
        return Err(null("pinstance"));
    }
    let handle = Jet::global().create_instance2(name.as_deref(), display.as_deref(), grbit)?;
    // SAFETY: checked above; writable by the caller's contract.
    unsafe { put(pinstance, handle as JET_INSTANCE, "pinstance")? };
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateInstanceA(
    pinstance: *mut JET_INSTANCE,
    szInstanceName: *const c_char,
) -> JET_ERR {
    // SAFETY: the caller's string (crate contract).
    call("JetCreateInstance", || {
        create_instance2(pinstance, unsafe { a_text(szInstanceName)? }, None, 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateInstanceW(
    pinstance: *mut JET_INSTANCE,
    szInstanceName: *const WCHAR,
) -> JET_ERR {
    // SAFETY: the caller's string (crate contract).
    call("JetCreateInstance", || {
        create_instance2(pinstance, unsafe { w_text(szInstanceName)? }, None, 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateInstance(
    pinstance: *mut JET_INSTANCE,
    szInstanceName: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetCreateInstanceA(pinstance, szInstanceName) }
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateInstance2A(
    pinstance: *mut JET_INSTANCE,
    szInstanceName: *const c_char,
    szDisplayName: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetCreateInstance2", || {
        // SAFETY: the caller's strings (crate contract).
        let (name, display) = unsafe { (a_text(szInstanceName)?, a_text(szDisplayName)?) };
        create_instance2(pinstance, name, display, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateInstance2W(
    pinstance: *mut JET_INSTANCE,
    szInstanceName: *const WCHAR,
    szDisplayName: *const WCHAR,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetCreateInstance2", || {
        // SAFETY: the caller's strings (crate contract).
        let (name, display) = unsafe { (w_text(szInstanceName)?, w_text(szDisplayName)?) };
        create_instance2(pinstance, name, display, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateInstance2(
    pinstance: *mut JET_INSTANCE,
    szInstanceName: *const c_char,
    szDisplayName: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetCreateInstance2A(pinstance, szInstanceName, szDisplayName, grbit) }
}

#[no_mangle]
pub unsafe extern "C" fn JetInit(pinstance: *mut JET_INSTANCE) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetInit2(pinstance, 0) }
}

/// JetInit2: `pinstance` NULL, or pointing to 0, starts the legacy
/// instance and returns its handle through `pinstance`. JetInit3 without
/// a JET_RSTINFO.
#[no_mangle]
pub unsafe extern "C" fn JetInit2(pinstance: *mut JET_INSTANCE, grbit: JET_GRBIT) -> JET_ERR {
    call("JetInit2", || {
        // SAFETY: forwarded contract; no JET_RSTINFO.
        unsafe { crate::process_calls::init3::<A>(pinstance, std::ptr::null(), grbit) }
    })
}

#[no_mangle]
pub extern "C" fn JetTerm(instance: JET_INSTANCE) -> JET_ERR {
    JetTerm2(instance, 0)
}

/// JetTerm2. Once the instance has ended (whatever the outcome reported,
/// `JET_errDirtyShutdown` included), the handles of its sessions and
/// tables are invalid.
#[no_mangle]
pub extern "C" fn JetTerm2(instance: JET_INSTANCE, grbit: JET_GRBIT) -> JET_ERR {
    call("JetTerm2", || {
        let target = resolved(instance);
        let outcome = Jet::global().term2(instance_of(instance), grbit);
        if let Some(target) = target {
            if !running(target) {
                handles::retire_instance(target);
            }
        }
        outcome.map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetStopService() -> JET_ERR {
    call("JetStopService", || {
        Jet::global().stop_service().map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetStopServiceInstance(instance: JET_INSTANCE) -> JET_ERR {
    call("JetStopServiceInstance", || {
        let handle = instance_of(instance).unwrap_or(RUST_INSTANCE_NIL);
        Jet::global().stop_service_instance(handle).map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetStopServiceInstance2(instance: JET_INSTANCE, grbit: JET_GRBIT) -> JET_ERR {
    call("JetStopServiceInstance2", || {
        let handle = instance_of(instance).unwrap_or(RUST_INSTANCE_NIL);
        Jet::global()
            .stop_service_instance2(handle, grbit)
            .map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetStopBackup() -> JET_ERR {
    call("JetStopBackup", || Jet::global().stop_backup().map(|()| 0))
}

#[no_mangle]
pub extern "C" fn JetStopBackupInstance(instance: JET_INSTANCE) -> JET_ERR {
    call("JetStopBackupInstance", || {
        let handle = instance_of(instance).unwrap_or(RUST_INSTANCE_NIL);
        Jet::global().stop_backup_instance(handle).map(|()| 0)
    })
}

/// The instance a parameter call names: `*pinstance` when given, else the
/// instance of `sesid` when that is a session, else the process (`None`).
fn parameter_target(pinstance: Option<JET_INSTANCE>, sesid: JET_SESID) -> Option<JetInstance> {
    match pinstance {
        Some(handle) => instance_of(handle),
        None => handles::session(sesid).ok().map(|s| s.instance),
    }
}

fn set_system_parameter(
    pinstance: *mut JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    lParam: JET_API_PTR,
    text: Option<String>,
) -> Result<i32> {
    let given = if pinstance.is_null() {
        None
    } else {
        // SAFETY: not NULL; readable by the caller's contract.
        Some(unsafe { get(pinstance, "pinstance")? })
    };
    let target = parameter_target(given, sesid);
    Jet::global()
        .set_system_parameter(target, paramid, lParam as u64, text.as_deref())
        .map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetSetSystemParameterA(
    pinstance: *mut JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    lParam: JET_API_PTR,
    szParam: *const c_char,
) -> JET_ERR {
    call("JetSetSystemParameter", || {
        // SAFETY: the caller's string (crate contract).
        let text = unsafe { a_text(szParam)? };
        set_system_parameter(pinstance, sesid, paramid, lParam, text)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetSetSystemParameterW(
    pinstance: *mut JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    lParam: JET_API_PTR,
    szParam: *const WCHAR,
) -> JET_ERR {
    call("JetSetSystemParameter", || {
        // SAFETY: the caller's string (crate contract).
        let text = unsafe { w_text(szParam)? };
        set_system_parameter(pinstance, sesid, paramid, lParam, text)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetSetSystemParameter(
    pinstance: *mut JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    lParam: JET_API_PTR,
    szParam: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetSetSystemParameterA(pinstance, sesid, paramid, lParam, szParam) }
}

/// JetGetSystemParameter's common part: an integer goes to `plParam`, a
/// string into the caller's buffer (`JET_errBufferTooSmall` when it does
/// not fit with its terminator), by `write`.
fn get_system_parameter(
    instance: JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    plParam: *mut JET_API_PTR,
    text_out: &mut [u8],
    wide: bool,
) -> Result<i32> {
    let target = parameter_target(Some(instance), sesid);
    // plParam is an input only for JET_paramErrorToString (the error
    // number); for every other parameter the caller may leave it unset.
    let number = if paramid == ese::api::params::JET_paramErrorToString && !plParam.is_null() {
        // SAFETY: not NULL; readable by the caller's contract.
        unsafe { get(plParam, "plParam")? as u64 }
    } else {
        0
    };
    match Jet::global().get_system_parameter(target, paramid, number)? {
        ParamValue::Integer(value) => {
            // SAFETY: NULL is allowed (not wanted).
            unsafe { put_opt(plParam, value as JET_API_PTR) };
            Ok(0)
        }
        ParamValue::String(text) => {
            if text_out.is_empty() {
                return Err(null("szParam"));
            }
            let warning = if wide {
                write_w(&text, text_out)
            } else {
                write_a(&text, text_out)
            };
            if warning == JET_wrnBufferTruncated {
                return Err(Error::new(JET_errBufferTooSmall).with_detail(format!(
                    "the value takes more than {} bytes",
                    text_out.len()
                )));
            }
            Ok(0)
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetSystemParameterA(
    instance: JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    plParam: *mut JET_API_PTR,
    szParam: *mut c_char,
    cbMax: ULONG,
) -> JET_ERR {
    call("JetGetSystemParameter", || {
        // SAFETY: the caller's buffer of cbMax bytes (crate contract).
        let out = unsafe { buffer(szParam.cast(), cbMax) };
        get_system_parameter(instance, sesid, paramid, plParam, out, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetSystemParameterW(
    instance: JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    plParam: *mut JET_API_PTR,
    szParam: *mut WCHAR,
    cbMax: ULONG,
) -> JET_ERR {
    call("JetGetSystemParameter", || {
        // SAFETY: the caller's buffer of cbMax bytes (crate contract).
        let out = unsafe { buffer(szParam.cast(), cbMax) };
        get_system_parameter(instance, sesid, paramid, plParam, out, true)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetSystemParameter(
    instance: JET_INSTANCE,
    sesid: JET_SESID,
    paramid: ULONG,
    plParam: *mut JET_API_PTR,
    szParam: *mut c_char,
    cbMax: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetSystemParameterA(instance, sesid, paramid, plParam, szParam, cbMax) }
}
