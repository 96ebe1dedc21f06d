//! Every JET_err and JET_wrn code of ESE's published header, with its
//! number and a one-line description.
//!
//! The constants keep ESE's own names (`JET_errReadVerifyFailure`) so that
//! code written against `esent.h` reads the same here. They are generated
//! from `data/jet_codes.tsv` by the build script.

#![allow(non_upper_case_globals)]

/// One entry of the code table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// The symbolic name, e.g. `JET_errReadVerifyFailure`.
    pub name: &'static str,
    /// The value: negative for errors, positive for warnings, 0 for success
    /// (`JET_wrnNyi` is the one warning with a negative value).
    pub value: i32,
    /// What the code means, in one line.
    pub description: &'static str,
    /// True when the header defines this name as another name's synonym.
    pub is_alias: bool,
}

include!(concat!(env!("OUT_DIR"), "/jet_codes.rs"));

/// The table entry for a value, if ESE defines one. Where several names
/// share a value the primary (non-alias) definition is returned.
pub fn lookup(value: i32) -> Option<&'static CodeInfo> {
    BY_VALUE
        .binary_search_by_key(&value, |&index| ALL_CODES[usize::from(index)].value)
        .ok()
        .map(|position| &ALL_CODES[usize::from(BY_VALUE[position])])
}

/// The table entry for a symbolic name, aliases included.
pub fn lookup_name(name: &str) -> Option<&'static CodeInfo> {
    ALL_CODES.iter().find(|info| info.name == name)
}

/// The symbolic name of a value, or `"JET_err?"` style placeholder for a
/// number ESE never defined.
pub fn name_of(value: i32) -> &'static str {
    match lookup(value) {
        Some(info) => info.name,
        None if value < 0 => "JET_errUnknown",
        None => "JET_wrnUnknown",
    }
}

/// The description of a value, or a generic one for an undefined number.
pub fn description_of(value: i32) -> &'static str {
    lookup(value).map_or("Code not defined by ESE", |info| info.description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_holds_every_published_code() {
        // jethdr.w defines 435 JET_err and 56 JET_wrn names (aliases included).
        let errors = ALL_CODES
            .iter()
            .filter(|c| c.name.starts_with("JET_err"))
            .count();
        let warnings = ALL_CODES
            .iter()
            .filter(|c| c.name.starts_with("JET_wrn"))
            .count();
        assert_eq!(errors, 435);
        assert_eq!(warnings, 56);
    }

    #[test]
    fn well_known_numbers() {
        // Values as documented in extensible-storage-engine-errors.md.
        assert_eq!(JET_errSuccess, 0);
        assert_eq!(JET_errReadVerifyFailure, -1018);
        assert_eq!(JET_errDatabaseCorrupted, -1206);
        assert_eq!(JET_errFileInvalidType, -1812);
        assert_eq!(JET_errPageSizeMismatch, -1213);
        assert_eq!(JET_errWriteConflict, -1102);
        assert_eq!(JET_errVersionStoreOutOfMemory, -1069);
        assert_eq!(JET_wrnSeekNotEqual, 1039);
        assert_eq!(JET_errColumnIllegalNull, JET_errNullInvalid);
        assert_eq!(JET_wrnRecordFoundGreater, JET_wrnSeekNotEqual);
    }

    #[test]
    fn lookup_prefers_primary_names() {
        assert_eq!(name_of(-1018), "JET_errReadVerifyFailure");
        assert_eq!(name_of(1039), "JET_wrnSeekNotEqual");
        assert_eq!(name_of(JET_errNullInvalid), "JET_errNullInvalid");
        assert_eq!(name_of(-99_999), "JET_errUnknown");
        assert!(lookup_name("JET_errColumnIllegalNull").is_some_and(|c| c.is_alias));
    }

    #[test]
    fn every_value_resolves_to_a_name_with_that_value() {
        for code in &ALL_CODES {
            let primary = lookup(code.value).expect("every value is indexed");
            assert_eq!(primary.value, code.value, "{}", code.name);
            assert!(!primary.is_alias, "{} resolved to an alias", code.name);
            assert!(
                !code.description.is_empty(),
                "{} has no description",
                code.name
            );
        }
    }
}
