//! The engine's error type: a JET error number plus where it happened.
//!
//! ESE reports every failure as a negative `JET_err` number; callers (and
//! the C interface) rely on those numbers, so the Rust error keeps one as its
//! identity and adds the context a person needs to act on it: the file, the
//! page number and the operation under way.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::codes;

/// Result of an engine operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A JET error (negative code) with optional context.
///
/// Displays as `JET_errReadVerifyFailure (-1018): <description>: <context>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: i32,
    // Boxed so that `Result<T, Error>` stays two words wide on the hot path.
    context: Option<Box<Context>>,
}

/// Where an error happened. Every part is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub file: Option<PathBuf>,
    pub page: Option<u32>,
    pub operation: Option<String>,
    pub detail: Option<String>,
}

impl Error {
    /// An error with the given JET code and no context.
    pub fn new(code: i32) -> Self {
        debug_assert!(code < 0, "errors carry negative JET codes, got {code}");
        Error {
            code,
            context: None,
        }
    }

    /// The JET error number, e.g. -1018.
    pub fn code(&self) -> i32 {
        self.code
    }

    /// The symbolic name, e.g. `JET_errReadVerifyFailure`.
    pub fn name(&self) -> &'static str {
        codes::name_of(self.code)
    }

    /// ESE's one-line meaning of the code.
    pub fn description(&self) -> &'static str {
        codes::description_of(self.code)
    }

    /// The context recorded so far, if any.
    pub fn context(&self) -> Option<&Context> {
        self.context.as_deref()
    }

    fn context_mut(&mut self) -> &mut Context {
        self.context.get_or_insert_with(Default::default)
    }

    /// Records the file the error concerns.
    pub fn with_file(mut self, file: impl AsRef<Path>) -> Self {
        self.context_mut().file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Records the page number the error concerns.
    pub fn with_page(mut self, page: u32) -> Self {
        self.context_mut().page = Some(page);
        self
    }

    /// Records the operation that failed (e.g. "reading the database header").
    pub fn with_operation(mut self, operation: impl Into<String>) -> Self {
        self.context_mut().operation = Some(operation.into());
        self
    }

    /// Records a free-form explanation (e.g. the checksums that disagreed).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.context_mut().detail = Some(detail.into());
        self
    }

    /// Adds a page number only if none is recorded yet (the innermost
    /// layer knows the page that really failed).
    pub fn in_page(mut self, page: u32) -> Self {
        if self.context().and_then(|c| c.page).is_none() {
            self.context_mut().page = Some(page);
        }
        self
    }

    /// Adds a file only if none is recorded yet: lower layers know the page,
    /// upper layers know the file, and the first to speak wins.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        if self.context().and_then(|c| c.file.as_ref()).is_none() {
            self.context_mut().file = Some(file.as_ref().to_path_buf());
        }
        self
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(operation) = &self.operation {
            parts.push(operation.clone());
        }
        if let Some(file) = &self.file {
            parts.push(format!("file {}", file.display()));
        }
        if let Some(page) = self.page {
            parts.push(format!("page {page}"));
        }
        f.write_str(&parts.join(", "))?;
        if let Some(detail) = &self.detail {
            if !parts.is_empty() {
                f.write_str(": ")?;
            }
            f.write_str(detail)?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.name(), self.code, self.description())?;
        if let Some(context) = &self.context {
            write!(f, ": {context}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::*;

    #[test]
    fn display_names_number_description_and_context() {
        let error = Error::new(JET_errReadVerifyFailure)
            .with_operation("reading a page")
            .with_file("basic.edb")
            .with_page(12)
            .with_detail("checksum mismatch");
        let shown = error.to_string();
        let prefix = format!(
            "JET_errReadVerifyFailure (-1018): {}: ",
            codes::description_of(-1018)
        );
        assert!(shown.starts_with(&prefix), "{shown}");
        assert!(
            shown.ends_with("reading a page, file basic.edb, page 12: checksum mismatch"),
            "{shown}"
        );
        assert_eq!(error.code(), -1018);
    }

    #[test]
    fn display_without_context_has_no_trailing_separator() {
        let shown = Error::new(JET_errDatabaseCorrupted).to_string();
        assert_eq!(
            shown,
            format!(
                "JET_errDatabaseCorrupted (-1206): {}",
                codes::description_of(-1206)
            )
        );
    }

    #[test]
    fn result_stays_small() {
        assert!(std::mem::size_of::<Result<u64>>() <= 24);
    }
}
