//! libesent: the JET API of ESENT.DLL as a C library over the `ese`
//! engine, so that programs written against `esent.h` build and run on
//! Linux. `include/esent.h` (at the repository root) declares what this
//! library exports; `EXPORTS.md` beside this crate lists every function
//! ESENT.DLL exports and whether this library has it yet. A function not
//! yet implemented is absent from both, so a program that needs it fails
//! to link rather than at run time.
//!
//! Each export is a thin translation onto the Rust API (`ese::api`): the
//! handles C programs hold (`handles`), the C types with Windows' sizes
//! (`types`), and the boundary every call crosses (`boundary`: errors as
//! JET_ERR values, no panic into C, strings in the A and W forms). As in
//! ESENT, each function named with an A or W suffix exists in both forms
//! (A: `char *` taken as UTF-8; W: UTF-16 `WCHAR *`), and the unsuffixed
//! name is exported as the A form.
//!
//! # Safety
//!
//! Every exported function is `unsafe` to call from Rust and takes its
//! pointers as `esent.h` documents them: each is NULL (where the function
//! accepts NULL, or gets `JET_errInvalidParameter` where it does not) or
//! valid for the size the call documents (a string up to its terminator,
//! a buffer of the `cb` it is given). Nothing else is assumed: handles are
//! checked, lengths are taken from the caller, and a panic inside the
//! engine becomes `JET_errInternalError`.
// The C ABI is this crate's purpose: every unsafe block says why it is
// sound, and the functions' shared contract is stated once above.
#![allow(unsafe_code, clippy::missing_safety_doc)]
// Function and parameter names keep ESENT's spelling (JetCreateInstance,
// pinstance, szFilename) so that the library reads as the documentation.
#![allow(non_snake_case)]
// ESENT's signatures are the contract, however many parameters they have.
#![allow(clippy::too_many_arguments)]

mod backup_calls;
mod boundary;
mod column_info_calls;
mod create_calls;
mod ddl_calls;
mod enumerate_calls;
mod handles;
mod index_info_calls;
mod instance_calls;
mod list_table;
mod maintenance_calls;
mod object_info_calls;
mod process_calls;
mod record_calls;
mod restore_calls;
mod session_calls;
mod table_calls;
pub mod types;

pub use backup_calls::*;
pub use column_info_calls::*;
pub use create_calls::*;
pub use ddl_calls::*;
pub use enumerate_calls::*;
pub use index_info_calls::*;
pub use instance_calls::*;
pub use maintenance_calls::*;
pub use object_info_calls::*;
pub use process_calls::*;
pub use record_calls::*;
pub use restore_calls::*;
pub use session_calls::*;
pub use table_calls::*;
