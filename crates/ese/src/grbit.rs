//! The JET API's option bits, defined with the other `esent.h` constants in
//! `ese-format` (public as `ese::api::grbit`), and the one check every
//! function makes of them. A leaf: every component may use it.

pub use ese_format::grbit::*;

use crate::codes::JET_errInvalidGrbit;
use crate::{Error, Result};

/// `JET_errInvalidGrbit` for bits outside `allowed`.
pub(crate) fn check_grbit(grbit: u32, allowed: u32, function: &str) -> Result<()> {
    if grbit & !allowed != 0 {
        return Err(Error::new(JET_errInvalidGrbit).with_detail(format!(
            "{function} does not take option bits {:#x}",
            grbit & !allowed
        )));
    }
    Ok(())
}
